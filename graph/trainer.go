package graph

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph/internal/par"
)

// Trainer fits a Model: it builds the training graph once — x → E_θ → z → D_φ
// → x', cost ℓ(x, x') + penalties, ∇_{θ,φ} cost by Gorgonia's G.Grad — and
// runs it on a TapeMachine, one solver step per batch.
//
// Batches are fixed-size (Gorgonia graphs have fixed shapes): an epoch runs
// ⌊n / Batch⌋ steps over a permutation that depends only on (Seed, Epoch), so
// the few images left over change every epoch.
type Trainer struct {
	Model  *Model
	Solver Solver
	Batch  int
	Seed   uint64

	// The learning-rate schedule: the step taken with the fraction done of
	// the Epochs epochs behind runs at LR·Schedule.Factor(done). With no
	// Schedule.Factor the solver's rate is left alone.
	Schedule Schedule
	LR       float64
	Epochs   int

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
	noiseIn   []Noise
	noiseBufs []*tensor.Dense
	noiseData [][]float32 // the values of noiseBufs, for Watch
	learn     []G.ValueGrad
	idx       []int
	batch     batchJob
}

// NewTrainer builds the training graph of m for batches of the given size.
func NewTrainer(m *Model, solver Solver, batch int, seed uint64) (*Trainer, error) {
	if batch < 1 {
		return nil, fmt.Errorf("batch size %d: want ≥ 1", batch)
	}
	t := &Trainer{Model: m, Solver: solver, Batch: batch, Seed: seed}
	t.noise = rand.NewPCG(seed, 0x6e6f697365)
	t.rng = rand.New(t.noise)

	b := NewBuilder(m.Params, batch, true)
	t.x = b.Input("x", batch, m.Dim)
	_, _, t.cost = Autoencoder(b, m.Net, m.Loss, t.x)
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
	// The solver reads each gradient straight from its node: no dual values,
	// so nothing is accumulated across runs and nothing needs zeroing.
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

// StepsPerEpoch is the number of training steps in an epoch over n images.
func (t *Trainer) StepsPerEpoch(n int) int { return n / t.Batch }

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
func (t *Trainer) RunEpoch(ctx context.Context, data *datasets.Set, progress Progress) (float64, error) {
	if data.Dim() != t.Model.Dim {
		return 0, fmt.Errorf("images have %d pixels, the model takes %d", data.Dim(), t.Model.Dim)
	}
	steps := t.StepsPerEpoch(data.Len())
	if steps == 0 {
		return 0, fmt.Errorf("batch size %d is larger than the %d training images", t.Batch, data.Len())
	}
	perm := datasets.Perm(data.Len(), t.Seed, t.Epoch)
	for t.Step < steps {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		copy(t.idx, perm[t.Step*t.Batch:(t.Step+1)*t.Batch])
		if t.Schedule.Factor != nil && t.Epochs > 0 {
			t.Solver.SetLearnRate(t.Schedule.Rate(t.LR, t.Epoch*steps+t.Step, t.Epochs*steps))
		}
		loss, err := t.step(data)
		if err != nil {
			return 0, fmt.Errorf("epoch %d, step %d: %w", t.Epoch+1, t.Step+1, err)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return 0, fmt.Errorf("epoch %d, step %d: the loss is %v: training diverged (try a smaller -lr)", t.Epoch+1, t.Step+1, loss)
		}
		t.LossSum += loss
		t.Step++
		if progress != nil {
			progress(t.Step, steps, t.LossSum/float64(t.Step))
		}
	}
	mean := t.LossSum / float64(steps)
	t.Epoch++
	t.Step, t.LossSum = 0, 0
	return mean, nil
}

// step runs forward, backward and one solver update on the batch t.idx.
func (t *Trainer) step(data *datasets.Set) (float64, error) {
	t.batch = batchJob{data, t.xBuf.Float32s(), t.idx}
	par.Do(&t.batch, par.Workers())
	if err := G.Let(t.x, t.xBuf); err != nil {
		return 0, err
	}
	for i, n := range t.noiseIn {
		t.draw(n, t.noiseData[i])
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
	loss := scalar(t.cost)
	if err := t.Solver.Step(t.learn); err != nil {
		return 0, err
	}
	return loss, nil
}

// batchJob fills the input with the images idx, shared among the cores.
type batchJob struct {
	data *datasets.Set
	dst  []float32
	idx  []int
}

func (j *batchJob) Run(w, workers int) {
	lo, hi, d := w*len(j.idx)/workers, (w+1)*len(j.idx)/workers, j.data.Dim()
	j.data.Batch(j.dst[lo*d:hi*d], j.idx[lo:hi])
}

func (t *Trainer) draw(n Noise, buf []float32) {
	switch n.Kind {
	case Gaussian:
		for i := range buf {
			buf[i] = float32(t.rng.NormFloat64())
		}
	case Bernoulli:
		for i := range buf {
			if t.rng.Float64() < n.P {
				buf[i] = 1
			} else {
				buf[i] = 0
			}
		}
	}
}
