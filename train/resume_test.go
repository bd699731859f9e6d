package train_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// run is a training run's record: the mean loss of every epoch and the final
// parameters.
type run struct {
	losses []float64
	params map[string][]float32
}

// resumeCase is a net trained on 512 MNIST images in batches of 64: 8 steps
// an epoch.
type resumeCase struct {
	name     string
	net      graph.Net
	schedule string // "": the solver's rate throughout
}

var resumeCases = []resumeCase{
	{"dense", denseNet{Dim: 784, Hidden: 32, Latent: 8}, ""},
	// Draws Bernoulli and Gaussian noise every step: the noise RNG's state
	// must be part of the checkpoint.
	{"noisy", noisyNet{Dense: denseNet{Dim: 784, Hidden: 32, Latent: 8}, Level: 0.3}, ""},
	// The rate of every step depends on the position in the run alone.
	{"cosine", denseNet{Dim: 784, Hidden: 32, Latent: 8}, "cosine"},
}

// fresh is a new trainer for the case, its schedule planned over
// resumeEpochs.
func (rc resumeCase) fresh(t *testing.T) *train.Trainer {
	t.Helper()
	return configured(t, rc.net, train.Config{LR: resumeLR, Batch: resumeBatch, Seed: trainSeed, Schedule: rc.schedule, Epochs: resumeEpochs}, initSeed)
}

// configured is a new model of net (initialised from init) and its trainer,
// configured by c.
func configured(t *testing.T, net graph.Net, c train.Config, init uint64) *train.Trainer {
	t.Helper()
	m, err := graph.NewModel(net, graph.MSE, mnistShape, init)
	if err != nil {
		t.Fatal(err)
	}
	return newTrainerConfig(t, m, c)
}

const (
	resumeImages = 512
	resumeBatch  = 64
	resumeEpochs = 4
	resumeLR     = 1e-3
	initSeed     = 11
	trainSeed    = 5
)

// fresh is a new model and trainer with the seeds of the reference runs.
func fresh(t *testing.T, net graph.Net) *train.Trainer {
	t.Helper()
	return seeded(t, net, initSeed, trainSeed)
}

// seeded is a new model and trainer with other seeds: a restored checkpoint
// must override them.
func seeded(t *testing.T, net graph.Net, init, seed uint64) *train.Trainer {
	t.Helper()
	return newTrainer(t, net, graph.MSE, init, resumeLR, resumeBatch, seed)
}

// epochs trains tr until it has completed `until` epochs, appending the
// epoch losses to r.
func epochs(t *testing.T, tr *train.Trainer, data *datasets.Set, until int, r *run) {
	t.Helper()
	for tr.Epoch < until {
		loss, err := tr.RunEpoch(context.Background(), data, nil)
		if err != nil {
			t.Fatal(err)
		}
		r.losses = append(r.losses, loss)
	}
	r.params = snapshot(tr.Model)
}

// reload checkpoints tr through a file and restores it into a brand-new
// model and trainer built with other seeds.
func reload(t *testing.T, tr *train.Trainer, net graph.Net) *train.Trainer {
	t.Helper()
	c, err := tr.Checkpoint([]byte(`{"net":"test"}`))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ckpt")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := train.LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(loaded.Config) != `{"net":"test"}` {
		t.Errorf("config %q after a round trip", loaded.Config)
	}
	// The schedule is the run's configuration, not the checkpoint's.
	c2 := tr.Config
	c2.Seed = 1000 + trainSeed
	tr2 := configured(t, net, c2, 1000+initSeed)
	if err := tr2.Restore(loaded); err != nil {
		t.Fatal(err)
	}
	if tr2.Epoch != tr.Epoch || tr2.Step != tr.Step || tr2.LossSum != tr.LossSum || tr2.Config.Seed != tr.Config.Seed {
		t.Errorf("restored position epoch %d step %d loss sum %v seed %d, want %d %d %v %d",
			tr2.Epoch, tr2.Step, tr2.LossSum, tr2.Config.Seed, tr.Epoch, tr.Step, tr.LossSum, tr.Config.Seed)
	}
	return tr2
}

func sameRun(t *testing.T, what string, got, want run) {
	t.Helper()
	if !slices.Equal(got.losses, want.losses) {
		t.Errorf("%s: epoch losses %v, want %v (bit for bit)", what, got.losses, want.losses)
	}
	sameBits(t, got.params, want.params)
}

