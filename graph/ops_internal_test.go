package graph

import (
	"math"
	"testing"
)

// TestExpNeg32 checks the float32 exponential of the sigmoid against math.Exp
// over its whole domain: relative error within 3e-7 (2.5 ulp of float32).
func TestExpNeg32(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 1_000_000; i++ {
		x := -87 * float64(i) / 1_000_000
		got := float64(expNeg32(float32(x)))
		want := math.Exp(float64(float32(x)))
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 3e-7 {
		t.Errorf("worst relative error %.2g, want ≤ 3e-7", worst)
	}
	if expNeg32(-100) != 0 || expNeg32(0) != 1 {
		t.Errorf("expNeg32(-100) = %v, expNeg32(0) = %v; want 0 and 1", expNeg32(-100), expNeg32(0))
	}
	for _, x := range []float32{-30, -2, 0, 3, 40} {
		want := 1 / (1 + math.Exp(-float64(x)))
		if got := float64(sigmoid32(x)); math.Abs(got-want) > 3e-7*want {
			t.Errorf("sigmoid32(%v) = %v, want %v", x, got, want)
		}
	}
}
