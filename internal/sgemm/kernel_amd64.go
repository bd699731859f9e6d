//go:build amd64 && !purego

package sgemm

import "github.com/aegraph/aegraph/internal/isa"

// kernelAVX512 computes one 12×32 tile into C (kernel_amd64.s), adding to
// C's values when add is set; the strides are kernel's.
//
//go:noescape
func kernelAVX512(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)

// sparseAVX512 and sparseMaskAVX512 are sparseKernel and sparseMaskKernel
// (kernel_amd64.s).
//
//go:noescape
func sparseAVX512(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, add bool)

//go:noescape
func sparseMaskAVX512(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, mask uint16, add bool)

// compressAVX512 is compress (kernel_amd64.s).
//
//go:noescape
func compressAVX512(n int, x *float32, idx *int32, val *float32) int

// archKernels are the kernels of path p.
func archKernels(p isa.Path) kernelSet {
	switch p {
	case isa.AVX512:
		return asmKernels{dense: kernelAVX512, sparse: sparseAVX512, compress: compressAVX512,
			sparseCols: func(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, cols int, add bool) {
				sparseMaskAVX512(nnz, idx, val, b, ldb, c, uint16(1)<<cols-1, add)
			}}.bind()
	case isa.AVX2:
		return avx2Kernels()
	}
	return kernelSet{}
}
