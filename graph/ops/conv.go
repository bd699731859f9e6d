package ops

import (
	"fmt"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/internal/par"
	"github.com/aegraph/aegraph/internal/sgemm"
	"github.com/aegraph/aegraph/internal/vmath"
)

// Convolution, pooling and upsampling. Images are NCHW: (batch, channels,
// height, width).

// Conv2D is the stride-1 convolution w ⋆ x with zero padding pad: x (N, C,
// H, W) and a kernel w (O, C, k, k) give (N, O, H', W') with H' = H + 2·pad −
// k + 1. gradX says whether x needs a gradient (false for data).
func Conv2D(x, w *G.Node, pad int, gradX bool) (*G.Node, error) {
	if w.Dims() != 4 {
		return nil, fmt.Errorf("Conv2D: kernel shape %v, want (out, in, k, k)", w.Shape())
	}
	return G.ApplyOp(newConv2dOp("Conv2D", w.Shape()[2], pad, gradX), x, w)
}

// ChannelBias is x + b with x (N, C, H, W) and b (1, C, 1, 1): one bias per
// channel, added without repeating b into x's shape first (as Gorgonia's
// BroadcastAdd does).
func ChannelBias(x, b *G.Node) (*G.Node, error) {
	return G.ApplyOp(&channelBiasOp{fused: fused{name: "ChannelBias"}}, x, b)
}

// MaxPool2 is 2×2 max pooling with stride 2: x (N, C, H, W) → (N, C, H/2,
// W/2), H and W even.
func MaxPool2(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(&maxPool2Op{fused: fused{name: "MaxPool2"}}, x)
}

// Upsample2 is 2× nearest-neighbour upsampling: x (N, C, H, W) → y (N, C,
// 2H, 2W) with y[n, c, i, j] = x[n, c, ⌊i/2⌋, ⌊j/2⌋]. Its gradient sums each
// 2×2 block. (Gorgonia's Upsample2D does the same one element at a time
// through At/SetAt, about 100× slower.)
func Upsample2(x *G.Node) (*G.Node, error) {
	return G.ApplyOp(&upsample2Op{fused{name: "Upsample2"}}, x)
}

// maxPool2Op is 2×2 max pooling with stride 2, (N, C, H, W) → (N, C, H/2,
// W/2). Each output is the first largest value of its window in row-major
// order, as Gorgonia's MaxPool2D picks it (which spends most of its time in
// per-window bookkeeping). With back set it is the gradient instead: from
// (x, ∂y), ∂x holds each ∂y at its window's largest value, 0 elsewhere.
type maxPool2Op struct {
	fused
	back bool
	j32  pool2Job[float32]
	j64  pool2Job[float64]
}

func (op *maxPool2Op) Arity() int {
	if op.back {
		return 2
	}
	return 1
}
func (op *maxPool2Op) Type() hm.Type { return imagesType(op.Arity()) }
func (op *maxPool2Op) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if op.back {
		return sameShape(op.name, in[0])
	}
	return halfShape(op.name, in[0])
}
func (op *maxPool2Op) Do(in ...G.Value) (G.Value, error) {
	x, err := dense(op.name, in[0], 4)
	if err != nil {
		return nil, err
	}
	s := x.Shape()
	half, shape := tensor.Shape{s[0], s[1], s[2] / 2, s[3] / 2}, s
	if !op.back {
		shape = half
	}
	var dy *tensor.Dense
	if op.back {
		if dy, err = dense(op.name, in[1], 4); err != nil {
			return nil, err
		}
		if !dy.Shape().Eq(half) || dy.Dtype() != x.Dtype() {
			return nil, fmt.Errorf("%s: gradient %v of shape %v for input %v of shape %v", op.name, dy.Dtype(), dy.Shape(), x.Dtype(), s)
		}
	}
	out := op.output(x.Dtype(), shape...)
	switch d := x.Data().(type) {
	case []float32:
		op.j32.run(out.Data().([]float32), d, gradData[float32](dy), s)
	case []float64:
		op.j64.run(out.Data().([]float64), d, gradData[float64](dy), s)
	default:
		return nil, fmt.Errorf("%s: dtype %v, want float32 or float64", op.name, x.Dtype())
	}
	return out, nil
}
func (op *maxPool2Op) DiffWRT(int) []bool {
	if op.back {
		return []bool{false, false}
	}
	return []bool{true}
}
func (op *maxPool2Op) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.back {
		_, err := noSecondDerivative(op.name)
		return nil, err
	}
	dx, err := G.ApplyOp(&maxPool2Op{fused: fused{name: "MaxPool2Back"}, back: true}, in[0], grad)
	return G.Nodes{dx}, err
}

