//go:build arm64 && !purego

#include "textflag.h"

// The NEON kernels compute each value as the canonical scalar Go of
// vmath.go does, operation for operation: canon.FMA(a, b, c) is one FMLA
// (c + a·b, one rounding), canon.FMA(−a, b, c) one FMLS (c − a·b, one
// rounding, the same value and sign of zero); a rounded product is an FMUL
// and its sum an FADD; FDIV and FSQRT are correctly rounded as Go's / and
// math.Sqrt (a float32's square root through float64 rounds the same);
// round-to-even is FRINTN. Go's compares (x > m, x < 0) are FCMGT/FCMLT,
// false for NaN, with BIT/BSL/AND to select; Go's max(x, 0) is FMAX (NaN
// for NaN, +0 of ±0). Go's assembler lacks most vector floating-point
// instructions: those are WORDs, each commented with the instruction it
// encodes (then, after a colon, what it computes).
//
// The exp (expNegAbs) takes x in one register and leaves e^−|x| in another,
// through t (then r), k (then 2^k) and the Horner pair p, p′:
//	t = x | sign, then t = max(t, −87)
//	k = frintn(t·log2e), the product rounded
//	r = t − k·ln2hi, then r = r − k·ln2lo          two FMLS
//	p = 1/120 + (1/720)·r, then p = c + p·r for c = 1/24, 1/6, 1/2, 1, 1
//	e = p·2^k, 2^k's bits = (fcvtzs(k) << 23) + (127 << 23), in integers
// FMAX(t, −87) is Go's "if t < −87 { t = −87 }" here: they part only for a
// NaN (Go keeps t, FMAX gives a NaN: NaN either way) and for a pair of
// zeros, which −87 is not. k is integral and in [−126, 0], so fcvtzs is
// exact; a NaN's k converts to 0 and e = NaN·1 is NaN, as expNegAbs returns
// NaN early.

// func sigmoidNEON(y, x *float32, n int, c *[8]float32)
// y[i] = σ(x[i]) for n values, n a multiple of 16, as Sigmoid32 computes it:
// e = e^−|x|, q = 1/(1 + e), and e·q where x < 0. Four values a step.
// V16–V23 the constants c (log2e, ln2hi, ln2lo, 1/720, 1/120, 1/24, 1/6,
// 1/2), V24 1, V25 the sign bit, V26 −87; V0 x, V1–V7 temporaries.
// R0 y, R1 x, R2 the steps left, R3 c.
TEXT ·sigmoidNEON(SB), NOSPLIT, $0-32
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	MOVD c+24(FP), R3
	VLD4R.P 16(R3), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD4R (R3), [V20.S4, V21.S4, V22.S4, V23.S4]
	MOVW $0x3f800000, R4
	VDUP R4, V24.S4
	MOVW $0x80000000, R4
	VDUP R4, V25.S4
	MOVW $0xc2ae0000, R4
	VDUP R4, V26.S4
	LSR $2, R2
	CBZ R2, sigdone

sigloop:
	VLD1.P 16(R1), [V0.S4]
	VORR V25.B16, V0.B16, V1.B16 // t = −|x|
	WORD $0x4e3af421 // fmax v1.4s, v1.4s, v26.4s: t = max(t, −87), NaN stays NaN
	WORD $0x6e30dc22 // fmul v2.4s, v1.4s, v16.4s: t·log2e, rounded
	WORD $0x4e218842 // frintn v2.4s, v2.4s: k, to nearest even
	VFMLS V17.S4, V2.S4, V1.S4 // r = fma(−k, ln2hi, t)
	VFMLS V18.S4, V2.S4, V1.S4 // r = fma(−k, ln2lo, r)
	VMOV V20.B16, V3.B16
	VFMLA V19.S4, V1.S4, V3.S4 // p = fma(1/720, r, 1/120)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/24)
	VMOV V22.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1/6)
	VMOV V23.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/2)
	VMOV V24.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1)
	VMOV V24.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1)
	WORD $0x4ea1b842 // fcvtzs v2.4s, v2.4s: int32(k)
	VSHL $23, V2.S4, V2.S4 // k << 23
	VADD V24.S4, V2.S4, V2.S4 // + 1.0's bits, 127 << 23: 2^k
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s: e = p·2^k
	WORD $0x4e24d705 // fadd v5.4s, v24.4s, v4.4s: 1 + e
	WORD $0x6e25ff05 // fdiv v5.4s, v24.4s, v5.4s: q = 1/(1 + e)
	WORD $0x6e25dc86 // fmul v6.4s, v4.4s, v5.4s: e·q
	WORD $0x4ea0e807 // fcmlt v7.4s, v0.4s, #0.0: x < 0
	VBSL V5.B16, V6.B16, V7.B16 // x < 0 ? e·q : q
	VST1.P [V7.S4], 16(R0)
	SUBS $1, R2, R2
	BNE sigloop

