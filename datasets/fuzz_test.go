package datasets

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// FuzzLoad feeds arbitrary bytes to the IDX reader as an images file and a
// labels file (plain or gzipped: the reader sniffs the content), used for both
// the training and the test split so that any image size can load. Load must
// never panic or allocate for a size the files do not hold; when it succeeds
// the sizes must agree with each other, and when it fails the error must be
// one line naming the folder.
//
// The f.Add seeds run in every `go test`; fuzz with
//
//	go test -run '^$' -fuzz FuzzLoad -fuzztime 2m ./datasets
func FuzzLoad(f *testing.F) {
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	syn := newSynthetic(3)
	files := syn.files()
	images, labels := files["train-images-idx3-ubyte"], files["train-labels-idx1-ubyte"]
	small := idxBytes(imageMagic, []uint32{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	smallLabels := idxBytes(labelMagic, []uint32{2}, []byte{0, 9})
	for _, seed := range [][2][]byte{
		{images, labels},
		{gz(images), gz(labels)},
		{small, smallLabels},
		{gz(small), smallLabels},
		{nil, nil},
		{images[:len(images)-1], labels},
		{append(images, 0), labels},
		{gz(images)[:20], labels},
		{idxBytes(imageMagic, []uint32{1 << 31, 28, 28}, nil), idxBytes(labelMagic, []uint32{1 << 31}, nil)},
		{gz(idxBytes(imageMagic, []uint32{1<<32 - 1, 1, 1}, []byte{1})), gz(idxBytes(labelMagic, []uint32{1<<32 - 1}, []byte{1}))},
		{idxBytes(imageMagic, []uint32{1, 1 << 12, 1 << 12}, nil), idxBytes(labelMagic, []uint32{1}, []byte{1})},
		{labels, images},
		{small, idxBytes(labelMagic, []uint32{2}, []byte{0, 10})},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, images, labels []byte) {
		dir := t.TempDir()
		for name, b := range map[string][]byte{
			"train-images-idx3-ubyte": images, "t10k-images-idx3-ubyte": images,
			"train-labels-idx1-ubyte": labels, "t10k-labels-idx1-ubyte": labels,
		} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m, err := Load(dir)
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || !strings.Contains(msg, dir) {
				t.Fatalf("error %q is not one line naming %s", msg, dir)
			}
			return
		}
		for _, s := range []*Set{m.Train, m.Test} {
			n := s.Len()
			switch {
			case n < 1 || s.shape[1] < 1 || s.shape[2] < 1:
				t.Fatalf("loaded %d images of %d×%d", n, s.shape[1], s.shape[2])
			case len(s.pixels) != n*s.shape[1]*s.shape[2]:
				t.Fatalf("%d pixels for %d images of %d×%d", len(s.pixels), n, s.shape[1], s.shape[2])
			case len(s.pixels) > len(images)*maxDeflateRatio:
				t.Fatalf("%d pixels from a %d-byte file", len(s.pixels), len(images))
			}
			for i, l := range s.Labels {
				if l > 9 {
					t.Fatalf("label %d at %d", l, i)
				}
			}
		}
		if m.Train.Dim() != m.Test.Dim() {
			t.Fatalf("train and test sizes differ: %d×%d, %d×%d", m.Train.shape[1], m.Train.shape[2], m.Test.shape[1], m.Test.shape[2])
		}
	})
}

// FuzzReadTable feeds arbitrary bytes to the table reader, as a plain and
// as a gzipped CSV file, with a label column named or not. Nothing may
// panic; an error is one line naming the file; a table that reads has rows
// of finite values and labels that fit its classes.
//
//	go test -run '^$' -fuzz FuzzReadTable -fuzztime 1m ./datasets
func FuzzReadTable(f *testing.F) {
	for _, seed := range []string{
		"a,b,label\n1,2,x\n3,4,y\n", "1,2\n3,4\n", "\"q\",1\n\"r\",2\n", "a\tb\n1\t2\n",
		"a,b\n1\n", "a,b\n1,NaN\n", "label\n1\n", "", "\n\n", "a,\"b\nc\",d\n", "1e39,2\n",
	} {
		f.Add([]byte(seed), "", false)
		f.Add([]byte(seed), "label", true)
	}
	f.Fuzz(func(t *testing.T, data []byte, label string, zipped bool) {
		name := "t.csv"
		if zipped {
			data, name = gz(data), "t.csv.gz"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := ReadTable(path, label)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming the file", msg)
			}
			return
		}
		if s.Len() < 1 || s.Dim() < 1 || len(s.Columns) != s.Dim() {
			t.Fatalf("%d rows of %d values, %d columns", s.Len(), s.Dim(), len(s.Columns))
		}
		for _, r := range rows(s) {
			for _, v := range r {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("a value %v", v)
				}
			}
		}
		if s.Labels != nil && (len(s.Labels) != s.Len() || s.checkLabels() != nil) {
			t.Fatalf("%d labels for %d rows: %v", len(s.Labels), s.Len(), s.checkLabels())
		}
	})
}

// FuzzReadNpy feeds arbitrary bytes to the .npy reader, whole or behind a
// valid header. Nothing may panic or allocate more than the file holds; an
// error is one line naming the file; an array that reads has as many values
// as its shape says.
//
//	go test -run '^$' -fuzz FuzzReadNpy -fuzztime 1m ./datasets
func FuzzReadNpy(f *testing.F) {
	var buf bytes.Buffer
	npyio.Write(&buf, [][]float32{{1, 2}, {3, 4}})
	f.Add(buf.Bytes())
	buf.Reset()
	npyio.Write(&buf, [][][]uint8{{{1, 2}, {3, 4}}})
	f.Add(buf.Bytes())
	f.Add([]byte("\x93NUMPY\x01\x00\x46\x00{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }            \n\x00\x00\x00\x00\x00\x00\xf0\x3f"))
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'descr':'|O'} \n"))
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff"))
	f.Add([]byte("not numpy"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "a.npy")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := ReadNpy(path, "")
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line naming the file", msg)
			}
			return
		}
		if s.Len() < 1 || s.Dim() < 1 || s.Len()*s.Dim() > len(data) {
			t.Fatalf("%d samples of %d values from %d bytes", s.Len(), s.Dim(), len(data))
		}
		rows(s)
	})
}
