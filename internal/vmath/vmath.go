// Package vmath computes element-wise functions of float32 slices, 16 values
// at a time in assembly (AVX-512 or AVX2 on amd64, NEON on arm64) where the
// CPU has it, and in plain Go everywhere (package isa picks the path).
//
// Every path gives the same bits. The plain-Go scalar functions below
// (Sigmoid32, adam1, bce1, …) are the canonical arithmetic, written out:
// the assembly computes each value with the same operations in the same
// order, fused where these use canon.FMA, and the one reduction (BCELogits)
// sums in 16 lanes whatever the register width.
package vmath

import (
	"math"

	"github.com/aegraph/aegraph/internal/canon"
	"github.com/aegraph/aegraph/internal/isa"
)

// funcs are one path's kernels, each over n values (n a multiple of 16 but
// for maxRows); a nil one is plain Go's.
type funcs struct {
	sigmoid   func(y, x *float32, n int, c *[8]float32)
	adam      func(w, g, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)
	relu      func(y, x *float32, n int)
	reluBack  func(da, y, g *float32, n int)
	bce       func(x, a *float32, n int, c *[16]float32) float64
	pairMax   func(y, x *float32, n int, idx *[32]uint32, low float32)
	addConst  func(y, x *float32, n int, c float32)
	maxRows   func(y, x *float32, rows, n int)
	bytesOver func(y *float32, x *uint8, n int, c float32)
}

// k are the kernels of the path in use (archFuncs in vmath_<arch>.go).
var k funcs

func init() {
	isa.OnChange(func(p isa.Path) { k = archFuncs(p) })
}

// blocks is the part of n that a kernel takes: whole blocks of 16, none
// without a kernel.
func blocks(n int, has bool) int {
	if !has {
		return 0
	}
	return n &^ 15
}

// Sigmoid sets y[i] = 1/(1 + e^−x[i]) (Sigmoid32); y and x have the same
// length.
func Sigmoid(y, x []float32) {
	if len(y) != len(x) {
		panic("vmath: Sigmoid of slices of different lengths")
	}
	n := blocks(len(x), k.sigmoid != nil)
	if n > 0 {
		k.sigmoid(&y[0], &x[0], n, &consts)
	}
	for i := n; i < len(x); i++ {
		y[i] = Sigmoid32(x[i])
	}
}

// consts are the constants of expNegAbs, in the order the assembly reads them.
var consts = [8]float32{log2e, ln2hi, ln2lo, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5}

const (
	log2e = 1.44269504088896341
	ln2hi = 0.693359375
	ln2lo = -2.12194440e-4
)

// Sigmoid32 is 1/(1 + e^−x) in float32 arithmetic, computed from e^−|x| so
// that nothing overflows: q = 1/(1 + e), and e·q for x < 0; within 3e-7
// relative down to e^−87 (below it, σ(x) is given as about e^−87); NaN stays
// NaN.
func Sigmoid32(x float32) float32 {
	e := expNegAbs(x)
	q := 1 / (1 + e)
	if x < 0 {
		q = e * q
	}
	return q
}

// expNegAbs is e^t for t = max(−|x|, −87), within 3 ulp, NaN for NaN: t =
// k·ln2 + r with k = round(t·log2e) (Cody–Waite, with the constants of
// Cephes' expf, r by two fused steps), e^r by its Taylor polynomial to r⁶ in
// fused Horner steps, scaled by 2^k (one rounding, a subnormal near −87).
func expNegAbs(x float32) float32 {
	t := math.Float32frombits(math.Float32bits(x) | 1<<31) // −|x|
	if t < -87 {
		t = -87
	}
	if t != t {
		return t
	}
	p, k := expSplit(t)
	return p * pow2(k)
}

// expSplit writes e^x = p·2^k: k = round(x·log2e), r = x − k·ln2 in two
// fused steps (Cody–Waite, the constants of Cephes' expf), p = e^r by its
// Taylor polynomial to r⁶ in fused Horner steps. The assembly kernels
// compute the same steps.
func expSplit(x float32) (p float32, k int32) {
	kf := float32(math.RoundToEven(float64(float32(x * log2e))))
	r := canon.FMA(-kf, ln2hi, x)
	r = canon.FMA(-kf, ln2lo, r)
	p = canon.FMA(1.0/720, r, 1.0/120)
	p = canon.FMA(p, r, 1.0/24)
	p = canon.FMA(p, r, 1.0/6)
	p = canon.FMA(p, r, 0.5)
	p = canon.FMA(p, r, 1)
	p = canon.FMA(p, r, 1)
	return p, int32(kf)
}

