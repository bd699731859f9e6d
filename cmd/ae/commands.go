package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/internal/atomicfile"
	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/plots"
	"github.com/aegraph/aegraph/run"
)

func runInfo(_ context.Context, e *env, args []string) error {
	f := newFlags("info", e, false, false)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args = append([]string{"-run", args[0]}, args[1:]...) // ae info RUN
	}
	if err := f.parse(args, false); err != nil {
		return err
	}
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	c := r.Config
	w := e.stdout
	fmt.Fprintf(w, "run      %s\n", r.Dir)
	fmt.Fprintf(w, "net      %s: input %v (%d values), code %v (%d values), %d parameters\n",
		c.Net, c.Arch.Input, r.Model.Dim, r.Model.Code, r.Model.CodeSize(), r.Model.Params.Size())
	if len(c.Arch.Options) > 0 {
		fmt.Fprintf(w, "options  %v\n", c.Arch.Options)
	}
	fmt.Fprintf(w, "loss     %s (values %s)\n", c.Loss, c.Arch.Values)
	fmt.Fprintf(w, "training %s, lr %g, %s schedule, wd %g, batch %d, seed %d, %d epochs planned\n",
		c.Train.Solver, c.Train.LR, c.Train.Schedule, c.Train.WeightDecay, c.Train.Batch, c.Train.Seed, c.Train.Epochs)
	fmt.Fprintf(w, "data     %s; test set: %s\n", c.DataName(), c.TestFrom)
	if c.Data.Classes != nil {
		fmt.Fprintf(w, "trained on the classes %q only\n", c.Data.Classes)
	}
	if c.Classes != nil {
		fmt.Fprintf(w, "classes  %q\n", c.Classes)
	}
	sc := r.Scale()
	fmt.Fprintf(w, "scale    %s", sc.Kind)
	if len(sc.Shift) > 0 {
		fmt.Fprintf(w, " (%d features)", len(sc.Shift))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "epochs   %d trained", len(r.History))
	if n := len(r.History); n > 0 {
		m := r.History[n-1]
		fmt.Fprintf(w, "; last: train loss %.6g, test loss %.6g, test MSE %.6g", m.TrainLoss, m.TestLoss, m.TestMSE)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "kernels  %s: the same bits on every path\n", isa.Describe())
	return nil
}

// labelsOf returns the class name of each sample of s, or nil.
func labelsOf(s *datasets.Set) []string {
	if s.Labels == nil {
		return nil
	}
	out := make([]string, s.Len())
	for i, l := range s.Labels {
		out[i] = s.Classes[l]
	}
	return out
}

func runEncode(_ context.Context, e *env, args []string) error {
	f := newFlags("encode", e, true, true)
	logvar := f.Bool("logvar", false, "vae: also log σ² of q(z|x), beside z = μ")
	if err := f.parse(args, true); err != nil {
		return err
	}
	r, s, from, err := f.openRead()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	k := r.Model.CodeSize()
	z, err := e.mapSet("encoding", s, k, r.Model.Encode)
	if err != nil {
		return err
	}
	columns := make([]string, k)
	for j := range columns {
		columns[j] = fmt.Sprintf("z%d", j+1)
	}
	if *logvar {
		lv, err := e.mapSet("log σ² of", s, k, func(x []float32) ([]float32, error) {
			return r.Model.EncodeOutput(x, "logvar")
		})
		if err != nil {
			return usageError{fmt.Errorf("-logvar: net %s: %w", r.Config.Net, err)}
		}
		both := make([]float32, 0, 2*len(z))
		for i := range s.Len() {
			both = append(append(both, z[i*k:(i+1)*k]...), lv[i*k:(i+1)*k]...)
		}
		for j := range k {
			columns = append(columns, fmt.Sprintf("logvar%d", j+1))
		}
		z = both
	}
	if err := writeTable(f.out, columns, z, labelsOf(s), true); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "encoded %d samples of %s into %d-value codes: %s\n", s.Len(), from, k, f.out)
	return nil
}

// writeTable writes rows of values by the output's ending: .csv (with an
// index column when indexed, and a label column when labels is not nil) or
// .npy (the values only).
func writeTable(path string, columns []string, values []float32, labels []string, indexed bool) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		if indexed {
			d := len(columns)
			n := len(values) / d
			with := make([]float32, 0, n*(d+1))
			for i := range n {
				with = append(with, float32(i))
				with = append(with, values[i*d:(i+1)*d]...)
			}
			values, columns = with, append([]string{"index"}, columns...)
		}
		return datasets.WriteCSV(path, columns, values, labels)
	case ".npy":
		return datasets.WriteNpy(path, values, []int{len(values) / len(columns), len(columns)})
	}
	return usageError{fmt.Errorf("-o %s: want a .csv or .npy file", path)}
}

