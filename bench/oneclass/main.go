// Command oneclass measures autoencoders as anomaly detectors with the
// one-class protocol of Ruff et al., "Deep One-Class Classification"
// (ICML 2018): for each class c, train on the training samples of c only,
// score every test sample by its reconstruction error, and report the AUROC
// with c as the normal class and every other class as anomalous.
//
//	go run ./bench/oneclass                      # the bundled MNIST, 3 seeds
//	go run ./bench/oneclass -data DIR -seeds 5 -o oneclass.csv
//
// Beside the autoencoder it runs two peers on the same data, preprocessing
// (the run's scale, fitted on the training samples of c) and protocol:
// PCA reconstruction error with -pca components (deterministic: one figure
// per class), and, when python3-sklearn is installed, Isolation Forest with
// 100 trees (iforest.py), one fit per seed.
//
// The table gives per class the mean ± standard deviation over seeds, and
// the mean over classes. -keep DIR keeps each run folder, so that
// `go run ./cmd/ae score -run DIR/c-seed` reproduces that figure.
package main

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/run"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := mainErr(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "oneclass: %v\n", err)
		os.Exit(1)
	}
}

// recipeEpochs is the one recipe's training length: the mlp with its own
// code size (32) and options, trained for 20 epochs, had the best mean
// AUROC on a validation split of MNIST's training images (bench/valsplit.py),
// against code sizes 16 and 64 and 10 epochs.
const recipeEpochs = 20

type options struct {
	data, net, keep, out string
	epochs, seeds, pca   int
	latent               int
	classes              []string
	iforest              bool
}

func mainErr(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("oneclass", flag.ContinueOnError)
	var o options
	var classes string
	fs.StringVar(&o.data, "data", "", "a labelled data folder or file that cmd/train reads (default: the bundled MNIST)")
	fs.StringVar(&o.net, "net", "mlp", "the autoencoder, with its own defaults")
	fs.IntVar(&o.epochs, "epochs", recipeEpochs, "training epochs per class and seed")
	fs.IntVar(&o.latent, "latent", 0, "the code size (0: the net's own)")
	fs.IntVar(&o.seeds, "seeds", 3, "seeds per class (1, 2, …)")
	fs.StringVar(&classes, "classes", "", "the normal classes to measure, comma-separated (default: every class)")
	fs.IntVar(&o.pca, "pca", 32, "components of the PCA peer (0: no PCA peer)")
	fs.BoolVar(&o.iforest, "iforest", true, "run the Isolation Forest peer when python3-sklearn is installed")
	fs.StringVar(&o.keep, "keep", "", "keep the run folders here, as CLASS-SEED")
	fs.StringVar(&o.out, "o", "", "also write every figure to this CSV file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case o.epochs < 1:
		return fmt.Errorf("-epochs %d: want at least 1", o.epochs)
	case o.seeds < 1:
		return fmt.Errorf("-seeds %d: want at least 1", o.seeds)
	case o.latent < 0:
		return fmt.Errorf("-latent %d: want 0 (the net's own) or more", o.latent)
	case o.pca < 0:
		return fmt.Errorf("-pca %d: want 0 (no PCA peer) or more components", o.pca)
	}
	if classes != "" {
		o.classes = strings.Split(classes, ",")
	}
	if o.data == "" {
		dir, err := datasets.DefaultDir()
		if err != nil {
			return err
		}
		o.data = dir
	}
	return bench(ctx, o, w)
}

// result is one detector's AUROC for one normal class and seed (seed 0:
// a deterministic detector).
type result struct {
	detector, class string
	seed            int
	auroc           float64
	seconds         float64
}

