// Package canon is the canonical arithmetic that every kernel path computes:
// the one place that says how a value is rounded, so that a seed gives the
// same bits on every CPU.
//
// The rules, which each kernel's plain-Go version spells out and each
// assembly version follows:
//   - a·b + c is fused (one rounding) where the kernels fuse it, written
//     FMA(a, b, c); everywhere else a product is rounded before it is added,
//     written float32(a*b) + c where Go's compiler could otherwise fuse it
//     (it fuses on arm64, ppc64, s390x and riscv64, never on amd64);
//   - sums over many values run in 16 lanes, lane i taking values i, i+16,
//     …, in order, the lanes then added pairwise (i with i+8, then i+4, i+2,
//     i+1), whatever the register width;
//   - exp and the sigmoid use one polynomial (vmath's expNeg), never a
//     library's exp, whose result differs by CPU.
package canon

import "math"

// FMA returns a·b + c rounded once to float32, as a fused multiply-add
// instruction computes it. Go has no float32 FMA; on arm64 the compiler
// turns a*b + c into FMADDS (fma_arm64.go), elsewhere this computes it
// exactly in float64: a·b is exact there (24 + 24 bits), the sum's rounding
// error is recovered exactly (Knuth's two-sum) and the float64 sum is
// rounded to odd, which makes the final rounding to float32 correct
// (Boldo and Melquiond, "Emulation of FMA and correctly rounded sums", 2008).
func FMA(a, b, c float32) float32 { return fma(a, b, c) }

func fmaOdd(a, b, c float32) float32 {
	p := float64(a) * float64(b)
	cc := float64(c)
	s := p + cc
	// Rounding s to float32 is correct unless s sits exactly half-way
	// between two float32s (the low 29 of its 52 fraction bits are
	// 1000…0), where the first rounding may have made the tie, or unless s
	// is in float32's subnormal range, where the half-way point is higher
	// up. Then round s to odd first.
	bits := math.Float64bits(s)
	if bits&(1<<29-1) != 1<<28 && bits&(0x7ff<<52) > 0x380<<52 {
		return float32(s)
	}
	if math.IsInf(s, 0) || math.IsNaN(s) {
		return float32(s)
	}
	// two-sum: p + cc = s + e exactly.
	bb := s - p
	e := (p - (s - bb)) + (cc - bb)
	if e != 0 && bits&1 == 0 { // round to odd: move to the odd neighbour on e's side
		if (e > 0) == (s > 0) {
			bits++
		} else {
			bits--
		}
		s = math.Float64frombits(bits)
	}
	return float32(s)
}
