//go:build arm64 && !purego

package sgemm

import "github.com/aegraph/aegraph/internal/isa"

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
	return asmKernels{dense: kernelNEON, sparse: sparseNEON, sparseCols: sparseMaskNEON, compress: compressNEON}.bind()
}
