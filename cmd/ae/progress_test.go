package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// TestInPieces checks that a job's pieces cover its samples once, in order,
// that an error stops it, and that no bar is drawn off a terminal.
func TestInPieces(t *testing.T) {
	for _, n := range []int{0, 1, pieceSize - 1, pieceSize, pieceSize + 1, 3*pieceSize + 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var stderr bytes.Buffer
			e := &env{stdout: &bytes.Buffer{}, stderr: &stderr}
			next, calls := 0, 0
			err := e.inPieces("job", n, func(lo, hi int) error {
				if lo != next || hi <= lo || hi-lo > pieceSize {
					t.Errorf("piece [%d, %d) after %d", lo, hi, next)
				}
				next, calls = hi, calls+1
				return nil
			})
			if err != nil || next != n {
				t.Errorf("covered [0, %d) of %d, error %v", next, n, err)
			}
			if want := (n + pieceSize - 1) / pieceSize; calls != want {
				t.Errorf("%d pieces, want %d", calls, want)
			}
			if stderr.Len() != 0 {
				t.Errorf("off a terminal, wrote %q", stderr.String())
			}
		})
	}
	stop := errors.New("stop")
	calls := 0
	err := (&env{stderr: &bytes.Buffer{}}).inPieces("job", 5*pieceSize, func(lo, hi int) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 2 {
		t.Errorf("error %v after %d pieces, want %v after 2", err, calls, stop)
	}
}
