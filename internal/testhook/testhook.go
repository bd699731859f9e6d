// Package testhook lets the commands' tests stop a program at a chosen
// point, deterministically: a data file that never finishes reading, as on
// a stalled file system. The hooks are nil in normal use; only the commands'
// main functions set them, from environment variables that only tests set.
package testhook

import (
	"fmt"
	"io"
	"os"
	"time"
)

// BeforeDataRead, when set, is called with a data file's path just before
// the file is opened for reading.
var BeforeDataRead func(path string)

// StallDataEnv names the variable that makes reading data stall, and
// StallMarker starts the line a stalled program prints to stderr.
const (
	StallDataEnv = "AEGRAPH_TEST_STALL_DATA"
	StallMarker  = "test hook: reading stalls at"
)

// Install sets the hooks that the environment asks for: with
// AEGRAPH_TEST_STALL_DATA=1, the first data file to be read prints
// StallMarker and its path to w, and the reading never ends.
func Install(w io.Writer) error {
	switch v := os.Getenv(StallDataEnv); v {
	case "":
		return nil
	case "1":
		BeforeDataRead = func(path string) {
			fmt.Fprintf(w, "%s %s\n", StallMarker, path)
			for {
				time.Sleep(time.Hour)
			}
		}
		return nil
	default:
		return fmt.Errorf("%s=%q: want 1", StallDataEnv, v)
	}
}