// isImages reports whether samples of this shape can be drawn as images.
func isImages(shape []int) bool {
	return len(shape) == 3 && (shape[0] == 1 || shape[0] == 3)
}

// toPixels turns values in the data's own units (pixel values) into bytes.
func toPixels(v []float32) []uint8 {
	out := make([]uint8, len(v))
	for i, x := range v {
		out[i] = uint8(math.Round(max(0, min(255, float64(x)))))
	}
	return out
}

// writeSamples writes samples in the data's own units by the output's
// ending: a .png grid (images), a folder of PNGs (a path ending in /, one
// per sample), or a .csv or .npy table of the values.
func writeSamples(path string, r *run.Run, x []float32, labels []string, perRow int) error {
	shape := r.Model.Shape
	d := r.Model.Dim
	n := len(x) / d
	switch {
	case strings.HasSuffix(path, "/") || strings.HasSuffix(path, string(filepath.Separator)):
		if !isImages(shape) {
			return usageError{fmt.Errorf("-o %s: one PNG per sample needs images, and the model takes samples of shape %v", path, shape)}
		}
		px := toPixels(x)
		return atomicfile.WriteDir(path, func(dir string) error {
			for i := range n {
				if err := datasets.WritePNG(filepath.Join(dir, fmt.Sprintf("%05d.png", i)), px[i*d:(i+1)*d], shape); err != nil {
					return err
				}
			}
			return nil
		})
	case strings.EqualFold(filepath.Ext(path), ".png"):
		if !isImages(shape) {
			return usageError{fmt.Errorf("-o %s: a picture needs images, and the model takes samples of shape %v: write a .csv or .npy", path, shape)}
		}
		v := make([]float32, len(x))
		for i, p := range x {
			v[i] = p / 255
		}
		rows := (n + perRow - 1) / perRow
		var buf bytes.Buffer
		if err := plots.Grid(&buf, v, shape, rows, min(n, perRow), 2); err != nil {
			return err
		}
		return atomicfile.Write(path, buf.Bytes())
	}
	columns := make([]string, d)
	for j := range columns {
		columns[j] = fmt.Sprintf("x%d", j+1)
	}
	if c := r.Config.Arch.Input; len(c) == 1 && r.Config.Data.Path != "" {
		// A table's own column names, when the run's data gives them.
		if data, _, err := r.ReadData(datasets.Spec{}, "test"); err == nil && len(data.Columns) == d {
			columns = data.Columns
		}
	}
	return writeTable(path, columns, x, labels, false)
}

func runReconstruct(_ context.Context, e *env, args []string) error {
	f := newFlags("reconstruct", e, true, true)
	if err := f.parse(args, true); err != nil {
		return err
	}
	r, s, from, err := f.openRead()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	x, err := e.mapSet("reconstructing", s, r.Model.Dim, r.Model.Reconstruct)
	if err != nil {
		return err
	}
	r.Scale().Invert(x)
	if err := writeSamples(f.out, r, x, labelsOf(s), 16); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reconstructed %d samples of %s: %s\n", s.Len(), from, f.out)
	return nil
}

