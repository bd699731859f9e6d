package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
	"github.com/aegraph/aegraph/run"
)

// train runs the command in-process and returns its exit status and output.
func runTrain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = mainRun(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func readMetrics(t *testing.T, dir string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, run.MetricsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestEndToEnd(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	code, stdout, stderr := runTrain(t, "-limit", "512", "-batch", "64", "-epochs", "2", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, name := range []string{run.ConfigFile, run.CheckpointFile, run.MetricsFile} {
		if info, err := os.Stat(filepath.Join(out, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s missing or empty: %v", name, err)
		}
	}
	for _, name := range []string{"recon.png", "loss.png", "latent.png"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s does not decode: %v", name, err)
		} else if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 50 {
			t.Errorf("%s is only %v", name, b)
		}
	}
	rows := readMetrics(t, out)
	if want := []string{"epoch", "train_loss", "test_loss", "test_mse", "seconds"}; !slices.Equal(rows[0], want) {
		t.Errorf("metrics header %v, want %v", rows[0], want)
	}
	if len(rows) != 3 {
		t.Fatalf("metrics has %d rows, want header + 2 epochs", len(rows))
	}
	first, _ := strconv.ParseFloat(rows[1][1], 64)
	second, _ := strconv.ParseFloat(rows[2][1], 64)
	if !(second < first) {
		t.Errorf("train loss did not fall: %v then %v", rows[1][1], rows[2][1])
	}
	if !strings.Contains(stdout, "epoch 2/2") {
		t.Errorf("no per-epoch line in output:\n%s", stdout)
	}
}

// TestResumeEqualsStraight checks that 2 epochs + 2 resumed give the same
// metrics as 4 straight, and that the same seed gives the same metrics.
func TestResumeEqualsStraight(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-net", "denoising", "-limit", "384", "-batch", "64", "-seed", "7"}
	straight := filepath.Join(dir, "straight")
	if code, _, e := runTrain(t, append(common, "-epochs", "4", "-out", straight)...); code != 0 {
		t.Fatalf("straight run: exit %d: %s", code, e)
	}
	again := filepath.Join(dir, "again")
	if code, _, e := runTrain(t, append(common, "-epochs", "4", "-out", again)...); code != 0 {
		t.Fatalf("second straight run: exit %d: %s", code, e)
	}
	resumed := filepath.Join(dir, "resumed")
	if code, _, e := runTrain(t, append(common, "-epochs", "2", "-out", resumed)...); code != 0 {
		t.Fatalf("first half: exit %d: %s", code, e)
	}
	if code, _, e := runTrain(t, "-resume", resumed, "-epochs", "4"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, e)
	}
	a, b, c := readMetrics(t, straight), readMetrics(t, again), readMetrics(t, resumed)
	sameLosses(t, "same seed", b, a)
	sameLosses(t, "resumed", c, a)
}

// sameLosses compares the epochs' metrics (not their seconds) of two runs.
func sameLosses(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := 1; i < len(want); i++ {
		if !slices.Equal(got[i][:4], want[i][:4]) {
			t.Errorf("%s: epoch %d: %v, want %v", what, i, got[i][:4], want[i][:4])
		}
	}
}

// stopAfter is a context that reports itself cancelled from its n+1-th Err
// call on: the trainer asks before every step, so it is a Ctrl-C after n
// steps.
type stopAfter struct {
	context.Context
	n int
}

func (c *stopAfter) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}

// A cosine run with weight decay stopped in its third epoch and resumed
// follows the rates of the uninterrupted run: the schedule is planned over
// the run's -epochs, kept in its checkpoint.
func TestResumeCosineMidRun(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-net", "mlp", "-limit", "384", "-batch", "64", "-seed", "7", "-schedule", "cosine", "-wd", "0.01", "-epochs", "4"}
	straight := filepath.Join(dir, "straight")
	if code, _, e := runTrain(t, append(common, "-out", straight)...); code != 0 {
		t.Fatalf("straight run: exit %d: %s", code, e)
	}
	resumed := filepath.Join(dir, "resumed")
	var e bytes.Buffer
	if code := mainRun(&stopAfter{context.Background(), 6*2 + 3}, append(common, "-out", resumed), io.Discard, &e); code != exitInterrupted {
		t.Fatalf("stopped run: exit %d, want %d: %s", code, exitInterrupted, e.String())
	}
	if !strings.Contains(e.String(), "interrupted in epoch 3 at step 3 of 6") {
		t.Errorf("stopped run: %q", e.String())
	}
	if code, _, e := runTrain(t, "-resume", resumed); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, e)
	}
	sameLosses(t, "resumed", readMetrics(t, resumed), readMetrics(t, straight))

	// Raising -epochs re-plans the decay over the new total, and says so.
	code, out, stderr := runTrain(t, "-resume", straight, "-epochs", "6")
	if want := "the cosine schedule is re-planned from 4 to 6 epochs: the rate goes from 0 to 0.00025 here"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("resume with -epochs 6: exit %d, stdout %q, stderr %q; want it to say %q", code, out, stderr, want)
	}
}