// gradData is the values of dy (of x's dtype), or nil without a gradient.
func gradData[T float](dy *tensor.Dense) []T {
	if dy == nil {
		return nil
	}
	return dy.Data().([]T)
}

// pool2Job runs max pooling (dy nil: out = y) or its gradient (out = ∂x)
// over the N·C planes of x, shared among the cores (par.Runner).
type pool2Job[T float] struct {
	out, x, dy []T
	h, w       int
	planes     int
	pairs      [][]float32 // float32 pooling: each worker's pair maxima of a plane, kept between calls
}

func (j *pool2Job[T]) run(out, x, dy []T, s tensor.Shape) {
	j.out, j.x, j.dy, j.h, j.w, j.planes = out, x, dy, s[2], s[3], s[0]*s[1]
	workers := min(j.planes, par.Workers())
	if _, ok := any(x).([]float32); ok && dy == nil {
		j.pairs = perWorker(j.pairs, workers, j.h*j.w/2)
	}
	par.Do(j, workers)
}

func (j *pool2Job[T]) Run(w, workers int) {
	h, wd := j.h, j.w
	x32, f32 := any(j.x).([]float32)
	for p := w * j.planes / workers; p < (w+1)*j.planes/workers; p++ {
		x := j.x[p*h*wd : (p+1)*h*wd]
		if j.dy == nil {
			y := j.out[p*h*wd/4 : (p+1)*h*wd/4]
			if f32 {
				pool2f32(any(y).([]float32), x32[p*h*wd:(p+1)*h*wd], j.pairs[w], h, wd)
				continue
			}
			pool2(y, x, h, wd)
		} else {
			pool2Back(j.out[p*h*wd:(p+1)*h*wd], x, j.dy[p*h*wd/4:(p+1)*h*wd/4], h, wd)
		}
	}
}

// argmax4 is the first largest of (a, b, c, d) and its index, as Gorgonia's
// pooling scans a window: from low, the lowest finite value, replacing on >.
func argmax4[T float](low, a, b, c, d T) (T, int) {
	best, at := low, 0
	for i, v := range [4]T{a, b, c, d} {
		if v > best {
			best, at = v, i
		}
	}
	return best, at
}

// max4 is argmax4's value, compared in the same order (a NaN is passed
// over as there), without the index: what the forward pass needs.
func max4[T float](low, a, b, c, d T) T {
	m := low
	if a > m {
		m = a
	}
	if b > m {
		m = b
	}
	if c > m {
		m = c
	}
	if d > m {
		m = d
	}
	return m
}

func lowest[T float]() T {
	var v T
	if _, ok := any(v).(float32); ok {
		return T(-math.MaxFloat32)
	}
	m := -math.MaxFloat64 // a variable: the constant does not fit a float32 T
	return T(m)
}

// pool2 sets y (h/2, w/2) to the window maxima of the plane x (h, w).
func pool2[T float](y, x []T, h, w int) {
	low := lowest[T]()
	for i := range h / 2 {
		top, bottom, row := x[2*i*w:(2*i+1)*w], x[(2*i+1)*w:(2*i+2)*w], y[i*w/2:(i+1)*w/2]
		for j := range row {
			row[j] = max4(low, top[2*j], top[2*j+1], bottom[2*j], bottom[2*j+1])
		}
	}
}

