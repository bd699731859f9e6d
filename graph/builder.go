package graph

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Builder declares a net's expressions on one Gorgonia graph, with every
// weight node bound to a tensor of a shared Params store.
//
// Its methods never return errors: the first error is kept and every later call
// becomes a no-op returning nil, so an encoder reads as straight-line math;
// check Err once at the end (like bufio.Scanner).
//
// Training tells whether the graph is for training: denoising corruption and a
// VAE's sampling happen only then; evaluation graphs are deterministic.
type Builder struct {
	Graph    *G.ExprGraph
	Params   *Params
	Batch    int  // the fixed batch size of this graph
	Training bool // a training graph (noise on) or an evaluation graph (noise off)

	params    []*G.Node // weight nodes in creation order
	noise     []Noise
	penalties []*G.Node
	logits    map[*G.Node]*G.Node
	outputs   map[string]*G.Node // named outputs beside z (Output)
	consts    map[*G.Node]bool   // nodes that depend on no parameter
	err       error
}

// NewBuilder starts a new graph over params for batches of the given size.
func NewBuilder(params *Params, batch int, training bool) *Builder {
	return &Builder{Graph: G.NewGraph(), Params: params, Batch: batch, Training: training,
		logits: map[*G.Node]*G.Node{}, outputs: map[string]*G.Node{}, consts: map[*G.Node]bool{}}
}

// Err returns the first error met while building, if any.
func (b *Builder) Err() error { return b.err }

// Fail records err (wrapped with context) unless an error is already recorded.
func (b *Builder) Fail(err error, context string) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s: %w", context, err)
	}
}

// ok reports whether building may go on with these nodes.
func (b *Builder) ok(nodes ...*G.Node) bool {
	if b.err != nil {
		return false
	}
	for _, n := range nodes {
		if n == nil {
			b.err = fmt.Errorf("graph: nil node (an earlier step failed without an error)")
			return false
		}
	}
	return true
}

// Dtype is the element type of the graph's tensors.
func (b *Builder) Dtype() tensor.Dtype { return b.Params.Dtype }

// Input declares a named input node, such as x of shape (batch, 784).
func (b *Builder) Input(name string, shape ...int) *G.Node {
	if b.err != nil {
		return nil
	}
	n := G.NewTensor(b.Graph, b.Dtype(), len(shape), G.WithShape(shape...), G.WithName(name))
	b.consts[n] = true
	return n
}

// needsGrad reports whether n may depend on a parameter, so that an op
// taking n must compute ∂loss/∂n. Inputs, constants and what Builder
// methods compute from them alone need none: the first layer's product
// skips the gradient with respect to the data, the largest product of the
// backward pass.
func (b *Builder) needsGrad(n *G.Node) bool { return !b.consts[n] }

// derived records that n depends on a parameter only if one of args does.
func (b *Builder) derived(n *G.Node, args ...*G.Node) *G.Node {
	if n == nil {
		return nil
	}
	for _, a := range args {
		if b.needsGrad(a) {
			return n
		}
	}
	b.consts[n] = true
	return n
}