// Exp32 is e^x in float32 arithmetic, within 3 ulp, the same bits on every
// CPU (a library's exp is not: Go's and math32's differ by architecture and
// by CPU features): x = k·ln2 + r as in expNegAbs, e^r by the same
// polynomial, scaled by 2^k in two exact halves so that k may reach 128 or
// fall to −150. +Inf above 88.72284, 0 below −104, NaN for NaN.
func Exp32(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > 88.72284:
		return float32(math.Inf(1))
	case x < -104:
		return 0
	}
	p, k := expSplit(x)
	k1 := k / 2
	k2 := k - k1
	p = float32(p * pow2(k1)) // exact: p·2^k1 is a normal number
	return p * pow2(k2)
}

// pow2 is 2^k for k in [−126, 127].
func pow2(k int32) float32 { return math.Float32frombits(uint32(k+127) << 23) }

// AdamParams are the constants of one Adam step: the moments' decay rates,
// the step lr/c1 (c1 = 1 − β1^t) and 1/√c2 (c2 = 1 − β2^t), and ε.
type AdamParams struct {
	B1, B2, Step, InvSqrtC2, Eps float32
}

// Adam applies one Adam update in float32, as PyTorch computes it (adam1),
// and zeroes g. All slices have the same length.
func Adam(w, g, m, v []float32, p AdamParams) {
	if len(g) != len(w) || len(m) != len(w) || len(v) != len(w) {
		panic("vmath: Adam of slices of different lengths")
	}
	n := blocks(len(w), k.adam != nil)
	if n > 0 {
		k.adam(&w[0], &g[0], &m[0], &v[0], n, p.B1, 1-p.B1, p.B2, 1-p.B2, p.Step, p.InvSqrtC2, p.Eps)
	}
	for j := n; j < len(w); j++ {
		w[j], m[j], v[j] = adam1(w[j], g[j], m[j], v[j], p)
		g[j] = 0
	}
}

// adam1 is one value's Adam step: m = fma(1−β1, g, β1·m), v = fma(1−β2,
// g², β2·v), w −= (m / (√v·(1/√c2) + ε))·step, each product rounded but
// the two fused.
func adam1(w, g, m, v float32, p AdamParams) (float32, float32, float32) {
	m = canon.FMA(1-p.B1, g, float32(p.B1*m))
	v = canon.FMA(1-p.B2, float32(g*g), float32(p.B2*v))
	d := float32(float32(math.Sqrt(float64(v)))*p.InvSqrtC2) + p.Eps
	w = w - float32(m/d*p.Step)
	return w, m, v
}

// ReLU sets y[i] = max(x[i], 0) as Go's max computes it (NaN stays NaN, −0
// becomes +0); y and x have the same length.
func ReLU(y, x []float32) {
	if len(y) != len(x) {
		panic("vmath: ReLU of slices of different lengths")
	}
	n := blocks(len(x), k.relu != nil)
	if n > 0 {
		k.relu(&y[0], &x[0], n)
	}
	for i := n; i < len(x); i++ {
		y[i] = max(x[i], 0)
	}
}

// BytesOver sets y[i] = float32(x[i]) / c, as Go computes it (pixel values
// over 255); y and x have the same length.
func BytesOver(y []float32, x []uint8, c float32) {
	if len(y) != len(x) {
		panic("vmath: BytesOver of slices of different lengths")
	}
	n := blocks(len(x), k.bytesOver != nil)
	if n > 0 {
		k.bytesOver(&y[0], &x[0], n, c)
	}
	for i := n; i < len(x); i++ {
		y[i] = float32(x[i]) / c
	}
}

// AddConst sets y[i] = x[i] + c; y and x have the same length.
func AddConst(y, x []float32, c float32) {
	if len(y) != len(x) {
		panic("vmath: AddConst of slices of different lengths")
	}
	n := blocks(len(x), k.addConst != nil)
	if n > 0 {
		k.addConst(&y[0], &x[0], n, c)
	}
	for i := n; i < len(x); i++ {
		y[i] = x[i] + c
	}
}

// MaxRows sets row r of y, rows rows of n values, to the elementwise larger
// of rows 2r and 2r+1 of x: the value of row 2r, unless that of row 2r+1 is
// larger (so a NaN in row 2r+1 is passed over, and of +0 and −0 the first
// is kept). len(x) = 2·len(y) = 2·rows·n.
func MaxRows(y, x []float32, rows, n int) {
	if len(y) != rows*n || len(x) != 2*rows*n {
		panic("vmath: MaxRows of slices of the wrong lengths")
	}
	if k.maxRows != nil && len(y) > 0 {
		k.maxRows(&y[0], &x[0], rows, n)
		return
	}
	for r := range rows {
		top, bottom, row := x[2*r*n:(2*r+1)*n], x[(2*r+1)*n:(2*r+2)*n], y[r*n:(r+1)*n]
		for j := range row {
			m := top[j]
			if b := bottom[j]; b > m {
				m = b
			}
			row[j] = m
		}
	}
}