sigdone:
	RET

// func adamNEON(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)
// One Adam step on n values (a multiple of 16), as adam1 computes it:
// m = fma(1−β1, g, β1·m), v = fma(1−β2, g², β2·v), w −= (m/(√v·isc2 + ε))·step,
// and grad = 0. Four values a step: V0 grad, V1 m, V2 v, V3 w, V4–V6 temporaries;
// V20 β1, V21 1−β1, V22 β2, V23 1−β2, V24 step, V25 1/√c2, V26 ε, V31 0.
// R0 w, R1 grad, R2 m, R3 v, R4 the steps left.
TEXT ·adamNEON(SB), NOSPLIT, $0-68
	MOVD w+0(FP), R0
	MOVD grad+8(FP), R1
	MOVD m+16(FP), R2
	MOVD v+24(FP), R3
	MOVD n+32(FP), R4
	FMOVS b1+40(FP), F20
	FMOVS nb1+44(FP), F21
	FMOVS b2+48(FP), F22
	FMOVS nb2+52(FP), F23
	FMOVS step+56(FP), F24
	FMOVS isc2+60(FP), F25
	FMOVS eps+64(FP), F26
	VDUP V20.S[0], V20.S4
	VDUP V21.S[0], V21.S4
	VDUP V22.S[0], V22.S4
	VDUP V23.S[0], V23.S4
	VDUP V24.S[0], V24.S4
	VDUP V25.S[0], V25.S4
	VDUP V26.S[0], V26.S4
	VEOR V31.B16, V31.B16, V31.B16
	LSR $2, R4
	CBZ R4, adamdone

adamloop:
	VLD1 (R1), [V0.S4]
	VLD1 (R2), [V1.S4]
	VLD1 (R3), [V2.S4]
	VLD1 (R0), [V3.S4]
	WORD $0x6e21de81 // fmul v1.4s, v20.4s, v1.4s: β1·m
	VFMLA V21.S4, V0.S4, V1.S4 // m = fma(1−β1, g, β1·m)
	WORD $0x6e20dc04 // fmul v4.4s, v0.4s, v0.4s: g²
	WORD $0x6e22dec2 // fmul v2.4s, v22.4s, v2.4s: β2·v
	VFMLA V23.S4, V4.S4, V2.S4 // v = fma(1−β2, g², β2·v)
	WORD $0x6ea1f845 // fsqrt v5.4s, v2.4s: √v
	WORD $0x6e39dca5 // fmul v5.4s, v5.4s, v25.4s: √v·(1/√c2)
	WORD $0x4e3ad4a5 // fadd v5.4s, v5.4s, v26.4s: d = … + ε
	WORD $0x6e25fc26 // fdiv v6.4s, v1.4s, v5.4s: m/d
	WORD $0x6e38dcc6 // fmul v6.4s, v6.4s, v24.4s: m/d·step
	WORD $0x4ea6d463 // fsub v3.4s, v3.4s, v6.4s: w − m/d·step
	VST1.P [V1.S4], 16(R2)
	VST1.P [V2.S4], 16(R3)
	VST1.P [V3.S4], 16(R0)
	VST1.P [V31.S4], 16(R1)
	SUBS $1, R4, R4
	BNE adamloop

