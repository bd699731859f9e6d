package datasets

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
)

// maxNpyHeader bounds the header of a .npy file (NumPy writes a few
// hundred bytes), so that a damaged length cannot cause a huge allocation.
const maxNpyHeader = 1 << 20

// npyFile is an open .npy file whose header has been read and checked.
type npyFile struct {
	path   string
	src    *source // the file, hashed as it is read; Close closes it
	r      *npy.Reader
	dtype  string // the header's descr, e.g. "<f4"
	shape  []int
	values int // the product of shape
	size   int // bytes per value
}

// openNpy opens a .npy file and checks its header against its size: the
// data must be exactly as long as its shape and dtype say. Reading the
// header is NumPy's format as codeberg.org/sbinet/npyio parses it; the checks
// around it keep a damaged file from reaching a panic or a huge allocation.
func openNpy(path string) (_ *npyFile, err error) {
	f, err := openSource(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	br := bufio.NewReaderSize(f, maxNpyHeader+16)
	bad := func(format string, a ...any) (*npyFile, error) {
		f.Close()
		return nil, fmt.Errorf("%s: not a valid .npy file: %s", path, fmt.Sprintf(format, a...))
	}
	prefix, _ := br.Peek(12)
	if len(prefix) < 10 || !bytes.Equal(prefix[:6], npy.Magic[:]) {
		return bad("it does not start with NumPy's magic \\x93NUMPY")
	}
	var end int
	switch prefix[6] {
	case 1:
		end = 10 + int(binary.LittleEndian.Uint16(prefix[8:10]))
	case 2:
		if len(prefix) < 12 {
			return bad("truncated header")
		}
		end = 12 + int(binary.LittleEndian.Uint32(prefix[8:12]))
	default:
		return bad("format version %d.%d (this reader takes versions 1 and 2)", prefix[6], prefix[7])
	}
	if end > maxNpyHeader || int64(end) > info.Size() {
		return bad("a header of %d bytes in a file of %d", end, info.Size())
	}
	header, _ := br.Peek(end)
	if len(header) < end || header[end-1] != '\n' ||
		!bytes.Contains(header, []byte("'descr'")) || !bytes.Contains(header, []byte("'shape'")) || !bytes.Contains(header, []byte("'fortran_order'")) {
		return bad("damaged header %q", truncate(header[min(len(header), 10):], 80))
	}
	r, err := safeNewReader(br)
	if err != nil {
		return bad("damaged header: %v", err)
	}
	h := r.Header.Descr
	h.Type = strings.Trim(h.Type, `'"`) // as the header quotes it
	n := &npyFile{path: path, src: f, r: r, dtype: h.Type, shape: h.Shape}
	switch h.Type {
	case "|u1", "<u1", "|i1", "<i1", "|b1":
		n.size = 1
	case "<f4", ">f4", "<i4", ">i4", "<u4":
		n.size = 4
	case "<f8", ">f8", "<i8", ">i8", "<u8":
		n.size = 8
	case "<i2", ">i2", "<u2":
		n.size = 2
	default:
		if len(h.Type) > 0 && (h.Type[1] == 'O' || h.Type[0] == 'O') {
			return bad("object dtype %q: save a numeric array (float32, float64 or uint8)", h.Type)
		}
		return bad("dtype %q: want float32, float64 or uint8", h.Type)
	}
	if h.Fortran {
		return bad("Fortran order: save it with np.ascontiguousarray first")
	}
	n.values = 1
	for _, d := range h.Shape {
		if d < 1 {
			return bad("shape %v has an empty dimension", h.Shape)
		}
		if n.values > math.MaxInt32/d {
			return bad("shape %v is too large", h.Shape)
		}
		n.values *= d
	}
	if len(h.Shape) == 0 {
		return bad("a scalar, not an array")
	}
	if have, need := info.Size()-int64(end), int64(n.values)*int64(n.size); have != need {
		f.Close()
		if have < need {
			return nil, fmt.Errorf("%s: truncated: its shape %v of %s needs %d bytes of data, the file holds %d", path, h.Shape, h.Type, need, have)
		}
		return nil, fmt.Errorf("%s: trailing data: its shape %v of %s needs %d bytes of data, the file holds %d", path, h.Shape, h.Type, need, have)
	}
	return n, nil
}

// safeNewReader parses the header, turning a panic of the parser on a
// malformed header into an error.
func safeNewReader(r io.Reader) (rd *npy.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			rd, err = nil, fmt.Errorf("%v", p)
		}
	}()
	return npy.NewReader(r)
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// ReadNpy reads a NumPy .npy array of samples: float32, float64 or uint8 of
// shape N×D (rows of a table), N×H×W (grey images) or N×C×H×W (images,
// channels first). uint8 values are kept as pixels; floats as float32.
// labels, if not "", is a .npy file of N labels (integers or floats), which
// become the class names, sorted by value.
func ReadNpy(path, labels string) (*Set, error) {
	n, err := openNpy(path)
	if err != nil {
		return nil, err
	}
	defer n.src.Close()
	var shape []int
	switch s := n.shape; len(s) {
	case 2:
		shape = []int{s[1]}
	case 3:
		shape = []int{1, s[1], s[2]}
	case 4:
		shape = []int{s[1], s[2], s[3]}
	default:
		return nil, fmt.Errorf("%s: shape %v: want N×D, N×H×W or N×C×H×W", path, n.shape)
	}
	count := n.shape[0]
	d := n.values / count
	// The labels' header is checked against the samples' before either
	// body is read.
	var ln *npyFile
	if labels != "" {
		if ln, err = openNpyLabels(labels, count); err != nil {
			return nil, err
		}
		defer ln.src.Close()
	}
	set := &Set{shape: shape, n: count}
	switch n.dtype {
	case "|u1", "<u1":
		set.pixels = make([]uint8, n.values)
		if err := n.r.Read(&set.pixels); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	case "<f4", ">f4", "<f8", ">f8":
		set.table = newTable(d)
		if err := readFloats(n, set.table, count); err != nil {
			return nil, err
		}
		if len(shape) == 1 {
			set.Columns = defaultColumns(d)
		}
	default:
		return nil, fmt.Errorf("%s: dtype %q: want float32, float64 or uint8 samples", path, n.dtype)
	}
	ds, err := n.src.sum()
	if err != nil {
		return nil, err
	}
	set.digest = ds
	if ln != nil {
		var dl []byte
		if set.Classes, set.Labels, dl, err = readNpyLabels(ln); err != nil {
			return nil, err
		}
		set.digest = digestOf([]string{"samples", "labels"}, [][]byte{ds, dl})
	}
	return set, nil
}

