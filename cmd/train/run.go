package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// File names in a run folder.
const (
	checkpointFile = "checkpoint.aeg"
	configFile     = "config.json"
	metricsFile    = "metrics.csv"
)

// evalBatch is the batch size of evaluation graphs.
const evalBatch = 250

// Metrics is one epoch's row of metrics.csv.
type Metrics struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	TestLoss  float64 `json:"test_loss"`
	TestMSE   float64 `json:"test_mse"`
	Seconds   float64 `json:"seconds"` // training time of the epoch, evaluation excluded
}

// state is what the checkpoint holds beside the trainer's own state: the
// configuration and the metrics so far, from which metrics.csv and loss.png
// are redrawn, so that they always agree with the checkpoint.
type state struct {
	Config  `json:"config"`
	History []Metrics `json:"history"`
	// Seconds spent so far in the current, unfinished epoch.
	Partial float64 `json:"partial_seconds,omitempty"`
}

type runner struct {
	state
	planned        int // epochs the run had been planned for, when -resume changes them
	out            string
	data           *datasets.MNIST
	model          *graph.Model
	trainer        *graph.Trainer
	stdout, stderr io.Writer
}

// newRun checks the flags against the data and the run folder, loads the
// data, builds the model and trainer, and restores a checkpoint when resuming.
// It does all the checking before any file is written.
func newRun(o *options, stdout, stderr io.Writer) (*runner, error) {
	r := &runner{stdout: stdout, stderr: stderr}
	if o.resume != "" {
		if err := r.loadResume(o); err != nil {
			return nil, err
		}
	} else {
		r.Config = o.Config
		r.out = o.out
		if r.out == "" {
			r.out = defaultOut(r.Net)
		}
		if err := checkOut(r.out); err != nil {
			return nil, usageError{err}
		}
	}
	c := &r.Config

	data, err := datasets.Load(c.Data)
	if err != nil {
		return nil, usageError{fmt.Errorf("loading data: %w", err)}
	}
	if c.Limit > 0 {
		data.Train = data.Train.Head(c.Limit)
	}
	if c.Batch > data.Train.Len() {
		return nil, usageError{fmt.Errorf("-batch %d is larger than the %d training images", c.Batch, data.Train.Len())}
	}
	r.data = data
	if o.resume != "" && c.Arch.Dim != 0 && c.Arch.Dim != data.Train.Dim() {
		return nil, usageError{fmt.Errorf("-resume %s: the run was trained on images of %d pixels, but %s now holds %d×%d images",
			r.out, c.Arch.Dim, dataName(c.Data), data.Train.Rows, data.Train.Cols)}
	}
	c.Arch.Dim = data.Train.Dim()
	if err := checkSize(*c); err != nil {
		return nil, usageError{err}
	}

	// A net that needs square images sees only the pixel count: check the
	// shape here (16×49 images have 784 pixels but are not 28×28).
	if spec, err := nets.Lookup(c.Net); err == nil && spec.Side > 0 && data.Train.Rows != data.Train.Cols {
		return nil, usageError{fmt.Errorf("-net %s with the %d×%d images of %s: it takes square images only", c.Net, data.Train.Rows, data.Train.Cols, dataName(c.Data))}
	}
	net, err := nets.New(c.Net, c.Arch)
	if err != nil {
		return nil, usageError{fmt.Errorf("-net %s with the %d×%d images of %s: %w", c.Net, data.Train.Rows, data.Train.Cols, dataName(c.Data), err)}
	}
	loss, err := graph.LossByName(c.Loss)
	if err != nil {
		return nil, usageError{err}
	}
	r.model, err = graph.NewModel(net, loss, c.Arch.Dim, c.Seed)
	if err != nil {
		return nil, usageError{fmt.Errorf("net %s: %w", c.Net, err)}
	}
	solver, err := graph.NewSolver(c.Solver, c.LR)
	if err != nil {
		return nil, usageError{err}
	}
	solver.SetWeightDecay(c.WeightDecay)
	r.trainer, err = graph.NewTrainer(r.model, solver, c.Batch, c.Seed)
	if err != nil {
		return nil, fmt.Errorf("net %s: %w", c.Net, err)
	}
	if c.Schedule == "" {
		c.Schedule = "constant"
	}
	if r.trainer.Schedule, err = graph.ScheduleByName(c.Schedule); err != nil {
		return nil, usageError{err}
	}
	r.trainer.LR, r.trainer.Epochs = c.LR, c.Epochs
	if o.resume != "" {
		ck, err := graph.LoadCheckpoint(filepath.Join(r.out, checkpointFile))
		if err != nil {
			return nil, usageError{err}
		}
		if err := r.trainer.Restore(ck); err != nil {
			return nil, usageError{fmt.Errorf("-resume %s: %w", r.out, err)}
		}
		steps := r.trainer.StepsPerEpoch(data.Train.Len())
		if r.trainer.Step >= steps {
			return nil, usageError{fmt.Errorf("-resume %s: the checkpoint is at step %d of an epoch of %d steps (has the data in %s changed?)",
				r.out, r.trainer.Step, steps, dataName(c.Data))}
		}
		if r.planned != 0 && r.planned != c.Epochs && c.Schedule != "constant" {
			// The schedule follows the new total: say what that does to the rate.
			done := r.trainer.Epoch*steps + r.trainer.Step
			at := func(epochs int) float64 { return r.trainer.Schedule.Rate(c.LR, done, epochs*steps) }
			fmt.Fprintf(stdout, "the %s schedule is re-planned from %d to %d epochs: the rate goes from %.3g to %.3g here\n",
				c.Schedule, r.planned, c.Epochs, at(r.planned), at(c.Epochs))
		}
	}
	return r, nil
}

