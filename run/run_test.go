package run_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/internal/testnets"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

// loadMNIST loads the bundled MNIST once per test binary.
var loadMNIST = testnets.MNIST

// small is a configuration of the named net that trains in a moment.
func small(t *testing.T, net string) (run.Config, *datasets.Data) {
	t.Helper()
	c, err := run.Defaults(net)
	if err != nil {
		t.Fatal(err)
	}
	c.Train.Batch, c.Train.Epochs, c.Data.Limit = 64, 3, 384
	m := loadMNIST(t)
	return c, &datasets.Data{Train: m.Train.Head(c.Data.Limit), Test: m.Test.Head(200), TestFrom: m.TestFrom, Scale: m.Scale}
}

// A run saved after each epoch, opened and resumed, ends with the same
// weights, bit for bit, and the same metrics as a run that was never
// stopped; Open alone gives the model with the saved weights.
func TestSaveOpenResume(t *testing.T) {
	for _, net := range []string{"mlp", "vae"} {
		t.Run(net, func(t *testing.T) {
			c, data := small(t, net)
			ctx := context.Background()
			dir := t.TempDir()
			straight, err := run.New(filepath.Join(dir, "straight"), c, data)
			if err != nil {
				t.Fatal(err)
			}
			for straight.Trainer.Epoch < c.Train.Epochs {
				if _, err := straight.Epoch(ctx, data.Train, data.Test, nil); err != nil {
					t.Fatal(err)
				}
			}

			path := filepath.Join(dir, "stopped")
			r, err := run.New(path, c, data)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Epoch(ctx, data.Train, data.Test, nil); err != nil {
				t.Fatal(err)
			}
			if err := r.Save(); err != nil {
				t.Fatal(err)
			}
			opened, err := run.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if opened.Trainer != nil || len(opened.History) != 1 || !slices.Equal(opened.Config.Arch.Input, []int{1, 28, 28}) {
				t.Errorf("opened: trainer %v, %d metric rows, input %v", opened.Trainer, len(opened.History), opened.Config.Arch.Input)
			}
			x := make([]float32, 5*784)
			data.Test.Batch(x, []int{0, 1, 2, 3, 4})
			z1, _ := r.Model.Encode(x)
			z2, err := opened.Model.Encode(x)
			if err != nil || !slices.Equal(z1, z2) {
				t.Errorf("the opened model encodes otherwise (%v)", err)
			}
			if err := opened.Resume(data, 0); err != nil {
				t.Fatal(err)
			}
			for opened.Trainer.Epoch < c.Train.Epochs {
				if _, err := opened.Epoch(ctx, data.Train, data.Test, nil); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range straight.Model.NamedParams() {
				q := opened.Model.Params.Get(p.Name).Float32s()
				for i, v := range p.Data {
					if math.Float32bits(float32(v)) != math.Float32bits(q[i]) {
						t.Fatalf("%s[%d]: %v after resuming, %v straight", p.Name, i, q[i], v)
					}
				}
			}
			for i, m := range straight.History {
				got := opened.History[i]
				if m.TrainLoss != got.TrainLoss || m.TestLoss != got.TestLoss || m.TestMSE != got.TestMSE {
					t.Errorf("epoch %d: %+v after resuming, %+v straight", i+1, got, m)
				}
			}
		})
	}
}

// The run folder holds config.json (the configuration, for people),
// checkpoint.aeg and metrics.csv; a second run in the same folder is
// refused.
func TestFolder(t *testing.T) {
	c, data := small(t, "linear")
	dir := filepath.Join(t.TempDir(), "run")
	r, err := run.New(dir, c, data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("New wrote the folder before Save")
	}
	if _, err := r.Epoch(context.Background(), data.Train, data.Test, nil); err != nil {
		t.Fatal(err)
	}
	if err := r.Save(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, run.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	var got run.Config
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != run.FormatVersion || got.Net != "linear" || got.Train.Batch != 64 || got.Data.Limit != 384 {
		t.Errorf("config.json: %+v", got)
	}
	csv, err := os.ReadFile(filepath.Join(dir, run.MetricsFile))
	if err != nil || !strings.HasPrefix(string(csv), "epoch,train_loss,test_loss,test_mse,seconds\n1,") {
		t.Errorf("metrics.csv: %q (%v)", csv, err)
	}
	if _, err := run.New(dir, c, data); err == nil || !strings.Contains(err.Error(), "already holds a run") {
		t.Errorf("a second run in %s: %v", dir, err)
	}
}

// Folders that are not runs of this aegraph are refused with one line that
// says why; the folder is left as it was.
func TestOpenRefuses(t *testing.T) {
	c, data := small(t, "linear")
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	r, err := run.New(good, c, data)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Save(); err != nil {
		t.Fatal(err)
	}
	// A checkpoint whose configuration is of another format version.
	rewrite := func(name string, edit func(state map[string]any)) string {
		ck, err := train.LoadCheckpoint(filepath.Join(good, run.CheckpointFile))
		if err != nil {
			t.Fatal(err)
		}
		var state map[string]any
		if err := json.Unmarshal(ck.Config, &state); err != nil {
			t.Fatal(err)
		}
		edit(state)
		if ck.Config, err = json.Marshal(state); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := ck.Save(filepath.Join(path, run.CheckpointFile)); err != nil {
			t.Fatal(err)
		}
		return path
	}
	old := rewrite("old", func(s map[string]any) {
		// The first format: no version, the net's settings in "arch".
		s["config"] = map[string]any{"net": "linear", "arch": map[string]any{"dim": 784, "latent": 32}, "loss": "mse",
			"solver": "adam", "lr": 0.001, "batch": 64, "epochs": 3, "seed": 1}
	})
	newer := rewrite("newer", func(s map[string]any) { s["config"].(map[string]any)["version"] = run.FormatVersion + 1 })
	badOpt := rewrite("bad-option", func(s map[string]any) {
		s["config"].(map[string]any)["arch"].(map[string]any)["options"] = map[string]any{"l1": 0.5}
	})
	for _, tc := range []struct{ dir, want string }{
		{filepath.Join(dir, "missing"), "not a run folder"},
		{dir, "not a run folder"},
		{old, ": written by an older aegraph (run format 0"},
		{newer, "written by a newer aegraph"},
		{badOpt, "l1: the linear net has no such option"},
	} {
		_, err := run.Open(tc.dir)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%s): %v, want one line saying %q", tc.dir, err, tc.want)
		}
	}
}