adamdone:
	RET

// func reluNEON(y, x *float32, n int)
// y[i] = max(x[i], 0) for n values, n a multiple of 16: FMAX is Go's max
// (NaN for a NaN, +0 for −0), 16 values a step. V0–V3 x, V31 0.
// R0 y, R1 x, R2 the steps left.
TEXT ·reluNEON(SB), NOSPLIT, $0-24
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V31.B16, V31.B16, V31.B16
	LSR $4, R2
	CBZ R2, reludone

reluloop:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4e3ff400 // fmax v0.4s, v0.4s, v31.4s
	WORD $0x4e3ff421 // fmax v1.4s, v1.4s, v31.4s
	WORD $0x4e3ff442 // fmax v2.4s, v2.4s, v31.4s
	WORD $0x4e3ff463 // fmax v3.4s, v3.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUBS $1, R2, R2
	BNE reluloop

reludone:
	RET

// func reluBackNEON(da, y, grad *float32, n int)
// da[i] = y[i] > 0 ? grad[i] : +0 for n values, n a multiple of 16 (FCMGT
// with 0 is false for NaN), 16 values a step: V0–V3 y, then the masks,
// V4–V7 grad. R0 da, R1 y, R2 grad, R3 the steps left.
TEXT ·reluBackNEON(SB), NOSPLIT, $0-32
	MOVD da+0(FP), R0
	MOVD y+8(FP), R1
	MOVD grad+16(FP), R2
	MOVD n+24(FP), R3
	LSR $4, R3
	CBZ R3, backdone

backloop:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	WORD $0x4ea0c800 // fcmgt v0.4s, v0.4s, #0.0
	WORD $0x4ea0c821 // fcmgt v1.4s, v1.4s, #0.0
	WORD $0x4ea0c842 // fcmgt v2.4s, v2.4s, #0.0
	WORD $0x4ea0c863 // fcmgt v3.4s, v3.4s, #0.0
	VAND V4.B16, V0.B16, V0.B16
	VAND V5.B16, V1.B16, V1.B16
	VAND V6.B16, V2.B16, V2.B16
	VAND V7.B16, V3.B16, V3.B16
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUBS $1, R3, R3
	BNE backloop

backdone:
	RET

// func bceNEON(x, a *float32, n int, c *[16]float32) float64
// Σ softplus(a) − x·a over n values, n a multiple of 16, each term as bce1
// computes it in float32: e = e^−|a|, s = e/(2 + e), s² rounded, q by
// fused Horner steps from 1/13 to 1, l = (q·s) + (q·s), softplus = (a > 0 ?
// a : +0) + l, term = fma(−a, x, softplus). The terms are summed in float64
// in bceLanes's 16 lanes: lane 2i and 2i+1 in V(24+i), each widened term
// added in the order of the blocks, the lanes then added pairwise (i with
// i+8, i+4, i+2, i+1). 16 values a step, one vector of four at a time.
// V5–V20 the constants c (those of the exp, 2, 1/13, 1/11, …, 1/3, 0),
// V21 1, V22 the sign bit, V23 −87, V24–V31 the lanes; V0 a, V1–V4
// temporaries. R0 x, R1 a, R2 the steps left, R3 c.
TEXT ·bceNEON(SB), NOSPLIT, $0-40
	MOVD x+0(FP), R0
	MOVD a+8(FP), R1
	MOVD n+16(FP), R2
	MOVD c+24(FP), R3
	VLD4R.P 16(R3), [V5.S4, V6.S4, V7.S4, V8.S4]
	VLD4R.P 16(R3), [V9.S4, V10.S4, V11.S4, V12.S4]
	VLD4R.P 16(R3), [V13.S4, V14.S4, V15.S4, V16.S4]
	VLD4R (R3), [V17.S4, V18.S4, V19.S4, V20.S4]
	MOVW $0x3f800000, R4
	VDUP R4, V21.S4
	MOVW $0x80000000, R4
	VDUP R4, V22.S4
	MOVW $0xc2ae0000, R4
	VDUP R4, V23.S4
	VEOR V24.B16, V24.B16, V24.B16
	VEOR V25.B16, V25.B16, V25.B16
	VEOR V26.B16, V26.B16, V26.B16
	VEOR V27.B16, V27.B16, V27.B16
	VEOR V28.B16, V28.B16, V28.B16
	VEOR V29.B16, V29.B16, V29.B16
	VEOR V30.B16, V30.B16, V30.B16
	VEOR V31.B16, V31.B16, V31.B16
	LSR $4, R2
	CBZ R2, bcedone

