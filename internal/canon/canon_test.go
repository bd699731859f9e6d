package canon

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// exact is a·b + c rounded once to float32 by math/big, the oracle.
func exact(a, b, c float32) float32 {
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) || math.IsNaN(float64(c)) ||
		math.IsInf(float64(a), 0) || math.IsInf(float64(b), 0) || math.IsInf(float64(c), 0) {
		return float32(float64(a)*float64(b) + float64(c))
	}
	x := new(big.Float).SetPrec(400).SetFloat64(float64(a))
	x.Mul(x, new(big.Float).SetPrec(400).SetFloat64(float64(b)))
	x.Add(x, new(big.Float).SetPrec(400).SetFloat64(float64(c)))
	f, _ := x.Float32()
	if f == 0 && x.Sign() == 0 {
		// an exact zero: IEEE's sign rules (+0 unless both terms are −0).
		return float32(float64(a)*float64(b) + float64(c))
	}
	return f
}

func same(x, y float32) bool {
	if math.IsNaN(float64(x)) {
		return math.IsNaN(float64(y))
	}
	return math.Float32bits(x) == math.Float32bits(y)
}

func TestFMAExact(t *testing.T) {
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, 3, math.MaxFloat32, -math.MaxFloat32,
		math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1.1754942e-38, 1 + 1.0/(1<<23), 1 - 1.0/(1<<24),
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for _, a := range special {
		for _, b := range special {
			for _, c := range special {
				if got, want := FMA(a, b, c), exact(a, b, c); !same(got, want) {
					t.Fatalf("FMA(%g, %g, %g) = %g (%#x), want %g (%#x)", a, b, c, got, math.Float32bits(got), want, math.Float32bits(want))
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	fused := 0
	for i := range 400000 {
		var a, b, c float32
		switch i % 4 {
		case 0: // any bits
			a, b, c = math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32()), math.Float32frombits(r.Uint32())
		case 1: // a product that nearly cancels c: the hard cases of double rounding
			a, b = float32(r.NormFloat64()), float32(r.NormFloat64())
			c = -float32(float64(a) * float64(b))
			c = math.Float32frombits(math.Float32bits(c) + uint32(r.IntN(5)) - 2)
		case 2: // c far smaller than a·b, its bits below the product's
			a, b = float32(r.NormFloat64()), float32(r.NormFloat64())
			c = float32(r.NormFloat64() * math.Ldexp(1, -r.IntN(60)))
		default: // subnormal results
			a = float32(r.NormFloat64() * 1e-20)
			b = float32(r.NormFloat64() * 1e-20)
			c = float32(r.NormFloat64() * 1e-40)
		}
		got, want := FMA(a, b, c), exact(a, b, c)
		if !same(got, want) {
			t.Fatalf("FMA(%g, %g, %g) = %g (%#x), want %g (%#x)", a, b, c, got, math.Float32bits(got), want, math.Float32bits(want))
		}
		if !same(want, float32(a*b)+c) {
			fused++
		}
	}
	if fused == 0 {
		t.Fatal("no case told a fused from an unfused a·b + c: the test proves nothing")
	}
}

// TestFMADoubleRounding is a case where rounding a·b + c to float64 and then
// to float32 is wrong: the float64 sum lands exactly half-way between two
// float32s.
func TestFMADoubleRounding(t *testing.T) {
	a := float32(1 + 1.0/(1<<12))    // 1 + 2^-12
	b := float32(1 + 1.0/(1<<12))    // (1+2^-12)² = 1 + 2^-11 + 2^-24
	c := float32(math.Ldexp(1, -80)) // a tie-breaker far below
	want := exact(a, b, c)           // 1 + 2^-11 + 2^-23 (rounded up)
	naive := float32(math.FMA(float64(a), float64(b), float64(c)))
	if got := FMA(a, b, c); got != want {
		t.Fatalf("FMA = %g, want %g", got, want)
	}
	if naive == want {
		t.Fatal("the case is not a double-rounding case: rounding twice gives the right answer")
	}
}
