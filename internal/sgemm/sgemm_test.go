package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/internal/par"
)

// TestGemm compares Gemm with gonum's reference sgemm on shapes that
// exercise partial tiles, several k blocks, transposes, α and β, on every
// path the CPU has.
func TestGemm(t *testing.T) {
	notRun := isa.Each(func(p isa.Path) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, sh := range [][3]int{{1, 1, 1}, {12, 32, 1}, {13, 33, 7}, {5, 70, 300}, {128, 256, 784}, {784, 256, 128}, {100, 3, 513}, {37, 64, 256}} {
			m, n, k := sh[0], sh[1], sh[2]
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					for _, ab := range [][2]float32{{1, 0}, {1, 1}, {0.5, -2}} {
						name := fmt.Sprintf("%s/%dx%dx%d/tA=%v/tB=%v/α=%v,β=%v", p, m, n, k, tA, tB, ab[0], ab[1])
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
	})
	logNotRun(t, notRun)
}

func logNotRun(t *testing.T, notRun []isa.Path) {
	if len(notRun) > 0 {
		t.Logf("paths not run (this %s CPU lacks them): %v", runtime.GOARCH, notRun)
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
		rng := rand.New(rand.NewPCG(1, 2))
		x, y, z := randSlice(rng, m*k), randSlice(rng, k*n), make([]float32, m*n) // dense: no zeros to skip
		isa.Each(func(p isa.Path) {
			if p == isa.Generic {
				return // plain Go is the reference, not a contender
			}
			b.Run(fmt.Sprintf("%s/%dx%dx%d", p, m, n, k), func(b *testing.B) {
				for range b.N {
					Gemm(false, false, m, n, k, 1, x, k, y, n, 0, z, n)
				}
				b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
	}
}

// BenchmarkSparse times an A with a given share of nonzero values (placed at
// random) on the sparse path and on the dense one, alternating, for the
// mlp's first layer (MNIST: about 0.19 nonzero) and its decoder's last (a
// ReLU layer's output: about half). GFLOP/s counts the dense product's
// operations, so the two paths compare directly.
func BenchmarkSparse(b *testing.B) {
	isa.Each(func(p isa.Path) {
		if p != isa.Generic {
			b.Run(string(p), benchmarkSparse)
		}
	})
}

func benchmarkSparse(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sh := range [][3]int{{1024, 256, 784}, {256, 784, 256}} {
		m, n, k := sh[0], sh[1], sh[2]
		x, y, z := make([]float32, m*k), randSlice(rng, k*n), make([]float32, m*n)
		for _, density := range []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6} {
			for i := range x {
				x[i] = 0
				if rng.Float64() < density {
					x[i] = float32(rng.NormFloat64())
				}
			}
			for _, path := range []string{"sparse", "dense"} {
				b.Run(fmt.Sprintf("%dx%dx%d/density=%v/%s", m, n, k, density, path), func(b *testing.B) {
					if path == "dense" {
						for range b.N {
							denseGemm(par.Workers(), false, false, m, n, k, 1, x, k, y, n, 0, z, n)
						}
					} else {
						for range b.N {
							sparseGemm(par.Workers(), m, n, k, 0, x, k, y, n, z, n)
						}
					}
					b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
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
	isa.Each(func(p isa.Path) {
		b.Run(string(p), func(b *testing.B) {
			for range b.N {
				kernel(k, a, 1, mr, bp, nr, c, nr, true)
			}
			b.ReportMetric(float64(2*mr*nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	})
}

// TestSparse: on a mostly-zero A, Gemm gives the dense kernel's result bit
// for bit, for partial column groups, several k blocks, β = 0 and 1, rows of
// zeros, negative zeros, NaN and ±Inf, a transposed B (which the sparse path
// leaves to the dense one), and on any number of workers.
func TestSparse(t *testing.T) {
	logNotRun(t, isa.Each(func(isa.Path) { testSparse(t) }))
}

func testSparse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, sh := range [][3]int{{1, 128, 1}, {13, 256, 784}, {100, 130, 300}, {37, 200, 513}, {5, 400, 64}, {64, 144, 1000}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, density := range []float64{0, 0.03, 0.2, 0.35} {
			for _, beta := range []float32{0, 1} {
				for _, tB := range []bool{false, true} {
					name := fmt.Sprintf("%dx%dx%d/density=%v/β=%v/tB=%v", m, n, k, density, beta, tB)
					a := make([]float32, m*k)
					for i := range a {
						switch r := rng.Float64(); {
						case r < density:
							a[i] = float32(rng.NormFloat64())
						case r < density+0.05:
							a[i] = float32(math.Copysign(0, -1))
						case r < density+0.051:
							a[i] = float32([]float64{math.NaN(), math.Inf(1), math.Inf(-1)}[rng.IntN(3)])
						}
					}
					b := randSlice(rng, k*n)
					ldb := n
					if tB {
						ldb = k
					}
					c := randSlice(rng, m*n)
					want := append([]float32(nil), c...)
					denseGemm(1, false, tB, m, n, k, 1, a, k, b, ldb, beta, want, n)
					for _, workers := range []int{1, 2} {
						got := append([]float32(nil), c...)
						if tB {
							gemm(workers, false, tB, m, n, k, 1, a, k, b, ldb, beta, got, n)
						} else {
							sparseGemm(workers, m, n, k, beta, a, k, b, n, got, n)
						}
						for i := range got {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s, %s, %d workers: C[%d] = %v, dense kernel %v", isa.Current(), name, workers, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	}
}

// TestSparseChoice: the sparse path is taken only where it pays and can
// give the dense result: a mostly-zero A, enough columns, α = 1, β 0 or 1.
func TestSparseChoice(t *testing.T) {
	sparse := make([]float32, 40*100)
	for i := 0; i < len(sparse); i += 3 {
		sparse[i] = 1
	}
	dense := randSlice(rand.New(rand.NewPCG(5, 6)), 40*100)
	for _, c := range []struct {
		name        string
		a           []float32
		n           int
		alpha, beta float32
		want        bool
	}{
		{"sparse", sparse, 256, 1, 0, true}, // a third nonzero
		{"β=1", sparse, 256, 1, 1, true},
		{"dense", dense, 256, 1, 0, false},
		{"few columns", sparse, 64, 1, 0, false},
		{"α=2", sparse, 256, 2, 0, false},
		{"β=0.5", sparse, 256, 1, 0.5, false},
	} {
		if got := isSparse(40, c.n, 100, c.alpha, c.beta, c.a, 100); got != c.want {
			t.Errorf("%s: isSparse = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestCompress: every path's compress lists what a plain loop lists, NaN
// included and ±0 left out, for lengths around multiples of 16.
func TestCompress(t *testing.T) {
	logNotRun(t, isa.Each(func(isa.Path) { testCompress(t) }))
}

func testCompress(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(-1)), 1e-45}
	for n := range 70 {
		x := make([]float32, n)
		for i := range x {
			if rng.IntN(2) == 0 {
				x[i] = special[rng.IntN(len(special))]
			} else {
				x[i] = float32(rng.NormFloat64())
			}
		}
		var want []float32
		var wantIdx []int32
		for i, v := range x {
			if v != 0 {
				want, wantIdx = append(want, v), append(wantIdx, int32(i))
			}
		}
		idx, val := make([]int32, n+16), make([]float32, n+16)
		nnz := compress(x, idx, val)
		if nnz != len(want) {
			t.Fatalf("%s, n=%d: %d values listed, want %d", isa.Current(), n, nnz, len(want))
		}
		for q := range nnz {
			if idx[q] != wantIdx[q] || math.Float32bits(val[q]) != math.Float32bits(want[q]) {
				t.Fatalf("%s, n=%d: value %d is x[%d] = %v, want x[%d] = %v", isa.Current(), n, q, idx[q], val[q], wantIdx[q], want[q])
			}
		}
	}
}
