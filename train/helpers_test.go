package train_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// The nets of graph's tests are declared here rather than taken from package
// nets, so that graph is tested on its own terms: a linear net, a small dense
// net with a sigmoid output, and a dense net whose training encoder draws both
// kinds of noise input.

// linearNet is x → z = x·W₁ + b₁ → x' = z·W₂ + b₂, (batch, dim) → (batch, latent)
// → (batch, dim), like nets.Linear.
type linearNet struct{ dim, latent int }

func (n linearNet) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, n.latent, graph.Identity)
}

func (n linearNet) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, n.dim, graph.Identity)
}

// denseNet is dim → hidden (ReLU) → latent → hidden (ReLU) → dim (sigmoid).
type denseNet struct{ dim, hidden, latent int }

func (n denseNet) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	h := b.Dense("enc", x, n.hidden, graph.ReLU)
	return b.Dense("code", h, n.latent, graph.Identity)
}

func (n denseNet) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	h := b.Dense("dec", z, n.hidden, graph.ReLU)
	return b.Dense("recon", h, n.dim, graph.Sigmoid)
}

// noisyNet is denseNet whose training encoder sees x·keep + level·ε, with
// keep ~ Bernoulli(1−level) and ε ~ N(0, 1) drawn by the trainer.
type noisyNet struct {
	denseNet
	level float64
}

func (n noisyNet) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	if b.Training {
		keep := b.Bernoulli("keep", 1-n.level, x.Shape()...)
		eps := b.Gaussian("eps", x.Shape()...)
		x = b.Op2(G.HadamardProd, x, keep)
		x = b.Op2(G.Add, x, b.Scale(n.level, eps))
	}
	return n.denseNet.Encoder(b, x)
}

var (
	mnistOnce sync.Once
	mnist     *datasets.Data
	mnistErr  error
)

// mnistShape is the shape of an MNIST image.
var mnistShape = []int{1, 28, 28}

// loadMNIST loads the bundled MNIST once per test binary.
func loadMNIST(t testing.TB) *datasets.Data {
	t.Helper()
	mnistOnce.Do(func() { mnist, mnistErr = datasets.Load("") })
	if mnistErr != nil {
		t.Fatalf("loading MNIST: %v", mnistErr)
	}
	return mnist
}

// snapshot copies every parameter of m, by name.
func snapshot(m *graph.Model) map[string][]float32 {
	s := map[string][]float32{}
	for _, name := range m.Params.Names() {
		s[name] = slices.Clone(m.Params.Get(name).Data().([]float32))
	}
	return s
}

// sameBits fails the test at the first parameter element where a and b
// differ in any bit.
func sameBits(t *testing.T, a, b map[string][]float32) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%d parameters against %d", len(a), len(b))
	}
	for name, va := range a {
		vb, ok := b[name]
		if !ok || len(va) != len(vb) {
			t.Fatalf("parameter %s: %d values against %d", name, len(va), len(vb))
		}
		for i := range va {
			if math.Float32bits(va[i]) != math.Float32bits(vb[i]) {
				t.Fatalf("parameter %s[%d]: %v against %v (not bit for bit equal)", name, i, va[i], vb[i])
			}
		}
	}
}

// newTrainer builds a model of net with an adam trainer.
func newTrainer(t *testing.T, net graph.Net, loss graph.Loss, initSeed uint64, lr float64, batch int, seed uint64) *train.Trainer {
	t.Helper()
	m, err := graph.NewModel(net, loss, mnistShape, initSeed)
	if err != nil {
		t.Fatal(err)
	}
	return newTrainerConfig(t, m, train.Config{LR: lr, Batch: batch, Seed: seed})
}

// newTrainerConfig is a trainer of m configured by c.
func newTrainerConfig(t *testing.T, m *graph.Model, c train.Config) *train.Trainer {
	t.Helper()
	tr, err := train.New(m, c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// fill is an initialiser that copies vals.
func fill(vals []float64) graph.Init {
	return func(_ *rand.Rand, _ []int, dst []float64) { copy(dst, vals) }
}

// trainerWith is a trainer of m that steps with the solver s.
func trainerWith(m *graph.Model, s train.Solver, batch int, seed uint64) (*train.Trainer, error) {
	tr, err := train.New(m, train.Config{Solver: s.Name(), LR: s.LearnRate(), Batch: batch, Seed: seed})
	if err != nil {
		return nil, err
	}
	tr.Solver = s
	return tr, nil
}