// pool2f32 is pool2 of float32 planes, 16 windows at a time where the CPU
// allows: the maximum of each horizontal pair of the plane first (the scan of
// a window's top row, then of its bottom row), then of the two pairs of each
// window; the same comparisons as argmax4's scan, in the same order, so the
// same result bit for bit. pairs is scratch space of h·w/2 values.
func pool2f32(y, x, pairs []float32, h, w int) {
	vmath.PairMax(pairs, x)
	vmath.MaxRows(y, pairs, h/2, w/2)
}

// pool2Back sets dx (h, w) to dy at each window's largest value of x, 0
// elsewhere.
func pool2Back[T float](dx, x, dy []T, h, w int) {
	clear(dx)
	low := lowest[T]()
	for i := range h / 2 {
		top, bottom, g := x[2*i*w:(2*i+1)*w], x[(2*i+1)*w:(2*i+2)*w], dy[i*w/2:(i+1)*w/2]
		for j, v := range g {
			_, k := argmax4(low, top[2*j], top[2*j+1], bottom[2*j], bottom[2*j+1])
			dx[(2*i+k/2)*w+2*j+k%2] = v
		}
	}
}

// float is the element type of a graph: float32 in training, float64 in
// gradient checks.
type float interface{ float32 | float64 }

// imagesType is the type of an op from n images (4-D tensors) to an image.
func imagesType(n int) hm.Type {
	t := G.TensorType{Dims: 4, Of: hm.TypeVariable('a')}
	ts := make([]hm.Type, n+1)
	for i := range ts {
		ts[i] = t
	}
	return hm.NewFnType(ts...)
}

// halfShape is the InferShape of a 2×2 pooling: (N, C, H, W) → (N, C, H/2,
// W/2) for even H and W.
func halfShape(op string, in G.DimSizer) (tensor.Shape, error) {
	s, ok := in.(tensor.Shape)
	if !ok || s.Dims() != 4 || s[2]%2 != 0 || s[3]%2 != 0 {
		return nil, fmt.Errorf("%s: input shape %v, want 4-D with even height and width", op, in)
	}
	return tensor.Shape{s[0], s[1], s[2] / 2, s[3] / 2}, nil
}

// upsample2Op is y = nearest 2× upsampling of x, (N, C, H, W) → (N, C, 2H, 2W).
type upsample2Op struct{ fused }

func (upsample2Op) Arity() int { return 1 }
func (upsample2Op) Type() hm.Type {
	return imagesType(1)
}
func (upsample2Op) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || s.Dims() != 4 {
		return nil, fmt.Errorf("Upsample2: input shape %v, want 4-D", in[0])
	}
	return tensor.Shape{s[0], s[1], 2 * s[2], 2 * s[3]}, nil
}
func (op *upsample2Op) Do(in ...G.Value) (G.Value, error) {
	x, err := dense("Upsample2", in[0], 4)
	if err != nil {
		return nil, err
	}
	s := x.Shape()
	y := op.zeros(x.Dtype(), s[0], s[1], 2*s[2], 2*s[3])
	switch d := x.Data().(type) {
	case []float32:
		upsample2(y.Data().([]float32), d, s[0]*s[1]*s[2], s[3])
	case []float64:
		upsample2(y.Data().([]float64), d, s[0]*s[1]*s[2], s[3])
	default:
		return nil, fmt.Errorf("Upsample2: dtype %v, want float32 or float64", x.Dtype())
	}
	return y, nil
}
func (upsample2Op) DiffWRT(int) []bool { return []bool{true} }
func (upsample2Op) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(&sumPool2Op{fused{name: "SumPool2"}}, grad)
	return G.Nodes{g}, err
}

// upsample2 writes the rows×w rows of x, each twice and with every value
// twice, into y (rows·2, 2w).
func upsample2[T float](y, x []T, rows, w int) {
	for r := range rows {
		src := x[r*w : (r+1)*w]
		dst := y[r*4*w : r*4*w+2*w]
		for j, v := range src {
			dst[2*j], dst[2*j+1] = v, v
		}
		copy(y[r*4*w+2*w:(r+1)*4*w], dst)
	}
}

