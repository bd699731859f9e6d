// Package run is a training run as a library: its configuration, its folder
// and the model and trainer it builds. cmd/train is a command line over it;
// any program can train, resume or open a run the same way:
//
//	c, _ := run.Defaults("mlp")          // the mlp with its own defaults
//	c.Train.Epochs, c.Data.Limit = 3, 5000
//	data, _ := c.LoadData()              // the bundled MNIST, first 5,000 training images
//	r, _ := run.New("runs/mine", c, data)
//	for r.Trainer.Epoch < c.Train.Epochs {
//		m, _ := r.Epoch(ctx, data.Train, data.Test, nil)
//		fmt.Println(m.Epoch, m.TestMSE)
//		r.Save()                         // checkpoint.aeg, config.json, metrics.csv
//	}
//
//	r, _ = run.Open("runs/mine")         // later, or in another program
//	z, _ := r.Model.Encode(x)            // x (n, 784) → z (n, 32)
//
// A run folder holds config.json (Config, for people to read),
// checkpoint.aeg (the configuration, the metrics so far, every weight, the
// solver's state and the position in the run: all that resuming needs) and
// metrics.csv. Open reads the checkpoint only.
package run

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
	"golang.org/x/sys/unix"
)

// File names in a run folder.
const (
	CheckpointFile = "checkpoint.aeg"
	ConfigFile     = "config.json"
	MetricsFile    = "metrics.csv"
)

// EvalBatch is the batch size of evaluation graphs.
const EvalBatch = 250

// Metrics is one epoch's row of metrics.csv.
type Metrics struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	TestLoss  float64 `json:"test_loss"`
	TestMSE   float64 `json:"test_mse"`
	Seconds   float64 `json:"seconds"` // training time of the epoch, evaluation excluded
}

// Run is a run: its folder, configuration and metrics, and the model and
// trainer built from them.
type Run struct {
	Dir     string
	Config  Config
	History []Metrics // one row per finished epoch
	// Partial is the training time so far of the current, unfinished epoch.
	Partial float64
	Model   *graph.Model
	// Trainer is nil for a run opened only to use its model (Open) until
	// Resume builds it.
	Trainer *train.Trainer
	// TestErrors are the reconstruction errors of the test samples that the
	// last Epoch measured, one per sample, as Model.Errors gives them (nil
	// before the first Epoch of this process).
	TestErrors []float64

	ck *train.Checkpoint // as Open read it, for Resume
}

// state is the configuration record inside a checkpoint: all but the weights
// and the trainer's own state, so that metrics.csv and the pictures can be
// redrawn from a checkpoint alone.
type state struct {
	Config  Config    `json:"config"`
	History []Metrics `json:"history"`
	Partial float64   `json:"partial_seconds,omitempty"`
}

// LoadData reads the data that c describes (datasets.Open), through the
// run's stored scale when it has one, else fitting one on the training
// samples.
func (c Config) LoadData() (*datasets.Data, error) {
	d, err := datasets.Open(c.Data, c.Train.Seed, c.Scale)
	if err != nil {
		return nil, fmt.Errorf("loading data: %w", err)
	}
	return d, nil
}

// DataName names the data of c in messages.
func (c Config) DataName() string { return c.Data.Name() }

// New prepares a new run of c in the folder dir, to train on data (read by
// c.LoadData): it takes the input shape, scale and loss from data, checks
// the configuration, refuses a folder that holds a run or cannot be
// written, and builds the model (initialised from the seed) and its
// trainer. Nothing is written until Save.
func New(dir string, c Config, data *datasets.Data) (*Run, error) {
	t, err := c.Build(data)
	if err != nil {
		return nil, err
	}
	if err := checkDir(dir); err != nil {
		return nil, err
	}
	return &Run{Dir: dir, Config: c, Model: t.Model, Trainer: t}, nil
}

