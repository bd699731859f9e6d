package graph

import (
	"fmt"
	"sync"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"
)

// Matrix products dominate training time. Gorgonia computes them with gonum's
// pure-Go BLAS, whose float32 gemm runs at about 20 GFLOP/s here; vek's
// float32 MatMul (pure Go with AVX2 assembly, no cgo, split across cores)
// runs at 50–90. SIMDBLAS routes float32 gemm to vek and everything else to
// gonum. It is installed when the package loads; UseBLAS switches.

// UseBLAS selects the BLAS behind every Gorgonia graph: "simd" (the default)
// or "gonum". The choice is global to the process, as it is in Gorgonia.
func UseBLAS(name string) error {
	switch name {
	case "simd":
		G.Use(SIMDBLAS{})
	case "gonum":
		G.Use(gonum.Implementation{})
	default:
		return fmt.Errorf("unknown BLAS %q (have simd, gonum)", name)
	}
	return nil
}

func init() { G.Use(SIMDBLAS{}) }

// SIMDBLAS is gonum's BLAS with float32 gemm computed by vek32.MatMul.
type SIMDBLAS struct{ gonum.Implementation }

// scratch holds transposed operands and products between calls.
var scratch = sync.Pool{New: func() any { return new([]float32) }}

func getScratch(n int) *[]float32 {
	p := scratch.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

// Sgemm computes C = α·op(A)·op(B) + β·C for row-major A, B, C.
func (s SIMDBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	rowsA, colsA := m, k
	if tA != blas.NoTrans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if tB != blas.NoTrans {
		rowsB, colsB = n, k
	}
	if m == 0 || n == 0 || k == 0 || lda != colsA || ldb != colsB || ldc != n ||
		len(a) < rowsA*colsA || len(b) < rowsB*colsB || len(c) < m*n {
		s.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	x := a[:m*k]
	if tA != blas.NoTrans {
		p := getScratch(m * k)
		defer scratch.Put(p)
		transpose(*p, a[:m*k], k, m)
		x = *p
	}
	y := b[:k*n]
	if tB != blas.NoTrans {
		p := getScratch(k * n)
		defer scratch.Put(p)
		transpose(*p, b[:k*n], n, k)
		y = *p
	}
	c = c[:m*n]
	if beta == 0 && alpha == 1 {
		vek32.MatMul_Into(c, x, y, k)
		return
	}
	p := getScratch(m * n)
	defer scratch.Put(p)
	prod := vek32.MatMul_Into(*p, x, y, k)
	for i, v := range prod {
		if beta == 0 {
			c[i] = alpha * v
		} else {
			c[i] = alpha*v + beta*c[i]
		}
	}
}

// transpose writes the transpose of src, (rows, cols) row-major, into dst,
// (cols, rows), in cache-sized blocks.
func transpose(dst, src []float32, rows, cols int) {
	const blk = 32
	for i0 := 0; i0 < rows; i0 += blk {
		i1 := min(rows, i0+blk)
		for j0 := 0; j0 < cols; j0 += blk {
			j1 := min(cols, j0+blk)
			for i := i0; i < i1; i++ {
				row := src[i*cols : (i+1)*cols]
				for j := j0; j < j1; j++ {
					dst[j*rows+i] = row[j]
				}
			}
		}
	}
}
