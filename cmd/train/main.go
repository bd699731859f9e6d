// Command train trains an autoencoder on MNIST and writes what it learned.
//
//	go run ./cmd/train                         # the mlp, k = 32, 10 epochs
//	go run ./cmd/train -net linear -epochs 20  # PCA's equivalent
//	go run ./cmd/train -resume runs/mlp-…      # continue an interrupted run
//
// A run folder holds config.json, checkpoint.aeg, metrics.csv, recon.png,
// loss.png, latent.png, interp.png and (vae) samples.png, all rewritten
// atomically after every epoch.
// Exit status: 0 done, 1 failed, 2 bad flags or input, 130 interrupted
// (Ctrl-C; the checkpoint is saved and -resume continues exactly).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

func main() {
	// Training makes little garbage (about 130 KB a step) beside about 70 MB
	// of live data, so a tighter collector costs nothing measurable and keeps
	// the peak memory of a run well under 200 MB.
	debug.SetGCPercent(50)
	if err := installTestHooks(os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "train: %v\n", err)
		os.Exit(exitUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError marks an error in the flags or the input, reported with status 2.
type usageError struct{ error }

// Config is a run's configuration, saved as config.json and in checkpoints.
type Config struct {
	Net    string      `json:"net"`
	Arch   nets.Config `json:"arch"`
	Loss   string      `json:"loss"`
	Solver string      `json:"solver"`
	LR     float64     `json:"lr"`
	// Schedule is the learning-rate schedule; "" (runs from before there
	// was a choice) is "constant".
	Schedule string `json:"schedule,omitempty"`
	// WeightDecay is λ of decoupled weight decay (0: none).
	WeightDecay float64 `json:"weight_decay,omitempty"`
	Batch       int     `json:"batch"`
	Epochs      int     `json:"epochs"`
	Seed        uint64  `json:"seed"`
	Data        string  `json:"data,omitempty"` // "" is the bundled MNIST
	Limit       int     `json:"limit,omitempty"`
}

// options are the parsed command line.
type options struct {
	Config
	out, resume            string
	cpuprofile, memprofile string
	set                    map[string]bool // flags given explicitly
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	def := nets.DefaultConfig()
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Net, "net", "mlp", "architecture: "+names(nets.All(), func(s nets.Spec) string { return s.Name }))
	fs.IntVar(&o.Arch.Latent, "latent", def.Latent, "code size k (conv: code channels)"+perNet(func(s nets.Spec) string { return nonZero(s.Latent) }))
	hidden := fs.String("hidden", joinInts(def.Hidden), "encoder hidden sizes, comma-separated (mirrored in the decoder)"+
		perNet(func(s nets.Spec) string { return joinInts(s.Hidden) }))
	fs.IntVar(&o.Epochs, "epochs", 10, "epochs to train (in total, when resuming)")
	fs.IntVar(&o.Batch, "batch", nets.DefaultTraining.Batch, "batch size"+perNet(func(s nets.Spec) string { return nonZero(s.Training.Batch) }))
	fs.Float64Var(&o.LR, "lr", 1e-3, "learning rate")
	fs.StringVar(&o.Solver, "solver", "adam", "solver: "+names(graph.Solvers, func(s graph.SolverSpec) string { return s.Name }))
	fs.Float64Var(&o.WeightDecay, "wd", nets.DefaultTraining.WeightDecay, "decoupled weight decay λ: every step first shrinks the weights by (1 − lr·λ), as AdamW"+
		perNet(func(s nets.Spec) string { return nonZero(s.Training.WeightDecay) }))
	fs.StringVar(&o.Schedule, "schedule", nets.DefaultTraining.Schedule, "learning-rate schedule over the run: "+names(graph.Schedules, func(s graph.Schedule) string { return s.Name })+
		perNet(func(s nets.Spec) string { return s.Training.Schedule }))
	fs.StringVar(&o.Loss, "loss", "", "loss: l2, mse or bce (default: the net's own)")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of initialisation, shuffling and noise")
	fs.StringVar(&o.Data, "data", "", "folder with the four MNIST-format IDX files (default: the MNIST bundled with GoMNIST)")
	fs.IntVar(&o.Limit, "limit", 0, "train on the first N training images only (0: all)")
	fs.StringVar(&o.out, "out", "", "run folder (default runs/<net>-<time>)")
	fs.StringVar(&o.resume, "resume", "", "continue the run in this folder from its checkpoint")
	fs.StringVar(&o.Arch.Noise, "noise", def.Noise, "denoising: corruption, mask or gaussian")
	fs.Float64Var(&o.Arch.NoiseLevel, "noise-level", def.NoiseLevel, "denoising: masking probability or Gaussian σ")
	fs.Float64Var(&o.Arch.L1, "l1", def.L1, "sparse: weight λ of the L1 penalty on the code")
	fs.Float64Var(&o.Arch.Beta, "beta", def.Beta, "vae: weight β of the KL term")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a memory profile (allocations and live heap) at the end to this file")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: train [flags]\n\nTrains an autoencoder x → E_θ → z → D_φ → x' on MNIST.\n\nnets:\n")
		for _, s := range nets.All() {
			fmt.Fprintf(stderr, "  %-10s %s (loss %s)\n", s.Name, s.Doc, s.Loss)
		}
		fmt.Fprintf(stderr, "\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Errorf("unexpected argument %q (flags start with -)", fs.Arg(0))}
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	h, err := parseInts(*hidden)
	if err != nil {
		return nil, usageError{fmt.Errorf("-hidden: %w", err)}
	}
	o.Arch.Hidden = h
	if o.resume != "" {
		return o, nil // checked against the checkpoint's configuration
	}
	return o, o.validate()
}

// validate checks the configuration before any work is done.
func (o *options) validate() error {
	c := o.Config
	bad := func(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }
	spec, err := nets.Lookup(c.Net)
	if err != nil {
		return usageError{fmt.Errorf("-net: %w", err)}
	}
	// The net's own sizes and training replace the general defaults unless given.
	own := spec.Config()
	if !o.set["latent"] {
		o.Arch.Latent = own.Latent
	}
	if !o.set["hidden"] {
		o.Arch.Hidden = own.Hidden
	}
	recipe := spec.Recipe()
	if !o.set["batch"] {
		o.Batch = recipe.Batch
	}
	if !o.set["schedule"] {
		o.Schedule = recipe.Schedule
	}
	if !o.set["wd"] {
		o.WeightDecay = recipe.WeightDecay
	}
	c = o.Config
	if c.Loss == "" {
		o.Loss = spec.Loss
	} else if _, err := graph.LossByName(c.Loss); err != nil {
		return usageError{fmt.Errorf("-loss: %w", err)}
	}
	switch {
	case c.Epochs < 1:
		return bad("-epochs %d: want ≥ 1", c.Epochs)
	case c.Batch < 1:
		return bad("-batch %d: want ≥ 1", c.Batch)
	case c.Arch.Latent < 1:
		return bad("-latent %d: want ≥ 1", c.Arch.Latent)
	case c.Arch.Beta < 0 || math.IsNaN(c.Arch.Beta):
		return bad("-beta %v: want ≥ 0", c.Arch.Beta)
	case c.Limit < 0:
		return bad("-limit %d: want ≥ 0 (0: all images)", c.Limit)
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return bad("-lr %v: want a finite number > 0", c.LR)
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0) || c.LR*c.WeightDecay >= 1:
		return bad("-wd %v: want a finite number ≥ 0 with lr·λ < 1", c.WeightDecay)
	case math.IsNaN(c.Arch.NoiseLevel) || math.IsInf(c.Arch.NoiseLevel, 0):
		return bad("-noise-level %v: want a finite number", c.Arch.NoiseLevel)
	case math.IsNaN(c.Arch.L1) || math.IsInf(c.Arch.L1, 0):
		return bad("-l1 %v: want a finite number", c.Arch.L1)
	}
	if _, err := graph.NewSolver(c.Solver, c.LR); err != nil {
		return usageError{fmt.Errorf("-solver: %w", err)}
	}
	if _, err := graph.ScheduleByName(c.Schedule); err != nil {
		return usageError{fmt.Errorf("-schedule: %w", err)}
	}
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "train: %v\n", err)
		} // the flag package has printed its own message
		return exitUsage
	}
	r, err := newRun(o, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		var u usageError
		if errors.As(err, &u) {
			return exitUsage
		}
		return exitFailed
	}
	stop, err := startProfiles(o.cpuprofile, o.memprofile)
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return exitUsage
	}
	err = r.train(ctx)
	if perr := stop(); perr != nil && err == nil {
		err = perr
	}
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	default:
		fmt.Fprintf(stderr, "train: %v\n", err)
		return exitFailed
	}
}

func defaultOut(net string) string {
	return filepath.Join("runs", net+"-"+time.Now().Format("20060102-150405"))
}

// names joins the names of a registry's entries, for flag help.
func names[T any](entries []T, name func(T) string) string {
	var out []string
	for _, e := range entries {
		out = append(out, name(e))
	}
	return strings.Join(out, ", ")
}

// perNet lists, for a flag's help, the nets with a default of their own:
// value gives a net's default, "" for none.
func perNet(value func(nets.Spec) string) string {
	var own []string
	for _, s := range nets.All() {
		if v := value(s); v != "" {
			own = append(own, s.Name+" "+v)
		}
	}
	if own == nil {
		return ""
	}
	return "; unless given, " + strings.Join(own, ", ")
}

// nonZero formats a per-net default, "" when it is 0 (not set).
func nonZero[T int | float64](v T) string {
	if v == 0 {
		return ""
	}
	return fmt.Sprint(v)
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func parseInts(s string) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var v []int
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || x < 1 {
			return nil, fmt.Errorf("%q is not a list of positive integers", s)
		}
		v = append(v, x)
	}
	return v, nil
}
