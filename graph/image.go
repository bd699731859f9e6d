package graph

import (
	"fmt"

	"github.com/aegraph/aegraph/graph/ops"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Layers for images, which are NCHW: (batch, channels, height, width).

// Reshape gives a the given shape (same number of elements, row-major order
// kept), e.g. x (batch, 784) → (batch, 1, 28, 28).
func (b *Builder) Reshape(a *G.Node, shape ...int) *G.Node {
	if !b.ok(a) {
		return nil
	}
	return b.derived(b.Try(G.Reshape(a, tensor.Shape(shape))), a)
}

// Conv2D is the convolution y = act(W ⋆ x + b) with a kernel×kernel kernel W
// of shape (out, in, kernel, kernel) (Glorot-uniform) and a bias b of shape
// (1, out, 1, 1) (zeros), stored as name+".w" and name+".b"; stride 1, pad
// zeros on each side. x is (batch, in, H, W); y is (batch, out, H', W') with
// H' = H + 2·pad − kernel + 1 (H' = H for kernel 3, pad 1).
func (b *Builder) Conv2D(name string, x *G.Node, out, kernel, pad int, act Activation) *G.Node {
	if !b.ok(x) {
		return nil
	}
	if x.Dims() != 4 {
		b.Fail(fmt.Errorf("input shape %v, want (batch, channels, height, width)", x.Shape()), "conv "+name)
		return nil
	}
	in := x.Shape()[1]
	w := b.Param(name+".w", GlorotUniform, out, in, kernel, kernel)
	bias := b.Param(name+".b", Zeros, 1, out, 1, 1)
	if !b.ok(w, bias) {
		return nil
	}
	y := b.Try(ops.Conv2D(x, w, pad, b.needsGrad(x)))
	if !b.ok(y) {
		return nil
	}
	return b.Activate(act, b.Try(ops.ChannelBias(y, bias)))
}

// MaxPool2 is 2×2 max pooling with stride 2: x (batch, C, H, W) → (batch, C,
// H/2, W/2); H and W must be even.
func (b *Builder) MaxPool2(x *G.Node) *G.Node {
	if !b.ok(x) {
		return nil
	}
	if x.Dims() != 4 || x.Shape()[2]%2 != 0 || x.Shape()[3]%2 != 0 {
		b.Fail(fmt.Errorf("input shape %v, want (batch, channels, even height, even width)", x.Shape()), "maxpool")
		return nil
	}
	return b.Try(ops.MaxPool2(x))
}

// Upsample2 is 2× nearest-neighbour upsampling: x (batch, C, H, W) → y
// (batch, C, 2H, 2W) with y[n, c, i, j] = x[n, c, ⌊i/2⌋, ⌊j/2⌋]. Its gradient
// sums each 2×2 block. (Gorgonia's Upsample2D does the same one element at a
// time through At/SetAt, about 100× slower.)
func (b *Builder) Upsample2(x *G.Node) *G.Node {
	if !b.ok(x) {
		return nil
	}
	if x.Dims() != 4 {
		b.Fail(fmt.Errorf("input shape %v, want (batch, channels, height, width)", x.Shape()), "upsample")
		return nil
	}
	return b.Try(ops.Upsample2(x))
}
