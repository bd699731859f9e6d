//go:build amd64 && !purego

package sgemm

import "golang.org/x/sys/cpu"

// kernelAVX512 computes one 12×32 tile from packed panels into C
// (kernel_amd64.s), adding to C's values when add is set.
//
//go:noescape
func kernelAVX512(k int, a, b, c *float32, ldc int, add bool)

func init() {
	if cpu.X86.HasAVX512F {
		kernel = func(k int, a, b, c []float32, ldc int, add bool) {
			_ = a[k*mr-1]
			_ = b[k*nr-1]
			_ = c[(mr-1)*ldc+nr-1]
			kernelAVX512(k, &a[0], &b[0], &c[0], ldc, add)
		}
		Accelerated = "AVX-512"
	}
}
