package vmath

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/aegraph/aegraph/internal/isa"
)

func logNotRun(t *testing.T, notRun []isa.Path) {
	if len(notRun) > 0 {
		t.Logf("paths not run (this %s CPU lacks them): %v", runtime.GOARCH, notRun)
	}
}

// sameBits: equal bits, or both NaN.
func sameBits(x, y float32) bool {
	if x != x {
		return y != y
	}
	return math.Float32bits(x) == math.Float32bits(y)
}

// specialValues are the values where paths part most easily: ±0, the
// smallest subnormals and normals, ±Inf, NaN, ±MaxFloat32, the ends of the
// polynomial's range (|x| = 87 where e^−|x| is clamped, the rounding
// boundaries of k = round(x·log2e) at ±(n+½)·ln2), and ones.
func specialValues() []float32 {
	v := []float32{0, float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
		1.1754944e-38, -1.1754944e-38, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
		math.MaxFloat32, -math.MaxFloat32, 1, -1, 0.5, 87, -87, 86.99999, -87.00001, 88.7, -88.7, 100, -104, 1e-8, -1e-8}
	for n := range 130 {
		h := (float32(n) + 0.5) * math.Ln2
		for _, d := range []uint32{0, 1} {
			x := math.Float32frombits(math.Float32bits(h) + d)
			v = append(v, x, -x)
		}
	}
	return v
}

// inputs are n values: the specials, then normal, uniform and log-spread
// values, with specials sprinkled among them.
func inputs(rng *rand.Rand, n int) []float32 {
	sp := specialValues()
	x := make([]float32, n)
	for i := range x {
		switch {
		case i < len(sp):
			x[i] = sp[i]
		case i%9 == 0:
			x[i] = sp[rng.IntN(len(sp))]
		case i%3 == 0:
			x[i] = float32(rng.NormFloat64() * 5)
		case i%3 == 1:
			x[i] = float32((rng.Float64()*2 - 1) * 100)
		default:
			x[i] = float32(math.Copysign(math.Exp(rng.Float64()*180-90), rng.Float64()-0.5))
		}
	}
	return x
}

// TestPathsAgree: every function gives the plain-Go path's bits on every
// path this CPU has, over special values, the polynomial's range ends and
// random values, at lengths with and without a tail.
func TestPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	type result struct {
		f32 [][]float32
		f64 []float64
	}
	const n = 4099 // 256 blocks of 16 and a tail of 3
	x, x2, g, tgt := inputs(rng, n), inputs(rng, 2*n), inputs(rng, n), make([]float32, n)
	for i := range tgt {
		tgt[i] = []float32{0, 1, 0.5, float32(rng.Float64())}[i%4]
	}
	bytes := make([]uint8, n)
	for i := range bytes {
		bytes[i] = uint8(rng.IntN(256))
	}
	run := func() result {
		var r result
		out := func() []float32 { y := make([]float32, n); r.f32 = append(r.f32, y); return y }
		Sigmoid(out(), x)
		ReLU(out(), x)
		ReLUBack(out(), x, g)
		AddConst(out(), x, 0.37)
		AddConst(out(), x, float32(math.Inf(-1)))
		BytesOver(out(), bytes, 255)
		y := make([]float32, n)
		PairMax(y, x2)
		r.f32 = append(r.f32, y)
		for _, cols := range []int{1, 16, 17, 4099} {
			y := make([]float32, n)
			MaxRows(y[:n/cols/2*cols], x[:n/cols/2*cols*2], n/cols/2, cols)
			r.f32 = append(r.f32, y)
		}
		for _, m := range []int{n, 16, 15, 0} {
			r.f64 = append(r.f64, BCELogits(tgt[:m], x[:m]), BCELogits(x[:m], x[:m]))
		}
		// Adam: five steps from the same state, with extreme gradients.
		w, m, v := append([]float32(nil), x...), make([]float32, n), make([]float32, n)
		for step := 1; step <= 5; step++ {
			gs := append([]float32(nil), g...)
			c1, c2 := 1-math.Pow(0.9, float64(step)), 1-math.Pow(0.999, float64(step))
			Adam(w, gs, m, v, AdamParams{B1: 0.9, B2: 0.999, Step: float32(1e-3 / c1), InvSqrtC2: float32(1 / math.Sqrt(c2)), Eps: 1e-8})
		}
		r.f32 = append(r.f32, w, m, v)
		return r
	}
	isa.Use(isa.Generic)
	want := run()
	notRun := isa.Each(func(p isa.Path) {
		if p == isa.Generic {
			return
		}
		got := run()
		names := []string{"Sigmoid", "ReLU", "ReLUBack", "AddConst", "AddConst(−Inf)", "BytesOver", "PairMax",
			"MaxRows/1", "MaxRows/16", "MaxRows/17", "MaxRows/4099", "Adam w", "Adam m", "Adam v"}
		for f := range got.f32 {
			for i := range got.f32[f] {
				if !sameBits(got.f32[f][i], want.f32[f][i]) {
					t.Errorf("%s: %s[%d] = %v (%#x), generic %v (%#x); input %v", p, names[f], i,
						got.f32[f][i], math.Float32bits(got.f32[f][i]), want.f32[f][i], math.Float32bits(want.f32[f][i]), x[i])
					break
				}
			}
		}
		for i := range got.f64 {
			if g, w := got.f64[i], want.f64[i]; math.Float64bits(g) != math.Float64bits(w) && !(g != g && w != w) {
				t.Errorf("%s: BCELogits case %d = %v, generic %v", p, i, g, w)
			}
		}
	})
	logNotRun(t, notRun)
}

// TestExpNegAbs: the canonical e^−|x| within 3 ulp of math.Exp down to the
// clamp at −87, NaN for NaN, and clamped below.
func TestExpNegAbs(t *testing.T) {
	for _, x := range specialValues() {
		got := expNegAbs(x)
		switch {
		case x != x:
			if got == got {
				t.Errorf("e^−|NaN| = %v, want NaN", got)
			}
			continue
		case math.Abs(float64(x)) > 87:
			if want := expNegAbs(87); got != want {
				t.Errorf("e^−|%v| = %v, want the clamp's %v", x, got, want)
			}
			continue
		}
		want := math.Exp(-math.Abs(float64(x)))
		ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1))) - float32(want))
		if d := math.Abs(float64(got) - want); d > 3*ulp {
			t.Errorf("e^−|%v| = %v, want %v (%.1f ulp)", x, got, want, d/ulp)
		}
	}
}

// TestNaNPropagates: a NaN input gives NaN through the sigmoid and the BCE
// on every path: a wrong number must never look like a probability.
func TestNaNPropagates(t *testing.T) {
	nan := float32(math.NaN())
	logNotRun(t, isa.Each(func(p isa.Path) {
		x := make([]float32, 32)
		x[5], x[20] = nan, nan
		y := make([]float32, 32)
		Sigmoid(y, x)
		if y[5] == y[5] || y[20] == y[20] || y[0] != 0.5 {
			t.Errorf("%s: σ(NaN) = %v, %v; σ(0) = %v", p, y[5], y[20], y[0])
		}
		if s := BCELogits(make([]float32, 32), x); s == s {
			t.Errorf("%s: BCE with a NaN logit = %v", p, s)
		}
	}))
}