// readFloats reads count rows of floats into t, a block at a time.
func readFloats(n *npyFile, t *table, count int) error {
	var f64 []float64
	for t.n < count {
		start := t.n
		rows := min(count-start, t.blockRows) // start is at a block's first row
		t.next()
		t.n = start + rows
		block := t.blocks[len(t.blocks)-1][:rows*t.d]
		var err error
		if n.size == 4 {
			err = n.r.Read(&block)
		} else {
			if cap(f64) < len(block) {
				f64 = make([]float64, len(block))
			}
			f64 = f64[:len(block)]
			err = n.r.Read(&f64)
			for i, v := range f64 {
				block[i] = float32(v)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", n.path, err)
		}
		for i, v := range block {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%s: sample %d, value %d is %v: want finite numbers", n.path, start+i/t.d, i%t.d, v)
			}
		}
	}
	t.trim()
	return nil
}

// openNpyLabels opens a .npy file of labels and checks from its header that
// it holds count of them, one per sample, before any body is read.
func openNpyLabels(path string, count int) (*npyFile, error) {
	n, err := openNpy(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	if len(n.shape) > 2 || (len(n.shape) == 2 && n.shape[1] != 1) {
		n.src.Close()
		return nil, fmt.Errorf("labels %s: shape %v: want one label per sample, N or N×1", path, n.shape)
	}
	if n.values != count {
		n.src.Close()
		return nil, fmt.Errorf("labels %s: %d labels for %d samples", path, n.values, count)
	}
	return n, nil
}

// readNpyLabels reads the labels of n, opened by openNpyLabels: the class
// names, the labels as indices into them, and the file's digest.
func readNpyLabels(n *npyFile) (classes []string, labels []int, digest []byte, err error) {
	path := n.path
	var values []float64
	switch n.dtype {
	case "<f8", ">f8":
		err = n.r.Read(&values)
	default:
		values, err = readNpyInts(n)
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("labels %s: %w", path, err)
	}
	lb := &labeller{seen: map[string]int{}}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, nil, fmt.Errorf("labels %s: label %d is %v", path, i, v)
		}
		lb.add(strconv.FormatFloat(v, 'g', -1, 64))
	}
	if digest, err = n.src.sum(); err != nil {
		return nil, nil, nil, err
	}
	classes, labels = lb.classes()
	return classes, labels, digest, nil
}

// readNpyInts reads integer or float32 labels as float64.
func readNpyInts(n *npyFile) ([]float64, error) {
	switch n.dtype {
	case "|u1", "<u1":
		return readAs[uint8](n)
	case "|i1", "<i1":
		return readAs[int8](n)
	case "<i2", ">i2":
		return readAs[int16](n)
	case "<u2":
		return readAs[uint16](n)
	case "<i4", ">i4":
		return readAs[int32](n)
	case "<u4":
		return readAs[uint32](n)
	case "<i8", ">i8":
		return readAs[int64](n)
	case "<u8":
		return readAs[uint64](n)
	case "<f4", ">f4":
		return readAs[float32](n)
	}
	return nil, fmt.Errorf("dtype %q: want integer or float labels", n.dtype)
}

// readAs reads the file's values as T (its dtype) and returns them as
// float64.
func readAs[T int8 | uint8 | int16 | uint16 | int32 | uint32 | int64 | uint64 | float32](n *npyFile) ([]float64, error) {
	v := make([]T, n.values)
	if err := n.r.Read(&v); err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out, nil
}
