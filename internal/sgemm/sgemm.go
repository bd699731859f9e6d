// Package sgemm multiplies float32 matrices: C = α·op(A)·op(B) + β·C, row-major,
// the BLAS sgemm that Gorgonia's dense layers spend most of their time in.
//
// It follows the BLIS design: op(A) and op(B) are packed into panels of mr
// rows and nr columns, and a micro-kernel computes one mr×nr tile of C at a
// time. On amd64 with AVX-512 the kernel is 24 FMA accumulators in assembly;
// elsewhere it is plain Go. Tiles are shared among GOMAXPROCS goroutines.
//
// An A that is mostly zeros (an image's blank pixels, a sparse ReLU output)
// takes a sparse path that skips them, with the same result bit for bit
// (sparse.go).
package sgemm

import (
	"sync"
	"sync/atomic"

	"github.com/aegraph/aegraph/internal/par"
)

const (
	mr = 12  // rows of a tile
	nr = 32  // columns of a tile
	kc = 256 // depth of a packed block: an A panel and a B panel fit in L1
)

// Gemm computes C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n and C m×n,
// all row-major with leading dimensions lda, ldb, ldc; op(X) is Xᵀ when
// the flag is set. As in BLAS, C is not read when β = 0.
//
// The kernel reads A, and B when it is not transposed, in place; only Bᵀ and
// the panels at the edges (fewer than mr rows or nr columns) are packed, by
// each worker for the tiles it computes. So a call is one hand-off to the
// workers, whatever k is. Each tile sums k in blocks of at most kc, in order,
// so the result does not depend on the number of workers.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(par.Workers(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Serial is Gemm on the calling goroutine alone, for callers that share
// their work among the cores themselves (a convolution, image by image).
func Serial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func gemm(workers int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	if 2*m*n*k < 1<<18 {
		workers = 1 // too small to be worth sharing
	}
	if !transA && !transB && isSparse(m, n, k, alpha, beta, a, lda) {
		sparseGemm(min(workers, m), m, n, k, beta, a, lda, b, ldb, c, ldc)
		return
	}
	denseGemm(workers, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// denseGemm is gemm on the dense kernel, whatever A holds.
func denseGemm(workers int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	j := jobs.Get().(*job)
	defer jobs.Put(j)
	j.init(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	workers = min(workers, j.mPanels*j.nPanels)
	j.chunks = chunks(j.mPanels*j.nPanels, workers)
	par.Do(j, workers)
}

// job is one Gemm call's shared, read-only state.
type job struct {
	transA, transB   bool
	m, n, k, depth   int
	alpha, beta      float32
	a, b, c          []float32
	lda, ldb, ldc    int
	mPanels, nPanels int
	chunks           int   // runs of tiles
	next             int64 // the next run to take (atomic)
}

func (j *job) init(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	*j = job{transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, chunks: 1}
	j.mPanels = (m + mr - 1) / mr
	j.nPanels = (n + nr - 1) / nr
	j.depth = blockDepth(k)
}

// blockDepth is the depth of the blocks that a product of depth k is summed
// in: k split into the fewest blocks of at most kc, as equal as they can be.
func blockDepth(k int) int {
	blocks := (k + kc - 1) / kc
	return (k + blocks - 1) / blocks
}

var jobs = sync.Pool{New: func() any { return new(job) }}

// worker is one worker's scratch: the packed panels it is using and an edge tile.
type worker struct {
	panelA, panelB []float32
	tile           [mr * nr]float32
}

var workerPool = sync.Pool{New: func() any { return new(worker) }}

// chunksPerWorker is how many runs of tiles (or rows) a call is cut into
// per worker. The workers take the runs in turn as they come free, so a
// worker that starts late (waking a parked goroutine on another core takes
// tens of microseconds, a fifth of a 128×256×784 product) leaves its share
// to the others instead of holding up the call.
const chunksPerWorker = 8

// chunks is the number of runs of n items for workers workers.
func chunks(n, workers int) int {
	if workers <= 1 {
		return 1
	}
	return min(n, chunksPerWorker*workers)
}

// Run computes runs of tiles, taken in turn until none is left. A run is
// contiguous in the tiles taken column of tiles by column of tiles, so that
// a packed B panel serves a whole column. Blocks of k are the outer loop
// (the B panel's block stays in L1 across the column); within a tile they
// are summed in order, so a tile's result does not depend on which worker
// computes it.
func (j *job) Run(_, _ int) {
	s := workerPool.Get().(*worker)
	defer workerPool.Put(s)
	tiles := j.mPanels * j.nPanels
	for {
		c := int(atomic.AddInt64(&j.next, 1) - 1)
		if c >= j.chunks {
			return
		}
		j.tiles(s, c*tiles/j.chunks, (c+1)*tiles/j.chunks)
	}
}

// tiles computes the tiles first … last−1.
func (j *job) tiles(s *worker, first, last int) {
	for p0 := 0; p0 < j.k; p0 += j.depth {
		d := min(j.depth, j.k-p0)
		beta := j.beta
		if p0 > 0 {
			beta = 1
		}
		packedB, packedA := -1, false
		for t := first; t < last; t++ {
			jp, ip := t/j.mPanels, t%j.mPanels
			i0, j0 := ip*mr, jp*nr
			rows, cols := min(mr, j.m-i0), min(nr, j.n-j0)

			var a []float32
			var ai, ap int
			switch {
			case rows < mr:
				if !packedA {
					s.panelA = grow(s.panelA, mr*d)
					packA(s.panelA, j.transA, j.a, j.lda, j.m, i0, p0, d)
					packedA = true
				}
				a, ai, ap = s.panelA, 1, mr
			case j.transA: // op(A)[i, p] = a[p*lda + i]
				a, ai, ap = j.a[p0*j.lda+i0:], 1, j.lda
			default:
				a, ai, ap = j.a[i0*j.lda+p0:], j.lda, 1
			}
			var b []float32
			var bp int
			if cols < nr || j.transB {
				if packedB != jp {
					s.panelB = grow(s.panelB, nr*d)
					packB(s.panelB, j.transB, j.b, j.ldb, j.n, j0, p0, d)
					packedB = jp
				}
				b, bp = s.panelB, nr
			} else {
				b, bp = j.b[p0*j.ldb+j0:], j.ldb
			}

			if rows == mr && cols == nr && j.alpha == 1 && (beta == 0 || beta == 1) {
				kernel(d, a, ai, ap, b, bp, j.c[i0*j.ldc+j0:], j.ldc, beta == 1)
				continue
			}
			kernel(d, a, ai, ap, b, bp, s.tile[:], nr, false)
			store(j.c, j.ldc, i0, j0, rows, cols, j.alpha, beta, &s.tile)
		}
	}
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// store writes C[i0:i0+rows, j0:j0+cols] = α·tile + β·C.
func store(c []float32, ldc, i0, j0, rows, cols int, alpha, beta float32, tile *[mr * nr]float32) {
	for i := range rows {
		dst := c[(i0+i)*ldc+j0 : (i0+i)*ldc+j0+cols]
		src := tile[i*nr : i*nr+cols]
		switch {
		case beta == 0 && alpha == 1:
			copy(dst, src)
		case beta == 0:
			for j, v := range src {
				dst[j] = alpha * v
			}
		case beta == 1 && alpha == 1:
			for j, v := range src {
				dst[j] += v
			}
		default:
			for j, v := range src {
				dst[j] = float32(alpha*v) + float32(beta*dst[j]) // rounded, never fused
			}
		}
	}
}

func scale(m, n int, beta float32, c []float32, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// packA copies op(A)[i0:i0+mr, p0:p0+d] into a panel: for each p, the mr
// values op(A)[i0+r, p0+p], zero past row m.
func packA(panel []float32, trans bool, a []float32, lda, m, i0, p0, d int) {
	rows := min(mr, m-i0)
	if rows < mr {
		clear(panel)
	}
	if trans { // op(A)[i, p] = a[p*lda + i]: rows of a are contiguous in i
		for p := range d {
			copy(panel[p*mr:p*mr+rows], a[(p0+p)*lda+i0:(p0+p)*lda+i0+rows])
		}
		return
	}
	for r := range rows {
		src := a[(i0+r)*lda+p0 : (i0+r)*lda+p0+d]
		for p, v := range src {
			panel[p*mr+r] = v
		}
	}
}

// packB copies op(B)[p0:p0+d, j0:j0+nr] into a panel: for each p, the nr
// values op(B)[p0+p, j0+c], zero past column n.
func packB(panel []float32, trans bool, b []float32, ldb, n, j0, p0, d int) {
	cols := min(nr, n-j0)
	if cols < nr {
		clear(panel)
	}
	if !trans { // op(B)[p, j] = b[p*ldb + j]
		for p := range d {
			copy(panel[p*nr:p*nr+cols], b[(p0+p)*ldb+j0:(p0+p)*ldb+j0+cols])
		}
		return
	}
	// op(B)[p, j] = b[j*ldb + p]: four rows of b at a time, so that each p
	// writes four adjacent values of the panel.
	c := 0
	for ; c+4 <= cols; c += 4 {
		row := func(i int) []float32 { return b[(j0+c+i)*ldb+p0 : (j0+c+i)*ldb+p0+d] }
		s0, s1, s2, s3 := row(0), row(1), row(2), row(3)
		s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
		for p, v := range s0 {
			dst := panel[p*nr+c : p*nr+c+4]
			dst[0], dst[1], dst[2], dst[3] = v, s1[p], s2[p], s3[p]
		}
	}
	for ; c < cols; c++ {
		src := b[(j0+c)*ldb+p0 : (j0+c)*ldb+p0+d]
		for p, v := range src {
			panel[p*nr+c] = v
		}
	}
}