// sumPool2Op is the gradient of upsample2Op: the sums of 2×2 blocks,
// (N, C, 2H, 2W) → (N, C, H, W).
type sumPool2Op struct{ fused }

func (sumPool2Op) Arity() int { return 1 }
func (sumPool2Op) Type() hm.Type {
	return imagesType(1)
}
func (sumPool2Op) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return halfShape("SumPool2", in[0])
}
func (op *sumPool2Op) Do(in ...G.Value) (G.Value, error) {
	g, err := dense("SumPool2", in[0], 4)
	if err != nil {
		return nil, err
	}
	s := g.Shape()
	x := op.zeros(g.Dtype(), s[0], s[1], s[2]/2, s[3]/2)
	switch d := g.Data().(type) {
	case []float32:
		sumPool2(x.Data().([]float32), d, s[0]*s[1]*s[2]/2, s[3]/2)
	case []float64:
		sumPool2(x.Data().([]float64), d, s[0]*s[1]*s[2]/2, s[3]/2)
	default:
		return nil, fmt.Errorf("SumPool2: dtype %v, want float32 or float64", g.Dtype())
	}
	return x, nil
}

// sumPool2 writes into x (rows, w) the sums of the 2×2 blocks of g (2·rows, 2w).
func sumPool2[T float](x, g []T, rows, w int) {
	for r := range rows {
		top, bottom := g[r*4*w:r*4*w+2*w], g[r*4*w+2*w:(r+1)*4*w]
		dst := x[r*w : (r+1)*w]
		for j := range dst {
			dst[j] = top[2*j] + top[2*j+1] + bottom[2*j] + bottom[2*j+1]
		}
	}
}

// channelBiasOp is y = x + b with x (N, C, H, W) and b (1, C, 1, 1): one bias
// per channel.
type channelBiasOp struct {
	fused
	j32 channelBiasJob[float32]
	j64 channelBiasJob[float64]
}

func (channelBiasOp) Arity() int { return 2 }
func (channelBiasOp) Type() hm.Type {
	return imagesType(2)
}
func (channelBiasOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	bs, ok2 := in[1].(tensor.Shape)
	if !ok || !ok2 || s.Dims() != 4 || !bs.Eq(tensor.Shape{1, s[1], 1, 1}) {
		return nil, fmt.Errorf("ChannelBias: shapes %v and %v, want (N, C, H, W) and (1, C, 1, 1)", in[0], in[1])
	}
	return s.Clone(), nil
}
func (op *channelBiasOp) Do(in ...G.Value) (G.Value, error) {
	x, err := dense("ChannelBias", in[0], 4)
	if err != nil {
		return nil, err
	}
	bias, err := dense("ChannelBias", in[1], 4)
	if err != nil {
		return nil, err
	}
	s := x.Shape()
	y := op.output(x.Dtype(), s...) // every value is written
	switch d := x.Data().(type) {
	case []float32:
		op.j32.run(y.Data().([]float32), d, bias.Data().([]float32), s)
	case []float64:
		op.j64.run(y.Data().([]float64), d, bias.Data().([]float64), s)
	default:
		return nil, fmt.Errorf("ChannelBias: dtype %v, want float32 or float64", x.Dtype())
	}
	return y, nil
}
func (channelBiasOp) DiffWRT(int) []bool { return []bool{true, true} }
func (channelBiasOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	gb, err := G.ApplyOp(&channelSumOp{fused{name: "ChannelSum"}}, grad)
	return G.Nodes{grad, gb}, err
}

// channelBiasJob sets each of the N·C planes of y to that of x plus its
// channel's bias, the planes shared among the cores (par.Runner).
type channelBiasJob[T float] struct {
	y, x, bias    []T
	c, hw, planes int
}

