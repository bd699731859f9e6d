//go:build amd64 && !purego

package vmath

import "golang.org/x/sys/cpu"

//go:noescape
func sigmoidAVX512(y, x *float32, n int, c *[8]float32)

//go:noescape
func adamAVX512(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)

//go:noescape
func reluAVX512(y, x *float32, n int)

//go:noescape
func reluBackAVX512(da, y, grad *float32, n int)

//go:noescape
func bceAVX512(x, a *float32, n int, c *[16]float32) float64

//go:noescape
func pairMaxAVX512(y, x *float32, n int, idx *[32]uint32, low float32)

//go:noescape
func addConstAVX512(y, x *float32, n int, c float32)

//go:noescape
func maxRowsAVX512(y, x *float32, rows, n int)

//go:noescape
func unitBytesAVX512(y *float32, x *uint8, n int, c float32)

func init() {
	if cpu.X86.HasAVX512F {
		sigmoid16 = sigmoidAVX512
		adam16 = adamAVX512
		relu16 = reluAVX512
		reluBack16 = reluBackAVX512
		bce16 = bceAVX512
		pairMax16 = pairMaxAVX512
		addConst16 = addConstAVX512
		maxRowsVec = maxRowsAVX512
		unitBytes16 = unitBytesAVX512
	}
}