bceloop:
	VLD1.P 16(R1), [V0.S4] // a, values 0–3 of the block
	VORR V22.B16, V0.B16, V1.B16 // t = −|x|
	WORD $0x4e37f421 // fmax v1.4s, v1.4s, v23.4s: t = max(t, −87), NaN stays NaN
	WORD $0x6e25dc22 // fmul v2.4s, v1.4s, v5.4s: t·log2e, rounded
	WORD $0x4e218842 // frintn v2.4s, v2.4s: k, to nearest even
	VFMLS V6.S4, V2.S4, V1.S4 // r = fma(−k, ln2hi, t)
	VFMLS V7.S4, V2.S4, V1.S4 // r = fma(−k, ln2lo, r)
	VMOV V9.B16, V3.B16
	VFMLA V8.S4, V1.S4, V3.S4 // p = fma(1/720, r, 1/120)
	VMOV V10.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/24)
	VMOV V11.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1/6)
	VMOV V12.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/2)
	VMOV V21.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1)
	WORD $0x4ea1b842 // fcvtzs v2.4s, v2.4s: int32(k)
	VSHL $23, V2.S4, V2.S4 // k << 23
	VADD V21.S4, V2.S4, V2.S4 // + 1.0's bits, 127 << 23: 2^k
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s: e = p·2^k
	WORD $0x4e24d5a1 // fadd v1.4s, v13.4s, v4.4s: 2 + e
	WORD $0x6e21fc81 // fdiv v1.4s, v4.4s, v1.4s: s = e/(2 + e)
	WORD $0x6e21dc22 // fmul v2.4s, v1.4s, v1.4s: s²
	VMOV V15.B16, V3.B16
	VFMLA V14.S4, V2.S4, V3.S4 // q = fma(1/13, s², 1/11)
	VMOV V16.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/9)
	VMOV V17.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/7)
	VMOV V18.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/5)
	VMOV V19.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/3)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s: q·s
	WORD $0x4e24d484 // fadd v4.4s, v4.4s, v4.4s: l = q + q
	WORD $0x4ea0c803 // fcmgt v3.4s, v0.4s, #0.0: a > 0
	VAND V0.B16, V3.B16, V3.B16 // a > 0 ? a : +0
	WORD $0x4e24d463 // fadd v3.4s, v3.4s, v4.4s: softplus = … + l
	VLD1.P 16(R0), [V1.S4] // x
	VFMLS V1.S4, V0.S4, V3.S4 // term = fma(−a, x, softplus)
	WORD $0x0e617861 // fcvtl v1.2d, v3.2s: lanes 0, 1 in float64
	WORD $0x4e617862 // fcvtl2 v2.2d, v3.4s: lanes 2, 3
	WORD $0x4e61d718 // fadd v24.2d, v24.2d, v1.2d
	WORD $0x4e62d739 // fadd v25.2d, v25.2d, v2.2d
	VLD1.P 16(R1), [V0.S4] // a, values 4–7 of the block
	VORR V22.B16, V0.B16, V1.B16 // t = −|x|
	WORD $0x4e37f421 // fmax v1.4s, v1.4s, v23.4s: t = max(t, −87), NaN stays NaN
	WORD $0x6e25dc22 // fmul v2.4s, v1.4s, v5.4s: t·log2e, rounded
	WORD $0x4e218842 // frintn v2.4s, v2.4s: k, to nearest even
	VFMLS V6.S4, V2.S4, V1.S4 // r = fma(−k, ln2hi, t)
	VFMLS V7.S4, V2.S4, V1.S4 // r = fma(−k, ln2lo, r)
	VMOV V9.B16, V3.B16
	VFMLA V8.S4, V1.S4, V3.S4 // p = fma(1/720, r, 1/120)
	VMOV V10.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/24)
	VMOV V11.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1/6)
	VMOV V12.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/2)
	VMOV V21.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1)
	WORD $0x4ea1b842 // fcvtzs v2.4s, v2.4s: int32(k)
	VSHL $23, V2.S4, V2.S4 // k << 23
	VADD V21.S4, V2.S4, V2.S4 // + 1.0's bits, 127 << 23: 2^k
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s: e = p·2^k
	WORD $0x4e24d5a1 // fadd v1.4s, v13.4s, v4.4s: 2 + e
	WORD $0x6e21fc81 // fdiv v1.4s, v4.4s, v1.4s: s = e/(2 + e)
	WORD $0x6e21dc22 // fmul v2.4s, v1.4s, v1.4s: s²
	VMOV V15.B16, V3.B16
	VFMLA V14.S4, V2.S4, V3.S4 // q = fma(1/13, s², 1/11)
	VMOV V16.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/9)
	VMOV V17.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/7)
	VMOV V18.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/5)
	VMOV V19.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/3)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s: q·s
	WORD $0x4e24d484 // fadd v4.4s, v4.4s, v4.4s: l = q + q
	WORD $0x4ea0c803 // fcmgt v3.4s, v0.4s, #0.0: a > 0
	VAND V0.B16, V3.B16, V3.B16 // a > 0 ? a : +0
	WORD $0x4e24d463 // fadd v3.4s, v3.4s, v4.4s: softplus = … + l
	VLD1.P 16(R0), [V1.S4] // x
	VFMLS V1.S4, V0.S4, V3.S4 // term = fma(−a, x, softplus)
	WORD $0x0e617861 // fcvtl v1.2d, v3.2s: lanes 4, 5 in float64
	WORD $0x4e617862 // fcvtl2 v2.2d, v3.4s: lanes 6, 7
	WORD $0x4e61d75a // fadd v26.2d, v26.2d, v1.2d
	WORD $0x4e62d77b // fadd v27.2d, v27.2d, v2.2d
	VLD1.P 16(R1), [V0.S4] // a, values 8–11 of the block
	VORR V22.B16, V0.B16, V1.B16 // t = −|x|
	WORD $0x4e37f421 // fmax v1.4s, v1.4s, v23.4s: t = max(t, −87), NaN stays NaN
	WORD $0x6e25dc22 // fmul v2.4s, v1.4s, v5.4s: t·log2e, rounded
	WORD $0x4e218842 // frintn v2.4s, v2.4s: k, to nearest even
	VFMLS V6.S4, V2.S4, V1.S4 // r = fma(−k, ln2hi, t)
	VFMLS V7.S4, V2.S4, V1.S4 // r = fma(−k, ln2lo, r)
	VMOV V9.B16, V3.B16
	VFMLA V8.S4, V1.S4, V3.S4 // p = fma(1/720, r, 1/120)
	VMOV V10.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/24)
	VMOV V11.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1/6)
	VMOV V12.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/2)
	VMOV V21.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1)
	WORD $0x4ea1b842 // fcvtzs v2.4s, v2.4s: int32(k)
	VSHL $23, V2.S4, V2.S4 // k << 23
	VADD V21.S4, V2.S4, V2.S4 // + 1.0's bits, 127 << 23: 2^k
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s: e = p·2^k
	WORD $0x4e24d5a1 // fadd v1.4s, v13.4s, v4.4s: 2 + e
	WORD $0x6e21fc81 // fdiv v1.4s, v4.4s, v1.4s: s = e/(2 + e)
	WORD $0x6e21dc22 // fmul v2.4s, v1.4s, v1.4s: s²
	VMOV V15.B16, V3.B16
	VFMLA V14.S4, V2.S4, V3.S4 // q = fma(1/13, s², 1/11)
	VMOV V16.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/9)
	VMOV V17.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/7)
	VMOV V18.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/5)
	VMOV V19.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/3)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s: q·s
	WORD $0x4e24d484 // fadd v4.4s, v4.4s, v4.4s: l = q + q
	WORD $0x4ea0c803 // fcmgt v3.4s, v0.4s, #0.0: a > 0
	VAND V0.B16, V3.B16, V3.B16 // a > 0 ? a : +0
	WORD $0x4e24d463 // fadd v3.4s, v3.4s, v4.4s: softplus = … + l
	VLD1.P 16(R0), [V1.S4] // x
	VFMLS V1.S4, V0.S4, V3.S4 // term = fma(−a, x, softplus)
	WORD $0x0e617861 // fcvtl v1.2d, v3.2s: lanes 8, 9 in float64
	WORD $0x4e617862 // fcvtl2 v2.2d, v3.4s: lanes 10, 11
	WORD $0x4e61d79c // fadd v28.2d, v28.2d, v1.2d
	WORD $0x4e62d7bd // fadd v29.2d, v29.2d, v2.2d
	VLD1.P 16(R1), [V0.S4] // a, values 12–15 of the block
	VORR V22.B16, V0.B16, V1.B16 // t = −|x|
	WORD $0x4e37f421 // fmax v1.4s, v1.4s, v23.4s: t = max(t, −87), NaN stays NaN
	WORD $0x6e25dc22 // fmul v2.4s, v1.4s, v5.4s: t·log2e, rounded
	WORD $0x4e218842 // frintn v2.4s, v2.4s: k, to nearest even
	VFMLS V6.S4, V2.S4, V1.S4 // r = fma(−k, ln2hi, t)
	VFMLS V7.S4, V2.S4, V1.S4 // r = fma(−k, ln2lo, r)
	VMOV V9.B16, V3.B16
	VFMLA V8.S4, V1.S4, V3.S4 // p = fma(1/720, r, 1/120)
	VMOV V10.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/24)
	VMOV V11.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1/6)
	VMOV V12.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1/2)
	VMOV V21.B16, V3.B16
	VFMLA V4.S4, V1.S4, V3.S4 // p = fma(p, r, 1)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V1.S4, V4.S4 // p = fma(p, r, 1)
	WORD $0x4ea1b842 // fcvtzs v2.4s, v2.4s: int32(k)
	VSHL $23, V2.S4, V2.S4 // k << 23
	VADD V21.S4, V2.S4, V2.S4 // + 1.0's bits, 127 << 23: 2^k
	WORD $0x6e22dc84 // fmul v4.4s, v4.4s, v2.4s: e = p·2^k
	WORD $0x4e24d5a1 // fadd v1.4s, v13.4s, v4.4s: 2 + e
	WORD $0x6e21fc81 // fdiv v1.4s, v4.4s, v1.4s: s = e/(2 + e)
	WORD $0x6e21dc22 // fmul v2.4s, v1.4s, v1.4s: s²
	VMOV V15.B16, V3.B16
	VFMLA V14.S4, V2.S4, V3.S4 // q = fma(1/13, s², 1/11)
	VMOV V16.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/9)
	VMOV V17.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/7)
	VMOV V18.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1/5)
	VMOV V19.B16, V3.B16
	VFMLA V4.S4, V2.S4, V3.S4 // q = fma(q, s², 1/3)
	VMOV V21.B16, V4.B16
	VFMLA V3.S4, V2.S4, V4.S4 // q = fma(q, s², 1)
	WORD $0x6e21dc84 // fmul v4.4s, v4.4s, v1.4s: q·s
	WORD $0x4e24d484 // fadd v4.4s, v4.4s, v4.4s: l = q + q
	WORD $0x4ea0c803 // fcmgt v3.4s, v0.4s, #0.0: a > 0
	VAND V0.B16, V3.B16, V3.B16 // a > 0 ? a : +0
	WORD $0x4e24d463 // fadd v3.4s, v3.4s, v4.4s: softplus = … + l
	VLD1.P 16(R0), [V1.S4] // x
	VFMLS V1.S4, V0.S4, V3.S4 // term = fma(−a, x, softplus)
	WORD $0x0e617861 // fcvtl v1.2d, v3.2s: lanes 12, 13 in float64
	WORD $0x4e617862 // fcvtl2 v2.2d, v3.4s: lanes 14, 15
	WORD $0x4e61d7de // fadd v30.2d, v30.2d, v1.2d
	WORD $0x4e62d7ff // fadd v31.2d, v31.2d, v2.2d
	SUBS $1, R2, R2
	BNE bceloop