// -schedule and -wd reach the solver: each changes the run's losses from
// the first epoch, where the rate is still close to -lr, to the last.
func TestScheduleAndWeightDecayApply(t *testing.T) {
	dir := t.TempDir()
	common := []string{"-net", "mlp", "-limit", "384", "-batch", "64", "-epochs", "3"}
	metrics := map[string][][]string{}
	for name, flags := range map[string][]string{
		"constant": nil,
		"cosine":   {"-schedule", "cosine"},
		"wd":       {"-wd", "0.5"},
	} {
		out := filepath.Join(dir, name)
		if code, _, e := runTrain(t, append(append(common, flags...), "-out", out)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, e)
		}
		metrics[name] = readMetrics(t, out)
	}
	for _, name := range []string{"cosine", "wd"} {
		if slices.Equal(metrics[name][3][:4], metrics["constant"][3][:4]) {
			t.Errorf("%s: epoch 3 metrics %v, the same as at a constant rate without decay", name, metrics[name][3][:4])
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	out := filepath.Join(dir, "out")
	for _, tc := range []struct {
		args []string
		want string // in the one-line error
	}{
		{[]string{"-net", "nope"}, `unknown net "nope"`},
		{[]string{"-epochs", "0"}, "-epochs 0"},
		{[]string{"-batch", "-3"}, "-batch -3"},
		{[]string{"-latent", "0"}, "-latent 0"},
		{[]string{"-lr", "0"}, "-lr 0"},
		{[]string{"-lr", "NaN"}, "-lr NaN"},
		{[]string{"-lr", "Inf"}, "-lr +Inf"},
		{[]string{"-solver", "newton"}, `unknown solver "newton"`},
		{[]string{"-schedule", "step"}, `-schedule: unknown schedule "step" (have cosine, constant)`},
		{[]string{"-wd", "-0.1"}, "-wd -0.1: want a finite number ≥ 0"},
		{[]string{"-wd", "NaN"}, "-wd NaN"},
		{[]string{"-wd", "2000"}, "-wd 2000 with lr 0.001: want lr·wd < 1"},
		{[]string{"-loss", "hinge"}, `unknown loss "hinge"`},
		{[]string{"-net", "linear", "-loss", "bce", "-out", out}, "sigmoid output"},
		{[]string{"-hidden", "256,x"}, "-hidden"},
		{[]string{"-limit", "-1"}, "-limit -1"},
		{[]string{"-limit", "100", "-batch", "128", "-out", out}, "larger than the 100 training samples"},
		{[]string{"-out", file}, "not a folder"},
		{[]string{"-data", empty, "-out", out}, "train-images-idx3-ubyte"},
		{[]string{"-resume", empty}, "not a run folder"},
		{[]string{"stray"}, "unexpected argument"},
		{[]string{"-nosuchflag"}, "flag provided but not defined"},
		{[]string{"-epochs", "ten"}, "invalid value"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, _, stderr := runTrain(t, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q does not mention %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("panic trace: %s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a rejected run created %s", out)
			}
		})
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Errorf("-out pointing at a file changed it")
	}
}