func (j *channelBiasJob[T]) run(y, x, bias []T, s tensor.Shape) {
	*j = channelBiasJob[T]{y: y, x: x, bias: bias, c: s[1], hw: s[2] * s[3], planes: s[0] * s[1]}
	par.Do(j, min(j.planes, par.Workers()))
}

func (j *channelBiasJob[T]) Run(w, workers int) {
	lo, hi, hw := w*j.planes/workers, (w+1)*j.planes/workers, j.hw
	if y32, ok := any(j.y).([]float32); ok { // 16 values at a time
		x32, b32 := any(j.x).([]float32), any(j.bias).([]float32)
		for i := lo; i < hi; i++ {
			vmath.AddConst(y32[i*hw:(i+1)*hw], x32[i*hw:(i+1)*hw], b32[i%j.c])
		}
		return
	}
	for i := lo; i < hi; i++ {
		v, dst := j.bias[i%j.c], j.y[i*hw:(i+1)*hw]
		for k, s := range j.x[i*hw : (i+1)*hw] {
			dst[k] = s + v
		}
	}
}

// channelSumOp is the gradient of channelBiasOp with respect to the bias:
// g (N, C, H, W) summed over N, H and W into (1, C, 1, 1).
type channelSumOp struct{ fused }

func (channelSumOp) Arity() int { return 1 }
func (channelSumOp) Type() hm.Type {
	return imagesType(1)
}
func (channelSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || s.Dims() != 4 {
		return nil, fmt.Errorf("ChannelSum: input shape %v, want 4-D", in[0])
	}
	return tensor.Shape{1, s[1], 1, 1}, nil
}
func (op *channelSumOp) Do(in ...G.Value) (G.Value, error) {
	g, err := dense("ChannelSum", in[0], 4)
	if err != nil {
		return nil, err
	}
	s := g.Shape()
	out := op.zeros(g.Dtype(), 1, s[1], 1, 1)
	switch d := g.Data().(type) {
	case []float32:
		sumChannels(out.Data().([]float32), d, s[0], s[1], s[2]*s[3])
	case []float64:
		sumChannels(out.Data().([]float64), d, s[0], s[1], s[2]*s[3])
	default:
		return nil, fmt.Errorf("ChannelSum: dtype %v, want float32 or float64", g.Dtype())
	}
	return out, nil
}

func sumChannels[T float](out, g []T, n, c, hw int) {
	for i := range n * c {
		var s T
		for _, v := range g[i*hw : (i+1)*hw] {
			s += v
		}
		out[i%c] += s
	}
}

// conv2dOp is the stride-1 convolution y = w ⋆ x with zero padding pad:
// x (N, C, H, W), w (O, C, k, k) → y (N, O, H', W'), H' = H + 2·pad − k + 1.
// Gorgonia's Conv2d spends most of its time in a slow im2col/col2im; this one
// unrolls each image into a (C·k·k, H'·W') matrix with row copies, multiplies
// by the BLAS installed in Gorgonia, and splits the batch across cores.
type conv2dOp struct {
	fused
	k, pad int
	gradX  bool // whether the gradient with respect to the input x is needed
	s32    scratch[float32]
	s64    scratch[float64]
}

func newConv2dOp(name string, k, pad int, gradX bool) *conv2dOp {
	return &conv2dOp{fused: fused{name: fmt.Sprintf("%s(k=%d,pad=%d)", name, k, pad)}, k: k, pad: pad, gradX: gradX}
}

