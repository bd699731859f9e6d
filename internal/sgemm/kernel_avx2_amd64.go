//go:build amd64 && !purego

package sgemm

import "math/bits"

// avx2Kernels are the AVX2+FMA kernels (kernel_avx2_amd64.s), for CPUs
// without AVX-512: the same sums in the same order on 16 YMM registers.
func avx2Kernels() kernelSet {
	return kernelSet{dense: denseAVX2, sparse: sparseKernelAVX2, sparseMask: sparseMaskKernelAVX2, compress: compressKernelAVX2}
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

func denseAVX2(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
	if k == 0 {
		kernelGo(k, a, ai, ap, b, bp, c, ldc, add)
		return
	}
	_ = a[(mr-1)*ai+(k-1)*ap]
	_ = b[(k-1)*bp+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernelAVX2(k, &a[0], ai, ap, &b[0], bp, &c[0], ldc, add)
}

func sparseKernelAVX2(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool) {
	_ = c[sparseWidth-1]
	_ = b[sparseWidth-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+sparseWidth-1] // idx is increasing
	}
	sparseAVX2(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], add)
}

func sparseMaskKernelAVX2(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool) {
	w := bits.Len16(mask) // the set bits are the low ones
	if w == 0 {
		return
	}
	_ = c[w-1]
	_ = b[w-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+w-1]
	}
	sparseColsAVX2(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], w, add)
}

func compressKernelAVX2(x []float32, idx []int32, val []float32) int {
	if len(x) == 0 {
		return 0
	}
	_ = idx[len(x)+6] // written 8 at a time
	_ = val[len(x)+6]
	return compressAVX2(len(x), &x[0], &idx[0], &val[0])
}
