package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/par"
	"github.com/aegraph/aegraph/internal/testhook"
)

// Config says how a Trainer trains. Its zero fields take the defaults below
// (New fills them in), so Config{} trains with Adam at 1e-3, a constant rate,
// batches of 128 and seed 0.
//
// Errors about a field name it by its JSON name, which is also cmd/train's
// flag: "lr NaN: want a finite number > 0".
type Config struct {
	Solver      string  `json:"solver"`   // a name from Solvers; "" is "adam"
	LR          float64 `json:"lr"`       // the base learning rate, > 0; 0 is DefaultLR
	Schedule    string  `json:"schedule"` // a name from Schedules; "" is "constant"
	WeightDecay float64 `json:"wd"`       // decoupled weight decay λ ≥ 0, with LR·λ < 1 (0: none)
	Batch       int     `json:"batch"`    // batch size; 0 is DefaultBatch
	Epochs      int     `json:"epochs"`   // the run's length, over which a schedule runs; ≥ 1 unless constant
	Seed        uint64  `json:"seed"`     // shuffling and noise (a VAE's ε, a denoising mask)
}

// Defaults of Config.
const (
	DefaultSolver   = "adam"
	DefaultLR       = 1e-3
	DefaultSchedule = "constant"
	DefaultBatch    = 128
)

// Check reports a field that New would refuse.
func (c Config) Check() error {
	_, err := c.withDefaults()
	return err
}

// withDefaults fills the zero fields of c and checks the others.
func (c Config) withDefaults() (Config, error) {
	if c.Solver == "" {
		c.Solver = DefaultSolver
	}
	if c.LR == 0 {
		c.LR = DefaultLR
	}
	if c.Schedule == "" {
		c.Schedule = DefaultSchedule
	}
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	switch {
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return c, fmt.Errorf("lr %v: want a finite number > 0", c.LR)
	case c.Batch < 0:
		return c, fmt.Errorf("batch %d: want ≥ 1", c.Batch)
	case !(c.WeightDecay >= 0) || math.IsInf(c.WeightDecay, 0):
		return c, fmt.Errorf("wd %v: want a finite number ≥ 0", c.WeightDecay)
	case c.LR*c.WeightDecay >= 1:
		return c, fmt.Errorf("wd %v with lr %v: want lr·wd < 1 (each step shrinks the weights by 1 − lr·wd)", c.WeightDecay, c.LR)
	case c.Epochs < 0:
		return c, fmt.Errorf("epochs %d: want ≥ 1", c.Epochs)
	}
	if _, err := SolverByName(c.Solver); err != nil {
		return c, fmt.Errorf("solver: %w", err)
	}
	s, err := ScheduleByName(c.Schedule)
	if err != nil {
		return c, fmt.Errorf("schedule: %w", err)
	}
	if c.Epochs == 0 && !s.Constant() {
		return c, fmt.Errorf("epochs 0: the %s schedule needs the run's length", c.Schedule)
	}
	return c, nil
}

// Trainer fits a Model: it builds the training graph once — x → E_θ → z → D_φ
// → x', cost ℓ(x, x') + penalties, ∇_{θ,φ} cost by Gorgonia's G.Grad — and
// runs it on a TapeMachine, one solver step per batch.
//
// Batches are fixed-size (Gorgonia graphs have fixed shapes): an epoch runs
// ⌊n / Batch⌋ steps over a permutation that depends only on (Seed, Epoch)
// (Perm), so the few samples left over change every epoch. The step taken
// when the fraction done of the run's steps is behind runs at the rate
// LR·Schedule.Factor(done).
type Trainer struct {
	Model    *graph.Model
	Config   Config // as given to New, with its defaults filled in; read only
	Solver   Solver
	Schedule Schedule

	// Watch, if set, sees every step's inputs just before the step runs:
	// the batch x (Batch×Dim values) and the noise inputs (a VAE's ε, a
	// denoising mask), one slice per Builder.Gaussian or Builder.Bernoulli
	// node in the order the net declared them. The slices are reused by the
	// next step. It serves to record a run, e.g. to replay it in PyTorch
	// (bench/lockstep).
	Watch func(x []float32, noise [][]float32)

	Epoch   int     // epochs completed
	Step    int     // steps completed in the current epoch
	LossSum float64 // sum of the step losses of the current epoch so far

	noise     *rand.PCG // draws for denoising masks, VAE ε, …
	rng       *rand.Rand
	vm        G.VM
	x         *G.Node
	xBuf      *tensor.Dense
	cost      *G.Node
	noiseIn   []graph.Noise
	noiseBufs []*tensor.Dense
	noiseData [][]float32 // the values of noiseBufs, for Watch
	learn     []G.ValueGrad
	idx       []int
	batch     batchJob
}

