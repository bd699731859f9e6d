//go:build amd64 && !purego

package sgemm

import "golang.org/x/sys/cpu"

// kernelAVX512 computes one 12×32 tile from packed panels (kernel_amd64.s).
//
//go:noescape
func kernelAVX512(k int, a, b, c *float32)

func init() {
	if cpu.X86.HasAVX512F {
		kernel = func(k int, a, b, c []float32) {
			_ = a[k*mr-1]
			_ = b[k*nr-1]
			_ = c[mr*nr-1]
			kernelAVX512(k, &a[0], &b[0], &c[0])
		}
		Accelerated = "AVX-512"
	}
}