bcedone:
	WORD $0x4e7cd718 // fadd v24.2d, v24.2d, v28.2d: lanes 0, 1 += 8, 9
	WORD $0x4e7dd739 // fadd v25.2d, v25.2d, v29.2d: lanes 2, 3 += 10, 11
	WORD $0x4e7ed75a // fadd v26.2d, v26.2d, v30.2d: lanes 4, 5 += 12, 13
	WORD $0x4e7fd77b // fadd v27.2d, v27.2d, v31.2d: lanes 6, 7 += 14, 15
	WORD $0x4e7ad718 // fadd v24.2d, v24.2d, v26.2d: lanes 0, 1 += 4, 5
	WORD $0x4e7bd739 // fadd v25.2d, v25.2d, v27.2d: lanes 2, 3 += 6, 7
	WORD $0x4e79d718 // fadd v24.2d, v24.2d, v25.2d: lanes 0, 1 += 2, 3
	WORD $0x7e70db18 // faddp d24, v24.2d: lane 0 + lane 1
	FMOVD F24, ret+32(FP)
	RET

// func pairMaxNEON(y, x *float32, n int, idx *[32]uint32, low float32)
// y[k] = the larger of x[2k] and x[2k+1], scanned from low as PairMax does,
// for n outputs, n a multiple of 16 (idx, the AVX-512 kernel's permutation,
// is not used: LD2 splits the even and odd values). "if v > m { m = v }" is
// FCMGT v, m (false for NaN) and BIT: a NaN is passed over and of two equal
// values the first kept. Four outputs a step: V0 x[2k], V1 x[2k+1], V2 m,
// V3 the mask, V31 low. R0 y, R1 x, R2 the steps left.
TEXT ·pairMaxNEON(SB), NOSPLIT, $0-36
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	FMOVS low+32(FP), F31
	VDUP V31.S[0], V31.S4
	LSR $2, R2
	CBZ R2, pairdone

