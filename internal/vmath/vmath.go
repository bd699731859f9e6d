// Package vmath computes element-wise functions of float32 slices, 16 values
// at a time with AVX-512 where the CPU has it.
package vmath

import "math"

// Sigmoid sets y[i] = 1/(1 + e^−x[i]); y and x have the same length.
func Sigmoid(y, x []float32) {
	if len(y) != len(x) {
		panic("vmath: Sigmoid of slices of different lengths")
	}
	n := 0
	if sigmoid16 != nil {
		n = len(x) &^ 15
		if n > 0 {
			sigmoid16(&y[0], &x[0], n, &consts)
		}
	}
	for i := n; i < len(x); i++ {
		y[i] = Sigmoid32(x[i])
	}
}

// sigmoid16 processes n values, n a multiple of 16 (nil without AVX-512).
var sigmoid16 func(y, x *float32, n int, c *[8]float32)

// consts are the constants of expNeg, in the order the assembly reads them.
var consts = [8]float32{log2e, ln2hi, ln2lo, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5}

const (
	log2e = 1.44269504088896341
	ln2hi = 0.693359375
	ln2lo = -2.12194440e-4
)

// Sigmoid32 is 1/(1 + e^−x) in float32 arithmetic, computed from e^−|x| so
// that nothing overflows; within 3e-7 relative.
func Sigmoid32(x float32) float32 {
	e := expNeg(-float32(math.Abs(float64(x))))
	q := 1 / (1 + e)
	if x < 0 {
		q *= e
	}
	return q
}

// expNeg is e^x for x ≤ 0, within 2 ulp: x = n·ln2 + r with |r| ≤ ln2/2
// (Cody–Waite, with the constants of Cephes' expf), e^r by its Taylor
// polynomial to r⁶, scaled by 2^n.
func expNeg(x float32) float32 {
	if x < -87 {
		return 0
	}
	n := float32(math.RoundToEven(float64(x * log2e)))
	r := x - n*ln2hi - n*ln2lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120+r*(1.0/720))))))
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// AdamParams are the constants of one Adam step: the moments' decay rates,
// the step lr/c1 (c1 = 1 − β1^t) and 1/√c2 (c2 = 1 − β2^t), and ε.
type AdamParams struct {
	B1, B2, Step, InvSqrtC2, Eps float32
}

// Adam applies one Adam update in float32, as PyTorch computes it:
// m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², w −= step·m / (√v·(1/√c2) + ε),
// and zeroes g. All slices have the same length.
func Adam(w, g, m, v []float32, p AdamParams) {
	if len(g) != len(w) || len(m) != len(w) || len(v) != len(w) {
		panic("vmath: Adam of slices of different lengths")
	}
	n := 0
	if adam16 != nil {
		n = len(w) &^ 15
		if n > 0 {
			adam16(&w[0], &g[0], &m[0], &v[0], n, p.B1, 1-p.B1, p.B2, 1-p.B2, p.Step, p.InvSqrtC2, p.Eps)
		}
	}
	for j := n; j < len(w); j++ {
		gj := g[j]
		m[j] = p.B1*m[j] + (1-p.B1)*gj
		v[j] = p.B2*v[j] + (1-p.B2)*gj*gj
		w[j] -= p.Step * m[j] / (float32(math.Sqrt(float64(v[j])))*p.InvSqrtC2 + p.Eps)
		g[j] = 0
	}
}

// adam16 processes n values, n a multiple of 16 (nil without AVX-512).
var adam16 func(w, g, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)

