//go:build amd64 && !purego

package vmath

//go:noescape
func sigmoidAVX2(y, x *float32, n int, c *[8]float32)

//go:noescape
func adamAVX2(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)

//go:noescape
func reluAVX2(y, x *float32, n int)

//go:noescape
func reluBackAVX2(da, y, grad *float32, n int)

//go:noescape
func bceAVX2(x, a *float32, n int, c *[16]float32) float64

//go:noescape
func pairMaxAVX2(y, x *float32, n int, idx *[32]uint32, low float32)

//go:noescape
func addConstAVX2(y, x *float32, n int, c float32)

//go:noescape
func maxRowsAVX2(y, x *float32, rows, n int)

//go:noescape
func unitBytesAVX2(y *float32, x *uint8, n int, c float32)

// avx2Funcs are the AVX2+FMA kernels (vmath_avx2_amd64.s), for CPUs without
// AVX-512: the AVX-512 kernels' operations on two YMM registers, bit for bit
// the same results.
func avx2Funcs() funcs {
	return funcs{
		sigmoid: sigmoidAVX2, adam: adamAVX2, relu: reluAVX2, reluBack: reluBackAVX2,
		bce: bceAVX2, pairMax: pairMaxAVX2, addConst: addConstAVX2, maxRows: maxRowsAVX2,
		bytesOver: unitBytesAVX2,
	}
}
