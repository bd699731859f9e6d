package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A write replaces the file whole; a failed write leaves the old content
// and no temporary file.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := Write(path, []byte("old"), []byte(" content")); err != nil {
		t.Fatal(err)
	}
	failure := errors.New("disk full")
	err := WriteFunc(path, func(f *os.File) error {
		f.Write([]byte("half"))
		return failure
	})
	if !errors.Is(err, failure) {
		t.Errorf("error %v, want the write's", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old content" {
		t.Errorf("after a failed write: %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".f.txt.tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", info.Mode(), err)
	}
	if err := Write(filepath.Join(dir, "missing", "f")); err == nil {
		t.Error("a write into a missing folder succeeded")
	}
}
