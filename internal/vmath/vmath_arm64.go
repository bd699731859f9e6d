//go:build arm64 && !purego

package vmath

import "github.com/aegraph/aegraph/internal/isa"

// The NEON kernels (vmath_arm64.s), each over n values, n a multiple of 16
// (maxRowsNEON: any rows and n).

//go:noescape
func sigmoidNEON(y, x *float32, n int, c *[8]float32)

//go:noescape
func adamNEON(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)

//go:noescape
func reluNEON(y, x *float32, n int)

//go:noescape
func reluBackNEON(da, y, grad *float32, n int)

//go:noescape
func bceNEON(x, a *float32, n int, c *[16]float32) float64

//go:noescape
func pairMaxNEON(y, x *float32, n int, idx *[32]uint32, low float32)

//go:noescape
func addConstNEON(y, x *float32, n int, c float32)

//go:noescape
func maxRowsNEON(y, x *float32, rows, n int)

//go:noescape
func bytesOverNEON(y *float32, x *uint8, n int, c float32)

// archFuncs are the kernels of path p.
func archFuncs(p isa.Path) funcs {
	if p == isa.NEON {
		return neonFuncs()
	}
	return funcs{}
}

// neonFuncs are the NEON kernels; a nil one is plain Go's.
func neonFuncs() funcs {
	return funcs{
		sigmoid: sigmoidNEON, adam: adamNEON, relu: reluNEON, reluBack: reluBackNEON,
		bce: bceNEON, pairMax: pairMaxNEON, addConst: addConstNEON, maxRows: maxRowsNEON,
		bytesOver: bytesOverNEON,
	}
}
