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

// Dense is the affine layer y = act(x·W + b) with W of shape (in, out) and b
// of shape (1, out) (zeros), stored as name+".w" and name+".b". x is (batch,
// in); y is (batch, out). W is initialised for its activation (weightInit):
// He-uniform before a ReLU, Glorot-uniform otherwise.
func (b *Builder) Dense(name string, x *G.Node, out int, act Activation) *G.Node {
	return b.dense(name, x, out, act, weightInit(act), func(int) Init { return Zeros })
}

// weightInit is the initialiser of a dense weight followed by act: HeUniform
// for ReLU, GlorotUniform otherwise. On the mlp (seeds 1–5, 10 epochs, trained
// on the first 50,000 training images, measured on the other 10,000: no test
// image involved) He's initialisation ended at a mean MSE of 0.00804 against
// Glorot's 0.00855, lower for every seed. Conv2D keeps Glorot's: on the conv
// net (seed 1, same split) He's ended at 0.00451 against 0.00438.
func weightInit(act Activation) Init {
	if act.Name == ReLU.Name {
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
	xw := b.matMul(x, w)
	if !b.ok(xw, bias) {
		return nil
	}
	return b.Activate(act, b.biasAdd(xw, bias))
}
