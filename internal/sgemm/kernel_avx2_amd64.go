//go:build amd64 && !purego

package sgemm

// avx2Kernels are the AVX2+FMA kernels (kernel_avx2_amd64.s), for CPUs
// without AVX-512: the same sums in the same order on 16 YMM registers.
func avx2Kernels() kernelSet {
	return asmKernels{dense: kernelAVX2, sparse: sparseAVX2, sparseCols: sparseColsAVX2, compress: compressAVX2}.bind()
}

// kernelAVX2 computes one 12×32 tile into C as four 6×16 quarters
// (kernel_avx2_amd64.s), adding to C's values when add is set; the strides
// are kernel's.
//
//go:noescape
func kernelAVX2(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)

// sparseAVX2 is sparseKernel (kernel_avx2_amd64.s).
//
//go:noescape
func sparseAVX2(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, add bool)

// sparseColsAVX2 is sparseMaskKernel for the first cols (1 to 16) columns
// (kernel_avx2_amd64.s).
//
//go:noescape
func sparseColsAVX2(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, cols int, add bool)

// compressAVX2 is compress (kernel_avx2_amd64.s).
//
//go:noescape
func compressAVX2(n int, x *float32, idx *int32, val *float32) int
