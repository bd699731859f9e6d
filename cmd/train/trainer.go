package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph/ops"
	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

// trainer is a run being trained by this program: the run, its data, and
// where to report.
type trainer struct {
	*run.Run
	planned        int    // epochs the run had been planned for, when -resume changes them
	anomalies      string // for a run trained on some classes: how well its errors tell the others
	data           *datasets.Data
	stdout, stderr io.Writer
}

// newTrainer loads the data and builds the run (a new one, or the one to
// resume), checking everything before any file is written.
func newTrainer(o *options, stdout, stderr io.Writer) (*trainer, error) {
	t := &trainer{stdout: stdout, stderr: stderr}
	if o.resume != "" {
		return t, t.resume(o)
	}
	data, err := o.Config.LoadData()
	if err != nil {
		return nil, usageError{err}
	}
	tightenGC()
	out := o.out
	if out == "" {
		out = defaultOut(o.Net)
	}
	if t.Run, err = run.New(out, o.Config, data); err != nil {
		if !run.IsConfigError(err) {
			err = usageError{fmt.Errorf("-out %w", err)}
		}
		return nil, err
	}
	t.data = data
	return t, nil
}

// resume opens the run folder and restores its trainer; of the flags, only
// -epochs may be given too.
func (t *trainer) resume(o *options) error {
	r, err := run.Open(o.resume)
	if err != nil {
		return usageError{fmt.Errorf("-resume %w", err)}
	}
	for name := range o.set {
		if name != "epochs" && name != "resume" && name != "cpuprofile" && name != "memprofile" {
			return usageError{fmt.Errorf("-%s cannot be changed when resuming (the run's configuration is in %s); only -epochs can",
				name, filepath.Join(o.resume, run.CheckpointFile))}
		}
	}
	epochs := 0
	if o.set["epochs"] {
		if o.Train.Epochs < 1 {
			return usageError{fmt.Errorf("-epochs %d: want ≥ 1", o.Train.Epochs)}
		}
		if done := len(r.History); o.Train.Epochs < done {
			return usageError{fmt.Errorf("-epochs %d: the run in %s has trained %d epochs already (give more to train more)", o.Train.Epochs, o.resume, done)}
		}
		t.planned, epochs = r.Config.Train.Epochs, o.Train.Epochs
	}
	// A folder that cannot be written is refused now, not after loading.
	if err := run.CheckWritable(o.resume); err != nil {
		return usageError{fmt.Errorf("-resume %w", err)}
	}
	data, err := r.Config.LoadData()
	if err != nil {
		return usageError{err}
	}
	tightenGC()
	if err := r.Resume(data, epochs); err != nil {
		return usageError{fmt.Errorf("-resume %w", err)}
	}
	t.Run, t.data = r, data
	tr := r.Trainer
	if t.planned != 0 && t.planned != epochs && !tr.Schedule.Constant() {
		// The schedule follows the new total: say what that does to the rate.
		steps := tr.StepsPerEpoch(data.Train.Len())
		done := tr.Epoch*steps + tr.Step
		at := func(epochs int) float64 { return tr.Schedule.Rate(r.Config.Train.LR, done, epochs*steps) }
		fmt.Fprintf(t.stdout, "the %s schedule is re-planned from %d to %d epochs: the rate goes from %.3g to %.3g here\n",
			r.Config.Train.Schedule, t.planned, epochs, at(t.planned), at(epochs))
	}
	return nil
}