func bench(ctx context.Context, o options, w io.Writer) error {
	base, err := run.Defaults(o.net)
	if err != nil {
		return err
	}
	base.Data.Path, base.Train.Epochs = o.data, o.epochs
	if o.latent > 0 {
		base.Arch.Latent = o.latent
	}
	if err := base.Check(); err != nil {
		return err
	}
	all, err := base.LoadData()
	if err != nil {
		return err
	}
	if all.Test.Labels == nil {
		return fmt.Errorf("%s: the test samples have no labels", o.data)
	}
	if o.classes == nil {
		o.classes = all.Train.Classes
	}
	tmp, err := os.MkdirTemp("", "oneclass")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	keep := o.keep
	if keep == "" {
		keep = tmp
	} else if err := os.MkdirAll(keep, 0o755); err != nil {
		return err
	}

	start := time.Now()
	var results []result
	for _, class := range o.classes {
		c := base
		c.Data.Classes = []string{class}
		data, err := c.LoadData()
		if err != nil {
			return err
		}
		anomalous, err := data.Test.Outside([]string{class})
		if err != nil {
			return err
		}
		for seed := 1; seed <= o.seeds; seed++ {
			c.Train.Seed = uint64(seed)
			t0 := time.Now()
			auc, err := ours(ctx, filepath.Join(keep, fmt.Sprintf("%s-%d", class, seed)), c, data, anomalous)
			if err != nil {
				return fmt.Errorf("class %s, seed %d: %w", class, seed, err)
			}
			results = append(results, result{o.net, class, seed, auc, time.Since(t0).Seconds()})
			fmt.Fprintf(os.Stderr, "class %s seed %d: %s AUROC %.2f (%.0fs)\n", class, seed, o.net, 100*auc, time.Since(t0).Seconds())
		}
		if o.pca > 0 {
			t0 := time.Now()
			auc, err := pcaAUROC(data, o.pca, anomalous)
			if err != nil {
				return fmt.Errorf("class %s: PCA: %w", class, err)
			}
			results = append(results, result{fmt.Sprintf("pca-%d", o.pca), class, 0, auc, time.Since(t0).Seconds()})
		}
	}
	if o.iforest {
		t0 := time.Now()
		r, err := iforest(ctx, tmp, all, o)
		switch {
		case errors.Is(err, errNoSklearn):
			fmt.Fprintln(os.Stderr, "Isolation Forest: skipped (needs python3-sklearn: apt-get install python3-sklearn)")
		case err != nil:
			return fmt.Errorf("Isolation Forest: %w", err)
		default:
			results = append(results, r...)
			fmt.Fprintf(os.Stderr, "Isolation Forest: %.0fs\n", time.Since(t0).Seconds())
		}
	}
	table(w, o, results)
	fmt.Fprintf(w, "\n%s, code size %d: %d classes × %d seeds, %d epochs each, in %.1f min\n", o.net, base.Arch.Latent, len(o.classes), o.seeds, o.epochs, time.Since(start).Minutes())
	if o.out != "" {
		return writeCSV(o.out, results)
	}
	return nil
}

// ours trains c on data's training samples in dir and returns the AUROC of
// the test samples' reconstruction errors.
func ours(ctx context.Context, dir string, c run.Config, data *datasets.Data, anomalous []bool) (float64, error) {
	r, err := run.New(dir, c, data)
	if err != nil {
		return 0, err
	}
	defer r.Model.Close()
	for r.Trainer.Epoch < c.Train.Epochs {
		if _, err := r.Epoch(ctx, data.Train, data.Test, nil); err != nil {
			return 0, err
		}
	}
	if err := r.Save(); err != nil {
		return 0, err
	}
	return anomaly.AUROC(r.TestErrors, anomalous) // the last epoch's test errors
}

// pcaAUROC fits k principal components on data's training samples and
// returns the AUROC of the test samples' squared reconstruction errors.
func pcaAUROC(data *datasets.Data, k int, anomalous []bool) (float64, error) {
	d := data.Train.Dim()
	if k > d || k > data.Train.Len() {
		return 0, fmt.Errorf("%d components of %d samples of %d values", k, data.Train.Len(), d)
	}
	x := toDense(data.Train)
	var pc stat.PC
	if !pc.PrincipalComponents(x, nil) {
		return 0, errors.New("the decomposition failed")
	}
	var v mat.Dense
	pc.VectorsTo(&v)
	basis := v.Slice(0, d, 0, k)
	mean := make([]float64, d)
	for j := range d {
		mean[j] = stat.Mean(mat.Col(nil, j, x), nil)
	}
	t := toDense(data.Test)
	n, _ := t.Dims()
	for i := range n {
		row := t.RawRowView(i)
		for j := range row {
			row[j] -= mean[j]
		}
	}
	var z, back mat.Dense
	z.Mul(t, basis)
	back.Mul(&z, basis.T())
	scores := make([]float64, n)
	for i := range n {
		a, b := t.RawRowView(i), back.RawRowView(i)
		for j := range a {
			e := a[j] - b[j]
			scores[i] += e * e
		}
	}
	return anomaly.AUROC(scores, anomalous)
}