// ReLU sets y[i] = max(x[i], 0) as Go's max computes it (NaN stays NaN, −0
// becomes +0); y and x have the same length.
func ReLU(y, x []float32) {
	if len(y) != len(x) {
		panic("vmath: ReLU of slices of different lengths")
	}
	n := 0
	if relu16 != nil {
		n = len(x) &^ 15
		if n > 0 {
			relu16(&y[0], &x[0], n)
		}
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
	n := 0
	if unitBytes16 != nil {
		n = len(x) &^ 15
		if n > 0 {
			unitBytes16(&y[0], &x[0], n, c)
		}
	}
	for i := n; i < len(x); i++ {
		y[i] = float32(x[i]) / c
	}
}

// unitBytes16 processes n values, n a multiple of 16 (nil without AVX-512).
var unitBytes16 func(y *float32, x *uint8, n int, c float32)

// AddConst sets y[i] = x[i] + c; y and x have the same length.
func AddConst(y, x []float32, c float32) {
	if len(y) != len(x) {
		panic("vmath: AddConst of slices of different lengths")
	}
	n := 0
	if addConst16 != nil {
		n = len(x) &^ 15
		if n > 0 {
			addConst16(&y[0], &x[0], n, c)
		}
	}
	for i := n; i < len(x); i++ {
		y[i] = x[i] + c
	}
}

// addConst16 processes n values, n a multiple of 16 (nil without AVX-512).
var addConst16 func(y, x *float32, n int, c float32)

// MaxRows sets row r of y, rows rows of n values, to the elementwise larger
// of rows 2r and 2r+1 of x: the value of row 2r, unless that of row 2r+1 is
// larger (so a NaN in row 2r+1 is passed over, and of +0 and −0 the first
// is kept). len(x) = 2·len(y) = 2·rows·n.
func MaxRows(y, x []float32, rows, n int) {
	if len(y) != rows*n || len(x) != 2*rows*n {
		panic("vmath: MaxRows of slices of the wrong lengths")
	}
	if maxRowsVec != nil && len(y) > 0 {
		maxRowsVec(&y[0], &x[0], rows, n)
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

// maxRowsVec is MaxRows for any n (nil without AVX-512).
var maxRowsVec func(y, x *float32, rows, n int)

// PairMax sets y[k] to the larger of x[2k] and x[2k+1], scanned as a max
// pooling scans its window: from −MaxFloat32, replacing on >, so that a NaN
// is passed over and of two equal values (+0 and −0) the first is kept.
// len(x) = 2·len(y).
func PairMax(y, x []float32) {
	if len(x) != 2*len(y) {
		panic("vmath: PairMax of x not twice as long as y")
	}
	n := 0
	if pairMax16 != nil {
		n = len(y) &^ 15
		if n > 0 {
			pairMax16(&y[0], &x[0], n, &pairIdx, -math.MaxFloat32)
		}
	}
	for k := n; k < len(y); k++ {
		m := float32(-math.MaxFloat32)
		if a := x[2*k]; a > m {
			m = a
		}
		if b := x[2*k+1]; b > m {
			m = b
		}
		y[k] = m
	}
}

// pairMax16 processes n outputs, n a multiple of 16 (nil without AVX-512).
var pairMax16 func(y, x *float32, n int, idx *[32]uint32, low float32)

// pairIdx are the even then the odd indices of 32 values, for pairMax16.
var pairIdx = [32]uint32{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
	1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31}

// ReLUBack sets da[i] = g[i] where y[i] > 0 and +0 elsewhere: the gradient
// through a ReLU whose output is y. All slices have the same length.
func ReLUBack(da, y, g []float32) {
	if len(y) != len(da) || len(g) != len(da) {
		panic("vmath: ReLUBack of slices of different lengths")
	}
	n := 0
	if reluBack16 != nil {
		n = len(y) &^ 15
		if n > 0 {
			reluBack16(&da[0], &y[0], &g[0], n)
		}
	}
	for i := n; i < len(y); i++ {
		if y[i] > 0 {
			da[i] = g[i]
		} else {
			da[i] = 0
		}
	}
}

// relu16 and reluBack16 process n values, n a multiple of 16 (nil without
// AVX-512).
var (
	relu16     func(y, x *float32, n int)
	reluBack16 func(da, y, g *float32, n int)
)

// BCELogits returns Σ_i softplus(a[i]) − x[i]·a[i], the binary cross-entropy
// of targets x with the sigmoid of logits a, summed in float64: softplus(a) =
// max(a, 0) + log1p(e^−|a|) cannot overflow. 16 values at a time with
// AVX-512, each in float32 (log1p(e) = 2·atanh(e/(2+e)) by its series to the
// 13th power) within a few units of float32 rounding of its float64 value;
// plain float64 otherwise. x and a have the same length.
func BCELogits(x, a []float32) float64 {
	if len(x) != len(a) {
		panic("vmath: BCELogits of slices of different lengths")
	}
	n := 0
	var s float64
	if bce16 != nil {
		n = len(a) &^ 15
		if n > 0 {
			s = bce16(&x[0], &a[0], n, &bceConsts)
		}
	}
	for i := n; i < len(a); i++ {
		af := float64(a[i])
		s += max(af, 0) + math.Log1p(math.Exp(-math.Abs(af))) - float64(x[i])*af
	}
	return s
}

// bce16 processes n values, n a multiple of 16 (nil without AVX-512).
var bce16 func(x, a *float32, n int, c *[16]float32) float64

// bceConsts: those of expNeg, then 2 and the series' 1/13, 1/11, … 1/3.
var bceConsts = [16]float32{log2e, ln2hi, ln2lo, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5,
	2, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3}