// train runs the remaining epochs, writing the run folder after each.
func (t *trainer) train(ctx context.Context) error {
	if err := os.MkdirAll(t.Dir, 0o755); err != nil {
		return fmt.Errorf("creating run folder: %w", err)
	}
	unlock, err := run.Lock(t.Dir)
	if err != nil {
		return usageError{err}
	}
	defer unlock()
	training.Store(true)
	t.RemoveStaleTemps(pictureFiles...) // ours to remove: we hold the folder
	tr, c := t.Trainer, t.Config
	steps := tr.StepsPerEpoch(t.data.Train.Len())
	if err := t.WriteConfig(); err != nil {
		return err
	}
	if tr.Epoch == 0 && tr.Step == 0 {
		// A checkpoint of the initial state, so that a run killed in its
		// first epoch can be resumed too.
		if err := t.SaveCheckpoint(); err != nil {
			return err
		}
	}
	// The position of the checkpoint on disk, for messages.
	saved := position(tr.Epoch, tr.Step)
	if tr.Epoch == 0 && tr.Step == 0 {
		d := t.data
		fmt.Fprintf(t.stdout, "data %s: %d training samples of %s, %d test samples (%s), scale %s",
			c.DataName(), d.Train.Len(), shapeText(d.Train.Shape()), d.Test.Len(), d.TestFrom, d.Scale.Kind)
		if d.Train.Labels != nil {
			fmt.Fprintf(t.stdout, ", %d classes", len(d.Train.Classes))
		}
		if d.Skipped > 0 {
			fmt.Fprintf(t.stdout, "; %d files without an image ending skipped", d.Skipped)
		}
		fmt.Fprintln(t.stdout)
		fmt.Fprintf(t.stdout, "training %s (%d parameters, code %v, loss %s) on %d samples, %d steps of %d per epoch; run folder %s\n",
			c.Net, t.Model.Params.Size(), t.Model.Code, c.Loss, t.data.Train.Len(), steps, c.Train.Batch, t.Dir)
		fmt.Fprintf(t.stdout, "kernels %s, %s BLAS\n", isa.Describe(), ops.BLAS())
	} else {
		fmt.Fprintf(t.stdout, "resuming %s at epoch %d, step %d of %d; run folder %s\n", c.Net, tr.Epoch+1, tr.Step, steps, t.Dir)
	}
	if tr.Epoch >= c.Train.Epochs {
		fmt.Fprintf(t.stdout, "already trained %d epochs (raise -epochs to train more)\n", tr.Epoch)
		if err := t.writeArtefacts(); err != nil {
			return err
		}
		if t.anomalies != "" {
			fmt.Fprintln(t.stdout, t.anomalies)
		}
		return nil
	}
	interactive := isTerminal(t.stderr)
	for tr.Epoch < c.Train.Epochs {
		epoch := tr.Epoch + 1
		progress, done := t.progress(interactive, epoch, steps)
		m, err := t.Epoch(ctx, t.data.Train, t.data.Test, progress)
		done()
		if errors.Is(err, context.Canceled) {
			if err := t.SaveCheckpoint(); err != nil {
				return fmt.Errorf("interrupted, and saving the checkpoint failed (the last good one, %s, is kept): %w", saved, err)
			}
			fmt.Fprintf(t.stderr, "\ninterrupted in epoch %d at step %d of %d; checkpoint saved in %s\ncontinue with: go run ./cmd/train -resume %s\n",
				epoch, tr.Step, steps, t.Dir, shellQuote(t.Dir))
			return err
		}
		if errors.Is(err, train.ErrDiverged) {
			return fmt.Errorf("%w (try a smaller -lr); the last good checkpoint (%s) is kept in %s", err, saved, t.Dir)
		}
		if err != nil {
			return fmt.Errorf("%w; the last good checkpoint (%s) is kept in %s", err, saved, t.Dir)
		}
		// Save, then say so: a closed stdout must not cost the epoch.
		if err := t.SaveCheckpoint(); err != nil {
			if errors.Is(err, train.ErrDiverged) {
				return fmt.Errorf("%w (try a smaller -lr); the last good checkpoint (%s) is kept in %s", err, saved, t.Dir)
			}
			return err
		}
		saved = position(tr.Epoch, tr.Step)
		if err := t.writeArtefacts(); err != nil {
			return err
		}
		fmt.Fprintf(t.stdout, "epoch %d/%d  train_loss %.5f  test_loss %.5f  test_mse %.5f  %.1fs\n",
			epoch, c.Train.Epochs, m.TrainLoss, m.TestLoss, m.TestMSE, m.Seconds)
	}
	if t.anomalies != "" {
		fmt.Fprintln(t.stdout, t.anomalies)
	}
	fmt.Fprintf(t.stdout, "done: %s\n", t.Dir)
	return nil
}

// position describes a checkpoint's position in a run.
func position(epoch, step int) string {
	switch {
	case step > 0:
		return fmt.Sprintf("epoch %d, step %d", epoch+1, step)
	case epoch == 0:
		return "the initial weights"
	}
	return fmt.Sprintf("end of epoch %d", epoch)
}

// progress returns the per-step callback: a progress bar with ETA and the
// running loss on a terminal, nothing otherwise (the per-epoch line suffices).
func (t *trainer) progress(interactive bool, epoch, steps int) (train.Progress, func()) {
	if !interactive {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(t.stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, t.Config.Train.Epochs)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	bar.Set(t.Trainer.Step)
	return func(step, _ int, loss float64) {
			bar.Describe(fmt.Sprintf("epoch %d/%d loss %.5f", epoch, t.Config.Train.Epochs, loss))
			bar.Set(step)
		}, func() {
			bar.Finish()
			bar.Exit()
		}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// writeArtefacts redraws metrics.csv and the pictures.
func (t *trainer) writeArtefacts() error {
	if err := t.WriteMetrics(); err != nil {
		return err
	}
	return t.writePictures()
}

// writePNG renders into memory, then writes path atomically.
func writePNG(path string, draw func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		return fmt.Errorf("drawing %s: %w", filepath.Base(path), err)
	}
	return atomicfile.Write(path, buf.Bytes())
}

// shapeText writes a sample shape as people do: "28×28 grey images",
// "32×32 RGB images", "rows of 30 values".
func shapeText(shape []int) string {
	switch {
	case len(shape) == 3 && shape[0] == 1:
		return fmt.Sprintf("%d×%d grey images", shape[2], shape[1])
	case len(shape) == 3 && shape[0] == 3:
		return fmt.Sprintf("%d×%d RGB images", shape[2], shape[1])
	case len(shape) == 1:
		return fmt.Sprintf("rows of %d values", shape[0])
	}
	return fmt.Sprintf("shape %v", shape)
}

// tightenGC keeps the collector's headroom near gcHeadroom once the data is
// in memory: the live heap is then mostly the data (a table of float32 can
// be hundreds of MB), and a fixed percentage of it would let the heap grow
// by as much again, while training itself makes little garbage.
func tightenGC() {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if live := m.HeapAlloc; live > 0 {
		debug.SetGCPercent(int(max(10, min(50, gcHeadroom*100/live))))
	}
}

// gcHeadroom is about how far the heap may grow past its live data before a
// collection.
const gcHeadroom = 64 << 20

// shellQuote quotes a path for a shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:,=@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