// New builds the training graph of m and the solver that c describes.
func New(m *graph.Model, c Config) (*Trainer, error) {
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	solver, err := NewSolver(c.Solver, c.LR)
	if err != nil {
		return nil, err
	}
	solver.SetWeightDecay(c.WeightDecay)
	sched, _ := ScheduleByName(c.Schedule)
	batch, seed := c.Batch, c.Seed
	t := &Trainer{Model: m, Config: c, Solver: solver, Schedule: sched}
	t.noise = rand.NewPCG(seed, 0x6e6f697365)
	t.rng = rand.New(t.noise)

	b := graph.NewBuilder(m.Params, batch, true)
	t.x = b.Input("x", batch, m.Dim)
	_, _, t.cost = graph.Autoencoder(b, m.Net, m.Loss, t.x)
	if err := b.Err(); err != nil {
		return nil, fmt.Errorf("building the training graph: %w", err)
	}
	learn := b.Learnables()
	if len(learn) == 0 {
		return nil, fmt.Errorf("building the training graph: the net has no parameters")
	}
	grads, err := G.Grad(t.cost, learn...)
	if err != nil {
		return nil, fmt.Errorf("differentiating the loss: %w", err)
	}
	// The solver reads each gradient straight from its node: no dual values
	// (BindDualValues), so nothing accumulates across runs.
	t.vm = G.NewTapeMachine(b.Graph)
	for i, n := range learn {
		t.learn = append(t.learn, paramGrad{n, grads[i]})
	}
	t.xBuf = tensor.New(tensor.WithShape(batch, m.Dim), tensor.Of(tensor.Float32))
	t.noiseIn = b.NoiseInputs()
	for _, n := range t.noiseIn {
		buf := tensor.New(tensor.WithShape(n.Node.Shape()...), tensor.Of(tensor.Float32))
		t.noiseBufs = append(t.noiseBufs, buf)
		t.noiseData = append(t.noiseData, buf.Float32s())
	}
	t.idx = make([]int, batch)
	return t, nil
}

// paramGrad pairs a weight node with the node of its gradient, for the solver.
type paramGrad struct{ w, g *G.Node }

func (p paramGrad) Name() string   { return p.w.Name() }
func (p paramGrad) Value() G.Value { return p.w.Value() }
func (p paramGrad) Grad() (G.Value, error) {
	if p.g.Value() == nil {
		return nil, fmt.Errorf("gradient of %s was not computed", p.w.Name())
	}
	return p.g.Value(), nil
}

// StepsPerEpoch is the number of training steps in an epoch over n samples.
func (t *Trainer) StepsPerEpoch(n int) int { return n / t.Config.Batch }

// SetEpochs changes the run's length, over which the schedule runs: a
// resumed run that is extended re-plans its schedule.
func (t *Trainer) SetEpochs(epochs int) error {
	if epochs < 1 {
		return fmt.Errorf("epochs %d: want ≥ 1", epochs)
	}
	t.Config.Epochs = epochs
	return nil
}

