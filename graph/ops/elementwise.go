package ops

import (
	"math"

	"github.com/aegraph/aegraph/internal/par"
	"github.com/aegraph/aegraph/internal/vmath"
)

// elemChunk is the chunk size of element-wise work. The chunks do not depend
// on the number of cores, so partial sums combine identically on any machine.
const elemChunk = 1 << 14

// elemJob is one element-wise pass of an op, shared among the cores in
// chunks of elemChunk values (par.Runner). An op keeps its own, so that
// running it allocates nothing.
type elemJob[T float] struct {
	pass       pass
	act        actKind
	bce        bool
	y, a, g, x []T
	scale      T
	sigm       func(T) T
	parts      []float64
	d, span    int // row length and rows (bias) or columns (colSum) a chunk
}

type pass int

const (
	activatePass pass = iota
	actBackPass
	meanLossPass
	meanLossBackPass
	biasPass
	colSumPass
)

func (j *elemJob[T]) do(n int) {
	par.Do(j, (n+elemChunk-1)/elemChunk)
}

// activate sets y = act(a).
func (j *elemJob[T]) activate(kind actKind, y, a []T, sigm func(T) T) {
	*j = elemJob[T]{pass: activatePass, act: kind, y: y, a: a, sigm: sigm, parts: j.parts}
	j.do(len(a))
}

// actBack sets da (in j.a) from the activation's output y and gradient g:
// g·[y > 0] for ReLU, g·y·(1 − y) for the sigmoid, g·y for exp.
func (j *elemJob[T]) actBack(kind actKind, da, y, g []T) {
	*j = elemJob[T]{pass: actBackPass, act: kind, a: da, y: y, g: g, parts: j.parts}
	j.do(len(y))
}

// meanLoss is mean (x − y)², or for bce mean softplus(y) − x·y with y the
// logits, summed in float64.
func (j *elemJob[T]) meanLoss(bce bool, x, y []T) float64 {
	chunks := (len(x) + elemChunk - 1) / elemChunk
	if cap(j.parts) < chunks {
		j.parts = make([]float64, chunks)
	}
	*j = elemJob[T]{pass: meanLossPass, bce: bce, x: x, y: y, parts: j.parts[:chunks]}
	j.do(len(x))
	var s float64
	for _, p := range j.parts {
		s += p
	}
	return s / float64(len(x))
}

// meanLossBack sets dy (in j.a) = 2(y − x)/N · g for the squared error and
// (σ(y) − x)/N · g for the cross-entropy, g being the loss's gradient.
func (j *elemJob[T]) meanLossBack(bce bool, dy, x, y []T, g T, sigm func(T) T) {
	*j = elemJob[T]{pass: meanLossBackPass, bce: bce, a: dy, x: x, y: y, scale: g / T(len(x)), sigm: sigm, parts: j.parts}
	j.do(len(x))
}

// biasAdd sets y = x + b with b added to every row of the (n, d) matrix x,
// d = len(b); chunks are whole rows.
func (j *elemJob[T]) biasAdd(y, x, b []T) {
	d := len(b)
	*j = elemJob[T]{pass: biasPass, y: y, x: x, a: b, d: d, span: max(1, elemChunk/d), parts: j.parts}
	rows := len(x) / d
	par.Do(j, (rows+j.span-1)/j.span)
}

// colSum sets y (1, d) to the sum of the rows of g (n, d), each column summed
// in row order; chunks are runs of columns.
func (j *elemJob[T]) colSum(y, g []T) {
	d := len(y)
	rows := len(g) / d
	*j = elemJob[T]{pass: colSumPass, y: y, g: g, d: d, span: max(16, elemChunk/rows&^15), parts: j.parts}
	par.Do(j, (d+j.span-1)/j.span)
}

