// Package testnets holds what the tests of graph and train share: small nets
// declared on graph's own terms (not package nets', so that those packages
// are tested without it), the bundled MNIST loaded once, and bit-for-bit
// comparisons of parameters.
package testnets

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
)

// Linear is x → z = x·W₁ + b₁ → x' = z·W₂ + b₂, (batch, Dim) → (batch,
// Latent) → (batch, Dim), like nets.Linear.
type Linear struct{ Dim, Latent int }

func (n Linear) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, n.Latent, graph.Identity)
}

func (n Linear) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, n.Dim, graph.Identity)
}

// Dense is Dim → Hidden (ReLU) → Latent → Hidden (ReLU) → Dim (sigmoid).
type Dense struct{ Dim, Hidden, Latent int }

func (n Dense) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	h := b.Dense("enc", x, n.Hidden, graph.ReLU)
	return b.Dense("code", h, n.Latent, graph.Identity)
}

func (n Dense) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	h := b.Dense("dec", z, n.Hidden, graph.ReLU)
	return b.Dense("recon", h, n.Dim, graph.Sigmoid)
}

// Noisy is Dense whose training encoder sees x·keep + Level·ε, with
// keep ~ Bernoulli(1−Level) and ε ~ N(0, 1) drawn by the trainer: both
// kinds of noise input.
type Noisy struct {
	Dense
	Level float64
}

func (n Noisy) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	if b.Training {
		keep := b.Bernoulli("keep", 1-n.Level, x.Shape()...)
		eps := b.Gaussian("eps", x.Shape()...)
		x = b.Op2(G.HadamardProd, x, keep)
		x = b.Op2(G.Add, x, b.Scale(n.Level, eps))
	}
	return n.Dense.Encoder(b, x)
}

var (
	mnistOnce sync.Once
	mnist     *datasets.Data
	mnistErr  error
)

// MNIST loads the bundled MNIST once per test binary.
func MNIST(t testing.TB) *datasets.Data {
	t.Helper()
	mnistOnce.Do(func() { mnist, mnistErr = datasets.Load("") })
	if mnistErr != nil {
		t.Fatalf("loading MNIST: %v", mnistErr)
	}
	return mnist
}

// Snapshot copies every parameter of m, by name.
func Snapshot(m *graph.Model) map[string][]float32 {
	s := map[string][]float32{}
	for _, name := range m.Params.Names() {
		s[name] = slices.Clone(m.Params.Get(name).Data().([]float32))
	}
	return s
}

// SameBits fails the test at the first parameter element where a and b
// differ in any bit.
func SameBits(t testing.TB, a, b map[string][]float32) {
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

// Fill is an initialiser that copies vals.
func Fill(vals []float64) graph.Init {
	return func(_ *rand.Rand, _ []int, dst []float64) { copy(dst, vals) }
}
