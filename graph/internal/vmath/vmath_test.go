package vmath

import (
	"math"
	"testing"
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