// PairMax sets y[k] to the larger of x[2k] and x[2k+1], scanned as a max
// pooling scans its window: from −MaxFloat32, replacing on >, so that a NaN
// is passed over and of two equal values (+0 and −0) the first is kept.
// len(x) = 2·len(y).
func PairMax(y, x []float32) {
	if len(x) != 2*len(y) {
		panic("vmath: PairMax of x not twice as long as y")
	}
	n := blocks(len(y), k.pairMax != nil)
	if n > 0 {
		k.pairMax(&y[0], &x[0], n, &pairIdx, -math.MaxFloat32)
	}
	for j := n; j < len(y); j++ {
		m := float32(-math.MaxFloat32)
		if a := x[2*j]; a > m {
			m = a
		}
		if b := x[2*j+1]; b > m {
			m = b
		}
		y[j] = m
	}
}

// pairIdx are the even then the odd indices of 32 values, for pairMax.
var pairIdx = [32]uint32{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
	1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31}

// ReLUBack sets da[i] = g[i] where y[i] > 0 and +0 elsewhere: the gradient
// through a ReLU whose output is y. All slices have the same length.
func ReLUBack(da, y, g []float32) {
	if len(y) != len(da) || len(g) != len(da) {
		panic("vmath: ReLUBack of slices of different lengths")
	}
	n := blocks(len(y), k.reluBack != nil)
	if n > 0 {
		k.reluBack(&da[0], &y[0], &g[0], n)
	}
	for i := n; i < len(y); i++ {
		if y[i] > 0 {
			da[i] = g[i]
		} else {
			da[i] = 0
		}
	}
}

// BCELogits returns Σ_i softplus(a[i]) − x[i]·a[i], the binary cross-entropy
// of targets x with the sigmoid of logits a: each term in float32 (bce1),
// within a few units of float32 rounding of its exact value, summed in
// float64 in 16 lanes (canon's order: lane i takes terms i, i+16, … of the
// whole blocks of 16, the lanes are added pairwise, then the last len mod 16
// terms in order). x and a have the same length.
func BCELogits(x, a []float32) float64 {
	if len(x) != len(a) {
		panic("vmath: BCELogits of slices of different lengths")
	}
	n := a16(len(a))
	var s float64
	if n > 0 {
		if k.bce != nil {
			s = k.bce(&x[0], &a[0], n, &bceConsts)
		} else {
			s = bceLanes(x[:n], a[:n])
		}
	}
	for i := n; i < len(a); i++ {
		s += float64(bce1(x[i], a[i]))
	}
	return s
}

func a16(n int) int { return n &^ 15 }

// bceLanes is the canonical 16-lane sum of bce1 over whole blocks of 16.
func bceLanes(x, a []float32) float64 {
	var lane [16]float64
	for i := 0; i < len(a); i += 16 {
		for j := range 16 {
			lane[j] += float64(bce1(x[i+j], a[i+j]))
		}
	}
	for w := 8; w >= 1; w /= 2 {
		for j := range w {
			lane[j] += lane[j+w]
		}
	}
	return lane[0]
}

// bce1 is one term softplus(a) − x·a in float32: softplus(a) = max(a, 0) +
// log1p(e) with e = e^−|a| (expNegAbs), log1p(e) = 2s(1 + s²/3 + … +
// s¹²/13) with s = e/(2 + e) ≤ 1/3 (Horner in fused steps); the last
// step fused, softplus − a·x. max(a, 0) is 0 for a NaN (the term is NaN
// anyway, through a·x).
func bce1(x, a float32) float32 {
	e := expNegAbs(a)
	s := e / (2 + e)
	s2 := float32(s * s)
	q := canon.FMA(1.0/13, s2, 1.0/11)
	q = canon.FMA(q, s2, 1.0/9)
	q = canon.FMA(q, s2, 1.0/7)
	q = canon.FMA(q, s2, 1.0/5)
	q = canon.FMA(q, s2, 1.0/3)
	q = canon.FMA(q, s2, 1)
	q = float32(q * s)
	l := q + q
	var sp float32
	if a > 0 {
		sp = a
	}
	sp = sp + l
	return canon.FMA(-a, x, sp)
}

// bceConsts: those of expNegAbs, then 2 and the series' 1/13, 1/11, … 1/3.
var bceConsts = [16]float32{log2e, ln2hi, ln2lo, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5,
	2, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3}
