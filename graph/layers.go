package graph

import (
	"fmt"

	"github.com/aegraph/aegraph/graph/ops"
	G "gorgonia.org/gorgonia"
)

// Activation is an element-wise non-linearity: Apply maps a node to a node
// of the same shape. The zero Activation, like Identity, leaves its input
// alone. ReLU and Sigmoid are fused ops of package ops; NewActivation makes
// one from any Gorgonia operation, e.g. NewActivation("softplus", G.Softplus).
type Activation struct {
	Name  string
	Apply func(a *G.Node) (*G.Node, error) // nil: the identity
	kind  actKind
}

// actKind tells the activations that the package treats specially.
type actKind int

const (
	other actKind = iota
	relu
	sigmoid
)

var (
	Identity = Activation{Name: "identity"}
	ReLU     = Activation{Name: "relu", Apply: ops.ReLU, kind: relu}
	Sigmoid  = Activation{Name: "sigmoid", Apply: ops.Sigmoid, kind: sigmoid}
	Tanh     = NewActivation("tanh", G.Tanh)
)

// NewActivation names an element-wise Gorgonia operation as an activation.
func NewActivation(name string, apply func(a *G.Node) (*G.Node, error)) Activation {
	return Activation{Name: name, Apply: apply}
}

// Activate applies act to a. For Sigmoid it also records a as the output's
// logits, so that a cross-entropy loss on the output is computed stably
// (Builder.Logits).
func (b *Builder) Activate(act Activation, a *G.Node) *G.Node {
	if !b.ok(a) || act.Apply == nil {
		return a
	}
	y := b.derived(b.Try(act.Apply(a)), a)
	if y != nil && act.kind == sigmoid {
		b.logits[y] = a
	}
	return y
}

// Dense is the affine layer y = act(x·W + b) with W of shape (in, out) and b
// of shape (1, out) (zeros), stored as name+".w" and name+".b". x is (batch,
// in); y is (batch, out). W is initialised for its activation (weightInit):
// He-uniform before a ReLU, Glorot-uniform otherwise. The product and the
// bias are fused ops of package ops (MatMul, BiasAdd).
func (b *Builder) Dense(name string, x *G.Node, out int, act Activation) *G.Node {
	return b.dense(name, x, out, act, weightInit(act), func(int) Init { return Zeros })
}

// weightInit is the initialiser of a dense weight followed by act: HeUniform
// for ReLU, GlorotUniform otherwise (docs/VALIDATION.md says how He's was
// chosen for the ReLU layers, and why Conv2D keeps Glorot's).
func weightInit(act Activation) Init {
	if act.kind == relu {
		return HeUniform
	}
	return GlorotUniform
}

// dense is Dense with the given initialisers; biasInit gets the fan-in.
func (b *Builder) dense(name string, x *G.Node, out int, act Activation, wInit Init, biasInit func(in int) Init) *G.Node {
	if !b.ok(x) {
		return nil
	}
	if x.Dims() != 2 {
		b.Fail(fmt.Errorf("input shape %v, want (batch, features)", x.Shape()), "dense "+name)
		return nil
	}
	in := x.Shape()[1]
	w := b.Param(name+".w", wInit, in, out)
	bias := b.Param(name+".b", biasInit(in), 1, out)
	return b.Activate(act, b.AddBias(b.MatMul(x, w), bias))
}

// MatMul is the matrix product x·w of x (n, k) and w (k, d): (n, d).
func (b *Builder) MatMul(x, w *G.Node) *G.Node {
	if !b.ok(x, w) {
		return nil
	}
	return b.derived(b.Try(ops.MatMul(x, w, b.needsGrad(x))), x, w)
}

// MatMulT is x·wᵀ for x (n, k) and w (d, k): (n, d), w used as it is
// stored (tied weights: a decoder reusing an encoder's weight).
func (b *Builder) MatMulT(x, w *G.Node) *G.Node {
	if !b.ok(x, w) {
		return nil
	}
	return b.derived(b.Try(ops.MatMulT(x, w, b.needsGrad(x))), x, w)
}

// AddBias is x + bias for x (n, d) and bias (1, d): bias added to every row.
func (b *Builder) AddBias(x, bias *G.Node) *G.Node {
	if !b.ok(x, bias) {
		return nil
	}
	return b.derived(b.Try(ops.BiasAdd(x, bias)), x, bias)
}
