package sgemm

import (
	"sync"
	"sync/atomic"

	"github.com/aegraph/aegraph/internal/par"
)

// Sparse inputs. Many inputs are mostly zeros: four pixels in five of an
// MNIST digit are blank, and a ReLU layer zeroes many of its outputs. When
// op(A) is such a matrix, Gemm skips the zeros: for each row of A it lists
// the nonzero values of each k block, and sparseKernel multiplies them by
// the matching rows of B.
//
// The result is bit for bit the dense kernel's. Each value of C is still
// Σ_p A[i, p]·B[p, j] summed by fused multiply-adds in the order of p, from
// zero, block by block, and a term whose A[i, p] is zero adds zero (±0) to
// the sum, which leaves it as it was. (The exceptions: a B holding ±Inf or
// NaN, where 0·Inf is NaN, and the sign of a sum that is exactly zero.)
// Every path takes the sparse path on the same inputs, so even those agree.

// sparseDensity is the fraction of nonzero values below which A counts as
// sparse; sparseMinN the fewest columns of C for which the sparse kernel
// pays (it reads a row of B per nonzero value of A, and uses it for n
// columns).
const (
	sparseDensity = 0.4
	sparseMinN    = 128
	sparseWidth   = 128 // columns of C per call of sparseKernel
)

// isSparse reports whether A (m×k, not transposed) is sparse enough to take
// the sparse path, from a sample of up to 32 of its rows.
func isSparse(m, n, k int, alpha, beta float32, a []float32, lda int) bool {
	if n < sparseMinN || alpha != 1 || (beta != 0 && beta != 1) {
		return false
	}
	step := max(1, m/32)
	nonzero, total := 0, 0
	for i := 0; i < m; i += step {
		for _, v := range a[i*lda : i*lda+k] {
			if v != 0 {
				nonzero++
			}
		}
		total += k
	}
	return float64(nonzero) < sparseDensity*float64(total)
}

// sparseJob is one sparse Gemm call's shared, read-only state; workers take
// contiguous runs of rows.
type sparseJob struct {
	m, n, k, depth int
	beta           float32
	a, b, c        []float32
	lda, ldb, ldc  int
	chunks         int   // runs of rows
	next           int64 // the next run to take (atomic)
}

var sparseJobs = sync.Pool{New: func() any { return new(sparseJob) }}

// sparseScratch is one worker's list of a block's nonzero values.
type sparseScratch struct {
	idx []int32
	val []float32
}

var sparseScratches = sync.Pool{New: func() any { return new(sparseScratch) }}

func sparseGemm(workers, m, n, k int, beta float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	j := sparseJobs.Get().(*sparseJob)
	defer sparseJobs.Put(j)
	*j = sparseJob{m: m, n: n, k: k, depth: blockDepth(k), beta: beta, a: a, b: b, c: c, lda: lda, ldb: ldb, ldc: ldc, chunks: chunks(m, workers)}
	par.Do(j, workers)
}

// Run computes runs of rows, taken in turn until none is left (as job.Run).
func (j *sparseJob) Run(_, _ int) {
	s := sparseScratches.Get().(*sparseScratch)
	defer sparseScratches.Put(s)
	if cap(s.idx) < j.depth+16 {
		s.idx, s.val = make([]int32, j.depth+16), make([]float32, j.depth+16)
	}
	idx, val := s.idx[:j.depth+16], s.val[:j.depth+16]
	for {
		c := int(atomic.AddInt64(&j.next, 1) - 1)
		if c >= j.chunks {
			return
		}
		j.rows(idx, val, c*j.m/j.chunks, (c+1)*j.m/j.chunks)
	}
}

// rows computes the rows first … last−1 of C.
func (j *sparseJob) rows(idx []int32, val []float32, first, last int) {
	for i := first; i < last; i++ {
		row := j.a[i*j.lda : i*j.lda+j.k]
		cRow := j.c[i*j.ldc : i*j.ldc+j.n]
		for p0 := 0; p0 < j.k; p0 += j.depth {
			nnz := compress(row[p0:min(p0+j.depth, j.k)], idx, val)
			add := p0 > 0 || j.beta == 1
			b := j.b[p0*j.ldb:]
			c0 := 0
			for ; c0+sparseWidth <= j.n; c0 += sparseWidth {
				sparseKernel(nnz, idx, val, b[c0:], j.ldb, cRow[c0:], add)
			}
			for ; c0 < j.n; c0 += 16 {
				cols := min(16, j.n-c0)
				sparseMaskKernel(nnz, idx, val, b[c0:], j.ldb, cRow[c0:], uint16(1)<<cols-1, add)
			}
		}
	}
}