// Rate is the learning rate of step (0-based) of epoch (0-based) in epochs
// of steps each.
func (t *Trainer) Rate(epoch, step, steps int) float64 {
	return t.Schedule.Rate(t.Config.LR, epoch*steps+step, t.Config.Epochs*steps)
}

// ErrDiverged is the error, wrapped with the epoch and step, of a run whose
// loss is no longer a finite number: a smaller learning rate may help.
var ErrDiverged = errors.New("training diverged")

// Progress is called after every step with the steps done in this epoch, the
// steps per epoch and the mean loss of the epoch so far.
type Progress func(step, steps int, loss float64)

// RunEpoch trains one epoch on data (or the rest of it, when the trainer was
// restored mid-epoch) and returns the mean training loss of the epoch.
//
// If ctx is cancelled, RunEpoch returns ctx's error between two steps; the
// trainer then holds a consistent mid-epoch position that a checkpoint can
// save. A loss that is NaN or infinite stops training with an error naming
// the epoch and step.
func (t *Trainer) RunEpoch(ctx context.Context, data graph.Data, progress Progress) (float64, error) {
	if err := t.Model.Check(data); err != nil {
		return 0, err
	}
	steps := t.StepsPerEpoch(data.Len())
	if steps == 0 {
		return 0, fmt.Errorf("batch size %d is larger than the %d training samples", t.Config.Batch, data.Len())
	}
	perm := Perm(data.Len(), t.Config.Seed, t.Epoch)
	batch := t.Config.Batch
	for t.Step < steps {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		copy(t.idx, perm[t.Step*batch:(t.Step+1)*batch])
		if t.Config.Epochs > 0 {
			t.Solver.SetLearnRate(t.Rate(t.Epoch, t.Step, steps))
		}
		loss, err := t.step(data)
		if err != nil {
			return 0, fmt.Errorf("epoch %d, step %d: %w", t.Epoch+1, t.Step+1, err)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return 0, fmt.Errorf("epoch %d, step %d: the loss is %v: %w", t.Epoch+1, t.Step+1, loss, ErrDiverged)
		}
		t.LossSum += loss
		t.Step++
		if progress != nil {
			progress(t.Step, steps, t.LossSum/float64(t.Step))
		}
	}
	mean := t.LossSum / float64(steps)
	t.Epoch++
	if testhook.AfterEpoch != nil {
		params := make([][]float32, len(t.learn))
		for i, n := range t.learn {
			params[i], _ = n.Value().Data().([]float32)
		}
		testhook.AfterEpoch(t.Epoch, params)
	}
	t.Step, t.LossSum = 0, 0
	return mean, nil
}

// step runs forward, backward and one solver update on the batch t.idx.
func (t *Trainer) step(data graph.Data) (float64, error) {
	t.batch = batchJob{data, t.xBuf.Float32s(), t.idx}
	par.Do(&t.batch, par.Workers())
	if err := G.Let(t.x, t.xBuf); err != nil {
		return 0, err
	}
	for i, n := range t.noiseIn {
		n.Fill(t.rng, t.noiseData[i])
		if err := G.Let(n.Node, t.noiseBufs[i]); err != nil {
			return 0, err
		}
	}
	if t.Watch != nil {
		t.Watch(t.xBuf.Float32s(), t.noiseData)
	}
	defer t.vm.Reset()
	if err := t.vm.RunAll(); err != nil {
		return 0, err
	}
	loss := graph.ScalarValue(t.cost)
	if err := t.Solver.Step(t.learn); err != nil {
		return 0, err
	}
	return loss, nil
}

// batchJob fills the input with the samples idx, shared among the cores.
type batchJob struct {
	data graph.Data
	dst  []float32
	idx  []int
}

func (j *batchJob) Run(w, workers int) {
	lo, hi, d := w*len(j.idx)/workers, (w+1)*len(j.idx)/workers, len(j.dst)/len(j.idx)
	j.data.Batch(j.dst[lo*d:hi*d], j.idx[lo:hi])
}