// A run is a function of its seeds alone, and a checkpoint holds all of its
// state: training 4 epochs straight, twice, and training with a stop and a
// restore into a new process-like model (between epochs, in the middle of an
// epoch, before the first step) give the same losses and weights bit for bit.
func TestResumeIsExact(t *testing.T) {
	data := loadMNIST(t).Train.Head(resumeImages)
	for _, rc := range resumeCases {
		t.Run(rc.name, func(t *testing.T) {
			var straight run
			tr := rc.fresh(t)
			epochs(t, tr, data, resumeEpochs, &straight)
			evStraight, err := tr.Model.Evaluate(data, 100)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("straight: losses %v, eval %+v", straight.losses, evStraight)
			if !(straight.losses[resumeEpochs-1] < straight.losses[0]) {
				t.Errorf("the loss did not fall: %v", straight.losses)
			}

			t.Run("again", func(t *testing.T) {
				var again run
				tr := rc.fresh(t)
				epochs(t, tr, data, resumeEpochs, &again)
				sameRun(t, "a second identical run", again, straight)
				ev, err := tr.Model.Evaluate(data, 100)
				if err != nil || ev != evStraight {
					t.Errorf("eval %+v, %v; want %+v", ev, err, evStraight)
				}
			})

			t.Run("between epochs", func(t *testing.T) {
				var r run
				tr := rc.fresh(t)
				epochs(t, tr, data, 2, &r)
				tr = reload(t, tr, rc.net)
				epochs(t, tr, data, resumeEpochs, &r)
				sameRun(t, "2 epochs, restore, 2 epochs", r, straight)
			})

			t.Run("mid-epoch", func(t *testing.T) {
				var r run
				tr := rc.fresh(t)
				epochs(t, tr, data, 1, &r)
				// Cancel after 3 of the 8 steps of epoch 2, as on Ctrl-C.
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				calls := 0
				_, err := tr.RunEpoch(ctx, data, func(step, steps int, loss float64) {
					calls++
					if steps != resumeImages/resumeBatch || step != calls {
						t.Errorf("progress(%d, %d, …) at call %d", step, steps, calls)
					}
					if step == 3 {
						cancel()
					}
				})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("RunEpoch after cancel: %v, want context.Canceled", err)
				}
				if tr.Epoch != 1 || tr.Step != 3 {
					t.Fatalf("cancelled at epoch %d step %d, want 1, 3", tr.Epoch, tr.Step)
				}
				tr = reload(t, tr, rc.net)
				epochs(t, tr, data, resumeEpochs, &r)
				sameRun(t, "cancelled at epoch 2 step 3, restore, finish", r, straight)
			})

			t.Run("before the first step", func(t *testing.T) {
				var r run
				tr := reload(t, rc.fresh(t), rc.net)
				epochs(t, tr, data, resumeEpochs, &r)
				sameRun(t, "restore of an untrained checkpoint", r, straight)
			})
		})
	}
}

// A checkpoint is a snapshot: training on after taking it must not change
// it, and restoring it into two trainers must not make them share state.
func TestCheckpointIsASnapshot(t *testing.T) {
	data := loadMNIST(t).Train.Head(resumeImages)
	net := resumeCases[0].net
	var straight run
	epochs(t, fresh(t, net), data, 2, &straight)

	tr := fresh(t, net)
	epochs(t, tr, data, 1, &run{})
	c, err := tr.Checkpoint(nil)
	if err != nil {
		t.Fatal(err)
	}
	before := checkpointBytes(t, c)
	epochs(t, tr, data, 2, &run{}) // trains on after the checkpoint
	if after := checkpointBytes(t, c); !bytes.Equal(before, after) {
		t.Error("the checkpoint changed when its trainer trained on (it shares the solver's state)")
	}

	// Two trainers restored from one checkpoint value train independently:
	// each must match the straight run.
	a, b := seeded(t, net, 21, 22), seeded(t, net, 31, 32)
	c, err = train.ReadCheckpoint(bytes.NewReader(before))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*train.Trainer{a, b} {
		if err := x.Restore(c); err != nil {
			t.Fatal(err)
		}
	}
	var ra, rb run
	ra.losses, rb.losses = straight.losses[:1:1], straight.losses[:1:1]
	epochs(t, a, data, 2, &ra)
	epochs(t, b, data, 2, &rb)
	sameRun(t, "first of two trainers restored from one checkpoint", ra, straight)
	sameRun(t, "second of two trainers restored from one checkpoint", rb, straight)
}

// checkpointBytes is the file Save writes for c.
func checkpointBytes(t *testing.T, c *train.Checkpoint) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ckpt")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Restore checks the checkpoint against the trainer before changing
// anything: on an error the trainer is untouched.
func TestRestoreRejectsOtherRuns(t *testing.T) {
	data := loadMNIST(t).Train.Head(resumeImages)
	net := resumeCases[0].net
	src := fresh(t, net)
	epochs(t, src, data, 1, &run{})
	c, err := src.Checkpoint(nil)
	if err != nil {
		t.Fatal(err)
	}
	newSolver := func(name string) train.Solver {
		s, err := train.NewSolver(name, resumeLR)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tests := []struct {
		name string
		dst  func() *train.Trainer
		want string // in the error
	}{
		{"other batch size", func() *train.Trainer {
			m, _ := graph.NewModel(net, graph.MSE, []int{784}, 3)
			tr, _ := trainerWith(m, newSolver("adam"), 32, 3)
			return tr
		}, "batch size 64"},
		{"other solver", func() *train.Trainer {
			m, _ := graph.NewModel(net, graph.MSE, []int{784}, 3)
			tr, _ := trainerWith(m, newSolver("sgd"), resumeBatch, 3)
			return tr
		}, "adam"},
		{"other latent size", func() *train.Trainer {
			m, _ := graph.NewModel(denseNet{Dim: 784, Hidden: 32, Latent: 9}, graph.MSE, []int{784}, 3)
			tr, _ := trainerWith(m, newSolver("adam"), resumeBatch, 3)
			return tr
		}, "shape [32 8]"},
		{"other net", func() *train.Trainer {
			m, _ := graph.NewModel(linearNet{Dim: 784, Latent: 8}, graph.MSE, []int{784}, 3)
			tr, _ := trainerWith(m, newSolver("adam"), resumeBatch, 3)
			return tr
		}, "parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := tt.dst()
			if dst == nil {
				t.Fatal("could not build the trainer")
			}
			before := snapshot(dst.Model)
			st := dst.Solver.State()
			err := dst.Restore(c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Restore: error %v, want one mentioning %q", err, tt.want)
			}
			sameBits(t, snapshot(dst.Model), before)
			if got := dst.Solver.State(); got.Name != st.Name || got.T != st.T {
				t.Errorf("solver state changed to %s T=%d by a failed Restore", got.Name, got.T)
			}
			if dst.Epoch != 0 || dst.Step != 0 || dst.LossSum != 0 {
				t.Errorf("position changed to epoch %d step %d by a failed Restore", dst.Epoch, dst.Step)
			}
		})
	}
}