// Run does the chunks w, w+workers, … of the pass.
func (j *elemJob[T]) Run(w, workers int) {
	switch j.pass {
	case biasPass:
		for r := w * j.span; r*j.d < len(j.x); r += workers * j.span {
			lo, hi := r*j.d, min(len(j.x), (r+j.span)*j.d)
			biasAdd(j.y[lo:hi], j.x[lo:hi], j.a)
		}
		return
	case colSumPass:
		for c := w * j.span; c < j.d; c += workers * j.span {
			colSum(j.y[c:min(j.d, c+j.span)], j.g, j.d, c)
		}
		return
	}
	n := max(len(j.a), len(j.x))
	for c := w; c*elemChunk < n; c += workers {
		lo, hi := c*elemChunk, min(n, (c+1)*elemChunk)
		switch j.pass {
		case activatePass:
			j.activateChunk(j.y[lo:hi], j.a[lo:hi])
		case actBackPass:
			j.actBackChunk(j.a[lo:hi], j.y[lo:hi], j.g[lo:hi])
		case meanLossPass:
			j.parts[c] = j.lossChunk(j.x[lo:hi], j.y[lo:hi])
		case meanLossBackPass:
			j.lossBackChunk(j.a[lo:hi], j.x[lo:hi], j.y[lo:hi])
		}
	}
}

func (j *elemJob[T]) activateChunk(y, a []T) {
	switch {
	case j.act == expKind:
		if y32, ok := any(y).([]float32); ok {
			a32 := any(a).([]float32)
			for i, v := range a32 {
				y32[i] = vmath.Exp32(v)
			}
			return
		}
		for i, v := range a {
			y[i] = T(math.Exp(float64(v)))
		}
	case j.act == reluKind:
		if y32, ok := any(y).([]float32); ok {
			vmath.ReLU(y32, any(a).([]float32)) // 16 at a time
			return
		}
		for i, v := range a {
			y[i] = max(v, 0)
		}
	default:
		if y32, ok := any(y).([]float32); ok {
			vmath.Sigmoid(y32, any(a).([]float32)) // 16 at a time
			return
		}
		for i, v := range a {
			y[i] = j.sigm(v)
		}
	}
}

func (j *elemJob[T]) actBackChunk(da, y, g []T) {
	if j.act == reluKind {
		if da32, ok := any(da).([]float32); ok {
			vmath.ReLUBack(da32, any(y).([]float32), any(g).([]float32)) // 16 at a time, no branch
			return
		}
		for i, v := range y {
			if v > 0 {
				da[i] = g[i]
			} else {
				da[i] = 0
			}
		}
		return
	}
	if j.act == expKind {
		for i, v := range y {
			da[i] = g[i] * v
		}
		return
	}
	for i, v := range y {
		da[i] = g[i] * v * (1 - v)
	}
}

func (j *elemJob[T]) lossChunk(x, y []T) float64 {
	var s float64
	if j.bce {
		if x32, ok := any(x).([]float32); ok {
			return vmath.BCELogits(x32, any(y).([]float32)) // 16 at a time
		}
		for i, a := range y {
			af := float64(a)
			// softplus(a) = max(a, 0) + log(1 + e^−|a|), stable for any a
			s += max(af, 0) + math.Log1p(math.Exp(-math.Abs(af))) - float64(float64(x[i])*af)
		}
		return s
	}
	for i, v := range x {
		d := float64(y[i] - v)
		s += float64(d * d) // float64(…): rounded, never fused (canon)
	}
	return s
}

func (j *elemJob[T]) lossBackChunk(dy, x, y []T) {
	if j.bce {
		for i, a := range y {
			dy[i] = j.scale * (j.sigm(a) - x[i])
		}
		return
	}
	c := 2 * j.scale
	for i, v := range y {
		dy[i] = c * (v - x[i])
	}
}

// biasAdd sets y = x + b row by row (len(x) a multiple of len(b)).
func biasAdd[T float](y, x, b []T) {
	d := len(b)
	for i := 0; i < len(x); i += d {
		yr, xr := y[i:i+d], x[i:i+d]
		for j, bj := range b {
			yr[j] = xr[j] + bj
		}
	}
}

// colSum sets y to columns c0 … c0+len(y)−1 of the sum of g's rows of length d.
func colSum[T float](y, g []T, d, c0 int) {
	clear(y)
	for i := c0; i < len(g); i += d {
		for j, v := range g[i : i+len(y)] {
			y[j] += v
		}
	}
}
