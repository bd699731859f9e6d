package sgemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/aegraph/aegraph/internal/isa"
)

// TestPathsAgree: every path gives the plain-Go path's result bit for bit,
// over shapes around the tile and block sizes, leading dimensions wider than
// the matrices, transposes, α and β, densities from all zeros to none (so
// both the sparse and the dense path run), and A and B holding ±0,
// subnormals, huge values, ±Inf and NaN.
func TestPathsAgree(t *testing.T) {
	type tc struct {
		name                   string
		tA, tB                 bool
		m, n, k, lda, ldb, ldc int
		alpha, beta            float32
		a, b, c                []float32
	}
	rng := rand.New(rand.NewPCG(11, 12))
	special := []float32{float32(math.Copysign(0, -1)), 1e-45, -3e-39, 1e30, -1e30, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	fill := func(n int, density, specials float64) []float32 {
		x := make([]float32, n)
		for i := range x {
			switch r := rng.Float64(); {
			case r < specials:
				x[i] = special[rng.IntN(len(special))]
			case r < specials+density:
				x[i] = float32(rng.NormFloat64())
			}
		}
		return x
	}
	var cases []tc
	for _, sh := range [][3]int{{1, 1, 1}, {12, 32, 256}, {11, 31, 257}, {13, 33, 7}, {24, 128, 513}, {1, 128, 784}, {37, 200, 300}, {128, 256, 784}, {100, 784, 64}, {5, 129, 1000}} {
		m, n, k := sh[0], sh[1], sh[2]
		for _, density := range []float64{0, 0.1, 0.35, 1} {
			for _, specials := range []float64{0, 0.01} {
				for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
					for _, ab := range [][2]float32{{1, 0}, {1, 1}, {0.5, -2}} {
						pad := rng.IntN(3) * 5
						lda, ldb := k+pad, n+pad
						if tr[0] {
							lda = m + pad
						}
						if tr[1] {
							ldb = k + pad
						}
						ldc := n + pad
						aRows, bRows := m, k
						if tr[0] {
							aRows = k
						}
						if tr[1] {
							bRows = n
						}
						cases = append(cases, tc{
							name: fmt.Sprintf("%dx%dx%d/density=%v/specials=%v/tA=%v/tB=%v/α=%v,β=%v/pad=%d", m, n, k, density, specials, tr[0], tr[1], ab[0], ab[1], pad),
							tA:   tr[0], tB: tr[1], m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc, alpha: ab[0], beta: ab[1],
							a: fill(aRows*lda, density, specials), b: fill(bRows*ldb, 1, specials/10), c: fill(m*ldc, 1, 0),
						})
					}
				}
			}
		}
	}
	want := make([][]float32, len(cases))
	isa.Use(isa.Generic)
	for i, c := range cases {
		want[i] = append([]float32(nil), c.c...)
		Gemm(c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.a, c.lda, c.b, c.ldb, c.beta, want[i], c.ldc)
	}
	notRun := isa.Each(func(p isa.Path) {
		if p == isa.Generic {
			return
		}
		for i, c := range cases {
			for _, workers := range []int{1, 2} {
				got := append([]float32(nil), c.c...)
				gemm(workers, c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.a, c.lda, c.b, c.ldb, c.beta, got, c.ldc)
				for j := range got {
					if !sameBits(got[j], want[i][j]) {
						t.Fatalf("%s, %s, %d workers: C[%d] = %v (%#x), generic %v (%#x)", p, c.name, workers, j, got[j], math.Float32bits(got[j]), want[i][j], math.Float32bits(want[i][j]))
					}
				}
			}
		}
		t.Logf("%s: %d cases bit for bit the generic path's", p, len(cases))
	})
	logNotRun(t, notRun)
}

// sameBits: equal bits, or both NaN (a NaN's payload is not part of the
// canonical arithmetic).
func sameBits(x, y float32) bool {
	if x != x {
		return y != y
	}
	return math.Float32bits(x) == math.Float32bits(y)
}

// TestKernelPaths: each path's micro-kernel alone, on packed panels and on
// operands read in place with strides, k from 0 to past a block, into a tile
// that is stored or added to, gives the plain-Go kernel's bits.
func TestKernelPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	notRun := isa.Each(func(p isa.Path) {
		for _, k := range []int{0, 1, 2, 3, 7, 64, 255, 256, 300} {
			for _, add := range []bool{false, true} {
				for _, strided := range []bool{false, true} {
					ai, ap, bp, ldc := 1, mr, nr, nr
					if strided {
						ai, ap, bp, ldc = k+3, 1, nr+5, nr+7
					}
					a := randSlice(rng, mr*k*4+mr*(k+3)+1)
					b := randSlice(rng, k*(nr+5)+nr)
					c0 := randSlice(rng, mr*ldc)
					want := append([]float32(nil), c0...)
					kernelGo(k, a, ai, ap, b, bp, want, ldc, add)
					got := append([]float32(nil), c0...)
					kernel(k, a, ai, ap, b, bp, got, ldc, add)
					for j := range got {
						if !sameBits(got[j], want[j]) {
							t.Fatalf("%s: k=%d add=%v strided=%v: C[%d] = %v, generic %v", p, k, add, strided, j, got[j], want[j])
						}
					}
				}
			}
		}
	})
	logNotRun(t, notRun)
}

// TestSparseKernelPaths: each path's sparse kernels alone give the plain-Go
// kernels' bits, for nnz from 0 up, every width of a masked group (1 to 16
// columns), stored or added, with ±0, ±Inf and NaN among the values; the
// columns of C past a masked group are left as they were.
func TestSparseKernelPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	special := []float32{float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	values := func(n int) []float32 {
		x := randSlice(rng, n)
		for i := range x {
			if rng.IntN(50) == 0 {
				x[i] = special[rng.IntN(len(special))]
			}
		}
		return x
	}
	const rows, ldb = 40, sparseWidth + 9
	notRun := isa.Each(func(p isa.Path) {
		for _, nnz := range []int{0, 1, 2, 7, 8, 9, 33, rows} {
			idx, val := make([]int32, nnz+16), values(nnz+16)
			for q, i := range rng.Perm(rows)[:nnz] {
				idx[q] = int32(i)
			}
			slices.Sort(idx[:nnz]) // as compress lists them
			b := values(rows * ldb)
			for _, add := range []bool{false, true} {
				c0 := values(sparseWidth + 16)
				want := append([]float32(nil), c0...)
				sparseGo(nnz, idx, val, b, ldb, want, add)
				got := append([]float32(nil), c0...)
				sparseKernel(nnz, idx, val, b, ldb, got, add)
				for j := range got {
					if !sameBits(got[j], want[j]) {
						t.Fatalf("%s: sparse, nnz=%d add=%v: C[%d] = %v, generic %v", p, nnz, add, j, got[j], want[j])
					}
				}
				for w := 1; w <= 16; w++ {
					mask := uint16(1)<<w - 1
					want := append([]float32(nil), c0...)
					sparseMaskGo(nnz, idx, val, b[5:], ldb, want, mask, add)
					got := append([]float32(nil), c0...)
					sparseMaskKernel(nnz, idx, val, b[5:], ldb, got, mask, add)
					for j := range got {
						if !sameBits(got[j], want[j]) {
							t.Fatalf("%s: %d masked columns, nnz=%d add=%v: C[%d] = %v, generic %v", p, w, nnz, add, j, got[j], want[j])
						}
					}
				}
			}
		}
	})
	logNotRun(t, notRun)
}
