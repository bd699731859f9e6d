// Command ae puts a trained autoencoder to work: any run folder written by
// `go run ./cmd/train` (or by package run) is a model that encodes,
// reconstructs, scores, samples and serves.
//
//	go run ./cmd/ae info RUN
//	go run ./cmd/ae encode -run RUN [-data PATH] -o codes.csv|codes.npy
//	go run ./cmd/ae reconstruct -run RUN [-data PATH] -o recon.png|DIR/|recon.csv|recon.npy
//	go run ./cmd/ae score -run RUN [-data PATH] -o scores.csv [-contamination p | -threshold t] [-normal a,b] [-features] [-anomalies a.png]
//	go run ./cmd/ae sample -run RUN -n 64 -o samples.png|samples.npy|samples.csv
//	go run ./cmd/ae interpolate -run RUN [-data PATH] -from I -to J [-steps 10] -o interp.png|interp.csv
//	go run ./cmd/ae serve -run RUN [-addr 127.0.0.1:8080]
//
// -data reads what cmd/train's -data reads, through the run's stored scale;
// without it, the run's own test set. Outputs are written atomically and
// an existing file is kept unless -force is given.
//
// Exit status: 0 done, 1 failed, 2 bad flags, run folder or data.
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
	"regexp"
	"strings"
	"syscall"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/internal/testhook"
	"github.com/aegraph/aegraph/run"
)

// Exit statuses.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
	// exitInterrupted: stopped by SIGINT, SIGTERM or SIGHUP
	exitInterrupted = 130
)

// usageError marks an error in the flags or the input: exit status 2.
type usageError struct{ error }

// command is one subcommand: its flags are declared on fs by setup, then
// do runs it.
type command struct {
	name, args, doc string
	run             func(ctx context.Context, e *env, args []string) error
}

// env is what every command reports to.
type env struct {
	stdout, stderr io.Writer
}

var commands = []command{
	{"info", "RUN", "the run's net, sizes, options, data, scale, epochs and last metrics", runInfo},
	{"encode", "-run RUN [-data PATH] -o codes.csv|.npy", "one row per sample: index, label, code z", runEncode},
	{"reconstruct", "-run RUN [-data PATH] -o recon.png|DIR/|.csv|.npy", "reconstructions in the data's own units", runReconstruct},
	{"score", "-run RUN [-data PATH] -o scores.csv [-contamination p|-threshold t] [-normal CLASSES]", "per-sample anomaly scores; AUROC and AP when labels are known", runScore},
	{"sample", "-run RUN -n N -o samples.png|.npy|.csv", "decoded codes z ~ N(0, I) (generative nets)", runSample},
	{"interpolate", "-run RUN [-data PATH] -from I -to J [-steps K] -o interp.png|.csv", "the decoded line between two samples' codes", runInterpolate},
	{"serve", "-run RUN [-addr 127.0.0.1:8080]", "an HTTP JSON API: POST /encode, /reconstruct, /score; GET /info, /healthz", runServe},
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "usage: ae COMMAND [flags]\n\nPuts a trained autoencoder (a run folder of cmd/train) to work.\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n               %s\n", c.name, c.args, c.doc)
	}
	fmt.Fprintf(w, "\n`ae COMMAND -h` lists a command's flags.\n")
}

func main() {
	if err := testhook.Install(os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "ae: %v\n", err)
		os.Exit(exitUsage)
	}
	ctx := context.Background()
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		// The server finishes the requests under way.
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		defer stop()
	} else {
		// Every other command stops at once, whatever it is doing (reading
		// data, computing, writing): the outputs under way are removed, those
		// complete stay (each is written whole or not at all).
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		go func() {
			sig := <-signals
			atomicfile.Abort()
			fmt.Fprintf(os.Stderr, "ae %s: interrupted (%v); no output was left half-written\n", os.Args[1], sig)
			os.Exit(exitInterrupted)
		}()
	}
	os.Exit(mainRun(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func mainRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, &env{stdout, stderr}, args[1:])
		var u usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errFlagParse):
			return exitUsage // the flag package has said what
		case errors.As(err, &u):
			fmt.Fprintf(stderr, "ae %s: %v\n", c.name, err)
			return exitUsage
		default:
			fmt.Fprintf(stderr, "ae %s: %v\n", c.name, err)
			return exitFailed
		}
	}
	fmt.Fprintf(stderr, "ae: unknown command %q (have info, encode, reconstruct, score, sample, interpolate, serve)\n", args[0])
	return exitUsage
}

