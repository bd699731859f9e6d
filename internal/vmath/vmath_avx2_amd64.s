//go:build amd64 && !purego

#include "textflag.h"

// The AVX2+FMA kernels: vmath_amd64.s's AVX-512 kernels instruction for
// instruction on two YMM registers of 8 values (16 values a step), with the
// same operations in the same order, fused where those fuse and with the same
// operand order (which decides VMAXPS's result for NaN and ±0, and which NaN
// an operation passes on). Where AVX2 lacks an AVX-512 instruction:
// VRNDSCALEPS $0 is VROUNDPS $0 (to nearest even); VSCALEFPS p, k (k an
// integer in [−126, 0]) is p·2^k with 2^k built from k's bits; a mask
// register is a vector mask from VCMPPS, used by VBLENDVPS or VANDPS;
// VPERMT2PS's de-interleave is VSHUFPS and VPERMPD. AVX2 has 16 vector
// registers, so constants that do not fit are broadcast once into the
// frame, 32-byte aligned, and read from there as memory operands.

// FRAME_BASE(r) sets r to the frame's first 32-byte aligned address (the
// frame is declared 32 bytes longer than the constants need).
#define FRAME_BASE(r) \
	LEAQ 31(SP), r; \
	ANDQ $-32, r

// The frame slots of the constants of e^x, from BX.
#define S_LOG2E 0(BX)
#define S_LN2HI 32(BX)
#define S_LN2LO 64(BX)
#define S_C720 96(BX)
#define S_C120 128(BX)
#define S_C24 160(BX)
#define S_C6 192(BX)
#define S_C2 224(BX)
#define S_127 256(BX)

// EXP_CONSTS(c) broadcasts the constants of e^x from c (log2e, ln2hi, ln2lo,
// then the Taylor coefficients 1/720 … 1/2) and the int32 127 into the frame
// slots above, and sets Y12 = the sign bit, Y13 = −87, Y14 = 1 and Y15 = 0.
#define EXP_CONSTS(c) \
	VBROADCASTSS 0(c), Y0; \
	VMOVAPS Y0, S_LOG2E; \
	VBROADCASTSS 4(c), Y0; \
	VMOVAPS Y0, S_LN2HI; \
	VBROADCASTSS 8(c), Y0; \
	VMOVAPS Y0, S_LN2LO; \
	VBROADCASTSS 12(c), Y0; \
	VMOVAPS Y0, S_C720; \
	VBROADCASTSS 16(c), Y0; \
	VMOVAPS Y0, S_C120; \
	VBROADCASTSS 20(c), Y0; \
	VMOVAPS Y0, S_C24; \
	VBROADCASTSS 24(c), Y0; \
	VMOVAPS Y0, S_C6; \
	VBROADCASTSS 28(c), Y0; \
	VMOVAPS Y0, S_C2; \
	MOVL $127, AX; \
	MOVL AX, X0; \
	VPBROADCASTD X0, Y0; \
	VMOVDQA Y0, S_127; \
	MOVL $0x80000000, AX; \
	MOVL AX, X0; \
	VPBROADCASTD X0, Y12; \
	MOVL $0xc2ae0000, AX; \
	MOVL AX, X0; \
	VPBROADCASTD X0, Y13; \
	MOVL $0x3f800000, AX; \
	MOVL AX, X0; \
	VPBROADCASTD X0, Y14; \
	VXORPS Y15, Y15, Y15