// Param returns the node of the named parameter, creating the parameter in
// the store (initialised by init) on first use. The node shares the stored
// tensor's memory.
func (b *Builder) Param(name string, init Init, shape ...int) *G.Node {
	if b.err != nil {
		return nil
	}
	for _, n := range b.params {
		if n.Name() == name {
			return n
		}
	}
	t, err := b.Params.tensor(name, shape, init)
	if err != nil {
		b.Fail(err, "graph")
		return nil
	}
	n := G.NewTensor(b.Graph, b.Dtype(), len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
	b.params = append(b.params, n)
	return n
}

// Learnables lists the weight nodes of this graph, in creation order.
func (b *Builder) Learnables() G.Nodes { return b.params }

// NoiseKind says how a noise input is drawn.
type NoiseKind int

const (
	Gaussian  NoiseKind = iota // N(0, 1)
	Bernoulli                  // 1 with probability P, else 0
)

// Noise is an input node that the trainer fills with fresh draws from its
// seeded RNG before every training step. Gorgonia's own random nodes are
// clock-seeded and merge when unnamed, so noise comes in from Go instead.
type Noise struct {
	Node *G.Node
	Kind NoiseKind
	P    float64 // Bernoulli's probability of a 1
}

// Fill writes fresh draws from rng into buf, the values of n's node, in
// order: N(0, 1) draws, or 0/1 draws that are 1 with probability P.
func (n Noise) Fill(rng *rand.Rand, buf []float32) {
	switch n.Kind {
	case Gaussian:
		for i := range buf {
			buf[i] = float32(rng.NormFloat64())
		}
	case Bernoulli:
		for i := range buf {
			if rng.Float64() < n.P {
				buf[i] = 1
			} else {
				buf[i] = 0
			}
		}
	}
}

// Gaussian declares a noise input of N(0, 1) draws with the given shape
// (including the batch dimension).
func (b *Builder) Gaussian(name string, shape ...int) *G.Node {
	return b.noiseInput(Noise{Kind: Gaussian}, name, shape)
}

// Bernoulli declares a noise input of 0/1 draws that are 1 with probability p.
func (b *Builder) Bernoulli(name string, p float64, shape ...int) *G.Node {
	return b.noiseInput(Noise{Kind: Bernoulli, P: p}, name, shape)
}

func (b *Builder) noiseInput(n Noise, name string, shape []int) *G.Node {
	n.Node = b.Input(name, shape...)
	if n.Node != nil {
		b.noise = append(b.noise, n)
	}
	return n.Node
}

// NoiseInputs lists the noise inputs declared on this graph.
func (b *Builder) NoiseInputs() []Noise { return b.noise }

// Penalty adds a scalar term to the training loss, such as an L1 penalty on
// the code or a VAE's KL divergence.
func (b *Builder) Penalty(term *G.Node) {
	if b.ok(term) {
		b.penalties = append(b.penalties, term)
	}
}

// Penalties lists the terms added by Penalty.
func (b *Builder) Penalties() []*G.Node { return b.penalties }

// Output names a node that an encoder computes beside the code, (batch, …),
// such as a VAE's log σ², so that Model.EncodeOutput can give it.
func (b *Builder) Output(name string, n *G.Node) {
	if b.ok(n) {
		b.outputs[name] = n
	}
}

// Logits returns the pre-activation node that a Sigmoid output was computed
// from, or nil: binary cross-entropy is computed stably from logits.
func (b *Builder) Logits(out *G.Node) *G.Node { return b.logits[out] }

// Try records err and returns n (nil after any error, this one or an earlier
// one): it lets nets call Gorgonia's operations inline, as in
// b.Try(G.Mul(x, w)). Prefer Op1 and Op2, which also track whether the result
// depends on a parameter.
func (b *Builder) Try(n *G.Node, err error) *G.Node {
	if b.err != nil {
		return nil
	}
	if err != nil {
		b.Fail(err, "graph")
		return nil
	}
	return n
}

// Scalar returns a constant of the graph's dtype.
func (b *Builder) Scalar(v float64) *G.Node {
	if b.err != nil {
		return nil
	}
	if b.Dtype() == tensor.Float32 {
		return b.derived(G.NewConstant(float32(v)))
	}
	return b.derived(G.NewConstant(v))
}

// Op1 applies a one-input Gorgonia operation such as G.Abs or G.Exp, skipping
// it after an earlier error.
func (b *Builder) Op1(f func(a *G.Node) (*G.Node, error), a *G.Node) *G.Node {
	if !b.ok(a) {
		return nil
	}
	return b.derived(b.Try(f(a)), a)
}

// Op2 applies a two-input Gorgonia operation such as G.Add or G.HadamardProd,
// skipping it after an earlier error.
func (b *Builder) Op2(f func(a, c *G.Node) (*G.Node, error), a, c *G.Node) *G.Node {
	if !b.ok(a, c) {
		return nil
	}
	return b.derived(b.Try(f(a, c)), a, c)
}

// Mean is the mean of every element of a: a scalar node.
func (b *Builder) Mean(a *G.Node) *G.Node {
	if !b.ok(a) {
		return nil
	}
	return b.Try(G.Mean(a))
}

// Scale is s·a for a constant s.
func (b *Builder) Scale(s float64, a *G.Node) *G.Node {
	return b.Op2(G.HadamardProd, b.Scalar(s), a)
}
