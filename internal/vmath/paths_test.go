package vmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/aegraph/aegraph/internal/isa"
)

func logNotRun(t testing.TB, notRun []isa.Path) {
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
// random values, at lengths with and without a tail; every special in every
// lane of a block; and BCELogits' sums over finite terms, whose last bits
// show the lanes' order of summation.
func TestPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	type result struct {
		names []string
		f32   [][]float32
		f64   []float64
	}
	const n = 4099 // 256 blocks of 16 and a tail of 3
	x, x2, g, tgt := inputs(rng, n), inputs(rng, 2*n), inputs(rng, n), make([]float32, n)
	for i := range tgt {
		tgt[i] = []float32{0, 1, 0.5, float32(rng.Float64())}[i%4]
	}
	// xb: x without the non-finite and the huge values (which make a sum
	// NaN, or hide the last bits of the other terms).
	xb := append([]float32(nil), x...)
	for i, v := range xb {
		if !(math.Abs(float64(v)) <= 200) {
			xb[i] = float32(rng.NormFloat64() * 10)
		}
	}
	// pairs: every ordered pair of the first 24 specials, twice over, so
	// that each special is in every lane of a block of 16; gp: gradients,
	// none zero.
	var pairs []float32
	sp := specialValues()[:24]
	for range 2 {
		for _, a := range sp {
			for _, b := range sp {
				pairs = append(pairs, a, b)
			}
		}
	}
	gp := make([]float32, len(pairs))
	for i := range gp {
		gp[i] = float32(i+1) * float32(1-2*(i%2))
	}
	bytes := make([]uint8, n)
	for i := range bytes {
		bytes[i] = uint8(rng.IntN(256))
	}
	run := func() result {
		var r result
		out := func(name string, n int) []float32 {
			y := make([]float32, n)
			r.names, r.f32 = append(r.names, name), append(r.f32, y)
			return y
		}
		Sigmoid(out("Sigmoid", n), x)
		ReLU(out("ReLU", n), x)
		ReLUBack(out("ReLUBack", n), x, g)
		AddConst(out("AddConst", n), x, 0.37)
		AddConst(out("AddConst(−Inf)", n), x, float32(math.Inf(-1)))
		BytesOver(out("BytesOver", n), bytes, 255)
		PairMax(out("PairMax", n), x2)
		for _, cols := range []int{1, 16, 17, 4099} {
			rows := n / cols / 2
			MaxRows(out(fmt.Sprintf("MaxRows/%d", cols), n)[:rows*cols], x[:rows*cols*2], rows, cols)
		}
		// The specials in every lane; side by side (PairMax) and one above
		// the other (MaxRows, at every row length to 40: whole blocks, half
		// blocks and tails of every length) in both orders.
		Sigmoid(out("Sigmoid(specials)", len(pairs)), pairs)
		ReLU(out("ReLU(specials)", len(pairs)), pairs)
		ReLUBack(out("ReLUBack(specials)", len(pairs)), pairs, gp)
		AddConst(out("AddConst(specials)", len(pairs)), pairs, -1)
		PairMax(out("PairMax(specials)", len(pairs)/2), pairs)
		for cols := 1; cols <= 40; cols++ {
			rows := len(pairs) / (2 * cols)
			MaxRows(out(fmt.Sprintf("MaxRows(specials)/%d", cols), rows*cols), pairs[:2*rows*cols], rows, cols)
		}
		for _, m := range []int{n, 16, 15, 0} {
			r.f64 = append(r.f64, BCELogits(tgt[:m], x[:m]), BCELogits(x[:m], x[:m]), BCELogits(tgt[:m], xb[:m]))
		}
		for _, m := range []int{16, 64} { // the sums of single blocks and of four
			for i := 0; i+m <= n; i += m {
				r.f64 = append(r.f64, BCELogits(tgt[i:i+m], x[i:i+m]), BCELogits(tgt[i:i+m], xb[i:i+m]))
			}
		}
		// Adam: five steps from the same state, with extreme gradients.
		w, m, v := append([]float32(nil), x...), make([]float32, n), make([]float32, n)
		for step := 1; step <= 5; step++ {
			gs := append([]float32(nil), g...)
			c1, c2 := 1-math.Pow(0.9, float64(step)), 1-math.Pow(0.999, float64(step))
			Adam(w, gs, m, v, AdamParams{B1: 0.9, B2: 0.999, Step: float32(1e-3 / c1), InvSqrtC2: float32(1 / math.Sqrt(c2)), Eps: 1e-8})
		}
		r.names, r.f32 = append(r.names, "Adam w", "Adam m", "Adam v"), append(r.f32, w, m, v)
		return r
	}
	isa.Use(isa.Generic)
	want := run()
	notRun := isa.Each(func(p isa.Path) {
		if p == isa.Generic {
			return
		}
		got := run()
		for f := range got.f32 {
			for i := range got.f32[f] {
				if !sameBits(got.f32[f][i], want.f32[f][i]) {
					t.Errorf("%s: %s[%d] = %v (%#x), generic %v (%#x)", p, got.names[f], i,
						got.f32[f][i], math.Float32bits(got.f32[f][i]), want.f32[f][i], math.Float32bits(want.f32[f][i]))
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

// TestPathsAgreeMany: Sigmoid value by value and BCELogits block by block
// of 16 agree with plain Go over a million values where the polynomials
// matter (|x| < 20). A step of the polynomials that was not fused as canon
// fuses it, or fused where it is not, changes the result's last bit only
// for about one value in a thousand to ten thousand: too few for the test
// above to see.
func TestPathsAgreeMany(t *testing.T) {
	const n = 1 << 20
	rng := rand.New(rand.NewPCG(23, 24))
	x, tgt := make([]float32, n), make([]float32, n)
	for i := range x {
		if i%2 == 0 {
			x[i] = float32(rng.Float64()*40 - 20)
		} else {
			x[i] = float32(rng.NormFloat64() * 2)
		}
		tgt[i] = float32(rng.Float64())
	}
	run := func() ([]float32, []float64) {
		y := make([]float32, n)
		Sigmoid(y, x)
		s := make([]float64, n/16)
		for i := range s {
			s[i] = BCELogits(tgt[16*i:16*i+16], x[16*i:16*i+16])
		}
		return y, s
	}
	isa.Use(isa.Generic)
	wantY, wantS := run()
	logNotRun(t, isa.Each(func(p isa.Path) {
		if p == isa.Generic {
			return
		}
		y, s := run()
		for i := range y {
			if math.Float32bits(y[i]) != math.Float32bits(wantY[i]) {
				t.Errorf("%s: σ(%v) = %#x, generic %#x", p, x[i], math.Float32bits(y[i]), math.Float32bits(wantY[i]))
				break
			}
		}
		for i := range s {
			if math.Float64bits(s[i]) != math.Float64bits(wantS[i]) {
				t.Errorf("%s: BCELogits of block %d = %v, generic %v", p, i, s[i], wantS[i])
				break
			}
		}
	}))
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

// BenchmarkPaths times the kernels on every path this CPU has, over 32768
// input values (in the L2 cache), in ns an input value.
func BenchmarkPaths(b *testing.B) {
	const n = 1 << 15
	rng := rand.New(rand.NewPCG(1, 2))
	x, y, tgt := make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64() * 5)
		tgt[i] = float32(i % 2)
	}
	w, g, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	p := AdamParams{B1: 0.9, B2: 0.999, Step: 1e-3, InvSqrtC2: 1, Eps: 1e-8}
	var sink float64
	for _, f := range []struct {
		name string
		run  func()
	}{
		{"Sigmoid", func() { Sigmoid(y, x) }},
		{"Adam", func() { copy(g, x); Adam(w, g, m, v, p) }}, // the copy is in the time
		{"BCELogits", func() { sink += BCELogits(tgt, x) }},
		{"ReLU", func() { ReLU(y, x) }},
		{"PairMax", func() { PairMax(y[:n/2], x) }},
		{"MaxRows", func() { MaxRows(y[:n/56*28], x[:n/56*56], n/56, 28) }}, // rows of 28: 16, 8 and a tail of 4
	} {
		b.Run(f.name, func(b *testing.B) {
			logNotRun(b, isa.Each(func(path isa.Path) {
				b.Run(string(path), func(b *testing.B) {
					for range b.N {
						f.run()
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/value")
				})
			}))
		})
	}
	_ = sink
}

// TestExp32: the canonical e^x within 3 ulp of math.Exp over the normal
// range, +Inf past it, ±0 and subnormals below it, NaN for NaN.
func TestExp32(t *testing.T) {
	xs := specialValues()
	for i := range 20001 {
		xs = append(xs, -104+float32(i)*(88.7+104)/20000)
	}
	for _, x := range xs {
		got := Exp32(x)
		want := math.Exp(float64(x))
		switch {
		case x != x:
			if got == got {
				t.Errorf("e^NaN = %v", got)
			}
		case want > math.MaxFloat32:
			if !math.IsInf(float64(got), 1) {
				t.Errorf("e^%v = %v, want +Inf", x, got)
			}
		case want < 1.1754944e-38: // subnormal: within 3 of their ulps
			if d := math.Abs(float64(got) - want); d > 3*1.4013e-45 {
				t.Errorf("e^%v = %v, want %v", x, got, want)
			}
		default:
			ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1))) - float32(want))
			if d := math.Abs(float64(got) - want); d > 3*ulp {
				t.Errorf("e^%v = %v, want %v (%.1f ulp)", x, got, want, d/ulp)
			}
		}
	}
}