// TestInterruptAndResume runs the real binary, sends it SIGINT mid-training,
// and checks it saves a checkpoint, exits 130, and resumes to the end.
func TestInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := trainBinary(t) // built once, in hardening_test.go
	out := filepath.Join(dir, "run")
	cmd := exec.Command(bin, "-limit", "2048", "-batch", "32", "-epochs", "1000", "-out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if b, err := os.ReadFile(filepath.Join(out, run.MetricsFile)); err == nil && bytes.Count(b, []byte("\n")) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no epoch finished in 2 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(150 * time.Millisecond) // into the next epoch
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("after SIGINT: %v, want exit %d; stderr: %s", err, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "-resume "+out) {
		t.Errorf("no resume hint in %q", stderr.String())
	}
	done := len(readMetrics(t, out)) - 1
	code, stdout, e := runTrain(t, "-resume", out, "-epochs", "3")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, e)
	}
	if !strings.Contains(stdout, "resuming") {
		t.Errorf("resume did not say so: %s", stdout)
	}
	if rows := readMetrics(t, out); len(rows) != 4 {
		t.Errorf("after resume to 3 epochs (from %d): %d metric rows, want 4", done, len(rows))
	}
}

// A net's own sizes and training replace the general defaults, unless given.
func TestPerNetDefaults(t *testing.T) {
	for _, c := range []struct {
		args     []string
		latent   int
		hidden   []int
		batch    int
		schedule string
		wd       float64
	}{
		{[]string{"-net", "mlp"}, 32, []int{256, 64}, 128, "constant", 0},
		{[]string{"-net", "vae"}, 20, []int{400}, 64, "constant", 0},
		{[]string{"-net", "vae", "-batch", "128", "-latent", "2"}, 2, []int{400}, 128, "constant", 0},
		{[]string{"-net", "deep"}, 30, []int{1000, 500, 250}, 128, "cosine", 0.1},
		{[]string{"-net", "deep", "-hidden", "100", "-schedule", "constant", "-wd", "0"}, 30, []int{100}, 128, "constant", 0},
		{[]string{"-net", "conv"}, 8, nil, 64, "constant", 0},
	} {
		o, err := parseFlags(c.args, io.Discard)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		var hidden []int
		if _, ok := o.Arch.Options["hidden"]; ok {
			hidden = o.Arch.Options.Ints("hidden")
		}
		tc := o.Train
		if o.Arch.Latent != c.latent || !slices.Equal(hidden, c.hidden) || tc.Batch != c.batch || tc.Schedule != c.schedule || tc.WeightDecay != c.wd {
			t.Errorf("%v: latent %d, hidden %v, batch %d, schedule %s, wd %v; want %d, %v, %d, %s, %v", c.args,
				o.Arch.Latent, hidden, tc.Batch, tc.Schedule, tc.WeightDecay, c.latent, c.hidden, c.batch, c.schedule, c.wd)
		}
	}
}

// A run trained on some classes only scores its test set, the other classes
// being the anomalies: its last lines give the AUROC that the test errors of
// the saved model give, scores.png draws them, and anomalies.png shows the 8
// most anomalous and 8 most normal test digits with their reconstructions
// and error maps. A run on every class draws neither.
func TestAnomalyPictures(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ones")
	code, stdout, stderr := runTrain(t, "-classes", "1", "-limit", "6000", "-batch", "32", "-epochs", "3", "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r, err := run.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Model.Close()
	test, _, err := r.ReadData(datasets.Spec{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	scores, err := r.Model.Errors(test, run.EvalBatch)
	if err != nil {
		t.Fatal(err)
	}
	anomalous, err := test.Outside([]string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	auc, err := anomaly.AUROC(scores, anomalous)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`normal classes ["1"] against the rest of the test set: AUROC %.4f`, auc); !strings.Contains(stdout, want) || auc < 0.8 {
		t.Errorf("stdout does not say %q (or the AUROC is poor):\n%s", want, stdout)
	}
	f, err := os.Open(filepath.Join(out, "anomalies.png"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := png.DecodeConfig(f)
	f.Close()
	if cell := 28 * pictureScale; err != nil || c.Width != 8*cell+7*plots.Gap || c.Height != 6*cell+5*plots.Gap {
		t.Errorf("anomalies.png: %d×%d, %v; want 6 rows of 8 digits", c.Width, c.Height, err)
	}
	if _, err := os.Stat(filepath.Join(out, "scores.png")); err != nil {
		t.Error(err)
	}

	all := filepath.Join(t.TempDir(), "all")
	if code, _, stderr := runTrain(t, "-limit", "256", "-epochs", "1", "-out", all); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"anomalies.png", "scores.png"} {
		if _, err := os.Stat(filepath.Join(all, name)); err == nil {
			t.Errorf("%s drawn for a run on every class", name)
		}
	}
}
