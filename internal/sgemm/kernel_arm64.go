//go:build arm64 && !purego

package sgemm

import (
	"math/bits"

	"github.com/aegraph/aegraph/internal/isa"
)

// kernelNEON computes one 12×32 tile into C (kernel_arm64.s), adding to C's
// values when add is set; the strides are kernel's.
//
//go:noescape
func kernelNEON(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)

// sparseNEON is sparseKernel (kernel_arm64.s).
//
//go:noescape
func sparseNEON(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, add bool)

// sparseMaskNEON is sparseMaskKernel for the w low columns, 1 ≤ w ≤ 16
// (kernel_arm64.s).
//
//go:noescape
func sparseMaskNEON(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, w int, add bool)

// compressNEON is compress (kernel_arm64.s).
//
//go:noescape
func compressNEON(n int, x *float32, idx *int32, val *float32) int

// archKernels are the kernels of path p; a nil field is plain Go's.
func archKernels(p isa.Path) kernelSet {
	if p == isa.NEON {
		return neonKernels()
	}
	return kernelSet{}
}

// neonKernels are the NEON kernels.
func neonKernels() kernelSet {
	return kernelSet{dense: denseNEON, sparse: sparseKernelNEON, sparseMask: sparseMaskKernelNEON, compress: compressKernelNEON}
}

func denseNEON(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
	if k == 0 {
		kernelGo(k, a, ai, ap, b, bp, c, ldc, add)
		return
	}
	_ = a[(mr-1)*ai+(k-1)*ap]
	_ = b[(k-1)*bp+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernelNEON(k, &a[0], ai, ap, &b[0], bp, &c[0], ldc, add)
}

func sparseKernelNEON(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool) {
	_ = c[sparseWidth-1]
	_ = b[sparseWidth-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+sparseWidth-1] // idx is increasing
	}
	sparseNEON(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], add)
}

func sparseMaskKernelNEON(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool) {
	w := bits.Len16(mask)
	if w == 0 {
		return
	}
	_ = c[w-1]
	_ = b[w-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+w-1]
	}
	sparseMaskNEON(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], w, add)
}

func compressKernelNEON(x []float32, idx []int32, val []float32) int {
	if len(x) == 0 {
		return 0
	}
	_ = idx[len(x)-1]
	_ = val[len(x)-1]
	return compressNEON(len(x), &x[0], &idx[0], &val[0])
}
