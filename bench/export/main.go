// Command export writes an MNIST-format IDX data set (the bundled MNIST by
// default, or Fashion-MNIST, …) in the other formats that -data reads, so
// that they can be compared and tried:
//
//	go run ./bench/export -format png -out /tmp/mnist-png          # train/ and test/, a folder per class
//	go run ./bench/export -format png-flat -out /tmp/mnist-flat    # train/ and test/, 00000.png … in IDX order
//	go run ./bench/export -format csv -out /tmp/mnist-csv          # train.csv, test.csv: label,p1,…,p784 (0–255)
//	go run ./bench/export -format npy -out /tmp/mnist-npy          # train.npy (N×28×28 uint8), train_labels.npy, test…
//
// Trained with the same seed and flags, each trains bit for bit as the IDX
// files do (the CSV with -scale pixel): see README.md, "Your own data".
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"

	"codeberg.org/sbinet/npyio"

	"github.com/aegraph/aegraph/datasets"
)

func main() {
	if err := export(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(2)
	}
}

func export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := fs.String("data", "", "folder of MNIST-format IDX files (default: the bundled MNIST)")
	format := fs.String("format", "png", "png, png-flat, csv or npy")
	out := fs.String("out", "", "folder to write (created; must not exist)")
	limit := fs.Int("limit", 0, "export the first N training and test images only (0: all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 || *limit < 0 {
		return errors.New("usage: export -out DIR [-format png|png-flat|csv|npy] [-data DIR] [-limit N]")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: give a new -out", *out)
	}
	m, err := datasets.Load(*data)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, part := range []struct {
		name string
		set  *datasets.Set
	}{{"train", m.Train}, {"test", m.Test}} {
		s := part.set
		if *limit > 0 {
			s = s.Head(*limit)
		}
		var err error
		switch *format {
		case "png", "png-flat":
			err = writePNGs(filepath.Join(*out, part.name), s, *format == "png")
		case "csv":
			err = writeCSV(filepath.Join(*out, part.name+".csv"), s)
		case "npy":
			err = writeNpy(*out, part.name, s)
		default:
			return fmt.Errorf("-format %q: want png, png-flat, csv or npy", *format)
		}
		if err != nil {
			return err
		}
		fmt.Printf("%s: %d images\n", part.name, s.Len())
	}
	return nil
}

// writePNGs writes every image of s as a grey PNG, named by its index
// (zero-padded, so that name order is the IDX order), in a subfolder per
// class when byClass.
func writePNGs(dir string, s *datasets.Set, byClass bool) error {
	sh := s.Shape()
	h, w := sh[1], sh[2]
	for i := range s.Len() {
		folder := dir
		if byClass {
			folder = filepath.Join(dir, s.Classes[s.Labels[i]])
		}
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return err
		}
		img := &image.Gray{Pix: s.Pixels(i), Stride: w, Rect: image.Rect(0, 0, w, h)}
		f, err := os.Create(filepath.Join(folder, fmt.Sprintf("%05d.png", i)))
		if err != nil {
			return err
		}
		if err := png.Encode(f, img); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}

// writeCSV writes a header (label,p1,…) and a row per image: its label and
// its pixel values 0–255.
func writeCSV(path string, s *datasets.Set) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("label")
	for j := range s.Dim() {
		fmt.Fprintf(w, ",p%d", j+1)
	}
	w.WriteByte('\n')
	var line []byte
	for i := range s.Len() {
		line = append(line[:0], s.Classes[s.Labels[i]]...)
		for _, p := range s.Pixels(i) {
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(p), 10)
		}
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeNpy writes NAME.npy, the images as uint8 N×H×W, and NAME_labels.npy,
// their labels as uint8.
func writeNpy(dir, name string, s *datasets.Set) error {
	h, w := s.Shape()[1], s.Shape()[2]
	images := make([][][]uint8, s.Len()) // N×H×W: npyio takes the shape from nested slices
	labels := make([]uint8, s.Len())
	for i := range s.Len() {
		px := s.Pixels(i)
		images[i] = make([][]uint8, h)
		for r := range h {
			images[i][r] = px[r*w : (r+1)*w]
		}
		labels[i] = uint8(s.Labels[i])
	}
	if err := writeFile(filepath.Join(dir, name+".npy"), images); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, name+"_labels.npy"), labels)
}

func writeFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := npyio.Write(f, v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
