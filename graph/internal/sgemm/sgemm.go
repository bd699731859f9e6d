// Package sgemm multiplies float32 matrices: C = α·op(A)·op(B) + β·C, row-major,
// the BLAS sgemm that Gorgonia's dense layers spend most of their time in.
//
// It follows the BLIS design: op(A) and op(B) are packed into panels of mr
// rows and nr columns, and a micro-kernel computes one mr×nr tile of C at a
// time. On amd64 with AVX-512 the kernel is 24 FMA accumulators in assembly;
// elsewhere it is plain Go. Tiles are shared among GOMAXPROCS goroutines.
package sgemm

import (
	"sync"

	"github.com/aegraph/aegraph/graph/internal/par"
)

const (
	mr = 12  // rows of a tile
	nr = 32  // columns of a tile
	kc = 256 // depth of a packed block: an A panel and a B panel fit in L1
)

// Accelerated names the instruction set of the kernel in use ("" for plain Go).
var Accelerated string

// kernel computes the mr×nr tile c (row stride ldc) = a (k×mr, packed) ·
// b (k×nr, packed), added to c's values when add is set.
var kernel = kernelGo

func kernelGo(k int, a, b, c []float32, ldc int, add bool) {
	var acc [mr * nr]float32
	for p := range k {
		ap := a[p*mr : p*mr+mr]
		bp := b[p*nr : p*nr+nr]
		for i, av := range ap {
			row := acc[i*nr : i*nr+nr]
			for j, bv := range bp {
				row[j] += av * bv
			}
		}
	}
	for i := range mr {
		dst := c[i*ldc : i*ldc+nr]
		if add {
			for j, v := range acc[i*nr : i*nr+nr] {
				dst[j] += v
			}
		} else {
			copy(dst, acc[i*nr:i*nr+nr])
		}
	}
}

// Gemm computes C = α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n and C m×n,
// all row-major with leading dimensions lda, ldb, ldc; op(X) is Xᵀ when
// the flag is set. As in BLAS, C is not read when β = 0.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		scale(m, n, beta, c, ldc)
		return
	}
	j := jobs.Get().(*job)
	defer jobs.Put(j)
	*j = job{transA: transA, transB: transB, m: m, n: n, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc}
	j.mPanels = (m + mr - 1) / mr
	j.nPanels = (n + nr - 1) / nr
	blocks := (k + kc - 1) / kc
	depth := (k + blocks - 1) / blocks
	bufA := getBuf(j.mPanels * mr * depth)
	bufB := getBuf(j.nPanels * nr * depth)
	defer putBuf(bufA)
	defer putBuf(bufB)
	j.bufA, j.bufB = *bufA, *bufB
	j.workers = min(par.Workers(), j.mPanels*j.nPanels)
	if 2*m*n*k < 1<<18 {
		j.workers = 1 // too small to be worth sharing
	}
	for p0 := 0; p0 < k; p0 += depth {
		j.p0, j.d = p0, min(depth, k-p0)
		j.beta = beta
		if p0 > 0 {
			j.beta = 1
		}
		j.phase = packPhase
		par.Do(j, j.workers)
		j.phase = computePhase
		par.Do(j, j.workers)
	}
}

// job is one Gemm call's shared state; workers run its phases on their share.
type job struct {
	transA, transB   bool
	m, n, p0, d      int
	alpha, beta      float32
	a, b, c          []float32
	lda, ldb, ldc    int
	bufA, bufB       []float32
	mPanels, nPanels int
	workers          int
	phase            int
}

const (
	packPhase = iota
	computePhase
)

var jobs = sync.Pool{New: func() any { return new(job) }}

// Run does worker w's share of the current phase: every workers-th panel
// to pack, or every workers-th tile to compute.
func (j *job) Run(w, _ int) {
	d := j.d
	if j.phase == packPhase {
		for ip := w; ip < j.mPanels; ip += j.workers {
			packA(j.bufA[ip*mr*d:(ip+1)*mr*d], j.transA, j.a, j.lda, j.m, ip*mr, j.p0, d)
		}
		for jp := w; jp < j.nPanels; jp += j.workers {
			packB(j.bufB[jp*nr*d:(jp+1)*nr*d], j.transB, j.b, j.ldb, j.n, jp*nr, j.p0, d)
		}
		return
	}
	tile := tilePool.Get().(*[mr * nr]float32)
	defer tilePool.Put(tile)
	for t := w; t < j.mPanels*j.nPanels; t += j.workers {
		ip, jp := t/j.nPanels, t%j.nPanels
		ap, bp := j.bufA[ip*mr*d:(ip+1)*mr*d], j.bufB[jp*nr*d:(jp+1)*nr*d]
		rows, cols := min(mr, j.m-ip*mr), min(nr, j.n-jp*nr)
		if rows == mr && cols == nr && j.alpha == 1 && (j.beta == 0 || j.beta == 1) {
			kernel(d, ap, bp, j.c[ip*mr*j.ldc+jp*nr:], j.ldc, j.beta == 1)
			continue
		}
		kernel(d, ap, bp, tile[:], nr, false)
		store(j.c, j.ldc, ip*mr, jp*nr, rows, cols, j.alpha, j.beta, tile)
	}
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
				dst[j] = alpha*v + beta*dst[j]
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
	for c := range cols { // op(B)[p, j] = b[j*ldb + p]
		src := b[(j0+c)*ldb+p0 : (j0+c)*ldb+p0+d]
		for p, v := range src {
			panel[p*nr+c] = v
		}
	}
}

var pool = sync.Pool{New: func() any { return new([]float32) }}

// tilePool holds the tiles that edge tiles are computed into.
var tilePool = sync.Pool{New: func() any { return new([mr * nr]float32) }}

func getBuf(n int) *[]float32 {
	p := pool.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

func putBuf(p *[]float32) { pool.Put(p) }
