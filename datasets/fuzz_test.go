package datasets

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
