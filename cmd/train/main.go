// Command train trains an autoencoder and writes what it learned.
//
//	go run ./cmd/train                         # the mlp, k = 32, 10 epochs on MNIST
//	go run ./cmd/train -net linear -epochs 20  # PCA's equivalent
//	go run ./cmd/train -resume runs/mlp-…      # continue an interrupted run
//
// A run folder (package run) holds config.json, checkpoint.aeg, metrics.csv,
// recon.png, loss.png, latent.png, interp.png and (vae) samples.png, all
// rewritten atomically after every epoch. Every flag but -out, -resume and the
// profiles is a field of the run's configuration (run.Config), a net's own
// options included: the nets register them (nets.Spec.Options).
//
// Exit status: 0 done, 1 failed, 2 bad flags or input, 130 interrupted
// (Ctrl-C; the checkpoint is saved and -resume continues exactly).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/named"
	"github.com/aegraph/aegraph/internal/testhook"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

func main() {
	// Training makes little garbage (about 130 KB a step) beside about 70 MB
	// of live data, so a tighter collector costs nothing measurable and keeps
	// the peak memory of a run well under 200 MB.
	debug.SetGCPercent(50)
	if err := testhook.Install(os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "train: %v\n", err)
		os.Exit(exitUsage)
	}
	// A closed stdout (train … | head) makes writes fail instead of killing
	// the program: training goes on quietly, and every epoch is saved
	// before it is reported.
	signal.Ignore(syscall.SIGPIPE)
	// Ctrl-C, kill and a closed terminal save a checkpoint and stop; before
	// training starts nothing needs saving, so they stop at once, even in
	// the middle of reading the data.
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		for range signals {
			if !training.Load() {
				fmt.Fprintln(os.Stderr, "train: interrupted before training started; nothing was written")
				os.Exit(exitInterrupted)
			}
			cancel()
		}
	}()
	os.Exit(mainRun(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// training is set once the run has started writing its folder: from then on
// a signal saves a checkpoint before the program stops.
var training atomic.Bool

// Exit statuses.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError marks an error in the flags or the input, reported with status 2.
type usageError struct{ error }

// options are the parsed command line: the run's configuration and the
// flags that are not part of it.
type options struct {
	run.Config
	out, resume            string
	cpuprofile, memprofile string
	set                    map[string]bool // flags given explicitly
}

// common are the flags of run.Config's fields, in the order of -h; each
// takes the chosen net's default unless given (netDefault).
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{set: map[string]bool{}}
	def, _ := run.Defaults("mlp")
	c := &o.Config
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Net, "net", def.Net, "architecture: "+named.Names(nets.All(), func(s nets.Spec) string { return s.Name }))
	fs.IntVar(&c.Arch.Latent, "latent", nets.DefaultLatent, "code size k (conv: code channels)"+perNet(func(s nets.Spec) string { return nonZero(s.Latent) }))
	fs.IntVar(&c.Train.Epochs, "epochs", run.DefaultEpochs, "epochs to train (in total, when resuming)")
	fs.IntVar(&c.Train.Batch, "batch", train.DefaultBatch, "batch size"+perNet(func(s nets.Spec) string { return nonZero(s.Training.Batch) }))
	fs.Float64Var(&c.Train.LR, "lr", train.DefaultLR, "learning rate")
	fs.StringVar(&c.Train.Solver, "solver", train.DefaultSolver, "solver: "+named.Names(train.Solvers, func(s train.SolverSpec) string { return s.Name }))
	fs.Float64Var(&c.Train.WeightDecay, "wd", 0, "decoupled weight decay λ: every step first shrinks the weights by (1 − lr·λ), as AdamW"+
		perNet(func(s nets.Spec) string { return nonZero(s.Training.WeightDecay) }))
	fs.StringVar(&c.Train.Schedule, "schedule", train.DefaultSchedule, "learning-rate schedule over the run: "+named.Names(train.Schedules, func(s train.Schedule) string { return s.Name })+
		perNet(func(s nets.Spec) string { return s.Training.Schedule }))
	fs.StringVar(&c.Loss, "loss", "", "loss: "+named.Names(graph.Losses, func(l graph.Loss) string { return l.Name })+" (default: the net's own; mse for data outside [0, 1])")
	fs.Uint64Var(&c.Train.Seed, "seed", def.Train.Seed, "seed of initialisation, shuffling and noise")
	fs.StringVar(&c.Data.Path, "data", "", "the data: a folder of MNIST-format IDX files or of images (PNG, JPEG; class subfolders, train/ and test/), a .csv/.tsv file (optionally .gz) or a .npy file (default: the MNIST bundled with GoMNIST)")
	fs.StringVar(&c.Data.Test, "test", "", "a test set of its own, in the format of -data (default: the format's own, else -test-frac of -data held out)")
	fs.Float64Var(&c.Data.TestFrac, "test-frac", datasets.DefaultTestFrac, "the fraction of -data held out for testing (drawn by -seed) when there is no test set")
	fs.StringVar(&c.Data.Label, "label", "", `tables: the label column, by name or index from 0 (default: a column named "label", if any)`)
	fs.StringVar(&c.Data.Labels, "labels", "", ".npy data: a .npy file of its labels")
	fs.StringVar(&c.Data.TestLabels, "test-labels", "", ".npy test data: a .npy file of its labels")
	resize := fs.String("resize", "", "image folders: scale every image to WxH pixels, e.g. 32x32")
	classes := fs.String("classes", "", "train on the samples of these classes only, comma-separated names (or indices); the test set keeps every class")
	fs.StringVar(&c.Data.Scale, "scale", "", "how values become the net's inputs, fitted on the training samples: "+strings.Join(datasets.Scales, ", ")+" (default: pixel for images, x/255; standard for tables, (x − mean)/sd per column)")
	fs.IntVar(&c.Data.Limit, "limit", 0, "train on the first N training samples only (0: all)")
	fs.StringVar(&o.out, "out", "", "run folder (default runs/<net>-<time>-<pid>)")
	fs.StringVar(&o.resume, "resume", "", "continue the run in this folder from its checkpoint")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	fs.StringVar(&o.memprofile, "memprofile", "", "write a memory profile (allocations and live heap) at the end to this file")
	netOpts := optionFlags(fs)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: train [flags]\n\nTrains an autoencoder x → E_θ → z → D_φ → x' (on MNIST unless -data says otherwise).\n\nnets:\n")
		for _, s := range nets.All() {
			fmt.Fprintf(w, "  %-10s %s (loss %s)\n", s.Name, s.Doc, s.Loss)
		}
		fmt.Fprintf(w, "\nflags:\n")
		fs.PrintDefaults()
	}
	// The flag package's errors, as one line: the whole usage only for -h.
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
			return nil, err
		}
		return nil, usageError{fmt.Errorf("%w (train -h lists the flags)", err)}
	}
	fs.SetOutput(stderr)
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Errorf("unexpected argument %q (flags start with -)", fs.Arg(0))}
	}
	fs.Visit(func(f *flag.Flag) { o.set[f.Name] = true })
	if *resize != "" {
		var w, h int
		if _, err := fmt.Sscanf(*resize, "%dx%d", &w, &h); err != nil || fmt.Sprintf("%dx%d", w, h) != *resize {
			return nil, usageError{fmt.Errorf("-resize %q: want WIDTHxHEIGHT, e.g. 32x32", *resize)}
		}
		c.Data.Resize = []int{w, h}
	}
	if *classes != "" {
		for _, name := range strings.Split(*classes, ",") {
			if name = strings.TrimSpace(name); name == "" {
				return nil, usageError{fmt.Errorf("-classes %q: an empty class name", *classes)}
			}
			c.Data.Classes = append(c.Data.Classes, strings.TrimSpace(name))
		}
	}
	// Profiles are written at the end: a path that cannot be is refused now.
	for flag, path := range map[string]string{"cpuprofile": o.cpuprofile, "memprofile": o.memprofile} {
		if path != "" {
			dir := filepath.Dir(path)
			if info, err := os.Stat(dir); err != nil || !info.IsDir() {
				return nil, usageError{fmt.Errorf("-%s %s: the folder %s does not exist", flag, path, dir)}
			}
			if err := run.CheckWritable(dir); err != nil {
				return nil, usageError{fmt.Errorf("-%s %s: %w", flag, path, err)}
			}
		}
	}
	if o.resume != "" {
		return o, nil // checked against the checkpoint's configuration
	}
	return o, o.complete(netOpts)
}

