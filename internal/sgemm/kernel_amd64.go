//go:build amd64 && !purego

package sgemm

import "golang.org/x/sys/cpu"

// kernelAVX512 computes one 12×32 tile into C (kernel_amd64.s), adding to
// C's values when add is set; the strides are kernel's.
//
//go:noescape
func kernelAVX512(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)

func init() {
	if cpu.X86.HasAVX512F {
		kernel = func(k int, a []float32, ai, ap int, b []float32, bp int, c []float32, ldc int, add bool) {
			if k == 0 {
				kernelGo(k, a, ai, ap, b, bp, c, ldc, add)
				return
			}
			_ = a[(mr-1)*ai+(k-1)*ap]
			_ = b[(k-1)*bp+nr-1]
			_ = c[(mr-1)*ldc+nr-1]
			kernelAVX512(k, &a[0], ai, ap, &b[0], bp, &c[0], ldc, add)
		}
		Accelerated = "AVX-512"
	}
}
