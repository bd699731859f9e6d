package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

// exportMNIST writes the first n training and m test images of the bundled
// MNIST as CSV (pixel values 0–255, a label column), as .npy files (uint8
// N×28×28, uint8 labels), as a flat PNG folder (train/ and test/, file
// names in IDX order) and as a PNG folder of class subfolders.
func exportMNIST(t *testing.T, dir string, n, m int) {
	t.Helper()
	mn, err := datasets.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		name string
		set  *datasets.Set
	}{{"train", mn.Train.Head(n)}, {"test", mn.Test.Head(m)}} {
		s := part.set
		columns := make([]string, 784)
		for j := range columns {
			columns[j] = fmt.Sprintf("p%d", j+1)
		}
		var values []float32
		var pixels, u8labels []uint8
		labels := make([]string, s.Len())
		for i := range s.Len() {
			for _, p := range s.Pixels(i) {
				values = append(values, float32(p))
			}
			pixels = append(pixels, s.Pixels(i)...)
			labels[i] = s.Classes[s.Labels[i]]
			u8labels = append(u8labels, uint8(s.Labels[i]))
			name := fmt.Sprintf("%05d.png", i)
			for _, path := range []string{filepath.Join(dir, "flat", part.name, name), filepath.Join(dir, "classes", part.name, labels[i], name)} {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := datasets.WritePNG(path, s.Pixels(i), s.Shape()); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := datasets.WriteCSV(filepath.Join(dir, part.name+".csv"), columns, values, labels); err != nil {
			t.Fatal(err)
		}
		if err := datasets.WriteNpy(filepath.Join(dir, part.name+".npy"), pixels, []int{s.Len(), 28, 28}); err != nil {
			t.Fatal(err)
		}
		if err := datasets.WriteNpy(filepath.Join(dir, part.name+"_labels.npy"), u8labels, []int{s.Len()}); err != nil {
			t.Fatal(err)
		}
	}
}

// The same MNIST images as CSV (with -scale pixel), as .npy and as a flat
// PNG folder train bit for bit as the IDX files do, with the same seed and
// flags; as PNG class folders they load with the right label for every
// image.
func TestFormatsTrainAlike(t *testing.T) {
	dir := t.TempDir()
	const n, m = 320, 64
	exportMNIST(t, dir, n, m)
	common := []string{"-net", "mlp", "-hidden", "64", "-latent", "8", "-batch", "64", "-epochs", "2", "-seed", "3"}
	runs := map[string][]string{
		"idx":  {"-limit", fmt.Sprint(n)},
		"csv":  {"-data", filepath.Join(dir, "train.csv"), "-test", filepath.Join(dir, "test.csv"), "-scale", "pixel"},
		"npy":  {"-data", filepath.Join(dir, "train.npy"), "-labels", filepath.Join(dir, "train_labels.npy"), "-test", filepath.Join(dir, "test.npy"), "-test-labels", filepath.Join(dir, "test_labels.npy")},
		"flat": {"-data", filepath.Join(dir, "flat")},
	}
	params := map[string][]float64{}
	for _, name := range []string{"idx", "csv", "npy", "flat"} {
		out := filepath.Join(dir, "run-"+name)
		code, _, stderr := runTrain(t, append(append(slices.Clone(common), runs[name]...), "-out", out)...)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		ck, err := train.LoadCheckpoint(filepath.Join(out, run.CheckpointFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ck.Params {
			params[name] = append(params[name], p.Data...)
		}
	}
	for _, name := range []string{"csv", "npy", "flat"} {
		if !slices.EqualFunc(params[name], params["idx"], func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }) {
			t.Errorf("%s: the trained weights differ from the IDX run's", name)
		}
	}

	mn, _ := datasets.Load("")
	d, err := datasets.Open(datasets.Spec{Path: filepath.Join(dir, "classes")}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != n || d.Test.Len() != m || !slices.Equal(d.Train.Classes, mn.Train.Classes) {
		t.Fatalf("class folders: %d + %d images, classes %q", d.Train.Len(), d.Test.Len(), d.Train.Classes)
	}
	// Class folders list their images class by class, each in IDX order:
	// the k-th image of class c is the k-th image labelled c in the IDX files.
	next := map[int]int{}
	for i := range d.Train.Len() {
		c := d.Train.Labels[i]
		j := next[c]
		for mn.Train.Labels[j] != c {
			j++
		}
		if !slices.Equal(d.Train.Pixels(i), mn.Train.Pixels(j)) {
			t.Fatalf("image %d of class folder %s is not IDX image %d, the next of that label", i, d.Train.Classes[c], j)
		}
		next[c] = j + 1
	}
}

// Tables train with pictures that fit them: standardised columns get a
// linear output and mse (bce is refused), the test set is held out by the
// seed, -classes keeps the training rows of one class, and the run folder
// has latent.png and errors.png but no image grids.
func TestTableRun(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("kind,x,y,z,const\n")
	for i := range 400 {
		k := []string{"a", "b"}[i%2]
		fmt.Fprintf(&b, "%s,%g,%g,%g,7\n", k, float64(i%17)/3, float64(i%13)*float64(i%2+1), math.Sin(float64(i)))
	}
	table := filepath.Join(dir, "t.csv")
	os.WriteFile(table, []byte(b.String()), 0o644)
	out := filepath.Join(dir, "run")
	code, stdout, stderr := runTrain(t, "-data", table, "-label", "kind", "-classes", "a", "-net", "mlp", "-hidden", "16", "-latent", "2", "-batch", "32", "-epochs", "3", "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "10% of the samples held out (seed 1)") || !strings.Contains(stdout, "loss mse") {
		t.Errorf("stdout does not say the test set and loss:\n%s", stdout)
	}
	for _, name := range []string{"latent.png", "errors.png", "loss.png", "scores.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"recon.png", "interp.png", "anomalies.png"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s drawn for a table", name)
		}
	}
	r, err := run.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Config
	if c.Arch.Values != "real" || c.Loss != "mse" || c.Scale == nil || c.Scale.Kind != "standard" || len(c.Scale.Mult) != 4 || c.TestFrom == "" {
		t.Errorf("config: values %q loss %q scale %+v test %q", c.Arch.Values, c.Loss, c.Scale, c.TestFrom)
	}
	data, err := c.LoadData()
	if err != nil {
		t.Fatal(err)
	}
	if data.Test.Len() != 40 || data.Train.Len() < 150 || data.Train.Len() > 210 {
		t.Errorf("reloaded: %d training rows (class a of 360), %d test rows", data.Train.Len(), data.Test.Len())
	}
	for _, l := range data.Train.Labels {
		if data.Train.Classes[l] != "a" {
			t.Fatalf("a training row of class %s", data.Train.Classes[l])
		}
	}
	if slices.Index(data.Test.Labels, slices.Index(data.Test.Classes, "b")) < 0 {
		t.Error("the test set lost class b")
	}

	code, _, stderr = runTrain(t, "-data", table, "-label", "kind", "-net", "conv", "-out", filepath.Join(dir, "conv"))
	if code != exitUsage || !strings.Contains(stderr, "conv takes images") {
		t.Errorf("conv on a table: exit %d, %s", code, stderr)
	}
	code, _, stderr = runTrain(t, "-data", table, "-label", "kind", "-loss", "bce", "-out", filepath.Join(dir, "bce"))
	if code != exitUsage || !strings.Contains(stderr, "-loss bce needs values in [0, 1]") {
		t.Errorf("bce on standardised values: exit %d, %s", code, stderr)
	}
	code, _, stderr = runTrain(t, "-data", table, "-label", "kind", "-scale", "minmax", "-net", "deep", "-hidden", "8", "-latent", "2", "-batch", "32", "-epochs", "1", "-out", filepath.Join(dir, "minmax"))
	if code != exitOK {
		t.Errorf("minmax with bce: exit %d, %s", code, stderr)
	}
}
