package sgemm

import (
	"math/bits"

	"github.com/aegraph/aegraph/internal/canon"
	"github.com/aegraph/aegraph/internal/isa"
)

// kernelSet is one path's kernels. A nil field is the plain-Go kernel's.
//
// dense computes the mr×nr tile c (row stride ldc) = A·B over k steps, added
// to c's values when add is set. A's value (i, p) is a[i·ai + p·ap]; B's row
// p is the nr values from b[p·bp]. Packed panels have (ai, ap, bp) = (1, mr,
// nr); operands read in place have their own strides.
//
// sparse computes c[0:sparseWidth] (= or +=, by add) Σ_q
// val[q]·b[idx[q]·ldb : +sparseWidth] over the nnz listed values, in their
// order; sparseMask the same for the 16 columns from c whose bit is set in
// mask (the others neither read nor written).
//
// compress lists the nonzero values of x (NaN included, ±0 not) in val and
// their indices in idx, in order, and returns their number; idx and val have
// room for len(x)+16 values.
type kernelSet struct {
	dense      func(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool)
	sparse     func(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool)
	sparseMask func(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool)
	compress   func(x []float32, idx []int32, val []float32) int
}

// The kernels in use, set by package isa's choice of path.
var (
	kernel           = kernelGo
	sparseKernel     = sparseGo
	sparseMaskKernel = sparseMaskGo
	compress         = compressGo
)

func init() {
	isa.OnChange(func(p isa.Path) {
		ks := archKernels(p) // kernel_<arch>.go
		kernel, sparseKernel, sparseMaskKernel, compress = kernelGo, sparseGo, sparseMaskGo, compressGo
		if ks.dense != nil {
			kernel = ks.dense
		}
		if ks.sparse != nil {
			sparseKernel = ks.sparse
		}
		if ks.sparseMask != nil {
			sparseMaskKernel = ks.sparseMask
		}
		if ks.compress != nil {
			compress = ks.compress
		}
	})
}

// kernelGo is the canonical dense kernel: each value of the tile a chain of
// fused multiply-adds over p from zero, then added to c.
func kernelGo(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
	var acc [mr * nr]float32
	for p := range k {
		bRow := b[p*bp : p*bp+nr]
		for i := range mr {
			av := a[i*ai+p*ap]
			row := acc[i*nr : i*nr+nr]
			for j, bv := range bRow {
				row[j] = canon.FMA(av, bv, row[j])
			}
		}
	}
	for i := range mr {
		dst := c[i*ldc : i*ldc+nr]
		if add {
			for j, v := range acc[i*nr : i*nr+nr] {
				dst[j] = v + dst[j]
			}
		} else {
			copy(dst, acc[i*nr:i*nr+nr])
		}
	}
}

// sparseGo is the canonical sparse kernel (kernelSet.sparse).
func sparseGo(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool) {
	sparseCols(nnz, idx, val, b, ldb, c, sparseWidth, add)
}

// sparseMaskGo is the canonical masked sparse kernel (kernelSet.sparseMask):
// the mask's set bits are the low ones, as the callers make it.
func sparseMaskGo(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool) {
	cols := 0
	for mask&(1<<cols) != 0 && cols < 16 {
		cols++
	}
	sparseCols(nnz, idx, val, b, ldb, c, cols, add)
}

func sparseCols(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, cols int, add bool) {
	var acc [sparseWidth]float32
	sums := acc[:cols]
	for q := range nnz {
		v := val[q]
		row := b[int(idx[q])*ldb : int(idx[q])*ldb+cols]
		for j, bv := range row {
			sums[j] = canon.FMA(v, bv, sums[j])
		}
	}
	dst := c[:cols]
	if add {
		for j, v := range sums {
			dst[j] = v + dst[j]
		}
	} else {
		copy(dst, sums)
	}
}

// compressGo is the canonical compress (kernelSet.compress).
func compressGo(x []float32, idx []int32, val []float32) int {
	n := 0
	for i, v := range x {
		if v != 0 {
			idx[n], val[n] = int32(i), v
			n++
		}
	}
	return n
}

// asmKernels are one path's assembly kernels, on pointers; bind wraps them
// in the checks that keep every access inside the slices, the same for
// every path.
type asmKernels struct {
	dense      func(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)
	sparse     func(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, add bool)
	sparseCols func(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, cols int, add bool) // the cols (1–16) low columns
	compress   func(n int, x *float32, idx *int32, val *float32) int                                        // writes fewer than 16 past n
}

func (k asmKernels) bind() kernelSet {
	return kernelSet{
		dense: func(d int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
			if d == 0 {
				kernelGo(d, a, ai, ap, b, bp, c, ldc, add)
				return
			}
			_ = a[(mr-1)*ai+(d-1)*ap]
			_ = b[(d-1)*bp+nr-1]
			_ = c[(mr-1)*ldc+nr-1]
			k.dense(d, &a[0], ai, ap, &b[0], bp, &c[0], ldc, add)
		},
		sparse: func(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, add bool) {
			_ = c[sparseWidth-1]
			_ = b[sparseWidth-1]
			if nnz > 0 {
				_ = val[nnz-1]
				_ = b[int(idx[nnz-1])*ldb+sparseWidth-1] // idx is increasing
			}
			k.sparse(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], add)
		},
		sparseMask: func(nnz int, idx []int32, val []float32, b []float32, ldb int, c []float32, mask uint16, add bool) {
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
			k.sparseCols(nnz, &idx[0], &val[0], &b[0], ldb, &c[0], w, add)
		},
		compress: func(x []float32, idx []int32, val []float32) int {
			if len(x) == 0 {
				return 0
			}
			_ = idx[len(x)+15]
			_ = val[len(x)+15]
			return k.compress(len(x), &x[0], &idx[0], &val[0])
		},
	}
}