func (conv2dOp) Arity() int { return 2 }
func (conv2dOp) Type() hm.Type {
	return imagesType(2)
}
func (op conv2dOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	x, ok := in[0].(tensor.Shape)
	w, ok2 := in[1].(tensor.Shape)
	if !ok || !ok2 || x.Dims() != 4 || w.Dims() != 4 || w[1] != x[1] || w[2] != op.k || w[3] != op.k {
		return nil, fmt.Errorf("Conv2D: shapes %v and %v, want (N, C, H, W) and (O, C, %d, %d)", in[0], in[1], op.k, op.k)
	}
	g := newGeom(x, w, op.pad)
	if g.oh < 1 || g.ow < 1 {
		return nil, fmt.Errorf("Conv2D: image %v smaller than the kernel", x)
	}
	return tensor.Shape{g.n, g.o, g.oh, g.ow}, nil
}
func (op *conv2dOp) Do(in ...G.Value) (G.Value, error) {
	x, w, err := densePair("Conv2D", in[0], in[1], 4)
	if err != nil {
		return nil, err
	}
	g := newGeom(x.Shape(), w.Shape(), op.pad)
	y := op.output(x.Dtype(), g.n, g.o, g.oh, g.ow) // every value is written
	switch xs := x.Data().(type) {
	case []float32:
		convForward(g, &op.s32, y.Data().([]float32), xs, w.Data().([]float32), gemm32)
	case []float64:
		convForward(g, &op.s64, y.Data().([]float64), xs, w.Data().([]float64), gemm64)
	default:
		return nil, fmt.Errorf("Conv2D: dtype %v, want float32 or float64", x.Dtype())
	}
	return y, nil
}
func (op conv2dOp) DiffWRT(int) []bool { return []bool{op.gradX, true} }
func (op conv2dOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	var dx *G.Node
	if op.gradX {
		var err error
		dx, err = G.ApplyOp(&convGradOp{fused: fused{name: op.name + "GradInput"}, pad: op.pad}, in[0], in[1], grad)
		if err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(&convGradOp{fused: fused{name: op.name + "GradFilter"}, pad: op.pad, filter: true}, in[0], in[1], grad)
	return G.Nodes{dx, dw}, err
}

// convGradOp is the gradient of conv2dOp with respect to its input x or (if
// filter) its kernel w, from (x, w, ∂y).
type convGradOp struct {
	fused
	pad    int // the convolution's padding
	filter bool
	s32    scratch[float32]
	s64    scratch[float64]
}

// scratch is a convolution op's per-worker buffers, kept between steps so
// that a step allocates none: unrolled images, and partial filter gradients.
type scratch[T float] struct{ col, dw [][]T }

// perWorker returns bufs with at least workers buffers of n values each.
func perWorker[T float](bufs [][]T, workers, n int) [][]T {
	for len(bufs) < workers {
		bufs = append(bufs, nil)
	}
	for i, b := range bufs {
		if cap(b) < n {
			b = make([]T, n)
		}
		bufs[i] = b[:n]
	}
	return bufs
}

func (convGradOp) Arity() int { return 3 }
func (convGradOp) Type() hm.Type {
	return imagesType(3)
}
func (op convGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	i := 0
	if op.filter {
		i = 1
	}
	s, ok := in[i].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: input shape %v", op.name, in[i])
	}
	return s.Clone(), nil
}
func (op *convGradOp) Do(in ...G.Value) (G.Value, error) {
	x, w, err := densePair(op.name, in[0], in[1], 4)
	if err != nil {
		return nil, err
	}
	dy, err := dense(op.name, in[2], 4)
	if err != nil {
		return nil, err
	}
	g := newGeom(x.Shape(), w.Shape(), op.pad)
	if !dy.Shape().Eq(tensor.Shape{g.n, g.o, g.oh, g.ow}) {
		return nil, fmt.Errorf("%s: gradient shape %v, want %v", op.name, dy.Shape(), tensor.Shape{g.n, g.o, g.oh, g.ow})
	}
	var out *tensor.Dense
	if op.filter { // every value is written
		out = op.output(w.Dtype(), w.Shape()...)
	} else {
		out = op.output(x.Dtype(), x.Shape()...)
	}
	switch xs := x.Data().(type) {
	case []float32:
		convBackward(g, &op.s32, op.filter, out.Data().([]float32), xs, w.Data().([]float32), dy.Data().([]float32), gemm32)
	case []float64:
		convBackward(g, &op.s64, op.filter, out.Data().([]float64), xs, w.Data().([]float64), dy.Data().([]float64), gemm64)
	default:
		return nil, fmt.Errorf("%s: dtype %v, want float32 or float64", op.name, x.Dtype())
	}
	return out, nil
}

