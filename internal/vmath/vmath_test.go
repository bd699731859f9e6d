package vmath

import (
	"math"
	"testing"

	"github.com/aegraph/aegraph/internal/isa"
)

// TestSigmoid compares Sigmoid (the AVX-512 path for whole blocks of 16, Go
// for the rest) and Sigmoid32 with float64 math over the whole float32 range
// that matters, and checks the extremes.
func TestSigmoid(t *testing.T) {
	const n = 200_003 // not a multiple of 16: both paths run
	x := make([]float32, n)
	for i := range x {
		x[i] = -100 + 200*float32(i)/n
	}
	x[0], x[1], x[2] = 0, float32(math.Inf(1)), float32(math.Inf(-1))
	y := make([]float32, n)
	Sigmoid(y, x)
	for i, v := range x {
		want := 1 / (1 + math.Exp(-float64(v)))
		for _, got := range []float32{y[i], Sigmoid32(v)} {
			if d := math.Abs(float64(got) - want); d > 3e-7*want && d > 2e-38 { // below e^−87 the result may be e^−87
				t.Fatalf("σ(%v) = %v, want %v", v, got, want)
			}
		}
	}
	if y[0] != 0.5 || y[1] != 1 || y[2] > 2e-38 {
		t.Errorf("σ(0), σ(+∞), σ(−∞) = %v, %v, %v; want 0.5, 1, ≈0", y[0], y[1], y[2])
	}
}

func BenchmarkSigmoid(b *testing.B) {
	x := make([]float32, 1<<15)
	y := make([]float32, len(x))
	for i := range x {
		x[i] = float32(i%41) - 20
	}
	for range b.N {
		Sigmoid(y, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(x)), "ns/value")
}

// TestAdam checks the vector path against the scalar one (the tail of the
// same call) value for value over several steps, bit for bit.
func TestAdam(t *testing.T) {
	const n = 1003
	w, m, v := make([]float32, n), make([]float32, n), make([]float32, n)
	w2, m2, v2 := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range w {
		w[i] = float32(i%17) / 17
		w2[i] = w[i]
	}
	for step := 1; step <= 5; step++ {
		c1 := 1 - math.Pow(0.9, float64(step))
		c2 := 1 - math.Pow(0.999, float64(step))
		p := AdamParams{B1: 0.9, B2: 0.999, Step: float32(1e-3 / c1), InvSqrtC2: float32(1 / math.Sqrt(c2)), Eps: 1e-8}
		g, g2 := make([]float32, n), make([]float32, n)
		for i := range g {
			g[i] = float32(math.Sin(float64(i*step))) * 0.01
			g2[i] = g[i]
		}
		Adam(w, g, m, v, p)
		for j := range w2 { // the scalar rule, one value at a time
			Adam(w2[j:j+1], g2[j:j+1], m2[j:j+1], v2[j:j+1], p)
		}
		for i := range w {
			if g[i] != 0 {
				t.Fatalf("step %d: g[%d] = %v, not zeroed", step, i, g[i])
			}
			if math.Float32bits(w[i]) != math.Float32bits(w2[i]) || m[i] != m2[i] || v[i] != v2[i] {
				t.Fatalf("step %d: w, m, v[%d] = %v, %v, %v; scalar %v, %v, %v", step, i, w[i], m[i], v[i], w2[i], m2[i], v2[i])
			}
		}
	}
}

// TestReLU: the vector path gives exactly what Go's max and a branch give,
// bit for bit, special values included (NaN, ±0, ±Inf, subnormals).
func TestReLU(t *testing.T) {
	specials := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)),
		math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1, -1}
	const n = 1003 // not a multiple of 16: both paths run
	x, g := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i%37) - 18.5
		g[i] = float32(i%11) - 5.25
		if i%7 == 0 {
			x[i] = specials[(i/7)%len(specials)]
		}
		if i%13 == 0 {
			g[i] = specials[(i/13)%len(specials)]
		}
	}
	y, da := make([]float32, n), make([]float32, n)
	ReLU(y, x)
	ReLUBack(da, x, g)
	for i, v := range x {
		if want := max(v, 0); math.Float32bits(y[i]) != math.Float32bits(want) {
			t.Errorf("ReLU(%v) = %v, want %v", v, y[i], want)
		}
		var want float32
		if v > 0 {
			want = g[i]
		}
		if math.Float32bits(da[i]) != math.Float32bits(want) {
			t.Errorf("ReLUBack(y=%v, g=%v) = %v, want %v", v, g[i], da[i], want)
		}
	}
}

// TestNoAllocations: the element-wise functions allocate nothing, so that a
// training step does not feed the garbage collector.
func TestNoAllocations(t *testing.T) {
	w, g, m, v := make([]float32, 100), make([]float32, 100), make([]float32, 100), make([]float32, 100)
	p := AdamParams{B1: 0.9, B2: 0.999, Step: 1e-3, InvSqrtC2: 1, Eps: 1e-8}
	for name, f := range map[string]func(){
		"Adam":     func() { Adam(w, g, m, v, p) },
		"Sigmoid":  func() { Sigmoid(w, g) },
		"ReLU":     func() { ReLU(w, g) },
		"ReLUBack": func() { ReLUBack(w, g, m) },
	} {
		if n := testing.AllocsPerRun(10, f); n != 0 {
			t.Errorf("%s allocates %v times a call", name, n)
		}
	}
}