pairloop:
	VLD2.P 32(R1), [V0.S4, V1.S4]
	VMOV V31.B16, V2.B16             // m = low
	WORD $0x6ea2e403 // fcmgt v3.4s, v0.4s, v2.4s: x[2k] > m
	VBIT V3.B16, V0.B16, V2.B16      // m = x[2k] where so
	WORD $0x6ea2e423 // fcmgt v3.4s, v1.4s, v2.4s: x[2k+1] > m
	VBIT V3.B16, V1.B16, V2.B16      // m = x[2k+1] where so
	VST1.P [V2.S4], 16(R0)
	SUBS $1, R2, R2
	BNE pairloop

pairdone:
	RET

// func addConstNEON(y, x *float32, n int, c float32)
// y[i] = x[i] + c for n values, n a multiple of 16, 16 a step: V0–V3 x,
// V31 c. R0 y, R1 x, R2 the steps left.
TEXT ·addConstNEON(SB), NOSPLIT, $0-28
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	FMOVS c+24(FP), F31
	VDUP V31.S[0], V31.S4
	LSR $4, R2
	CBZ R2, adddone

addloop:
	VLD1.P 64(R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	WORD $0x4e3fd400 // fadd v0.4s, v0.4s, v31.4s
	WORD $0x4e3fd421 // fadd v1.4s, v1.4s, v31.4s
	WORD $0x4e3fd442 // fadd v2.4s, v2.4s, v31.4s
	WORD $0x4e3fd463 // fadd v3.4s, v3.4s, v31.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUBS $1, R2, R2
	BNE addloop

adddone:
	RET

// func maxRowsNEON(y, x *float32, rows, n int)
// For each of rows pairs of rows of n values of x, y's row r = the larger of
// rows 2r and 2r+1, elementwise: the top value unless the bottom one is
// larger (FCMGT bottom, top: false for NaN; BIT). Four values a step, then a
// row's last n mod 4 one by one (FCMPS: GT is false when unordered; FCSELS).
// V0/F0 top, V1/F1 bottom, V2 the mask. R0 y, R1 row 2r of x, R2 the rows
// left, R3 n, R4 a row's bytes, R5 n/4, R6 n mod 4, R7 top, R8 bottom,
// R9 the count.
TEXT ·maxRowsNEON(SB), NOSPLIT, $0-32
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD rows+16(FP), R2
	MOVD n+24(FP), R3
	LSL $2, R3, R4
	LSR $2, R3, R5
	AND $3, R3, R6
	CBZ R2, rowsdone

rowsrow:
	MOVD R1, R7
	ADD R4, R1, R8
	MOVD R5, R9
	CBZ R9, rowstail

rowsloop:
	VLD1.P 16(R7), [V0.S4]
	VLD1.P 16(R8), [V1.S4]
	WORD $0x6ea0e422 // fcmgt v2.4s, v1.4s, v0.4s: bottom > top
	VBIT V2.B16, V1.B16, V0.B16
	VST1.P [V0.S4], 16(R0)
	SUBS $1, R9, R9
	BNE rowsloop

rowstail:
	MOVD R6, R9
	CBZ R9, rowsnext

rowstailloop:
	FMOVS.P 4(R7), F0
	FMOVS.P 4(R8), F1
	FCMPS F0, F1                     // bottom ? top
	FCSELS GT, F1, F0, F0
	FMOVS.P F0, 4(R0)
	SUBS $1, R9, R9
	BNE rowstailloop

rowsnext:
	ADD R4<<1, R1, R1
	SUBS $1, R2, R2
	BNE rowsrow

rowsdone:
	RET

// func bytesOverNEON(y *float32, x *uint8, n int, c float32)
// y[i] = float32(x[i]) / c for n values, n a multiple of 16: the bytes
// widened to uint32 (UXTL twice), converted exactly (UCVTF), divided (FDIV,
// IEEE division as Go's /). 16 values a step: V0 the bytes, V1–V2 halves,
// V3–V6 the values, V31 c. R0 y, R1 x, R2 the steps left.
TEXT ·bytesOverNEON(SB), NOSPLIT, $0-28
	MOVD y+0(FP), R0
	MOVD x+8(FP), R1
	MOVD n+16(FP), R2
	FMOVS c+24(FP), F31
	VDUP V31.S[0], V31.S4
	LSR $4, R2
	CBZ R2, bytesdone

bytesloop:
	VLD1.P 16(R1), [V0.B16]
	VUXTL V0.B8, V1.H8
	VUXTL2 V0.B16, V2.H8
	VUXTL V1.H4, V3.S4
	VUXTL2 V1.H8, V4.S4
	VUXTL V2.H4, V5.S4
	VUXTL2 V2.H8, V6.S4
	WORD $0x6e21d863 // ucvtf v3.4s, v3.4s
	WORD $0x6e21d884 // ucvtf v4.4s, v4.4s
	WORD $0x6e21d8a5 // ucvtf v5.4s, v5.4s
	WORD $0x6e21d8c6 // ucvtf v6.4s, v6.4s
	WORD $0x6e3ffc63 // fdiv v3.4s, v3.4s, v31.4s
	WORD $0x6e3ffc84 // fdiv v4.4s, v4.4s, v31.4s
	WORD $0x6e3ffca5 // fdiv v5.4s, v5.4s, v31.4s
	WORD $0x6e3ffcc6 // fdiv v6.4s, v6.4s, v31.4s
	VST1.P [V3.S4, V4.S4, V5.S4, V6.S4], 64(R0)
	SUBS $1, R2, R2
	BNE bytesloop

bytesdone:
	RET