// geom is a convolution's sizes: n images of c×h×w, o kernels of c×k×k,
// outputs of o×oh×ow.
type geom struct{ n, c, h, w, o, k, pad, oh, ow int }

func newGeom(x, w tensor.Shape, pad int) geom {
	k := w[2]
	return geom{n: x[0], c: x[1], h: x[2], w: x[3], o: w[0], k: k, pad: pad,
		oh: x[2] + 2*pad - k + 1, ow: x[3] + 2*pad - k + 1}
}

func (g geom) rows() int { return g.c * g.k * g.k } // of an unrolled image
func (g geom) cols() int { return g.oh * g.ow }

// gemm is C = A·B + beta·C for row-major A (m×k, or k×m if tA), B (k×n, or
// n×k if tB) and C (m×n).
type gemm[T float] func(tA, tB bool, m, n, k int, a, b []T, beta T, c []T)

func gemm32(tA, tB bool, m, n, k int, a, b []float32, beta float32, c []float32) {
	lda, ldb := k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	if _, fast := sgemmBLAS.(FastBLAS); fast {
		// The convolution shares its images among the cores: each product
		// stays on its goroutine rather than queueing for the other core.
		sgemm.Serial(tA, tB, m, n, k, 1, a, lda, b, ldb, beta, c, n)
		return
	}
	sgemmBLAS.Sgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, b, ldb, beta, c, n)
}

func gemm64(tA, tB bool, m, n, k int, a, b []float64, beta float64, c []float64) {
	lda, ldb := k, n
	if tA {
		lda = m
	}
	if tB {
		ldb = k
	}
	G.WhichBLAS().Dgemm(trans(tA), trans(tB), m, n, k, 1, a, lda, b, ldb, beta, c, n)
}

// convForward computes y (N, O, P) = w (O, C·k·k) · unrolled x, image by image.
func convForward[T float](g geom, s *scratch[T], y, x, w []T, mm gemm[T]) {
	in, out := g.c*g.h*g.w, g.o*g.cols()
	s.col = perWorker(s.col, min(g.n, par.Workers()), g.rows()*g.cols())
	par.Range(g.n, func(worker, lo, hi int) {
		col := s.col[worker]
		for i := lo; i < hi; i++ {
			im2col(g, col, x[i*in:(i+1)*in])
			mm(false, false, g.o, g.cols(), g.rows(), w, col, 0, y[i*out:(i+1)*out])
		}
	})
}

// convBackward computes into dst ∂w = Σ_images ∂y_i · col_iᵀ (filter) or
// ∂x_i = col2im(wᵀ · ∂y_i).
func convBackward[T float](g geom, s *scratch[T], filter bool, dst, x, w, dy []T, mm gemm[T]) {
	in, out := g.c*g.h*g.w, g.o*g.cols()
	workers := min(g.n, par.Workers())
	s.col = perWorker(s.col, workers, g.rows()*g.cols())
	if filter {
		s.dw = perWorker(s.dw, workers, len(dst))
	}
	par.Range(g.n, func(worker, lo, hi int) {
		col := s.col[worker]
		var dw []T
		if filter {
			dw = s.dw[worker]
			clear(dw)
		}
		for i := lo; i < hi; i++ {
			if filter {
				im2col(g, col, x[i*in:(i+1)*in])
				mm(false, true, g.o, g.rows(), g.cols(), dy[i*out:(i+1)*out], col, 1, dw)
			} else {
				mm(true, false, g.rows(), g.cols(), g.o, w, dy[i*out:(i+1)*out], 0, col)
				col2im(g, dst[i*in:(i+1)*in], col)
			}
		}
	})
	if filter {
		clear(dst)
		for _, p := range s.dw[:workers] {
			for j, v := range p {
				dst[j] += v
			}
		}
	}
}