// TestBCELogits compares the vector path with float64 math, element by
// element (one element at a time, at 16 copies so that the vector path runs)
// over logits from −100 to 100 and targets 0, ½ and 1, and as one sum.
func TestBCELogits(t *testing.T) {
	ref := func(x, a float32) float64 {
		af := float64(a)
		return max(af, 0) + math.Log1p(math.Exp(-math.Abs(af))) - float64(x)*af
	}
	var xs, as []float32
	for i := range 20001 {
		a := -100 + float32(i)/100
		for _, x := range []float32{0, 0.5, 1} {
			xs, as = append(xs, x), append(as, a)
		}
	}
	x16, a16 := make([]float32, 16), make([]float32, 16)
	for i := range xs {
		for j := range 16 {
			x16[j], a16[j] = xs[i], as[i]
		}
		got, want := BCELogits(x16, a16)/16, ref(xs[i], as[i])
		// float32 rounding of the terms: a few ulp of max(|a|, the result)
		if tol := 4e-7 * max(math.Abs(float64(as[i])), want, 1e-3); math.Abs(got-want) > tol {
			t.Fatalf("x = %v, a = %v: %v, want %v", xs[i], as[i], got, want)
		}
	}
	var want float64
	for i := range xs {
		want += ref(xs[i], as[i])
	}
	if got := BCELogits(xs, as); math.Abs(got-want) > 1e-6*want {
		t.Errorf("sum %v, want %v", got, want)
	}
	nan := []float32{float32(math.NaN())}
	if got := BCELogits(append(make([]float32, 15), 0), append(make([]float32, 15), nan...)); !math.IsNaN(got) {
		t.Errorf("a NaN logit gives %v, want NaN", got)
	}
}

// PairMax is bit for bit the scan "m = −MaxFloat32; if a > m { m = a }; if b
// > m { m = b }", specials (NaN, ±0, ±Inf) included, on both paths.
func TestPairMax(t *testing.T) {
	specials := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)),
		-math.MaxFloat32, math.SmallestNonzeroFloat32, 1, -1}
	const n = 1003 // not a multiple of 16: both paths run
	x := make([]float32, 2*n)
	for i := range x {
		x[i] = float32(i%23) - 11.5
		if i%5 == 0 || i%7 == 3 {
			x[i] = specials[(i/5+i/7)%len(specials)]
		}
	}
	k := 0 // every pair of specials, in both orders, in the vector part
	for _, a := range specials {
		for _, b := range specials {
			x[2*k], x[2*k+1] = a, b
			k++
		}
	}
	y := make([]float32, n)
	PairMax(y, x)
	for k := range y {
		m := float32(-math.MaxFloat32)
		for _, v := range x[2*k : 2*k+2] {
			if v > m {
				m = v
			}
		}
		if math.Float32bits(y[k]) != math.Float32bits(m) {
			t.Errorf("PairMax(%v, %v) = %v, want %v", x[2*k], x[2*k+1], y[k], m)
		}
	}
}

// AddConst is x + c in float32, bit for bit, on both paths.
func TestAddConst(t *testing.T) {
	const n = 1003
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(i%41)*0.37 - 7
	}
	x[3], x[20] = float32(math.NaN()), float32(math.Inf(-1))
	for _, c := range []float32{0.1, -3.25, float32(math.Copysign(0, -1))} {
		AddConst(y, x, c)
		for i, v := range x {
			if want := v + c; math.Float32bits(y[i]) != math.Float32bits(want) {
				t.Errorf("%v + %v = %v, want %v", v, c, y[i], want)
			}
		}
	}
}

// MaxRows is bit for bit "m = top; if bottom > m { m = bottom }", specials
// included, for row lengths below, at and above 16 and with tails, on every
// path.
func TestMaxRows(t *testing.T) {
	logNotRun(t, isa.Each(func(p isa.Path) { testMaxRows(t, string(p)) }))
}

func testMaxRows(t *testing.T, path string) {
	specials := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), 1, -1}
	for _, n := range []int{1, 7, 14, 16, 17, 33} {
		const rows = 9
		x := make([]float32, 2*rows*n)
		for i := range x {
			x[i] = float32(i%13) - 6.5
			if i%3 == 0 {
				x[i] = specials[(i/3)%len(specials)]
			}
		}
		y := make([]float32, rows*n+1) // one more: nothing is written past y
		y[rows*n] = 42
		MaxRows(y[:rows*n], x, rows, n)
		for r := range rows {
			for j := range n {
				m := x[2*r*n+j]
				if b := x[(2*r+1)*n+j]; b > m {
					m = b
				}
				if got := y[r*n+j]; math.Float32bits(got) != math.Float32bits(m) {
					t.Errorf("%s: n=%d, row %d, %d: %v, want %v", path, n, r, j, got, m)
				}
			}
		}
		if y[rows*n] != 42 {
			t.Errorf("%s: n=%d: wrote past the end", path, n)
		}
	}
}

// BytesOver is float32(b) / c, bit for bit, for every byte, on both paths.
func TestBytesOver(t *testing.T) {
	x := make([]uint8, 256+7) // every byte, and a tail
	for i := range x {
		x[i] = uint8(i * 7)
	}
	y := make([]float32, len(x))
	for _, c := range []float32{255, 3, 0.1} {
		BytesOver(y, x, c)
		for i, b := range x {
			if want := float32(b) / c; math.Float32bits(y[i]) != math.Float32bits(want) {
				t.Errorf("%d / %v = %v, want %v", b, c, y[i], want)
			}
		}
	}
}