// optionFlags declares one flag per net option (several nets may share
// one, such as hidden) and returns their values as given, by name. The help
// names the nets that have the option, with their defaults.
func optionFlags(fs *flag.FlagSet) map[string]*string {
	given := map[string]*string{}
	for _, s := range nets.All() {
		for _, opt := range s.Options {
			if _, ok := given[opt.Name]; ok {
				continue
			}
			var names, defaults []string
			byDefault := map[string][]string{}
			for _, t := range nets.All() {
				if o, ok := t.Option(opt.Name); ok {
					names = append(names, t.Name)
					d := nets.Format(o.Default)
					if byDefault[d] == nil {
						defaults = append(defaults, d)
					}
					byDefault[d] = append(byDefault[d], t.Name)
				}
			}
			def := "default " + defaults[0]
			if len(defaults) > 1 {
				var parts []string
				for _, d := range defaults {
					parts = append(parts, strings.Join(byDefault[d], ", ")+" "+d)
				}
				def = "default: " + strings.Join(parts, "; ")
			}
			v := new(string)
			given[opt.Name] = v
			fs.StringVar(v, opt.Name, "", fmt.Sprintf("%s: %s (%s)", strings.Join(names, ", "), opt.Doc, def))
		}
	}
	return given
}

// complete fills in, for the flags not given, the chosen net's defaults,
// and checks the whole configuration.
func (o *options) complete(netOpts map[string]*string) error {
	def, err := run.Defaults(o.Net)
	if err != nil {
		return usageError{prefix(err)}
	}
	given := o.Config
	o.Config = def
	c := &o.Config
	for flag, apply := range map[string]func(){
		"latent":      func() { c.Arch.Latent = given.Arch.Latent },
		"epochs":      func() { c.Train.Epochs = given.Train.Epochs },
		"batch":       func() { c.Train.Batch = given.Train.Batch },
		"lr":          func() { c.Train.LR = given.Train.LR },
		"solver":      func() { c.Train.Solver = given.Train.Solver },
		"wd":          func() { c.Train.WeightDecay = given.Train.WeightDecay },
		"schedule":    func() { c.Train.Schedule = given.Train.Schedule },
		"loss":        func() { c.Loss = given.Loss },
		"seed":        func() { c.Train.Seed = given.Train.Seed },
		"data":        func() { c.Data.Path = given.Data.Path },
		"test":        func() { c.Data.Test = given.Data.Test },
		"test-frac":   func() { c.Data.TestFrac = given.Data.TestFrac },
		"label":       func() { c.Data.Label = given.Data.Label },
		"labels":      func() { c.Data.Labels = given.Data.Labels },
		"test-labels": func() { c.Data.TestLabels = given.Data.TestLabels },
		"resize":      func() { c.Data.Resize = given.Data.Resize },
		"classes":     func() { c.Data.Classes = given.Data.Classes },
		"scale":       func() { c.Data.Scale = given.Data.Scale },
		"limit":       func() { c.Data.Limit = given.Data.Limit },
	} {
		if o.set[flag] {
			apply()
		}
	}
	spec, _ := nets.Lookup(c.Net)
	names := make([]string, 0, len(netOpts))
	for name := range netOpts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !o.set[name] {
			continue
		}
		opt, ok := spec.Option(name)
		if !ok {
			return usageError{fmt.Errorf("-%s: the %s net has no such option (its options: %s)", name, c.Net, optionNames(spec))}
		}
		v, err := opt.Parse(*netOpts[name])
		if err != nil {
			return usageError{fmt.Errorf("-%w", err)}
		}
		c.Arch.Options[name] = v
	}
	// Paths are recorded absolute, so that the run resumes from anywhere.
	for _, p := range []*string{&c.Data.Path, &c.Data.Test, &c.Data.Labels, &c.Data.TestLabels} {
		if *p != "" {
			abs, err := filepath.Abs(*p)
			if err != nil {
				return usageError{err}
			}
			*p = abs
		}
	}
	if err := c.Check(); err != nil {
		if c.Train.LR*c.Train.WeightDecay >= 1 && !o.set["wd"] {
			// The weight decay is the net's own: the rate is what was given.
			return usageError{fmt.Errorf("-lr %v: with the %s net's weight decay %v, want lr·wd < 1 (a smaller -lr, or -wd)", c.Train.LR, c.Net, c.Train.WeightDecay)}
		}
		return usageError{prefix(err)}
	}
	return nil
}

