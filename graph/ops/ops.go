package ops

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/internal/vmath"
)

// Fused operations for the dense layers and losses. Each is a Gorgonia op
// with its own symbolic derivative (G.SDOp), so G.Grad still builds the
// backward graph; they replace chains of Gorgonia's element-wise ops that each
// make a pass over memory and allocate a fresh tensor on every step:
//
//	MatMul(x, w)       x (n, k) · w (k, d)        ∂x = g·wᵀ, ∂w = xᵀ·g
//	BiasAdd(x, b)      x (n, d) + b (1, d)        ∂x = g, ∂b = colSum(g)
//	ReLU(a), Sigmoid(a)                           ∂a = actBack(y, g)
//	MeanSquare(x, x')  mean (x − x')²             ∂x' = 2(x' − x)/N · g
//	MeanBCE(x, a)      mean softplus(a) − x·a     ∂a = (σ(a) − x)/N · g
//
// An op keeps its output tensor and rewrites it on every run: the tape
// machine drops its registers on Reset, so ops that return new tensors
// allocate on every step. Outputs live until the next run of the machine.

// fused holds what the ops share: a name and the output kept between runs.
type fused struct {
	name string
	out  *tensor.Dense
	e32  elemJob[float32] // the element-wise pass in flight, kept in the op
	e64  elemJob[float64] // so that sharing it among cores allocates nothing
}

func (op *fused) ReturnsPtr() bool      { return false }
func (op *fused) CallsExtern() bool     { return false }
func (op *fused) OverwritesInput() int  { return -1 }
func (op *fused) String() string        { return op.name }
func (op *fused) WriteHash(h hash.Hash) { fmt.Fprintf(h, "%s-%p", op.name, op) }
func (op *fused) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// output returns the kept output tensor, (re)allocated for dtype and shape.
func (op *fused) output(dt tensor.Dtype, shape ...int) *tensor.Dense {
	if op.out == nil || op.out.Dtype() != dt || !op.out.Shape().Eq(tensor.Shape(shape)) {
		op.out = tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
	}
	return op.out
}

// sameShape is the InferShape of an op whose output has its first input's shape.
func sameShape(op string, in G.DimSizer) (tensor.Shape, error) {
	s, ok := in.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: input shape %v", op, in)
	}
	return s.Clone(), nil
}

// densePair returns a and b as dense tensors of dims dimensions (any when
// dims < 0).
func densePair(op string, a, b G.Value, dims int) (*tensor.Dense, *tensor.Dense, error) {
	x, err := dense(op, a, dims)
	if err != nil {
		return nil, nil, err
	}
	y, err := dense(op, b, dims)
	return x, y, err
}

// zeros returns the kept output tensor filled with zeros, as a new one would
// be, for ops that accumulate into their output.
func (op *fused) zeros(dt tensor.Dtype, shape ...int) *tensor.Dense {
	t := op.output(dt, shape...)
	t.Zero()
	return t
}

func matrixType() hm.Type { return G.TensorType{Dims: 2, Of: hm.TypeVariable('a')} }

// dense returns v as a dense tensor of the given number of dimensions (any
// when dims < 0).
func dense(op string, v G.Value, dims int) (*tensor.Dense, error) {
	t, ok := v.(*tensor.Dense)
	if !ok || (dims >= 0 && t.Dims() != dims) {
		return nil, fmt.Errorf("%s: input of shape %v, want a %d-D dense tensor", op, v.Shape(), dims)
	}
	return t, nil
}

func noSecondDerivative(op string) ([]bool, error) {
	return nil, fmt.Errorf("%s: no second derivative", op)
}

// --- biasAdd ---

type biasAddOp struct{ fused }

// BiasAdd is x + b for x (n, d) and b (1, d): b added to every row.
func BiasAdd(x, b *G.Node) (*G.Node, error) {
	return G.ApplyOp(&biasAddOp{fused{name: "biasAdd"}}, x, b)
}