func toDense(s *datasets.Set) *mat.Dense {
	x := s.All()
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	return mat.NewDense(s.Len(), s.Dim(), f)
}

//go:embed iforest.py
var iforestPy []byte

var errNoSklearn = errors.New("no python3-sklearn")

// iforest runs iforest.py on every class and seed of o, on the data as the
// run scales it (pixels to [0, 1] for images), written to dir as .npy.
func iforest(ctx context.Context, dir string, all *datasets.Data, o options) ([]result, error) {
	python := "/usr/bin/python3" // Debian's, which python3-sklearn serves
	if _, err := os.Stat(python); err != nil {
		python = "python3"
	}
	if exec.Command(python, "-c", "import sklearn").Run() != nil {
		return nil, errNoSklearn
	}
	files := map[string]*datasets.Set{"train": all.Train, "test": all.Test}
	for name, s := range files {
		if err := datasets.WriteNpy(filepath.Join(dir, name+".npy"), s.All(), []int{s.Len(), s.Dim()}); err != nil {
			return nil, err
		}
		labels := make([]int32, s.Len())
		for i, l := range s.Labels {
			labels[i] = int32(l)
		}
		if err := datasets.WriteNpy(filepath.Join(dir, name+"-labels.npy"), labels, []int{s.Len()}); err != nil {
			return nil, err
		}
	}
	index := make([]string, len(o.classes))
	for i, c := range o.classes {
		index[i] = strconv.Itoa(slices.Index(all.Train.Classes, c))
	}
	script := filepath.Join(dir, "iforest.py")
	if err := os.WriteFile(script, iforestPy, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, python, script, dir, strings.Join(index, ","), strconv.Itoa(o.seeds))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var results []result
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var ci, seed int
		var auc, secs float64
		if _, err := fmt.Sscan(sc.Text(), &ci, &seed, &auc, &secs); err != nil {
			return nil, fmt.Errorf("iforest.py said %q: %w", sc.Text(), err)
		}
		results = append(results, result{"iforest", all.Train.Classes[ci], seed, auc, secs})
	}
	return results, nil
}

// table prints per class each detector's mean ± standard deviation of AUROC
// (%) over seeds, and the mean over classes.
func table(w io.Writer, o options, results []result) {
	var detectors []string
	for _, r := range results {
		if !slices.Contains(detectors, r.detector) {
			detectors = append(detectors, r.detector)
		}
	}
	fmt.Fprintf(w, "AUROC (%%), one class normal, the others anomalous: mean ± sd over seeds\n(the mean row: the mean and sd of the classes' means)\n\n%-8s", "class")
	for _, d := range detectors {
		fmt.Fprintf(w, " %14s", d)
	}
	fmt.Fprintln(w)
	means := make(map[string][]float64)
	for _, c := range append(slices.Clone(o.classes), "mean") {
		fmt.Fprintf(w, "%-8s", c)
		for _, d := range detectors {
			var v []float64
			if c == "mean" {
				v = means[d] // sd over classes' means
			} else {
				for _, r := range results {
					if r.detector == d && r.class == c {
						v = append(v, 100*r.auroc)
					}
				}
			}
			if len(v) == 0 {
				fmt.Fprintf(w, " %14s", "-")
				continue
			}
			m, sd := stat.MeanStdDev(v, nil)
			if len(v) == 1 || math.IsNaN(sd) {
				sd = 0
			}
			if c != "mean" {
				means[d] = append(means[d], m)
			}
			fmt.Fprintf(w, " %14s", fmt.Sprintf("%.2f ± %.2f", m, sd))
		}
		fmt.Fprintln(w)
	}
}

// writeCSV writes every figure to path atomically: a failure leaves any
// file already there as it was.
func writeCSV(path string, results []result) error {
	return atomicfile.WriteFunc(path, func(f *os.File) error {
		cw := csv.NewWriter(f)
		cw.Write([]string{"detector", "class", "seed", "auroc", "seconds"})
		for _, r := range results {
			cw.Write([]string{r.detector, r.class, strconv.Itoa(r.seed), strconv.FormatFloat(r.auroc, 'f', 6, 64), strconv.FormatFloat(r.seconds, 'f', 2, 64)})
		}
		cw.Flush()
		return cw.Error()
	})
}