// EXP_NEG_ABS(x, t, k, r, p) sets p = e^t for t = max(−|x|, −87), as
// expNegAbs and vmath_amd64.s's EXP_NEG_ABS compute it: k = round(t·log2e),
// r = t − k·ln2hi − k·ln2lo, p = p(r)·2^k with p the Taylor polynomial to r⁶
// in fused Horner steps. VMAXPS returns its second operand, t, when either
// is NaN, so NaN stays NaN: k and r are NaN, so is p(r), and p(r)·2^k is
// NaN whatever the bits of 2^k (VCVTPS2DQ makes 0x80000000 of NaN, 2^k
// becomes 1). 2^k for k in [−126, 0] is (k + 127) << 23, exact, and the one
// product rounds as VSCALEFPS does. Clobbers t and k.
#define EXP_NEG_ABS(x, t, k, r, p) \
	VORPS Y12, x, t; \
	VMAXPS t, Y13, t; \
	VMULPS S_LOG2E, t, k; \
	VROUNDPS $0, k, k; \
	VMOVAPS t, r; \
	VFNMADD231PS S_LN2HI, k, r; \
	VFNMADD231PS S_LN2LO, k, r; \
	VMOVAPS S_C720, p; \
	VFMADD213PS S_C120, r, p; \
	VFMADD213PS S_C24, r, p; \
	VFMADD213PS S_C6, r, p; \
	VFMADD213PS S_C2, r, p; \
	VFMADD213PS Y14, r, p; \
	VFMADD213PS Y14, r, p; \
	VCVTPS2DQ k, k; \
	VPADDD S_127, k, k; \
	VPSLLD $23, k, k; \
	VMULPS k, p, p

// SIGMOID(x, t, k, r, p, s) sets p = σ(x) as Sigmoid32 computes it:
// q = 1/(1 + e), e·q where x < 0. Clobbers all but x.
#define SIGMOID(x, t, k, r, p, s) \
	EXP_NEG_ABS(x, t, k, r, p); \
	VADDPS Y14, p, s; \
	VDIVPS s, Y14, t; \
	VMULPS p, t, s; \
	VCMPPS $1, Y15, x, k; \
	VBLENDVPS k, s, t, p

// func sigmoidAVX2(y, x *float32, n int, c *[8]float32)
// y[i] = σ(x[i]) for n values, n a multiple of 16, as Sigmoid32 computes it:
// e = 2^k·p(r) with −|x| = k·ln2 + r, then 1/(1+e) or e/(1+e) by the sign.
// c holds log2e, ln2hi, ln2lo and the Taylor coefficients 1/720 … 1/2.
TEXT ·sigmoidAVX2(SB), 0, $320-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	FRAME_BASE(BX)
	EXP_CONSTS(DX)
	SHRQ $4, CX
	JZ done

