//go:build purego || (!amd64 && !arm64)

package sgemm

import "github.com/aegraph/aegraph/internal/isa"

// archKernels has no assembly here: every path is plain Go.
func archKernels(isa.Path) kernelSet { return kernelSet{} }
