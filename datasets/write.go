package datasets

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"reflect"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio"

	"github.com/aegraph/aegraph/internal/atomicfile"
)

// Writers of the formats that Open reads, each written atomically (a
// temporary file renamed over path), so that a failed write leaves no
// half-written file.

// WriteCSV writes a CSV file of n rows: a header (the label column first,
// when labels is not nil, then columns), then per row its label and its
// values, values holding n·len(columns) numbers row-major. Numbers are
// written so that they read back to the same float32.
func WriteCSV(path string, columns []string, values []float32, labels []string) error {
	d := len(columns)
	if d == 0 || len(values)%d != 0 || (labels != nil && len(labels) != len(values)/d) {
		return fmt.Errorf("%s: %d values, %d labels for %d columns", path, len(values), len(labels), d)
	}
	return atomicfile.WriteFunc(path, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 1<<20)
		var line []byte
		cell := func(s string) {
			if strings.ContainsAny(s, ",\"\n\r") || strings.TrimSpace(s) != s {
				s = `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
			}
			line = append(line, s...)
		}
		if labels != nil {
			cell("label")
			line = append(line, ',')
		}
		for j, c := range columns {
			if j > 0 {
				line = append(line, ',')
			}
			cell(c)
		}
		line = append(line, '\n')
		for i := 0; i < len(values)/d; i++ {
			if _, err := w.Write(line); err != nil {
				return err
			}
			line = line[:0]
			if labels != nil {
				cell(labels[i])
				line = append(line, ',')
			}
			for j, v := range values[i*d : (i+1)*d] {
				if j > 0 {
					line = append(line, ',')
				}
				line = strconv.AppendFloat(line, float64(v), 'g', -1, 32)
			}
			line = append(line, '\n')
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		return w.Flush()
	})
}

// WritePNG writes one image, pixels (C, H, W) channels first with C = 1
// (grey) or 3 (RGB), as a PNG file.
func WritePNG(path string, pixels []uint8, shape []int) error {
	if len(shape) != 3 || (shape[0] != 1 && shape[0] != 3) || len(pixels) != shape[0]*shape[1]*shape[2] {
		return fmt.Errorf("%s: %d pixels of shape %v: want (1 or 3, H, W)", path, len(pixels), shape)
	}
	h, w := shape[1], shape[2]
	var img image.Image
	if shape[0] == 1 {
		img = &image.Gray{Pix: pixels, Stride: w, Rect: image.Rect(0, 0, w, h)}
	} else {
		rgb := image.NewNRGBA(image.Rect(0, 0, w, h))
		plane := w * h
		for y := range h {
			for x := range w {
				i := y*w + x
				rgb.SetNRGBA(x, y, color.NRGBA{pixels[i], pixels[plane+i], pixels[2*plane+i], 255})
			}
		}
		img = rgb
	}
	return atomicfile.WriteFunc(path, func(f *os.File) error {
		return png.Encode(f, img)
	})
}

// WriteNpy writes data (a []uint8, []float32 or []float64) of the given
// shape as a NumPy .npy file.
func WriteNpy(path string, data any, shape []int) error {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("%s: %T is not a slice", path, data)
	}
	n := 1
	for _, d := range shape {
		n *= d
	}
	if len(shape) == 0 || n != v.Len() {
		return fmt.Errorf("%s: %d values for shape %v", path, v.Len(), shape)
	}
	// npyio takes the shape from nested slices: views of data.
	nested := v
	for k := len(shape) - 1; k > 0; k-- {
		rows := nested.Len() / shape[k]
		outer := reflect.MakeSlice(reflect.SliceOf(nested.Type()), rows, rows)
		for r := range rows {
			outer.Index(r).Set(nested.Slice(r*shape[k], (r+1)*shape[k]))
		}
		nested = outer
	}
	return atomicfile.WriteFunc(path, func(f *os.File) error {
		w := bufio.NewWriterSize(f, 1<<20)
		if err := npyio.Write(w, nested.Interface()); err != nil {
			return err
		}
		return w.Flush()
	})
}