// dataName names the data folder in messages.
func dataName(dir string) string {
	if dir == "" {
		return "the bundled MNIST"
	}
	return dir
}

// checkOut refuses a run folder that is a file or already holds a run.
func checkOut(out string) error {
	info, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkWritable(out)
	case err != nil:
		return fmt.Errorf("-out %s: %w", out, err)
	case !info.IsDir():
		return fmt.Errorf("-out %s: exists and is not a folder", out)
	}
	if _, err := os.Stat(filepath.Join(out, checkpointFile)); err == nil {
		return fmt.Errorf("-out %s already holds a run: continue it with -resume %s, or choose another -out", out, out)
	}
	return checkWritable(out)
}

// checkWritable tries to create (and removes) a file in out, or in its
// nearest existing ancestor when out does not exist yet, so that a run folder
// that cannot be written is refused before any work, without creating it.
func checkWritable(out string) error {
	dir := out
	for {
		info, err := os.Stat(dir)
		if err == nil {
			if !info.IsDir() {
				return fmt.Errorf("-out %s: %s is not a folder", out, dir)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("-out %s: %w", out, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	f, err := os.CreateTemp(dir, ".aegraph-probe*")
	if err != nil {
		return fmt.Errorf("-out %s: cannot write in %s: %w", out, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// loadResume reads the run folder's checkpoint and takes its configuration;
// of the flags, only -epochs may be given too.
func (r *runner) loadResume(o *options) error {
	r.out = o.resume
	path := filepath.Join(r.out, checkpointFile)
	ck, err := graph.LoadCheckpoint(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError{fmt.Errorf("-resume %s: no checkpoint (%s) there", r.out, checkpointFile)}
		}
		return usageError{err}
	}
	if err := json.Unmarshal(ck.Config, &r.state); err != nil {
		return usageError{fmt.Errorf("%s: reading its configuration: %w", path, err)}
	}
	for name := range o.set {
		if name != "epochs" && name != "resume" && name != "cpuprofile" && name != "memprofile" {
			return usageError{fmt.Errorf("-%s cannot be changed when resuming (the run's configuration is in %s); only -epochs can", name, path)}
		}
	}
	if o.set["epochs"] {
		if o.Epochs < 1 {
			return usageError{fmt.Errorf("-epochs %d: want ≥ 1", o.Epochs)}
		}
		r.planned, r.Epochs = r.Epochs, o.Epochs
	}
	return nil
}

// train runs the remaining epochs, writing the run folder after each.
func (r *runner) train(ctx context.Context) error {
	if err := os.MkdirAll(r.out, 0o755); err != nil {
		return fmt.Errorf("creating run folder: %w", err)
	}
	removeStaleTemps(r.out)
	if err := r.writeConfig(); err != nil {
		return err
	}
	t := r.trainer
	steps := t.StepsPerEpoch(r.data.Train.Len())
	if t.Epoch == 0 && t.Step == 0 {
		// A checkpoint of the initial state, so that a run killed in its
		// first epoch can be resumed too.
		if err := r.saveCheckpoint(); err != nil {
			return err
		}
	}
	// The position of the checkpoint on disk, for messages.
	saved := position(t.Epoch, t.Step)
	if t.Epoch == 0 && t.Step == 0 {
		fmt.Fprintf(r.stdout, "training %s (%d parameters, code %v) on %d images, %d steps of %d per epoch, %s BLAS; run folder %s\n",
			r.Net, r.model.Params.Size(), r.model.Code, r.data.Train.Len(), steps, r.Batch, graph.BLAS, r.out)
	} else {
		fmt.Fprintf(r.stdout, "resuming %s at epoch %d, step %d of %d; run folder %s\n", r.Net, t.Epoch+1, t.Step, steps, r.out)
	}
	if t.Epoch >= r.Epochs {
		fmt.Fprintf(r.stdout, "already trained %d epochs (raise -epochs to train more)\n", t.Epoch)
		return r.writeArtefacts()
	}
	interactive := isTerminal(r.stderr)
	for t.Epoch < r.Epochs {
		epoch := t.Epoch + 1
		progress, done := r.progress(interactive, epoch, steps)
		start := time.Now()
		trainLoss, err := t.RunEpoch(ctx, r.data.Train, progress)
		seconds := r.Partial + time.Since(start).Seconds()
		done()
		if errors.Is(err, context.Canceled) {
			r.Partial = seconds
			if err := r.saveCheckpoint(); err != nil {
				return fmt.Errorf("interrupted, and saving the checkpoint failed: %w", err)
			}
			fmt.Fprintf(r.stderr, "\ninterrupted in epoch %d at step %d of %d; checkpoint saved in %s\ncontinue with: go run ./cmd/train -resume %s\n",
				epoch, t.Step, steps, r.out, r.out)
			return err
		}
		if err != nil {
			return fmt.Errorf("%w; the last good checkpoint (%s) is kept in %s", err, saved, r.out)
		}
		r.Partial = 0
		ev, err := r.evaluate()
		if err != nil {
			return err
		}
		for _, v := range []struct {
			name  string
			value float64
		}{{"mean train loss", trainLoss}, {"test loss", ev.Loss}, {"test MSE", ev.MSE}} {
			if math.IsNaN(v.value) || math.IsInf(v.value, 0) {
				return fmt.Errorf("epoch %d: the %s is %v: training diverged (try a smaller -lr); the last good checkpoint (%s) is kept in %s",
					epoch, v.name, v.value, saved, r.out)
			}
		}
		m := Metrics{Epoch: epoch, TrainLoss: trainLoss, TestLoss: ev.Loss, TestMSE: ev.MSE, Seconds: seconds}
		r.History = append(r.History, m)
		fmt.Fprintf(r.stdout, "epoch %d/%d  train_loss %.5f  test_loss %.5f  test_mse %.5f  %.1fs\n",
			epoch, r.Epochs, m.TrainLoss, m.TestLoss, m.TestMSE, m.Seconds)
		if err := r.saveCheckpoint(); err != nil {
			return err
		}
		saved = position(t.Epoch, t.Step)
		if err := r.writeArtefacts(); err != nil {
			return err
		}
	}
	fmt.Fprintf(r.stdout, "done: %s\n", r.out)
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

// removeStaleTemps removes the temporary files that a process killed while
// writing (see graph.WriteFileAtomic: ".<name>.tmp<digits>") left in the run
// folder.
func removeStaleTemps(dir string) {
	stale, _ := filepath.Glob(filepath.Join(dir, ".*.tmp[0-9]*"))
	for _, f := range stale {
		if info, err := os.Lstat(f); err == nil && info.Mode().IsRegular() {
			os.Remove(f)
		}
	}
}

// progress returns the per-step callback: a progress bar with ETA and the
// running loss on a terminal, nothing otherwise (the per-epoch line suffices).
func (r *runner) progress(interactive bool, epoch, steps int) (graph.Progress, func()) {
	if !interactive {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(steps,
		progressbar.OptionSetWriter(r.stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d/%d", epoch, r.Epochs)),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	bar.Set(r.trainer.Step)
	return func(step, _ int, loss float64) {
			bar.Describe(fmt.Sprintf("epoch %d/%d loss %.5f", epoch, r.Epochs, loss))
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

func (r *runner) writeConfig() error {
	b, err := json.MarshalIndent(r.Config, "", "  ")
	if err != nil {
		return err
	}
	return graph.WriteFileAtomic(filepath.Join(r.out, configFile), append(b, '\n'))
}

func (r *runner) saveCheckpoint() error {
	meta, err := json.Marshal(r.state)
	if err != nil {
		return err
	}
	ck, err := r.trainer.Checkpoint(meta)
	if err != nil {
		return err
	}
	return ck.Save(filepath.Join(r.out, checkpointFile))
}

// writeArtefacts redraws metrics.csv and the pictures.
func (r *runner) writeArtefacts() error {
	var csv strings.Builder
	csv.WriteString("epoch,train_loss,test_loss,test_mse,seconds\n")
	for _, m := range r.History {
		fmt.Fprintf(&csv, "%d,%.6g,%.6g,%.6g,%.3f\n", m.Epoch, m.TrainLoss, m.TestLoss, m.TestMSE, m.Seconds)
	}
	if err := graph.WriteFileAtomic(filepath.Join(r.out, metricsFile), []byte(csv.String())); err != nil {
		return err
	}
	return r.writePictures()
}

// writePNG renders into memory, then writes path atomically.
func writePNG(path string, draw func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		return fmt.Errorf("drawing %s: %w", filepath.Base(path), err)
	}
	return graph.WriteFileAtomic(path, buf.Bytes())
}
