//go:build arm64 && !purego

package sgemm

import "github.com/aegraph/aegraph/internal/isa"

// archKernels are the kernels of path p; a nil field is plain Go's.
func archKernels(p isa.Path) kernelSet {
	if p == isa.NEON {
		return neonKernels()
	}
	return kernelSet{}
}

// neonKernels are the NEON kernels.
func neonKernels() kernelSet { return kernelSet{} }
