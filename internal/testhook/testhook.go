// Package testhook lets the commands' tests stop a program at a chosen
// point, deterministically: a data file that never finishes reading, as on
// a stalled file system, or a file write that stops just before its rename,
// for a kill in the middle of a checkpoint write. The hooks are nil in
// normal use; only the commands' main functions set them (Install), from
// environment variables that only tests set.
package testhook

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// BeforeDataRead, when set, is called with a data file's path just before
// the file is opened for reading (package datasets).
var BeforeDataRead func(path string)

// BeforeRename, when set, is called once an atomic write's temporary file
// tmp is written, synced and closed, just before it is renamed over path
// (package atomicfile).
var BeforeRename func(tmp, path string)

// AfterEpoch, when set, is called with the epoch's number (1 = the first)
// and the learned parameters' values at the end of each training epoch
// (package train).
var AfterEpoch func(epoch int, params [][]float32)

// The variables that set the hooks, and the lines a stopped program prints
// to stderr.
const (
	// StallDataEnv=1: the first data file to be read prints StallMarker
	// and its path, and the reading never ends.
	StallDataEnv = "AEGRAPH_TEST_STALL_DATA"
	StallMarker  = "test hook: reading stalls at"

	// HangWriteEnv=NAME:N: the N-th atomic write (1 = the first) of a file
	// named NAME prints HangWriteMarker and stops before its rename.
	HangWriteEnv    = "AEGRAPH_TEST_HANG_WRITE"
	HangWriteMarker = "test hook: hanging before rename"

	// PoisonEnv=N: at the end of epoch N the first weight becomes +Inf,
	// prints PoisonMarker: weights that diverged while every step's loss
	// stayed finite, whatever the CPU's rounding.
	PoisonEnv    = "AEGRAPH_TEST_POISON_WEIGHTS"
	PoisonMarker = "test hook: a weight set to +Inf after epoch"
)

// Install sets the hooks that the environment asks for, printing to w.
func Install(w io.Writer) error {
	switch v := os.Getenv(StallDataEnv); v {
	case "":
	case "1":
		BeforeDataRead = func(path string) {
			fmt.Fprintf(w, "%s %s\n", StallMarker, path)
			hang()
		}
	default:
		return fmt.Errorf("%s=%q: want 1", StallDataEnv, v)
	}
	if v := os.Getenv(PoisonEnv); v != "" {
		e, err := strconv.Atoi(v)
		if err != nil || e < 1 {
			return fmt.Errorf("%s=%q: want an epoch ≥ 1", PoisonEnv, v)
		}
		AfterEpoch = func(epoch int, params [][]float32) {
			if epoch == e && len(params) > 0 && len(params[0]) > 0 {
				params[0][0] = float32(math.Inf(1))
				fmt.Fprintln(w, PoisonMarker, epoch)
			}
		}
	}
	v := os.Getenv(HangWriteEnv)
	if v == "" {
		return nil
	}
	name, count, _ := strings.Cut(v, ":")
	n, err := strconv.Atoi(count)
	if name == "" || err != nil || n < 1 {
		return fmt.Errorf("%s=%q: want a file name and a write number ≥ 1, NAME:N", HangWriteEnv, v)
	}
	writes := 0
	BeforeRename = func(tmp, path string) {
		if filepath.Base(path) != name {
			return
		}
		if writes++; writes == n {
			fmt.Fprintf(w, "%s of %s over %s (write %d)\n", HangWriteMarker, tmp, path, writes)
			hang()
		}
	}
	return nil
}

// hang waits for ever, for the test to signal or kill the program.
func hang() {
	for {
		time.Sleep(time.Hour)
	}
}