// errFlagParse is a flag error that the flag package has printed.
var errFlagParse = errors.New("bad flags")

// flags is a command's flag set with the flags most commands share.
type flags struct {
	*flag.FlagSet
	run, data, out, part string
	label, labels        string
	force                bool
}

func newFlags(name string, e *env, withData, withOut bool) *flags {
	f := &flags{FlagSet: flag.NewFlagSet("ae "+name, flag.ContinueOnError)}
	f.SetOutput(e.stderr)
	f.StringVar(&f.run, "run", "", "the run folder (written by cmd/train)")
	if withData {
		f.StringVar(&f.data, "data", "", "the data: anything cmd/train's -data reads (default: the run's own test set)")
		f.StringVar(&f.part, "part", "test", "of data with a split of its own (IDX files, train/ and test/): test or train")
		f.StringVar(&f.label, "label", "", "tables: the label column (default: the run's)")
		f.StringVar(&f.labels, "labels", "", ".npy data: a .npy file of its labels")
	}
	if withOut {
		f.StringVar(&f.out, "o", "", "the output file")
		f.BoolVar(&f.force, "force", false, "overwrite the output if it exists")
	}
	return f
}

// parse parses args and checks the shared flags.
func (f *flags) parse(args []string, needOut bool) error {
	if err := f.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errFlagParse
	}
	if f.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (flags start with -)", f.Arg(0))}
	}
	if f.run == "" {
		return usageError{errors.New("-run: give the run folder")}
	}
	if f.part != "" && f.part != "test" && f.part != "train" {
		return usageError{fmt.Errorf("-part %q: want test or train", f.part)}
	}
	if needOut {
		if f.out == "" {
			return usageError{errors.New("-o: give the output file")}
		}
		if err := checkOutput(f.out, f.force); err != nil {
			return usageError{err}
		}
	}
	return nil
}

// checkOutput refuses an output path that exists (unless force) or whose
// folder does not exist, before any work.
func checkOutput(path string, force bool) error {
	dir := filepath.Dir(strings.TrimSuffix(path, "/"))
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return fmt.Errorf("-o %s: the folder %s does not exist", path, dir)
	}
	info, err = os.Stat(path)
	if err != nil {
		return nil
	}
	if !force {
		return fmt.Errorf("-o %s exists: give -force to overwrite it, or another -o", path)
	}
	if info.IsDir() {
		// -force replaces a folder of PNGs that ae wrote, nothing else.
		entries, err := os.ReadDir(path)
		if err != nil {
			return fmt.Errorf("-o %s: %w", path, err)
		}
		for _, e := range entries {
			if !pngName.MatchString(e.Name()) {
				return fmt.Errorf("-o %s holds %s, which ae did not write: give a new or empty folder", path, e.Name())
			}
		}
	}
	return nil
}

// pngName matches the names of the PNGs that ae writes into a folder.
var pngName = regexp.MustCompile(`^[0-9]{5,}\.png$`)

// open opens the run folder.
func (f *flags) open() (*run.Run, error) {
	r, err := run.Open(f.run)
	if err != nil {
		return nil, usageError{fmt.Errorf("-run %w", err)}
	}
	return r, nil
}

// read reads the data for the run's model.
func (f *flags) read(r *run.Run) (*datasets.Set, string, error) {
	s, from, err := r.ReadData(datasets.Spec{Path: f.data, Label: f.label, Labels: f.labels}, f.part)
	if err != nil {
		return nil, "", usageError{fmt.Errorf("-data: %w", err)}
	}
	return s, from, nil
}

// openRead opens the run folder and reads the data for its model; the
// caller closes the model.
func (f *flags) openRead() (*run.Run, *datasets.Set, string, error) {
	r, err := f.open()
	if err != nil {
		return nil, nil, "", err
	}
	s, from, err := f.read(r)
	if err != nil {
		r.Model.Close()
		return nil, nil, "", err
	}
	return r, s, from, nil
}
