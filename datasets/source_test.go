package datasets

import (
	"bytes"
	"crypto/sha256"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copyDir copies the files of src (and its subfolders) to a new folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		writeFile(t, dst, rel, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// edit rewrites the file dir/name through f.
func edit(t *testing.T, dir, name string, f func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, name, f(b))
}

var fingerprintForm = regexp.MustCompile(`^\d+\+\d+ samples of \[[0-9 ]+\], sha256 [0-9a-f]{24}$`)

// A data set's fingerprint is the hash of its files' bytes, taken as they
// are read, with its sizes in words: the same files give the same
// fingerprint wherever they are; any changed byte, even one that no decoder
// reads (after a PNG's end), gives another, and CheckFingerprint says
// whether the sizes or the content differ.
func TestFingerprint(t *testing.T) {
	table := "a,b,label\n" + strings.Repeat("1,2,x\n3,4.5,y\n", 20)
	quoted := "\"a\",\"b\",label\n" + strings.Repeat("\"1\",2,x\n3,\"4.5\",y\n", 20)
	for _, tc := range []struct {
		name   string
		write  func(dir string) string // the data files; returns -data
		change func(dir string)        // changes the content, not the sizes
		file   string                  // a one-file set's file, whose digest is its SHA-256
	}{
		{"IDX", func(dir string) string {
			for name, b := range newSynthetic(12).files() {
				writeFile(t, dir, name, b)
			}
			return dir
		}, func(dir string) {
			edit(t, dir, "t10k-labels-idx1-ubyte", func(b []byte) []byte { b[len(b)-1] = (b[len(b)-1] + 1) % 10; return b })
		}, ""},
		{"IDX gzipped", func(dir string) string {
			for name, b := range newSynthetic(12).files() {
				writeFile(t, dir, name+".gz", gz(b))
			}
			return dir
		}, func(dir string) {
			edit(t, dir, "train-images-idx3-ubyte.gz", func([]byte) []byte {
				raw := newSynthetic(12).files()["train-images-idx3-ubyte"]
				raw[100]++
				return gz(raw)
			})
		}, ""},
		{"CSV", func(dir string) string { return writeFile(t, dir, "t.csv", []byte(table)) },
			func(dir string) {
				edit(t, dir, "t.csv", func(b []byte) []byte { return bytes.Replace(b, []byte("4.5"), []byte("4.6"), 1) })
			},
			"t.csv"},
		{"quoted CSV (read twice)", func(dir string) string { return writeFile(t, dir, "q.csv", []byte(quoted)) },
			func(dir string) {
				edit(t, dir, "q.csv", func(b []byte) []byte { return bytes.Replace(b, []byte("x"), []byte("z"), 1) })
			},
			"q.csv"},
		{"gzipped TSV", func(dir string) string {
			return writeFile(t, dir, "t.tsv.gz", gz([]byte(strings.ReplaceAll(table, ",", "\t"))))
		}, func(dir string) {
			edit(t, dir, "t.tsv.gz", func([]byte) []byte { return gz([]byte(strings.ReplaceAll(table, ",", "\t") + "\n")) })
		}, "t.tsv.gz"},
		{".npy", func(dir string) string {
			return writeNpy(t, dir, "x.npy", [][]float32{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}, {13, 14}, {15, 16}, {17, 18}, {19, 20}})
		},
			func(dir string) {
				edit(t, dir, "x.npy", func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
			}, "x.npy"},
		{"PNG class folders", func(dir string) string {
			for i := range 12 {
				writeImage(t, dir, filepath.Join([]string{"cat", "dog"}[i%2], string(rune('a'+i))+".png"), greyImage(5, 4, uint8(i)))
			}
			return dir
		}, func(dir string) {
			// bytes after the image's end: every pixel as it was
			edit(t, dir, "cat/a.png", func(b []byte) []byte { return append(b, "trailing"...) })
			if _, err := png.Decode(bytes.NewReader(mustRead(t, filepath.Join(dir, "cat/a.png")))); err != nil {
				t.Fatal(err)
			}
		}, ""},
	} {
		dir := t.TempDir()
		path := tc.write(dir)
		spec := Spec{Path: path}
		d1, err := Open(spec, 1, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !fingerprintForm.MatchString(d1.Fingerprint) {
			t.Errorf("%s: fingerprint %q", tc.name, d1.Fingerprint)
		}
		if tc.file != "" {
			want := sha256.Sum256(mustRead(t, filepath.Join(dir, tc.file)))
			if got, _, err := Read(spec, Scale{Kind: None}, "train"); err != nil || !bytes.Equal(got.digest, want[:]) {
				t.Errorf("%s: digest %x (%v), want the file's SHA-256 %x", tc.name, got.digest, err, want)
			}
		}
		// the same files elsewhere
		moved := copyDir(t, dir)
		d2, err := Open(Spec{Path: filepath.Join(moved, strings.TrimPrefix(path, dir))}, 1, nil)
		if err != nil || d2.Fingerprint != d1.Fingerprint || d2.CheckFingerprint(d1.Fingerprint) != nil {
			t.Errorf("%s: the same files elsewhere: fingerprint %q (%v), want %q", tc.name, d2.Fingerprint, err, d1.Fingerprint)
		}
		tc.change(dir)
		d3, err := Open(spec, 1, nil)
		if err != nil {
			t.Fatalf("%s: changed: %v", tc.name, err)
		}
		if err := d3.CheckFingerprint(d1.Fingerprint); err == nil || !strings.Contains(err.Error(), "the same number of samples") {
			t.Errorf("%s: changed content: fingerprint %q, was %q: %v", tc.name, d3.Fingerprint, d1.Fingerprint, err)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Fewer samples, another shape, a file moved to another class: each is told.
func TestCheckFingerprint(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "t.csv", []byte("a,b\n"+strings.Repeat("1,2\n", 30)))
	d, err := Open(Spec{Path: path}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	fewer := writeFile(t, dir, "u.csv", []byte("a,b\n"+strings.Repeat("1,2\n", 29)))
	wider := writeFile(t, dir, "w.csv", []byte("a,b,c\n"+strings.Repeat("1,2,3\n", 30)))
	for _, tc := range []struct{ path, want string }{
		{fewer, "it held 30+0 samples of [2], it now holds 29+0 samples of [2]"},
		{wider, "it held 30+0 samples of [2], it now holds 30+0 samples of [3]"},
	} {
		other, err := Open(Spec{Path: tc.path}, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := other.CheckFingerprint(d.Fingerprint); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.path, err, tc.want)
		}
	}
	// a table's fingerprint of the earlier format cannot be checked
	if err := d.CheckFingerprint("0123456789abcdef01234567"); err == nil || !strings.Contains(err.Error(), "earlier format") {
		t.Errorf("an old table fingerprint: %v", err)
	}

	// images: moving a picture to another class changes the data
	imgs := t.TempDir()
	for i := range 6 {
		writeImage(t, imgs, filepath.Join([]string{"cat", "dog"}[i%2], string(rune('a'+i))+".png"), greyImage(3, 3, uint8(i)))
	}
	before, err := Open(Spec{Path: imgs}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	// an old image fingerprint is checked on the decoded images
	if err := before.CheckFingerprint(before.decodedFingerprint()); err != nil {
		t.Errorf("an old image fingerprint: %v", err)
	}
	if err := before.CheckFingerprint("0123456789abcdef01234567"); err == nil || !strings.Contains(err.Error(), "the samples differ") {
		t.Errorf("a wrong old image fingerprint: %v", err)
	}
	if err := os.Rename(filepath.Join(imgs, "cat", "a.png"), filepath.Join(imgs, "dog", "a.png")); err != nil {
		t.Fatal(err)
	}
	after, err := Open(Spec{Path: imgs}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := after.CheckFingerprint(before.Fingerprint); err == nil {
		t.Error("an image moved to another class: the same fingerprint")
	}
}