// Check refuses what no run can use, naming the field as its flag.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		edit func(c *run.Config)
		want string
	}{
		{func(c *run.Config) { c.Net = "nope" }, `net: unknown net "nope"`},
		{func(c *run.Config) { c.Loss = "hinge" }, `loss: unknown loss "hinge"`},
		{func(c *run.Config) { c.Arch.Latent = 0 }, "latent 0: want ≥ 1"},
		{func(c *run.Config) { c.Train.Epochs = 0 }, "epochs 0: want ≥ 1"},
		{func(c *run.Config) { c.Train.Batch = -1 }, "batch -1: want ≥ 1"},
		{func(c *run.Config) { c.Train.LR = 0 }, "lr 0: want a finite number > 0"},
		{func(c *run.Config) { c.Train.LR = math.Inf(1) }, "lr +Inf"},
		{func(c *run.Config) { c.Train.WeightDecay = -1 }, "wd -1"},
		{func(c *run.Config) { c.Train.Schedule = "step" }, `schedule: unknown schedule "step"`},
		{func(c *run.Config) { c.Train.Solver = "newton" }, `solver: unknown solver "newton"`},
		{func(c *run.Config) { c.Data.Limit = -1 }, "limit -1"},
		{func(c *run.Config) { c.Arch.Options["hidden"] = []int{10, -1} }, "hidden 10,-1: want ≥ 1"},
		{func(c *run.Config) { c.Arch.Options["beta"] = 1.0 }, "beta: the mlp net has no such option"},
		{func(c *run.Config) { c.Arch.Latent = 1 << 21 }, "latent 2097152: want ≤ 1048576"},
		{func(c *run.Config) { c.Version = 1 }, "version 1"},
	} {
		c, err := run.Defaults("mlp")
		if err != nil {
			t.Fatal(err)
		}
		tc.edit(&c)
		err = c.Check()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !run.IsConfigError(err) {
			t.Errorf("%s: error %v, want a configuration error saying %q", tc.want, err, tc.want)
		}
	}
}

// Defaults takes each net's own code size, options, loss and recipe.
func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		net      string
		latent   int
		loss     string
		batch    int
		schedule string
		wd       float64
		options  string
	}{
		{"mlp", 32, "", 128, "constant", 0, "map[hidden:[256 64]]"},
		{"vae", 20, "", 64, "constant", 0, "map[beta:1 hidden:[400]]"},
		{"deep", 30, "", 128, "cosine", 0.1, "map[hidden:[1000 500 250]]"},
		{"conv", 8, "", 64, "constant", 0, "map[channels:16]"},
		{"linear", 32, "", 128, "constant", 0, "map[]"},
	} {
		c, err := run.Defaults(tc.net)
		if err != nil {
			t.Fatal(err)
		}
		got := []any{c.Arch.Latent, c.Loss, c.Train.Batch, c.Train.Schedule, c.Train.WeightDecay, c.Arch.Options}
		want := []any{tc.latent, tc.loss, tc.batch, tc.schedule, tc.wd, tc.options}
		if !slices.Equal(fmtAll(got), fmtAll(want)) || c.Train.Epochs != run.DefaultEpochs || c.Train.LR != train.DefaultLR || c.Train.Seed != 1 {
			t.Errorf("%s: %v, want %v (and 10 epochs, lr 1e-3, seed 1: %+v)", tc.net, got, want, c.Train)
		}
	}
}

func fmtAll(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = fmt.Sprint(x)
	}
	return out
}

// An epoch keeps each test sample's error from its own evaluation: what
// Model.Errors gives, bit for bit, and their mean is the epoch's test MSE.
func TestEpochTestErrors(t *testing.T) {
	c, data := small(t, "mlp")
	r, err := run.New(filepath.Join(t.TempDir(), "run"), c, data)
	if err != nil {
		t.Fatal(err)
	}
	if r.TestErrors != nil {
		t.Fatal("test errors before any epoch")
	}
	m, err := r.Epoch(context.Background(), data.Train, data.Test, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Model.Errors(data.Test, run.EvalBatch)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.TestErrors, want) {
		t.Fatalf("TestErrors (%d) differ from Model.Errors (%d)", len(r.TestErrors), len(want))
	}
	var sum float64
	for _, e := range want {
		sum += e
	}
	if mean := sum / float64(len(want)); math.Abs(mean-m.TestMSE) > 1e-9*m.TestMSE {
		t.Errorf("mean test error %v, test MSE %v", mean, m.TestMSE)
	}
}