func runScore(_ context.Context, e *env, args []string) error {
	f := newFlags("score", e, true, true)
	contamination := f.Float64("contamination", 0, "flag the samples scoring above the (1 − p) quantile of the training samples' scores, p in (0, 0.5]")
	threshold := f.Float64("threshold", math.NaN(), "flag the samples scoring above this")
	normal := f.String("normal", "", "the normal classes, comma-separated, for AUROC and average precision (default: the classes the run trained on, -classes)")
	picture := f.String("anomalies", "", "also draw the 8 highest-scoring samples above the 8 lowest, with their reconstructions and error maps, to this .png (images only)")
	histogram := f.String("histogram", "", "also draw the scores of the normal samples against those of the anomalous ones (which needs labels) to this .png")
	features := f.Bool("features", false, "also a column per input value: its squared error (x − x')² in the scaled units whose mean is the error, to see where a sample is anomalous")
	by := f.String("score", "error", "the score that -contamination and -threshold and the measures use: error (reconstruction), or loss (the model's loss per sample; a vae's −ELBO)")
	if err := f.parse(args, true); err != nil {
		return err
	}
	setC := f.isSet("contamination")
	switch {
	case !strings.EqualFold(filepath.Ext(f.out), ".csv"):
		return usageError{fmt.Errorf("-o %s: want a .csv file", f.out)}
	case setC && f.isSet("threshold"):
		return usageError{fmt.Errorf("-contamination and -threshold: give one")}
	case setC && !(*contamination > 0 && *contamination <= 0.5):
		return usageError{fmt.Errorf("-contamination %v: want a share in (0, 0.5]", *contamination)}
	case f.isSet("threshold") && (math.IsNaN(*threshold) || math.IsInf(*threshold, 0)):
		return usageError{fmt.Errorf("-threshold %v: want a finite number", *threshold)}
	case *by != "error" && *by != "loss":
		return usageError{fmt.Errorf("-score %q: want error or loss", *by)}
	}
	for _, o := range []struct{ flag, path string }{{"anomalies", *picture}, {"histogram", *histogram}} {
		if o.path == "" {
			continue
		}
		if !strings.EqualFold(filepath.Ext(o.path), ".png") {
			return usageError{fmt.Errorf("-%s %s: want a .png file", o.flag, o.path)}
		}
		if err := checkOutput(o.path, f.force); err != nil {
			return usageError{fmt.Errorf("-%s %w", o.flag, err)}
		}
	}
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	if *picture != "" && !isImages(r.Model.Shape) {
		return usageError{fmt.Errorf("-anomalies %s: a picture needs images, and the model takes samples of shape %v", *picture, r.Model.Shape)}
	}
	var normals []string
	if *normal != "" {
		normals = strings.Split(*normal, ",")
		for _, c := range normals {
			if !slices.Contains(r.Config.Classes, c) {
				return usageError{fmt.Errorf("-normal %s: no such class in the run (its classes are %q)", c, r.Config.Classes)}
			}
		}
	} else {
		normals = r.Config.Data.Classes
	}
	if *histogram != "" && normals == nil {
		return usageError{fmt.Errorf("-histogram %s: which classes are normal? give -normal (the run was not trained with -classes)", *histogram)}
	}
	s, from, err := f.read(r)
	if err != nil {
		return err
	}
	if *histogram != "" && s.Labels == nil {
		return usageError{fmt.Errorf("-histogram %s: %s has no labels to tell normal samples from anomalous ones", *histogram, from)}
	}
	var anomalous []bool // known when s has labels and the normal classes are known
	if s.Labels != nil && normals != nil {
		if anomalous, err = s.Outside(normals); err != nil {
			return usageError{fmt.Errorf("the normal classes: %s: %w", from, err)}
		}
	}
	withLoss := *by == "loss"
	if spec, err := nets.Lookup(r.Config.Net); err == nil && spec.Generative {
		withLoss = true // a vae's −ELBO is always worth a column
	}
	scores, losses, err := e.score(r, s, withLoss, "scoring")
	if err != nil {
		return err
	}
	pick := scores
	if *by == "loss" {
		pick = losses
	}
	t, flagged := *threshold, f.isSet("threshold")
	if setC {
		train, _, err := r.ReadData(datasets.Spec{}, "train")
		if err != nil {
			return fmt.Errorf("the run's training samples, for -contamination: %w", err)
		}
		ts, tl, err := e.score(r, train, *by == "loss", "scoring the training samples:")
		if err != nil {
			return err
		}
		if *by == "loss" {
			ts = tl
		}
		if t, err = anomaly.Threshold(ts, *contamination); err != nil {
			return usageError{err}
		}
		flagged = true
	}
	columns := []string{"error"}
	if losses != nil {
		columns = append(columns, "loss")
	}
	if flagged {
		columns = append(columns, "anomaly")
	}
	var perValue []float32
	d := r.Model.Dim
	if *features {
		if perValue, err = e.featureErrors(r, s); err != nil {
			return err
		}
		names := s.Columns
		if len(names) != d {
			names = make([]string, d)
			for j := range names {
				names[j] = fmt.Sprintf("x%d", j+1)
			}
		}
		for _, n := range names {
			columns = append(columns, "error_"+n)
		}
	}
	values := make([]float32, 0, s.Len()*len(columns))
	count := 0
	for i := range scores {
		values = append(values, float32(scores[i]))
		if losses != nil {
			values = append(values, float32(losses[i]))
		}
		if flagged {
			a := float32(0)
			if pick[i] > t {
				a, count = 1, count+1
			}
			values = append(values, a)
		}
		if perValue != nil {
			values = append(values, perValue[i*d:(i+1)*d]...)
		}
	}
	if err := writeTable(f.out, columns, values, labelsOf(s), true); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "scored %d samples of %s (score: %s): %s\n", s.Len(), from, *by, f.out)
	if *picture != "" {
		if err := atomicfile.WriteFunc(*picture, func(f *os.File) error { return r.DrawAnomalies(f, s, pick, 8) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "the most anomalous and the most normal samples: %s\n", *picture)
	}
	if flagged {
		fmt.Fprintf(e.stdout, "threshold %.6g: %d of %d samples flagged as anomalous\n", t, count, s.Len())
	}
	if anomalous != nil {
		auc, err := anomaly.AUROC(pick, anomalous)
		if err != nil { // all normal, or all anomalous: nothing to rank
			fmt.Fprintf(e.stdout, "normal classes %q: no AUROC: %v\n", normals, err)
			if *histogram != "" {
				return fmt.Errorf("-histogram %s: not drawn: %w", *histogram, err)
			}
			return nil
		}
		if *histogram != "" {
			if !flagged {
				t = math.NaN()
			}
			title := fmt.Sprintf("%s scores of %s", *by, from)
			if err := atomicfile.WriteFunc(*histogram, func(f *os.File) error { return plots.Scores(f, title, pick, anomalous, t) }); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "the scores of normal and anomalous samples: %s\n", *histogram)
		}
		ap, _ := anomaly.AveragePrecision(pick, anomalous)
		fmt.Fprintf(e.stdout, "normal classes %q: AUROC %.4f, average precision %.4f\n", normals, auc, ap)
	}
	return nil
}

