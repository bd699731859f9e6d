//go:build amd64 && !purego

package sgemm

import (
	"math/bits"

	"github.com/aegraph/aegraph/internal/isa"
)

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
		return kernelSet{dense: denseAVX512, sparse: sparseKernelAVX512, sparseMask: sparseMaskKernelAVX512, compress: compressKernelAVX512}
	case isa.AVX2:
		return avx2Kernels()
	}
	return kernelSet{}
}

func denseAVX512(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
	if k == 0 {
		kernelGo(k, a, ai, ap, b, bp, c, ldc, add)
		return
	}
	_ = a[(mr-1)*ai+(k-1)*ap]
	_ = b[(k-1)*bp+nr-1]
	_ = c[(mr-1)*ldc+nr-1]
	kernelAVX512(k, &a[0], ai, ap, &b[0], bp, &c[0], ldc, add)
}

func sparseKernelAVX512(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool) {
	_ = c[sparseWidth-1]
	_ = b[sparseWidth-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+sparseWidth-1] // idx is increasing
	}
	sparseAVX512(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], add)
}

func sparseMaskKernelAVX512(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool) {
	w := bits.Len16(mask)
	_ = c[w-1]
	_ = b[w-1]
	if nnz > 0 {
		_ = val[nnz-1]
		_ = b[int(idx[nnz-1])*ldb+w-1]
	}
	sparseMaskAVX512(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], mask, add)
}

func compressKernelAVX512(x []float32, idx []int32, val []float32) int {
	if len(x) == 0 {
		return 0
	}
	_ = idx[len(x)+15]
	_ = val[len(x)+15]
	return compressAVX512(len(x), &x[0], &idx[0], &val[0])
}
