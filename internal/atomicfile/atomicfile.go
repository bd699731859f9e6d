// Package atomicfile writes files so that a crash at any moment leaves either
// the old content or the whole new one, never a mix: to a temporary file in
// the same folder, synced, then renamed over the target.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// BeforeRename, when set, is called once the temporary file tmp is written,
// synced and closed, just before it is renamed over path. It is a test hook:
// cmd/train sets it (only when the environment variable
// AEGRAPH_TEST_HANG_CHECKPOINT_WRITE is set) so that a test can kill the
// process in the middle of a checkpoint write. Leave it nil otherwise.
var BeforeRename func(tmp, path string)

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
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
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
	if BeforeRename != nil {
		BeforeRename(f.Name(), path)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