// score returns each sample's reconstruction error and, if withLoss, its
// loss (a vae's −ELBO with z = μ).
func (e *env) score(r *run.Run, s *datasets.Set, withLoss bool, what string) (errs, losses []float64, err error) {
	err = e.inPieces(fmt.Sprintf("%s %d samples", what, s.Len()), s.Len(), func(lo, hi int) error {
		part := span(s, lo, hi)
		pe, err := r.Model.Errors(part, run.EvalBatch)
		if err != nil {
			return err
		}
		errs = append(errs, pe...)
		if withLoss {
			pl, err := r.Model.SampleLosses(part)
			if err != nil {
				return err
			}
			losses = append(losses, pl...)
		}
		return nil
	})
	return errs, losses, err
}

// isSet reports whether the flag was given.
func (f *flags) isSet(name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

func runSample(_ context.Context, e *env, args []string) error {
	f := newFlags("sample", e, false, true)
	n := f.Int("n", 64, "how many samples")
	seed := f.Uint64("seed", 1, "seed of the codes z ~ N(0, I)")
	if err := f.parse(args, true); err != nil {
		return err
	}
	if *n < 1 || *n > 1<<20 {
		return usageError{fmt.Errorf("-n %d: want 1 to %d", *n, 1<<20)}
	}
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	x, err := r.Sample(*n, *seed)
	if err == run.ErrNotGenerative {
		return usageError{fmt.Errorf("-run %s (net %s): %w", r.Dir, r.Config.Net, err)}
	}
	if err != nil {
		return err
	}
	if err := writeSamples(f.out, r, x, nil, 8); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d samples: %s\n", *n, f.out)
	return nil
}

func runInterpolate(_ context.Context, e *env, args []string) error {
	f := newFlags("interpolate", e, true, true)
	from := f.Int("from", 0, "index of the first sample")
	to := f.Int("to", 1, "index of the last sample")
	steps := f.Int("steps", 10, "points on the line, ends included")
	if err := f.parse(args, true); err != nil {
		return err
	}
	if *steps < 2 || *steps > 1000 {
		return usageError{fmt.Errorf("-steps %d: want 2 to 1000", *steps)}
	}
	r, s, src, err := f.openRead()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	for _, i := range []int{*from, *to} {
		if i < 0 || i >= s.Len() {
			return usageError{fmt.Errorf("sample %d: %s has samples 0 to %d", i, src, s.Len()-1)}
		}
	}
	ends := make([]float32, 2*s.Dim())
	s.Batch(ends, []int{*from, *to})
	z, err := r.Model.Encode(ends)
	if err != nil {
		return err
	}
	k := r.Model.CodeSize()
	path := make([]float32, 0, *steps*k)
	for i := range *steps {
		t := float32(i) / float32(*steps-1)
		for j := range k {
			path = append(path, (1-t)*z[j]+t*z[k+j])
		}
	}
	x, err := r.Decode(path)
	if err != nil {
		return err
	}
	if err := writeSamples(f.out, r, x, nil, *steps); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d points from sample %d to %d of %s: %s\n", *steps, *from, *to, src, f.out)
	return nil
}

// featureErrors returns (x − x')² for every value of every sample of s,
// (n, Dim), in the scaled units in which their mean is the error.
func (e *env) featureErrors(r *run.Run, s *datasets.Set) ([]float32, error) {
	d := r.Model.Dim
	out := make([]float32, s.Len()*d)
	err := e.inPieces(fmt.Sprintf("per-value errors of %d samples", s.Len()), s.Len(), func(lo, hi int) error {
		v, err := r.Model.ValueErrors(span(s, lo, hi))
		copy(out[lo*d:hi*d], v)
		return err
	})
	return out, err
}
