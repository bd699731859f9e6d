package graph

import (
	"fmt"

	G "gorgonia.org/gorgonia"
)

// Activation is an element-wise non-linearity.
type Activation struct {
	Name string
	f    func(*G.Node) (*G.Node, error)
}

var (
	Identity = Activation{"identity", nil}
	ReLU     = Activation{"relu", G.Rectify}
	Sigmoid  = Activation{"sigmoid", G.Sigmoid}
	Tanh     = Activation{"tanh", G.Tanh}
)

// Activate applies act to a. For Sigmoid it also records a as the output's
// logits, so that a cross-entropy loss on the output can be computed stably.
// ReLU and Sigmoid are fused ops of this package (ops.go); others are
// Gorgonia's.
func (b *Builder) Activate(act Activation, a *G.Node) *G.Node {
	if !b.ok(a) || act.f == nil {
		return a
	}
	var y *G.Node
	switch act.Name {
	case ReLU.Name:
		y = b.act(reluKind, a)
	case Sigmoid.Name:
		y = b.act(sigmoidKind, a)
	default:
		y = b.Must(act.f(a))
	}
	if y != nil && act.Name == Sigmoid.Name {
		b.logits[y] = a
	}
	return y
}

// Dense is the affine layer y = act(x·W + b) with W of shape (in, out)
// (Glorot-uniform initialised) and b of shape (1, out) (zeros), stored as
// name+".w" and name+".b". x is (batch, in); y is (batch, out).
func (b *Builder) Dense(name string, x *G.Node, out int, act Activation) *G.Node {
	return b.dense(name, x, out, act, GlorotUniform, func(int) Init { return Zeros })
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
	xw := b.matMul(x, w)
	if !b.ok(xw, bias) {
		return nil
	}
	return b.Activate(act, b.biasAdd(xw, bias))
}
