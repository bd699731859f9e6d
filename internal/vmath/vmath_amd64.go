//go:build amd64 && !purego

package vmath

import "github.com/aegraph/aegraph/internal/isa"

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

// archFuncs are the kernels of path p.
func archFuncs(p isa.Path) funcs {
	switch p {
	case isa.AVX512:
		return funcs{
			sigmoid: sigmoidAVX512, adam: adamAVX512, relu: reluAVX512, reluBack: reluBackAVX512,
			bce: bceAVX512, pairMax: pairMaxAVX512, addConst: addConstAVX512, maxRows: maxRowsAVX512,
			bytesOver: unitBytesAVX512,
		}
	case isa.AVX2:
		return avx2Funcs()
	}
	return funcs{}
}