func (*biasAddOp) Arity() int    { return 2 }
func (*biasAddOp) Type() hm.Type { return hm.NewFnType(matrixType(), matrixType(), matrixType()) }
func (*biasAddOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || s.Dims() != 2 {
		return nil, fmt.Errorf("biasAdd: input shape %v, want (n, d)", in[0])
	}
	return s.Clone(), nil
}
func (op *biasAddOp) Do(in ...G.Value) (G.Value, error) {
	x, b, err := densePair(op.name, in[0], in[1], 2)
	if err != nil {
		return nil, err
	}
	n, d := x.Shape()[0], x.Shape()[1]
	if b.Shape()[0] != 1 || b.Shape()[1] != d {
		return nil, fmt.Errorf("biasAdd: bias shape %v, want (1, %d)", b.Shape(), d)
	}
	y := op.output(x.Dtype(), n, d)
	switch x.Dtype() {
	case tensor.Float32:
		xs := x.Float32s()
		op.e32.biasAdd(y.Float32s(), xs, b.Float32s())
	case tensor.Float64:
		xs := x.Float64s()
		op.e64.biasAdd(y.Float64s(), xs, b.Float64s())
	}
	return y, nil
}
func (*biasAddOp) DiffWRT(int) []bool { return []bool{true, true} }
func (*biasAddOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	db, err := G.ApplyOp(&colSumOp{fused{name: "colSum"}}, grad)
	return G.Nodes{grad, db}, err
}

// --- colSum: (n, d) → (1, d), the bias gradient ---

type colSumOp struct{ fused }

func (*colSumOp) Arity() int    { return 1 }
func (*colSumOp) Type() hm.Type { return hm.NewFnType(matrixType(), matrixType()) }
func (*colSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok || s.Dims() != 2 {
		return nil, fmt.Errorf("colSum: input shape %v, want (n, d)", in[0])
	}
	return tensor.Shape{1, s[1]}, nil
}
func (op *colSumOp) Do(in ...G.Value) (G.Value, error) {
	g, err := dense(op.name, in[0], 2)
	if err != nil {
		return nil, err
	}
	d := g.Shape()[1]
	y := op.output(g.Dtype(), 1, d)
	switch g.Dtype() {
	case tensor.Float32:
		gs := g.Float32s()
		op.e32.colSum(y.Float32s(), gs)
	case tensor.Float64:
		gs := g.Float64s()
		op.e64.colSum(y.Float64s(), gs)
	}
	return y, nil
}
func (*colSumOp) DiffWRT(int) []bool { return []bool{false} }
func (op *colSumOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	_, err := noSecondDerivative(op.name)
	return nil, err
}

// --- activations ---

type actKind int

const (
	reluKind actKind = iota
	sigmoidKind
	expKind
)

type actOp struct {
	fused
	kind actKind
}

type actBackOp struct {
	fused
	kind actKind
}

// ReLU is max(a, 0), element-wise, for a of any shape.
func ReLU(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(&actOp{fused{name: "relu"}, reluKind}, a)
}

// Sigmoid is 1/(1 + e^−a), element-wise, for a of any shape.
func Sigmoid(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(&actOp{fused{name: "sigmoid"}, sigmoidKind}, a)
}

// Exp is e^a, element-wise, for a of any shape: vmath.Exp32 in float32, the
// same bits on every CPU (Gorgonia's G.Exp calls a library exp whose
// result differs by architecture).
func Exp(a *G.Node) (*G.Node, error) {
	return G.ApplyOp(&actOp{fused{name: "exp"}, expKind}, a)
}

func (*actOp) Arity() int { return 1 }
func (*actOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}
func (*actOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return sameShape("activation", in[0])
}
func (op *actOp) Do(in ...G.Value) (G.Value, error) {
	a, err := dense(op.name, in[0], -1)
	if err != nil {
		return nil, err
	}
	y := op.output(a.Dtype(), a.Shape()...)
	switch a.Dtype() {
	case tensor.Float32:
		as := a.Float32s()
		op.e32.activate(op.kind, y.Float32s(), as, vmath.Sigmoid32)
	case tensor.Float64:
		as := a.Float64s()
		op.e64.activate(op.kind, y.Float64s(), as, sigmoid64)
	}
	return y, nil
}
func (*actOp) DiffWRT(int) []bool { return []bool{true} }
func (op *actOp) SymDiff(_ G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	da, err := G.ApplyOp(&actBackOp{fused{name: op.name + "Back"}, op.kind}, out, grad)
	return G.Nodes{da}, err
}

func (*actBackOp) Arity() int { return 2 }
func (*actBackOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a, a)
}
func (*actBackOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return sameShape("activation gradient", in[0])
}

// Do computes ∂a from the activation's output y and the gradient g of y:
// g·[y > 0] for ReLU, g·y·(1 − y) for the sigmoid, g·y for exp.
func (op *actBackOp) Do(in ...G.Value) (G.Value, error) {
	y, g, err := densePair(op.name, in[0], in[1], -1)
	if err != nil {
		return nil, err
	}
	da := op.output(y.Dtype(), y.Shape()...)
	switch y.Dtype() {
	case tensor.Float32:
		ys := y.Float32s()
		op.e32.actBack(op.kind, da.Float32s(), ys, g.Float32s())
	case tensor.Float64:
		ys := y.Float64s()
		op.e64.actBack(op.kind, da.Float64s(), ys, g.Float64s())
	}
	return da, nil
}
func (*actBackOp) DiffWRT(int) []bool { return []bool{false, false} }
func (op *actBackOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	_, err := noSecondDerivative(op.name)
	return nil, err
}

func sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// --- losses ---

// meanLossOp is a mean over all elements of x and its second input; kind
// says which: mean (x − x')², or the binary cross-entropy from logits.
type meanLossOp struct {
	fused
	bce  bool
	dims int
}

type meanLossBackOp struct {
	fused
	bce  bool
	dims int
}

// MeanSquare is the mean of (x − y)² over all elements: a scalar. x and y
// have the same shape; only y is differentiated (x is the data).
func MeanSquare(x, y *G.Node) (*G.Node, error) {
	return G.ApplyOp(&meanLossOp{fused{name: "meanSq"}, false, x.Dims()}, x, y)
}

// MeanBCE is the binary cross-entropy of targets x in [0, 1] and a sigmoid
// output σ(a), computed from the logits a as softplus(a) − x·a (which cannot
// overflow), averaged over all elements: a scalar. Only a is differentiated.
func MeanBCE(x, a *G.Node) (*G.Node, error) {
	return G.ApplyOp(&meanLossOp{fused{name: "meanBCE"}, true, x.Dims()}, x, a)
}

func (*meanLossOp) Arity() int { return 2 }
func (op *meanLossOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(t, t, a)
}
func (*meanLossOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return tensor.ScalarShape(), nil }
func (op *meanLossOp) Do(in ...G.Value) (G.Value, error) {
	x, y, err := densePair(op.name, in[0], in[1], op.dims)
	if err != nil {
		return nil, err
	}
	if !x.Shape().Eq(y.Shape()) {
		return nil, fmt.Errorf("%s: shapes %v and %v differ", op.name, x.Shape(), y.Shape())
	}
	switch x.Dtype() {
	case tensor.Float32:
		xs := x.Float32s()
		return G.NewF32(float32(op.e32.meanLoss(op.bce, xs, y.Float32s()))), nil
	case tensor.Float64:
		xs := x.Float64s()
		return G.NewF64(op.e64.meanLoss(op.bce, xs, y.Float64s())), nil
	}
	return nil, fmt.Errorf("%s: dtype %v", op.name, x.Dtype())
}
func (*meanLossOp) DiffWRT(int) []bool { return []bool{false, true} }
func (op *meanLossOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	dy, err := G.ApplyOp(&meanLossBackOp{fused{name: op.name + "Back"}, op.bce, op.dims}, in[0], in[1], grad)
	return G.Nodes{nil, dy}, err
}

func (*meanLossBackOp) Arity() int { return 3 }
func (op *meanLossBackOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(m, m, a, m)
}
func (*meanLossBackOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return sameShape("loss gradient", in[0])
}

// Do computes ∂y = 2(y − x)/N · g for the squared error and (σ(y) − x)/N · g
// for the cross-entropy, g being the gradient of the (scalar) loss.
func (op *meanLossBackOp) Do(in ...G.Value) (G.Value, error) {
	x, y, err := densePair(op.name, in[0], in[1], op.dims)
	if err != nil {
		return nil, err
	}
	dy := op.output(y.Dtype(), y.Shape()...)
	switch x.Dtype() {
	case tensor.Float32:
		xs := x.Float32s()
		g, ok := scalarOf[float32](in[2])
		if !ok {
			return nil, fmt.Errorf("%s: gradient %v is not a float32 scalar", op.name, in[2])
		}
		op.e32.meanLossBack(op.bce, dy.Float32s(), xs, y.Float32s(), g, vmath.Sigmoid32)
	case tensor.Float64:
		xs := x.Float64s()
		g, ok := scalarOf[float64](in[2])
		if !ok {
			return nil, fmt.Errorf("%s: gradient %v is not a float64 scalar", op.name, in[2])
		}
		op.e64.meanLossBack(op.bce, dy.Float64s(), xs, y.Float64s(), g, sigmoid64)
	}
	return dy, nil
}
func (*meanLossBackOp) DiffWRT(int) []bool { return []bool{false, false, false} }
func (op *meanLossBackOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	_, err := noSecondDerivative(op.name)
	return nil, err
}

// scalarOf reads a scalar value of type T.
func scalarOf[T float](v G.Value) (T, bool) {
	switch d := v.Data().(type) {
	case T:
		return d, true
	case []T:
		if len(d) == 1 {
			return d[0], true
		}
	}
	return 0, false
}