func optionNames(s nets.Spec) string {
	if len(s.Options) == 0 {
		return "none"
	}
	return named.Names(s.Options, func(o nets.Option) string { return o.Name })
}

// prefix turns a configuration error, which starts with a field's name, into
// one about its flag: "epochs 0: want ≥ 1" → "-epochs 0: want ≥ 1".
func prefix(err error) error {
	if run.IsConfigError(err) {
		return fmt.Errorf("-%w", err)
	}
	return err
}

func mainRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return exitUsage
	}
	t, err := newTrainer(o, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", prefix(err))
		var u usageError
		if errors.As(err, &u) || run.IsConfigError(err) {
			return exitUsage
		}
		return exitFailed
	}
	stop, err := startProfiles(o.cpuprofile, o.memprofile)
	if err != nil {
		fmt.Fprintf(stderr, "train: %v\n", err)
		return exitUsage
	}
	err = t.train(ctx)
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
		var u usageError
		if errors.As(err, &u) {
			return exitUsage
		}
		return exitFailed
	}
}

// defaultOut is a new run's folder: the net, the time and the process id, so
// that runs started in the same second get folders of their own.
func defaultOut(net string) string {
	return filepath.Join("runs", fmt.Sprintf("%s-%s-%d", net, time.Now().Format("20060102-150405"), os.Getpid()))
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
