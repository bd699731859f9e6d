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

// A folder is written whole: its files appear together, replacing an old
// folder; a failure leaves the old folder and no temporary one; a path that
// is a file is refused and kept.
func TestWriteDir(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pngs")
	fill := func(names ...string) func(string) error {
		return func(tmp string) error {
			for _, n := range names {
				if err := os.WriteFile(filepath.Join(tmp, n), []byte(n), 0o644); err != nil {
					return err
				}
			}
			return nil
		}
	}
	if err := WriteDir(path, fill("a", "b")); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(path+"/", fill("c")); err != nil { // the old folder replaced
		t.Fatal(err)
	}
	entries := func(p string) (names []string) {
		es, _ := os.ReadDir(p)
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	if got := entries(path); len(got) != 1 || got[0] != "c" {
		t.Errorf("after replacing: %v", got)
	}
	failure := errors.New("disk full")
	err := WriteDir(path, func(tmp string) error {
		fill("d")(tmp)
		return failure
	})
	if !errors.Is(err, failure) {
		t.Errorf("error %v, want the fill's", err)
	}
	if got := entries(path); len(got) != 1 || got[0] != "c" {
		t.Errorf("after a failed write: %v", got)
	}
	if got := entries(dir); len(got) != 1 {
		t.Errorf("the folder holds %v, want pngs only", got)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("keep"), 0o644)
	if err := WriteDir(file, fill("x")); err == nil {
		t.Error("a folder written over a file")
	}
	if b, _ := os.ReadFile(file); string(b) != "keep" {
		t.Errorf("the file became %q", b)
	}
}

// Abort, as on a signal, removes the temporaries of the writes under way;
// they and every later write fail with ErrAborted and leave their targets
// as they were.
func TestAbort(t *testing.T) {
	defer func() { mu.Lock(); aborted = false; mu.Unlock() }()
	dir := t.TempDir()
	file, folder := filepath.Join(dir, "f.csv"), filepath.Join(dir, "pngs")
	os.WriteFile(file, []byte("old"), 0o644)
	started, release := make(chan bool), make(chan bool)
	errs := make(chan error, 2)
	go func() {
		errs <- WriteFunc(file, func(f *os.File) error {
			f.Write([]byte("new, half"))
			started <- true
			<-release
			return nil
		})
	}()
	go func() {
		errs <- WriteDir(folder, func(tmp string) error {
			os.WriteFile(filepath.Join(tmp, "1.png"), []byte("x"), 0o644)
			started <- true
			<-release
			return nil
		})
	}()
	<-started
	<-started
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*")); len(tmps) != 2 {
		t.Fatalf("temporaries under way: %v, want 2", tmps)
	}
	Abort()
	if tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*")); len(tmps) != 0 {
		t.Errorf("temporaries left by Abort: %v", tmps)
	}
	close(release)
	for range 2 {
		if err := <-errs; !errors.Is(err, ErrAborted) {
			t.Errorf("a write under way: %v, want ErrAborted", err)
		}
	}
	if err := Write(filepath.Join(dir, "later"), []byte("x")); !errors.Is(err, ErrAborted) {
		t.Errorf("a write after Abort: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "old" {
		t.Errorf("the target became %q", b)
	}
	if got, _ := filepath.Glob(filepath.Join(dir, "*")); len(got) != 1 {
		t.Errorf("the folder holds %v, want f.csv only", got)
	}
}
