package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/run"
)

// hangWriteEnv names the test hook that lets a test kill the program in the
// middle of a checkpoint write, deterministically.
//
// AEGRAPH_TEST_HANG_CHECKPOINT_WRITE=N makes the N-th write of checkpoint.aeg
// of this process (1 = the first) stop after its temporary file is written,
// synced and closed and before that file is renamed over checkpoint.aeg; the
// program prints a line starting with hangWriteMarker to stderr and then waits
// forever, for the test to kill it. It is read only by main, never by run, so
// in-process tests and normal use are unaffected. Not for users.
const (
	hangWriteEnv    = "AEGRAPH_TEST_HANG_CHECKPOINT_WRITE"
	hangWriteMarker = "train: test hook: hanging before rename"
)

// installTestHooks sets up the hook above if its variable is set.
func installTestHooks(stderr io.Writer) error {
	v := os.Getenv(hangWriteEnv)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return fmt.Errorf("%s=%q: want a write number ≥ 1", hangWriteEnv, v)
	}
	writes := 0
	atomicfile.BeforeRename = func(tmp, path string) {
		if filepath.Base(path) != run.CheckpointFile {
			return
		}
		writes++
		if writes == n {
			fmt.Fprintf(stderr, "%s of %s over %s (write %d)\n", hangWriteMarker, tmp, path, writes)
			for {
				time.Sleep(time.Hour)
			}
		}
	}
	return nil
}