loop:
	VMOVUPS (SI), Y0                     // x[0:8]
	VMOVUPS 32(SI), Y6                   // x[8:16]
	SIGMOID(Y0, Y1, Y2, Y3, Y4, Y5)
	SIGMOID(Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVUPS Y4, (DI)
	VMOVUPS Y10, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	RET

// ADAM(g, m, v, t, off) is one Adam step on the 8 values at off: g, m, v
// and t are working registers, the constants are in Y8–Y15.
#define ADAM(g, m, v, t, off) \
	VMOVUPS off(SI), g; \
	VMOVUPS off(R8), m; \
	VMOVUPS off(R9), v; \
	VMULPS Y8, m, m; \
	VFMADD231PS Y9, g, m; \
	VMULPS g, g, t; \
	VMULPS Y10, v, v; \
	VFMADD231PS Y11, t, v; \
	VMOVUPS off(DI), g; \
	VSQRTPS v, t; \
	VMULPS Y13, t, t; \
	VADDPS Y14, t, t; \
	VDIVPS t, m, t; \
	VMULPS Y12, t, t; \
	VSUBPS t, g, g; \
	VMOVUPS m, off(R8); \
	VMOVUPS v, off(R9); \
	VMOVUPS g, off(DI); \
	VMOVUPS Y15, off(SI)

// func adamAVX2(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)
// One Adam step on n values (a multiple of 16) with β1, 1−β1, β2, 1−β2,
// step, 1/√c2 and ε passed by value, as adam1 computes it: m = fma(1−β1, g,
// β1·m), v = fma(1−β2, g², β2·v), w −= (m / (√v·(1/√c2) + ε))·step. grad
// is zeroed.
TEXT ·adamAVX2(SB), NOSPLIT, $0-68
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSS b1+40(FP), Y8    // β1
	VBROADCASTSS nb1+44(FP), Y9   // 1 − β1
	VBROADCASTSS b2+48(FP), Y10   // β2
	VBROADCASTSS nb2+52(FP), Y11  // 1 − β2
	VBROADCASTSS step+56(FP), Y12 // step
	VBROADCASTSS isc2+60(FP), Y13 // 1/√c2
	VBROADCASTSS eps+64(FP), Y14  // ε
	VXORPS Y15, Y15, Y15
	SHRQ $4, CX
	JZ adamdone

adamloop:
	ADAM(Y0, Y1, Y2, Y3, 0)
	ADAM(Y4, Y5, Y6, Y7, 32)
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, DI
	DECQ CX
	JNZ adamloop

adamdone:
	VZEROUPPER
	RET

// func reluAVX2(y, x *float32, n int)
// y[i] = max(x[i], 0) + 0 for n values, n a multiple of 16. VMAXPS returns
// its second source x when x is NaN or both are zero; adding +0 turns −0
// into +0, as Go's max does, and changes nothing else.
TEXT ·reluAVX2(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VXORPS Y15, Y15, Y15
	SHRQ $4, CX
	JZ reludone

reluloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y2
	VMAXPS Y0, Y15, Y1 // Intel order: max(src1 = 0, src2 = x)
	VMAXPS Y2, Y15, Y3
	VADDPS Y15, Y1, Y1
	VADDPS Y15, Y3, Y3
	VMOVUPS Y1, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ reluloop

reludone:
	VZEROUPPER
	RET

// func reluBackAVX2(da, y, grad *float32, n int)
// da[i] = y[i] > 0 ? grad[i] : +0 for n values, n a multiple of 16: grad
// ANDed with the mask of y > 0.
TEXT ·reluBackAVX2(SB), NOSPLIT, $0-32
	MOVQ da+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ grad+16(FP), DX
	MOVQ n+24(FP), CX
	VXORPS Y15, Y15, Y15
	SHRQ $4, CX
	JZ backdone

backloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y2
	VCMPPS $0x1e, Y15, Y0, Y1 // y > 0 (ordered: false for NaN)
	VCMPPS $0x1e, Y15, Y2, Y3
	VANDPS (DX), Y1, Y1       // g where y > 0, +0 elsewhere
	VANDPS 32(DX), Y3, Y3
	VMOVUPS Y1, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ backloop

backdone:
	VZEROUPPER
	RET

// The frame slots of bce's further constants, after those of e^x.
#define S_TWO 288(BX)
#define S_C13 320(BX)
#define S_C11 352(BX)
#define S_C9 384(BX)
#define S_C7 416(BX)
#define S_C5 448(BX)
#define S_C3 480(BX)

// BCE_HALF(off, lo, hi) adds the terms of the 8 values at off to the float64
// sums lo (their first 4 lanes) and hi (their last 4). Uses Y0–Y7.
#define BCE_HALF(off, lo, hi) \
	VMOVUPS off(DI), Y0; \
	EXP_NEG_ABS(Y0, Y1, Y2, Y3, Y4); \
	VADDPS S_TWO, Y4, Y5; \
	VDIVPS Y5, Y4, Y5; \
	VMULPS Y5, Y5, Y6; \
	VMOVAPS S_C13, Y7; \
	VFMADD213PS S_C11, Y6, Y7; \
	VFMADD213PS S_C9, Y6, Y7; \
	VFMADD213PS S_C7, Y6, Y7; \
	VFMADD213PS S_C5, Y6, Y7; \
	VFMADD213PS S_C3, Y6, Y7; \
	VFMADD213PS Y14, Y6, Y7; \
	VMULPS Y5, Y7, Y7; \
	VADDPS Y7, Y7, Y7; \
	VMAXPS Y15, Y0, Y1; \
	VADDPS Y7, Y1, Y1; \
	VMOVUPS off(SI), Y2; \
	VFNMADD231PS Y2, Y0, Y1; \
	VCVTPS2PD X1, Y2; \
	VADDPD Y2, lo, lo; \
	VEXTRACTF128 $1, Y1, X3; \
	VCVTPS2PD X3, Y3; \
	VADDPD Y3, hi, hi

// func bceAVX2(x, a *float32, n int, c *[16]float32) float64
// Σ max(a, 0) + log1p(e^−|a|) − x·a over n values, n a multiple of 16, as
// bce1 and bceLanes compute it: e = e^−|a| as sigmoidAVX2 computes it,
// log1p(e) = 2s(1 + s²/3 + … + s¹²/13) with s = e/(2 + e) ≤ 1/3, each term
// in float32, summed in 16 float64 lanes (lane j takes element j of each
// block of 16; Y8–Y11 hold lanes 0–3, 4–7, 8–11, 12–15), then lane j += lane
// j+8, j += j+4, j += j+2, 0 += 1.
TEXT ·bceAVX2(SB), 0, $544-40
	MOVQ x+0(FP), SI
	MOVQ a+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	FRAME_BASE(BX)
	EXP_CONSTS(DX)
	VBROADCASTSS 32(DX), Y0 // 2
	VMOVAPS Y0, S_TWO
	VBROADCASTSS 36(DX), Y0 // 1/13
	VMOVAPS Y0, S_C13
	VBROADCASTSS 40(DX), Y0 // 1/11
	VMOVAPS Y0, S_C11
	VBROADCASTSS 44(DX), Y0 // 1/9
	VMOVAPS Y0, S_C9
	VBROADCASTSS 48(DX), Y0 // 1/7
	VMOVAPS Y0, S_C7
	VBROADCASTSS 52(DX), Y0 // 1/5
	VMOVAPS Y0, S_C5
	VBROADCASTSS 56(DX), Y0 // 1/3
	VMOVAPS Y0, S_C3
	VXORPD Y8, Y8, Y8       // lanes 0–3
	VXORPD Y9, Y9, Y9       // lanes 4–7
	VXORPD Y10, Y10, Y10    // lanes 8–11
	VXORPD Y11, Y11, Y11    // lanes 12–15
	SHRQ $4, CX
	JZ bcedone

bceloop:
	BCE_HALF(0, Y8, Y9)
	BCE_HALF(32, Y10, Y11)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ bceloop

bcedone:
	VADDPD Y10, Y8, Y8 // lanes 0–3 += 8–11
	VADDPD Y11, Y9, Y9 // lanes 4–7 += 12–15
	VADDPD Y9, Y8, Y8  // lanes 0–3 += 4–7
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8  // lanes 0, 1 += 2, 3
	VPERMILPD $1, X8, X9
	VADDSD X9, X8, X8  // lane 0 += 1
	MOVSD X8, ret+32(FP)
	VZEROUPPER
	RET

// PAIR_MAX(off, lo, hi, m) sets m to the pair maxima of the 16 values at
// off, scanned from Y15 = low: lo and hi take x[0:8] and x[8:16], VSHUFPS
// $0x88 / $0xDD pick the even / odd ones of each 128-bit lane, VPERMPD $0xD8
// puts their 64-bit pairs in order (lo = the even values, hi = the odd).
#define PAIR_MAX(off, lo, hi, m) \
	VMOVUPS off(SI), lo; \
	VMOVUPS off+32(SI), hi; \
	VSHUFPS $0x88, hi, lo, m; \
	VSHUFPS $0xDD, hi, lo, hi; \
	VPERMPD $0xD8, m, lo; \
	VPERMPD $0xD8, hi, hi; \
	VMAXPS Y15, lo, m; \
	VMAXPS m, hi, m

// func pairMaxAVX2(y, x *float32, n int, idx *[32]uint32, low float32)
// y[k] = the larger of x[2k] and x[2k+1], scanned from low as PairMax does,
// for n outputs, n a multiple of 16 (idx, the AVX-512 kernel's permutation,
// is not used). Go's VMAXPS A, B, D sets D = B > A ? B : A (B NaN, or both
// equal: A), so "VMAXPS m, v, m" is "if v > m { m = v }".
TEXT ·pairMaxAVX2(SB), NOSPLIT, $0-36
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS low+32(FP), Y15
	SHRQ $4, CX
	JZ pairdone

pairloop:
	PAIR_MAX(0, Y0, Y1, Y2)  // y[0:8]
	PAIR_MAX(64, Y3, Y4, Y5) // y[8:16]
	VMOVUPS Y2, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ $128, SI
	ADDQ $64, DI
	DECQ CX
	JNZ pairloop

pairdone:
	VZEROUPPER
	RET

// func addConstAVX2(y, x *float32, n int, c float32)
// y[i] = x[i] + c for n values, n a multiple of 16.
TEXT ·addConstAVX2(SB), NOSPLIT, $0-28
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Y15
	SHRQ $4, CX
	JZ adddone

addloop:
	VADDPS (SI), Y15, Y0
	VADDPS 32(SI), Y15, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ addloop

adddone:
	VZEROUPPER
	RET

// maskWindow is eight int32 −1s then eight 0s: the 8 int32s from byte
// 32 − 4t are the mask of a vector's first t lanes.
DATA maskWindow<>+0(SB)/8, $-1
DATA maskWindow<>+8(SB)/8, $-1
DATA maskWindow<>+16(SB)/8, $-1
DATA maskWindow<>+24(SB)/8, $-1
DATA maskWindow<>+32(SB)/8, $0
DATA maskWindow<>+40(SB)/8, $0
DATA maskWindow<>+48(SB)/8, $0
DATA maskWindow<>+56(SB)/8, $0
GLOBL maskWindow<>(SB), RODATA|NOPTR, $64

// func maxRowsAVX2(y, x *float32, rows, n int)
// For each of rows pairs of rows of n values of x, y's row r = the larger of
// rows 2r and 2r+1, elementwise, the first kept unless the second is larger
// ("VMAXPS top, bottom, y": y = bottom > top ? bottom : top). A row is taken
// 16 values at a time, then 8 if n mod 16 ≥ 8, then its last n mod 8 values
// are loaded and stored by VMASKMOVPS under the mask Y15, which touches
// nothing past the row.
TEXT ·maxRowsAVX2(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ n+24(FP), R9
	MOVQ R9, CX
	ANDQ $7, CX
	NEGQ CX
	LEAQ maskWindow<>(SB), AX
	VMOVDQU 32(AX)(CX*4), Y15        // the last n mod 8 values' mask
	MOVQ R9, R10
	SHLQ $2, R10                     // a row's bytes
	TESTQ R8, R8
	JZ rowsdone

rowsrow:
	MOVQ SI, R11                     // the top row
	LEAQ (SI)(R10*1), R12            // the bottom row
	MOVQ DI, R13
	MOVQ R9, CX
	SHRQ $4, CX
	JZ rows8

rowsloop:
	VMOVUPS (R11), Y0
	VMOVUPS 32(R11), Y3
	VMOVUPS (R12), Y1
	VMOVUPS 32(R12), Y4
	VMAXPS Y0, Y1, Y2
	VMAXPS Y3, Y4, Y5
	VMOVUPS Y2, (R13)
	VMOVUPS Y5, 32(R13)
	ADDQ $64, R11
	ADDQ $64, R12
	ADDQ $64, R13
	DECQ CX
	JNZ rowsloop

rows8:
	TESTQ $8, R9
	JZ rowstail
	VMOVUPS (R11), Y0
	VMOVUPS (R12), Y1
	VMAXPS Y0, Y1, Y2
	VMOVUPS Y2, (R13)
	ADDQ $32, R11
	ADDQ $32, R12
	ADDQ $32, R13

rowstail:
	TESTQ $7, R9
	JZ rowsnext
	VMASKMOVPS (R11), Y15, Y0
	VMASKMOVPS (R12), Y15, Y1
	VMAXPS Y0, Y1, Y2
	VMASKMOVPS Y2, Y15, (R13)

rowsnext:
	LEAQ (SI)(R10*2), SI
	ADDQ R10, DI
	DECQ R8
	JNZ rowsrow

rowsdone:
	VZEROUPPER
	RET

// func unitBytesAVX2(y *float32, x *uint8, n int, c float32)
// y[i] = float32(x[i]) / c for n values, n a multiple of 16: the bytes
// widened to int32, converted exactly, divided (IEEE division, as Go's /).
TEXT ·unitBytesAVX2(SB), NOSPLIT, $0-28
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Y15
	SHRQ $4, CX
	JZ unitdone

unitloop:
	VPMOVZXBD (SI), Y0
	VPMOVZXBD 8(SI), Y1
	VCVTDQ2PS Y0, Y0
	VCVTDQ2PS Y1, Y1
	VDIVPS Y15, Y0, Y0               // Go order: Y0 = Y0 / Y15
	VDIVPS Y15, Y1, Y1
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	ADDQ $16, SI
	ADDQ $64, DI
	DECQ CX
	JNZ unitloop

unitdone:
	VZEROUPPER
	RET
