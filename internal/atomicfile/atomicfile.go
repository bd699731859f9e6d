// Package atomicfile writes files so that a crash at any moment leaves either
// the old content or the whole new one, never a mix: to a temporary file in
// the same folder, synced, then renamed over the target. A program stopped
// by a signal calls Abort, which removes the temporary files of the writes
// under way, so that nothing half-written is left behind either.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/aegraph/aegraph/internal/testhook"
)

// ErrAborted is the error of a write that Abort stopped.
var ErrAborted = errors.New("aborted: the program is stopping")

// The temporary files and folders of the writes under way, for Abort.
var (
	mu      sync.Mutex
	live    = map[string]bool{}
	aborted bool
)

// begin records a write's temporary path; false once Abort has run.
func begin(tmp string) bool {
	mu.Lock()
	defer mu.Unlock()
	if aborted {
		return false
	}
	live[tmp] = true
	return true
}

// finish renames tmp to path unless Abort has run, and forgets tmp.
func finish(tmp, path string) error {
	mu.Lock()
	defer mu.Unlock()
	delete(live, tmp)
	if aborted {
		os.RemoveAll(tmp)
		return ErrAborted
	}
	return os.Rename(tmp, path)
}

// forget drops tmp from the writes under way, removing it.
func forget(tmp string) {
	mu.Lock()
	defer mu.Unlock()
	delete(live, tmp)
	os.RemoveAll(tmp)
}

// Abort removes the temporary files and folders of every write under way and
// makes every later write fail with ErrAborted, leaving each target as it
// was: for a program about to exit on a signal. A write that has renamed its
// file already is complete and stays.
func Abort() {
	mu.Lock()
	defer mu.Unlock()
	aborted = true
	for tmp := range live {
		os.RemoveAll(tmp)
	}
	clear(live)
}

// Write writes the concatenated parts to path atomically.
func Write(path string, parts ...[]byte) error {
	return WriteFunc(path, func(f *os.File) error {
		for _, p := range parts {
			if _, err := f.Write(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// WriteFunc lets write fill a temporary file beside path (named
// ".<name>.tmp<digits>", mode 0644), syncs it and renames it over path. On
// any error the temporary file is removed and path is left as it was.
func WriteFunc(path string, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !begin(f.Name()) {
		f.Close()
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, ErrAborted)
	}
	defer func() {
		if err != nil {
			f.Close()
			forget(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if testhook.BeforeRename != nil {
		testhook.BeforeRename(f.Name(), path)
	}
	if err = finish(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// WriteDir makes the folder path whole or not at all: fill writes the files
// into a new temporary folder beside it, which then replaces path (an
// existing folder at path is removed first; its replacement is not atomic,
// but a failure or signal before it leaves path as it was).
func WriteDir(path string, fill func(dir string) error) (err error) {
	path = filepath.Clean(path)
	tmp, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !begin(tmp) {
		os.RemoveAll(tmp)
		return fmt.Errorf("writing %s: %w", path, ErrAborted)
	}
	defer func() {
		if err != nil {
			forget(tmp)
		}
	}()
	if err = os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = fill(tmp); err != nil {
		return err
	}
	if info, statErr := os.Lstat(path); statErr == nil {
		if !info.IsDir() {
			return fmt.Errorf("writing %s: it exists and is not a folder", path)
		}
		if err = os.RemoveAll(path); err != nil {
			return fmt.Errorf("writing %s: removing the old folder: %w", path, err)
		}
	}
	if err = finish(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