// Build takes from data the input shape, the scale, where the test set came
// from and, unless c names one, the loss that fits the data (the net's own
// for values in [0, 1], which a sigmoid output can take, else its loss for
// real values); checks the configuration (filling in the net's options); and
// builds the model (initialised from the seed) and its trainer: a run
// without a folder.
func (c *Config) Build(data *datasets.Data) (*train.Trainer, error) {
	c.Arch.Input = slices.Clone(data.Train.Shape())
	c.Scale, c.TestFrom, c.Classes, c.Fingerprint = &data.Scale, data.TestFrom, data.Train.Classes, data.Fingerprint
	c.Arch.Values = nets.Real
	if data.Unit() {
		c.Arch.Values = nets.Unit
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	spec, _ := nets.Lookup(c.Net)
	if c.Loss == "" {
		c.Loss = spec.LossFor(c.Arch.Values)
	}
	if c.Arch.Values == nets.Real && strings.HasPrefix(c.Loss, "bce") {
		return nil, fieldErr("loss %s needs values in [0, 1] (a sigmoid output), but %s's are not, scaled by %s: use -scale minmax, or -loss mse",
			c.Loss, c.DataName(), data.Scale.Kind)
	}
	if n := data.Train.Len(); c.Train.Batch > n {
		return nil, fieldErr("batch %d is larger than the %d training samples", c.Train.Batch, n)
	}
	m, err := c.Model()
	if err != nil {
		return nil, err
	}
	t, err := train.New(m, c.Train)
	if err != nil {
		return nil, &Error{err}
	}
	return t, nil
}

// Model builds the model that c describes, with initial weights drawn from
// its seed. c must be complete (Check).
func (c Config) Model() (*graph.Model, error) {
	net, err := nets.New(c.Net, c.Arch)
	if err != nil {
		return nil, &Error{fmt.Errorf("net %s on %s (samples of %s): %w", c.Net, c.DataName(), shapeName(c.Arch.Input), err)}
	}
	loss, err := graph.LossByName(c.Loss)
	if err != nil {
		return nil, fieldErr("loss: %w", err)
	}
	m, err := graph.NewModel(net, loss, c.Arch.Input, c.Train.Seed)
	if err != nil {
		return nil, &Error{fmt.Errorf("net %s with loss %s: %w", c.Net, c.Loss, err)}
	}
	return m, nil
}

// Open reads the run in folder dir: its configuration, its metrics and its
// weights, as a Model ready to use. The folder is only read. Errors start
// with dir.
func Open(dir string) (*Run, error) {
	f, err := os.Open(filepath.Join(dir, CheckpointFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: not a run folder (no %s)", dir, CheckpointFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	defer f.Close()
	ck, err := train.ReadCheckpoint(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", dir, CheckpointFile, err)
	}
	var st state
	if err := json.Unmarshal(ck.Config, &st); err != nil {
		return nil, fmt.Errorf("%s: %s: reading its configuration: %w", dir, CheckpointFile, err)
	}
	if v := st.Config.Version; v != FormatVersion {
		if v < FormatVersion {
			return nil, fmt.Errorf("%s: written by an older aegraph (run format %d; this one reads format %d): train it again, or use the aegraph that wrote it",
				dir, v, FormatVersion)
		}
		return nil, fmt.Errorf("%s: written by a newer aegraph (run format %d; this one reads format %d): update aegraph", dir, v, FormatVersion)
	}
	c := st.Config
	if err := c.Check(); err != nil {
		return nil, fmt.Errorf("%s: its configuration: %w", dir, err)
	}
	m, err := c.Model()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if err := m.SetParams(ck.Params); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return &Run{Dir: dir, Config: c, History: st.History, Partial: st.Partial, Model: m, ck: ck}, nil
}

// Resume builds the trainer of a run that Open read and restores it to where
// the checkpoint stopped, to continue training on data (read by
// r.Config.LoadData). epochs > 0 changes the run's length (its schedule is
// re-planned over the new total).
func (r *Run) Resume(data *datasets.Data, epochs int) error {
	if r.ck == nil {
		return fmt.Errorf("%s: Resume needs a run read by Open", r.Dir)
	}
	if err := r.Model.Check(data.Train); err != nil {
		return fmt.Errorf("%s was trained on %s: %w", r.Dir, r.Config.DataName(), err)
	}
	if f := r.Config.Fingerprint; f != "" {
		if err := data.CheckFingerprint(f); err != nil {
			return fmt.Errorf("%s was started on other data than %s holds now: %w", r.Dir, r.Config.DataName(), err)
		}
	}
	if epochs > 0 {
		r.Config.Train.Epochs = epochs
	}
	t, err := train.New(r.Model, r.Config.Train)
	if err != nil {
		return &Error{err}
	}
	if err := t.Restore(r.ck); err != nil {
		return fmt.Errorf("%s: %w", r.Dir, err)
	}
	if steps := t.StepsPerEpoch(data.Train.Len()); t.Step >= steps {
		return fmt.Errorf("%s: the checkpoint is at step %d of an epoch of %d steps (has the data in %s changed?)",
			r.Dir, t.Step, steps, r.Config.DataName())
	}
	r.Trainer = t
	return nil
}

// Epoch trains one epoch on data (or the rest of the epoch the run stopped
// in), measures the model on test and appends the epoch's Metrics to
// History. progress, if not nil, is called after every step. Nothing is
// saved: call Save.
//
// If ctx is cancelled, Epoch returns ctx's error between two steps, with the
// time spent added to Partial, and the trainer holds a consistent mid-epoch
// position that Save can write. A loss that is not finite is an error naming
// the epoch (and step).
func (r *Run) Epoch(ctx context.Context, data, test graph.Data, progress train.Progress) (Metrics, error) {
	t := r.Trainer
	epoch := t.Epoch + 1
	start := time.Now()
	trainLoss, err := t.RunEpoch(ctx, data, progress)
	seconds := r.Partial + time.Since(start).Seconds()
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			r.Partial = seconds
		}
		return Metrics{}, err
	}
	r.Partial = 0
	ev, errs, err := r.evaluate(test)
	if err != nil {
		return Metrics{}, err
	}
	r.TestErrors = errs
	for _, v := range []struct {
		name  string
		value float64
	}{{"mean train loss", trainLoss}, {"test loss", ev.Loss}, {"test MSE", ev.MSE}} {
		if math.IsNaN(v.value) || math.IsInf(v.value, 0) {
			return Metrics{}, fmt.Errorf("epoch %d: the %s is %v: %w", epoch, v.name, v.value, train.ErrDiverged)
		}
	}
	m := Metrics{Epoch: epoch, TrainLoss: trainLoss, TestLoss: ev.Loss, TestMSE: ev.MSE, Seconds: seconds}
	r.History = append(r.History, m)
	return m, nil
}

// Evaluate measures the model on test. For a generative net the loss is that
// of a z sampled from q(z|x) (ε from an RNG seeded by the run's seed, the
// same draws every time), as PyTorch's VAE example reports it; the MSE is
// always that of the deterministic reconstruction (z = μ).
func (r *Run) Evaluate(test graph.Data) (graph.Eval, error) {
	ev, _, err := r.evaluate(test)
	return ev, err
}

// evaluate is Evaluate, with each test sample's reconstruction error.
func (r *Run) evaluate(test graph.Data) (graph.Eval, []float64, error) {
	ev, errs, err := r.Model.EvaluateErrors(test, EvalBatch)
	if spec, lerr := nets.Lookup(r.Config.Net); err != nil || lerr != nil || !spec.Generative {
		return ev, errs, err
	}
	sampled, err := r.Model.EvaluateSampled(test, EvalBatch, r.Config.Train.Seed)
	ev.Loss = sampled.Loss
	return ev, errs, err
}

// Save writes the run folder: checkpoint.aeg, config.json and metrics.csv,
// each atomically (the folder is created if need be).
func (r *Run) Save() error {
	if err := r.SaveCheckpoint(); err != nil {
		return err
	}
	return r.WriteMetrics()
}

// WriteConfig writes config.json (creating the folder if need be).
func (r *Run) WriteConfig() error {
	if err := os.MkdirAll(r.Dir, 0o755); err != nil {
		return fmt.Errorf("creating run folder: %w", err)
	}
	b, err := json.MarshalIndent(r.Config, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(r.Dir, ConfigFile), append(b, '\n'))
}

// SaveCheckpoint writes config.json and checkpoint.aeg.
func (r *Run) SaveCheckpoint() error {
	if err := r.WriteConfig(); err != nil {
		return err
	}
	meta, err := json.Marshal(state{r.Config, r.History, r.Partial})
	if err != nil {
		return err
	}
	ck, err := r.Trainer.Checkpoint(meta)
	if err != nil {
		return err
	}
	return ck.Save(filepath.Join(r.Dir, CheckpointFile))
}

// WriteMetrics writes metrics.csv: epoch,train_loss,test_loss,test_mse,seconds.
func (r *Run) WriteMetrics() error {
	var csv strings.Builder
	csv.WriteString("epoch,train_loss,test_loss,test_mse,seconds\n")
	for _, m := range r.History {
		fmt.Fprintf(&csv, "%d,%.6g,%.6g,%.6g,%.3f\n", m.Epoch, m.TrainLoss, m.TestLoss, m.TestMSE, m.Seconds)
	}
	return atomicfile.Write(filepath.Join(r.Dir, MetricsFile), []byte(csv.String()))
}

// RemoveStaleTemps removes the temporary files that a process killed while
// writing left in the run folder: ".<name>.tmp<digits>" (see package
// atomicfile) of the run's own files and of the others named, no other.
// The caller must hold the folder (Lock).
func (r *Run) RemoveStaleTemps(others ...string) {
	for _, name := range append([]string{CheckpointFile, ConfigFile, MetricsFile}, others...) {
		stale, _ := filepath.Glob(filepath.Join(r.Dir, "."+name+".tmp[0-9]*"))
		for _, f := range stale {
			if isTemp(filepath.Base(f), name) {
				if info, err := os.Lstat(f); err == nil && info.Mode().IsRegular() {
					os.Remove(f)
				}
			}
		}
	}
}

// isTemp reports whether file is a temporary file of an atomic write of
// name: "." + name + ".tmp" + digits.
func isTemp(file, name string) bool {
	digits, ok := strings.CutPrefix(file, "."+name+".tmp")
	return ok && digits != "" && strings.Trim(digits, "0123456789") == ""
}

// checkDir refuses a run folder that is a file or already holds a run, or
// that cannot be written; the error starts with dir.
func checkDir(dir string) error {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkWritable(dir)
	case err != nil:
		return fmt.Errorf("%s: %w", dir, unwrapPath(err))
	case !info.IsDir():
		return fmt.Errorf("%s: exists and is not a folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, CheckpointFile)); err == nil {
		return fmt.Errorf("%s already holds a run: resume it, or choose another folder", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	for _, e := range entries {
		if !ours(dir, e.Name()) {
			return fmt.Errorf("%s holds %s, which no run wrote: choose a new or empty folder (nothing in it is changed)", dir, e.Name())
		}
	}
	return checkWritable(dir)
}

// ours reports whether a file in a folder without a checkpoint is what a run
// that died before its first checkpoint leaves: the lock, a temporary file
// of an atomic write, and a config.json of this format.
func ours(dir, name string) bool {
	switch {
	case name == LockFile:
		return true
	case isTemp(name, CheckpointFile) || isTemp(name, ConfigFile):
		return true
	case name == ConfigFile:
		b, err := os.ReadFile(filepath.Join(dir, name))
		var c Config
		return err == nil && json.Unmarshal(b, &c) == nil && c.Version == FormatVersion && c.Net != ""
	}
	return false
}

// CheckWritable tries to create (and removes) a file in dir, or in its
// nearest existing ancestor when dir does not exist yet, so that a folder
// that cannot be written is refused before any work, without creating it.
func CheckWritable(dir string) error { return checkWritable(dir) }

func checkWritable(dir string) error {
	d := dir
	for {
		info, err := os.Stat(d)
		if err == nil {
			if !info.IsDir() {
				return fmt.Errorf("%s: %s is not a folder", dir, d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", dir, unwrapPath(err))
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	f, err := os.CreateTemp(d, ".aegraph-probe*")
	if err != nil {
		return fmt.Errorf("%s: cannot write in %s: %w", dir, d, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// shapeName writes a sample shape as people do: 1×28×28.
func shapeName(shape []int) string {
	s := make([]string, len(shape))
	for i, d := range shape {
		s[i] = fmt.Sprint(d)
	}
	return strings.Join(s, "×")
}

// unwrapPath drops the operation and path of a *fs.PathError, for messages
// that name the path themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// LockFile is the file in a run folder whose lock says which process uses
// the folder.
const LockFile = ".lock"

// Lock takes the run folder dir for this process until unlock is called (or
// the process ends): an advisory lock on dir/.lock, which holds the owner's
// process id. A folder that another process holds is refused with an error
// naming it.
func Lock(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%s is in use by another process (pid %s): wait for it to finish, or choose another folder", dir, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("%s: locking: %w", dir, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("%d\n", os.Getpid())), 0)
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}
