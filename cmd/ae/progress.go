package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/run"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// pieceSize is how many samples a command maps at a time: the unit of its
// progress bar, and a bound on the float32 copies it holds besides its
// output. A multiple of run.EvalBatch, so that scoring in pieces batches
// the samples as scoring them all at once does.
const pieceSize = 32 * run.EvalBatch

// inPieces calls fn on the samples [lo, hi) of an n-sample job, pieceSize at
// a time, in order. On a terminal, a job of more than one piece shows a
// progress bar with its rate and time left, described by what.
func (e *env) inPieces(what string, n int, fn func(lo, hi int) error) error {
	var bar *progressbar.ProgressBar
	if n > pieceSize && isTerminal(e.stderr) {
		bar = progressbar.NewOptions(n,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
		)
		defer func() {
			bar.Finish()
			bar.Exit()
		}()
	}
	for lo := 0; lo < n; lo += pieceSize {
		hi := min(n, lo+pieceSize)
		if err := fn(lo, hi); err != nil {
			return err
		}
		if bar != nil {
			bar.Set(hi)
		}
	}
	return nil
}

// span returns the samples [lo, hi) of s, sharing its memory.
func span(s *datasets.Set, lo, hi int) *datasets.Set {
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return s.Subset(idx)
}

// mapSet maps every sample of s through f (a model's per-sample map, such
// as Encode, with size outputs per sample) in pieces, with progress.
func (e *env) mapSet(what string, s *datasets.Set, size int, f func(x []float32) ([]float32, error)) ([]float32, error) {
	out := make([]float32, s.Len()*size)
	err := e.inPieces(fmt.Sprintf("%s %d samples", what, s.Len()), s.Len(), func(lo, hi int) error {
		y, err := f(span(s, lo, hi).All())
		copy(out[lo*size:hi*size], y)
		return err
	})
	return out, err
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