// span is the range [lo, hi) of output columns j whose input column
// j + kj − pad lies inside an image of width w.
func span(g geom, kj int) (lo, hi int) {
	return max(0, g.pad-kj), min(g.ow, g.w+g.pad-kj)
}

// im2col unrolls one image x (C, H, W) into col (C·k·k, H'·W'):
// col[(c, ki, kj), (i, j)] = x[c, i+ki−pad, j+kj−pad], 0 outside the image.
func im2col[T float](g geom, col, x []T) {
	if g.ow == g.w {
		im2colSame(g, col, x)
		return
	}
	im2colRows(g, col, x)
}

// im2colRows is im2col for any geometry, one output row at a time.
func im2colRows[T float](g geom, col, x []T) {
	r := 0
	for c := range g.c {
		plane := x[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := range g.k {
			for kj := range g.k {
				row := col[r*g.cols() : (r+1)*g.cols()]
				r++
				lo, hi := span(g, kj)
				for i := range g.oh {
					dst := row[i*g.ow : (i+1)*g.ow]
					si := i + ki - g.pad
					if si < 0 || si >= g.h || lo >= hi {
						clear(dst)
						continue
					}
					src := plane[si*g.w : (si+1)*g.w]
					clear(dst[:lo])
					copy(dst[lo:hi], src[lo+kj-g.pad:hi+kj-g.pad])
					clear(dst[hi:])
				}
			}
		}
	}
}

// im2colSame is im2col for a convolution that keeps the width (2·pad = k − 1):
// each row of col is then the image plane shifted by (ki − pad) rows and
// (kj − pad) columns, so it is one copy of the rows inside the image, with
// the rows and columns that fall outside it set to 0 (the copy wraps their
// values around from the neighbouring image row).
func im2colSame[T float](g geom, col, x []T) {
	ow, size := g.ow, g.h*g.w
	r := 0
	for c := range g.c {
		plane := x[c*size : (c+1)*size]
		for ki := range g.k {
			i0, i1 := max(0, g.pad-ki), min(g.oh, g.h+g.pad-ki) // rows inside the image
			for kj := range g.k {
				row := col[r*g.cols() : (r+1)*g.cols()]
				r++
				if i0 >= i1 {
					clear(row)
					continue
				}
				clear(row[:i0*ow])
				clear(row[i1*ow:])
				d0, d1 := i0*ow, i1*ow
				s0 := (i0+ki-g.pad)*g.w + kj - g.pad
				if s0 < 0 { // the first value lies before the plane: a zero column
					d0 -= s0
					s0 = 0
				}
				if s0+d1-d0 > size {
					d1 = d0 + size - s0
				}
				copy(row[d0:d1], plane[s0:s0+d1-d0])
				lo, hi := span(g, kj)
				for i := i0; i < i1; i++ { // 0 or 1 value each, for k = 3
					for j := range lo {
						row[i*ow+j] = 0
					}
					for j := hi; j < ow; j++ {
						row[i*ow+j] = 0
					}
				}
			}
		}
	}
}

// col2im is the adjoint of im2col: it sets x (C, H, W) to the sums of the
// entries of col that im2col would have copied from each pixel.
func col2im[T float](g geom, x, col []T) {
	clear(x)
	r := 0
	for c := range g.c {
		plane := x[c*g.h*g.w : (c+1)*g.h*g.w]
		for ki := range g.k {
			for kj := range g.k {
				row := col[r*g.cols() : (r+1)*g.cols()]
				r++
				lo, hi := span(g, kj)
				for i := range g.oh {
					si := i + ki - g.pad
					if si < 0 || si >= g.h || lo >= hi {
						continue
					}
					src := row[i*g.ow+lo : i*g.ow+hi]
					dst := plane[si*g.w+lo+kj-g.pad : si*g.w+hi+kj-g.pad]
					for j, v := range src {
						dst[j] += v
					}
				}
			}
		}
	}
}
