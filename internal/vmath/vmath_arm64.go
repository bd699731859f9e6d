//go:build arm64 && !purego

package vmath

import "github.com/aegraph/aegraph/internal/isa"

// archFuncs are the kernels of path p.
func archFuncs(p isa.Path) funcs {
	if p == isa.NEON {
		return neonFuncs()
	}
	return funcs{}
}

// neonFuncs are the NEON kernels; a nil one is plain Go's.
func neonFuncs() funcs { return funcs{} }