// --- matMul: op(A)·op(B) for 2-D A and B, op(X) = X or Xᵀ ---

type matMulOp struct {
	fused
	tA, tB bool
	gradA  bool // whether the gradient with respect to A is needed
}

// MatMul is the product x·w of x (n, k) and w (k, d), computed by the BLAS
// that UseBLAS selected. gradX says whether x needs a gradient: false for
// data, which spares the largest product of the backward pass.
func MatMul(x, w *G.Node, gradX bool) (*G.Node, error) {
	op := newMatMul(false, false)
	op.gradA = gradX
	return G.ApplyOp(op, x, w)
}

// MatMulT is the product x·wᵀ of x (n, k) and w (d, k): (n, d), without
// transposing w first: a decoder that reuses an encoder's weight (tied
// weights) stays on the fast path. gradX as for MatMul.
func MatMulT(x, w *G.Node, gradX bool) (*G.Node, error) {
	op := newMatMul(false, true)
	op.gradA = gradX
	return G.ApplyOp(op, x, w)
}

func newMatMul(tA, tB bool) *matMulOp {
	return &matMulOp{fused{name: fmt.Sprintf("matMul(%v,%v)", tA, tB)}, tA, tB, true}
}

func (*matMulOp) Arity() int    { return 2 }
func (*matMulOp) Type() hm.Type { return hm.NewFnType(matrixType(), matrixType(), matrixType()) }

// dims returns op(A)'s m×k and op(B)'s k×n.
func (op *matMulOp) dims(a, b tensor.Shape) (m, k, n int, err error) {
	if a.Dims() != 2 || b.Dims() != 2 {
		return 0, 0, 0, fmt.Errorf("%s: shapes %v and %v, want matrices", op.name, a, b)
	}
	m, k = a[0], a[1]
	if op.tA {
		m, k = k, m
	}
	k2, n := b[0], b[1]
	if op.tB {
		k2, n = n, k2
	}
	if k != k2 {
		return 0, 0, 0, fmt.Errorf("%s: shapes %v and %v do not multiply", op.name, a, b)
	}
	return m, k, n, nil
}

func (op *matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	a, ok1 := in[0].(tensor.Shape)
	b, ok2 := in[1].(tensor.Shape)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("%s: input shapes %v, %v", op.name, in[0], in[1])
	}
	m, _, n, err := op.dims(a, b)
	return tensor.Shape{m, n}, err
}

func (op *matMulOp) Do(in ...G.Value) (G.Value, error) {
	a, b, err := densePair(op.name, in[0], in[1], 2)
	if err != nil {
		return nil, err
	}
	m, k, n, err := op.dims(a.Shape(), b.Shape())
	if err != nil {
		return nil, err
	}
	c := op.output(a.Dtype(), m, n)
	lda, ldb := a.Shape()[1], b.Shape()[1]
	switch a.Dtype() {
	case tensor.Float32:
		as := a.Float32s()
		sgemmBLAS.Sgemm(trans(op.tA), trans(op.tB), m, n, k, 1, as, lda, b.Float32s(), ldb, 0, c.Float32s(), n)
	case tensor.Float64:
		as := a.Float64s()
		gonum.Implementation{}.Dgemm(trans(op.tA), trans(op.tB), m, n, k, 1, as, lda, b.Float64s(), ldb, 0, c.Float64s(), n)
	default:
		return nil, fmt.Errorf("%s: dtype %v", op.name, a.Dtype())
	}
	return c, nil
}

func (op *matMulOp) DiffWRT(int) []bool { return []bool{op.gradA, true} }

// SymDiff: for C = A·B, ∂A = G·Bᵀ (unless A is data) and ∂B = Aᵀ·G.
//
// For C = A·Bᵀ (MatMulT): ∂A = G·B and ∂B = Gᵀ·A.
func (op *matMulOp) SymDiff(in G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.tA {
		_, err := noSecondDerivative(op.name)
		return nil, err
	}
	if op.tB {
		var da *G.Node
		if op.gradA {
			var err error
			if da, err = G.ApplyOp(newMatMul(false, false), grad, in[1]); err != nil {
				return nil, err
			}
		}
		db, err := G.ApplyOp(newMatMul(true, false), grad, in[0])
		return G.Nodes{da, db}, err
	}
	var da *G.Node
	if op.gradA {
		var err error
		if da, err = G.ApplyOp(newMatMul(false, true), grad, in[1]); err != nil {
			return nil, err
		}
	}
	db, err := G.ApplyOp(newMatMul(true, false), in[0], grad)
	return G.Nodes{da, db}, err
}

// trans is the BLAS flag for an operand that is (t) or is not transposed.
func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}
