package run

import (
	"errors"
	"fmt"
	"math"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
)

// FormatVersion is the version of the run folder's format that this aegraph
// writes and reads: the schema of config.json and of the configuration
// inside checkpoint.aeg. Version 1 (no "version" field) had the net's
// settings in a fixed "arch" record; such folders are refused with a message
// that says so.
const FormatVersion = 2

// Config is a run's configuration: the one schema of config.json, of the
// configuration inside a checkpoint, and of cmd/train's flags, whose names
// are the JSON names here (with the net's options as flags of their own).
type Config struct {
	Version int          `json:"version"`
	Net     string       `json:"net"`   // a registered net (nets.Lookup)
	Arch    nets.Config  `json:"arch"`  // input shape, code size, the net's options
	Loss    string       `json:"loss"`  // a name of graph.Losses; "" is the net's own for the data (Build)
	Train   train.Config `json:"train"` // solver, rate, schedule, weight decay, batch, epochs, seed
	// Data says where the data is and how it is read; Build records in
	// Scale the scale fitted on the training samples, which every later
	// read of data for this model applies, and in TestFrom where the test
	// samples came from.
	Data     datasets.Spec   `json:"data"`
	Scale    *datasets.Scale `json:"scale,omitempty"`
	TestFrom string          `json:"test_from,omitempty"`
	// Classes are the class names of the data the model was trained on
	// (Build records them; nil for unlabelled data).
	Classes []string `json:"classes,omitempty"`
	// Fingerprint identifies the data the run was started on
	// (datasets.Data.Fingerprint): a resume on other data is refused.
	Fingerprint string `json:"data_fingerprint,omitempty"`
}

// DefaultEpochs is the length of a run unless told otherwise.
const DefaultEpochs = 10

// Defaults is the configuration of a run of the named net with every default:
// the net's own code size, options and training recipe, then train's
// defaults, DefaultEpochs and seed 1, on the bundled MNIST. The input shape
// and the loss are left for Build to take from the data.
func Defaults(net string) (Config, error) {
	spec, err := nets.Lookup(net)
	if err != nil {
		return Config{}, &Error{fmt.Errorf("net: %w", err)}
	}
	t := spec.Training
	if t.Solver == "" {
		t.Solver = train.DefaultSolver
	}
	if t.LR == 0 {
		t.LR = train.DefaultLR
	}
	if t.Schedule == "" {
		t.Schedule = train.DefaultSchedule
	}
	if t.Batch == 0 {
		t.Batch = train.DefaultBatch
	}
	if t.Epochs == 0 {
		t.Epochs = DefaultEpochs
	}
	if t.Seed == 0 {
		t.Seed = 1
	}
	return Config{Version: FormatVersion, Net: net, Arch: spec.Config(nil), Train: t}, nil
}

// Error is a configuration error: a field that no run can use. Its message
// starts with the field's JSON name, which is also its flag: "epochs 0: want
// ≥ 1", "noise-level -1: want ≥ 0".
type Error struct{ Err error }

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func fieldErr(format string, a ...any) error {
	return &Error{fmt.Errorf(format, a...)}
}

// Check completes the net's options with their defaults and reports the
// first field that no run can use. The sizes are checked against the input
// shape when it is known (Arch.Input).
func (c *Config) Check() error {
	if c.Version != FormatVersion {
		return fieldErr("version %d: this aegraph reads run format %d", c.Version, FormatVersion)
	}
	spec, err := nets.Lookup(c.Net)
	if err != nil {
		return fieldErr("net: %w", err)
	}
	if err := spec.Complete(&c.Arch); err != nil {
		return &Error{err}
	}
	if c.Loss != "" {
		if _, err := graph.LossByName(c.Loss); err != nil {
			return fieldErr("loss: %w", err)
		}
	}
	switch {
	case c.Arch.Latent < 1:
		return fieldErr("latent %d: want ≥ 1", c.Arch.Latent)
	case c.Train.Epochs < 1:
		return fieldErr("epochs %d: want ≥ 1", c.Train.Epochs)
	case c.Train.Batch < 1:
		return fieldErr("batch %d: want ≥ 1", c.Train.Batch)
	case !(c.Train.LR > 0) || math.IsInf(c.Train.LR, 0): // train would take 0 for its default
		return fieldErr("lr %v: want a finite number > 0", c.Train.LR)
	}
	if err := c.Train.Check(); err != nil {
		return &Error{err}
	}
	if err := c.Data.Check(); err != nil {
		return &Error{err}
	}
	return c.checkSize()
}

// IsConfigError reports whether err is about the configuration (a field
// that no run can use) rather than the data or the machine.
func IsConfigError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}
