package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestGemm compares Gemm with gonum's reference sgemm on shapes that
// exercise partial tiles, several k blocks, transposes, α and β.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kernels := map[string]func(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool){"go": kernelGo}
	if Accelerated != "" {
		kernels[Accelerated] = kernel
	}
	defer func(k func(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool)) {
		kernel = k
	}(kernel)
	for kname, kern := range kernels {
		kernel = kern
		for _, sh := range [][3]int{{1, 1, 1}, {12, 32, 1}, {13, 33, 7}, {5, 70, 300}, {128, 256, 784}, {784, 256, 128}, {100, 3, 513}, {37, 64, 256}} {
			m, n, k := sh[0], sh[1], sh[2]
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					for _, ab := range [][2]float32{{1, 0}, {1, 1}, {0.5, -2}} {
						name := fmt.Sprintf("%s/%dx%dx%d/tA=%v/tB=%v/α=%v,β=%v", kname, m, n, k, tA, tB, ab[0], ab[1])
						lda, ldb := k, n
						if tA {
							lda = m
						}
						if tB {
							ldb = k
						}
						a := randSlice(rng, m*k)
						b := randSlice(rng, k*n)
						c := randSlice(rng, m*n)
						want := append([]float32(nil), c...)
						gonum.Implementation{}.Sgemm(trans(tA), trans(tB), m, n, k, ab[0], a, lda, b, ldb, ab[1], want, n)
						Gemm(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], c, n)
						for i := range c {
							if d := math.Abs(float64(c[i] - want[i])); d > 1e-4*math.Sqrt(float64(k)) {
								t.Fatalf("%s: C[%d] = %v, gonum %v", name, i, c[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestBetaZeroIgnoresC: with β = 0, NaNs in C must not leak into the result.
func TestBetaZeroIgnoresC(t *testing.T) {
	a, b := []float32{1, 2}, []float32{3, 4}
	c := []float32{float32(math.NaN())}
	Gemm(false, false, 1, 1, 2, 1, a, 2, b, 1, 0, c, 1)
	if c[0] != 11 {
		t.Fatalf("got %v, want 11", c[0])
	}
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// BenchmarkGemm: go test -bench Gemm ./graph/internal/sgemm
func BenchmarkGemm(b *testing.B) {
	for _, sh := range [][3]int{{128, 256, 784}, {128, 784, 256}, {784, 256, 128}, {512, 256, 784}, {1024, 256, 784}, {1024, 64, 256}, {1024, 32, 64}} {
		m, n, k := sh[0], sh[1], sh[2]
		x, y, z := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			for range b.N {
				Gemm(false, false, m, n, k, 1, x, k, y, n, 0, z, n)
			}
			b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestWorkersAgree: the result is bit for bit the same whether one worker or
// several compute the tiles (each tile sums its k blocks in the same order).
func TestWorkersAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tB := range []bool{false, true} {
		m, n, k := 128, 100, 700
		a, b := randSlice(rng, m*k), randSlice(rng, k*n)
		ldb := n
		if tB {
			ldb = k
		}
		shared := make([]float32, m*n)
		Gemm(false, tB, m, n, k, 1, a, k, b, ldb, 0, shared, n)

		one := make([]float32, m*n)
		var j job
		j.init(false, tB, m, n, k, 1, a, k, b, ldb, 0, one, n)
		j.Run(0, 1)
		for i := range one {
			if one[i] != shared[i] {
				t.Fatalf("tB=%v: C[%d]: one worker %v, shared %v", tB, i, one[i], shared[i])
			}
		}
	}
}

// BenchmarkKernel measures the micro-kernel alone on packed panels that stay
// in L1 (k = 128), on one core: the ceiling for everything above it.
func BenchmarkKernel(b *testing.B) {
	const k = 128
	a, bp, c := make([]float32, mr*k), make([]float32, nr*k), make([]float32, mr*nr)
	for range b.N {
		kernel(k, a, 1, mr, bp, nr, c, nr, true)
	}
	b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
