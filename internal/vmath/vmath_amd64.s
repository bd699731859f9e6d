//go:build amd64 && !purego

#include "textflag.h"

// EXP_CONSTS(c) loads the constants of e^x from c (log2e, ln2hi, ln2lo, then
// the Taylor coefficients 1/720 … 1/2) into Z20–Z27.
#define EXP_CONSTS(c) \
	VBROADCASTSS 0(c), Z20; \
	VBROADCASTSS 4(c), Z21; \
	VBROADCASTSS 8(c), Z22; \
	VBROADCASTSS 12(c), Z23; \
	VBROADCASTSS 16(c), Z24; \
	VBROADCASTSS 20(c), Z25; \
	VBROADCASTSS 24(c), Z26; \
	VBROADCASTSS 28(c), Z27

// EXP_LIMITS sets Z28 = 1, Z29 = the sign bit, Z30 = −87 and Z31 = 0.
#define EXP_LIMITS \
	MOVL $0x3f800000, AX; \
	VPBROADCASTD AX, Z28; \
	MOVL $0x80000000, AX; \
	VPBROADCASTD AX, Z29; \
	MOVL $0xc2ae0000, AX; \
	VPBROADCASTD AX, Z30; \
	VPXORD Z31, Z31, Z31

// EXP_NEG_ABS sets Z4 = e^t for t = max(−|Z0|, −87) (NaN stays NaN: VMAXPS
// returns its second operand, t, when either is NaN), as expNegAbs computes it: k = round(t·log2e), r = t − k·ln2hi −
// k·ln2lo, e = p(r)·2^k with p the Taylor polynomial to r⁶ (Cody–Waite, the
// constants of Cephes' expf). Uses Z1–Z3 (Z2 = k) and the constants above.
#define EXP_NEG_ABS \
	VPORD Z29, Z0, Z1; \
	VMAXPS Z1, Z30, Z1; \
	VMULPS Z20, Z1, Z2; \
	VRNDSCALEPS $0, Z2, Z2; \
	VMOVAPS Z1, Z3; \
	VFNMADD231PS Z21, Z2, Z3; \
	VFNMADD231PS Z22, Z2, Z3; \
	VMOVAPS Z23, Z4; \
	VFMADD213PS Z24, Z3, Z4; \
	VFMADD213PS Z25, Z3, Z4; \
	VFMADD213PS Z26, Z3, Z4; \
	VFMADD213PS Z27, Z3, Z4; \
	VFMADD213PS Z28, Z3, Z4; \
	VFMADD213PS Z28, Z3, Z4; \
	VSCALEFPS Z2, Z4, Z4

// func sigmoidAVX512(y, x *float32, n int, c *[8]float32)
// y[i] = σ(x[i]) for n values, n a multiple of 16, as Sigmoid32 computes it:
// e = 2^k·p(r) with −|x| = k·ln2 + r, then 1/(1+e) or e/(1+e) by the sign.
// c holds log2e, ln2hi, ln2lo and the Taylor coefficients 1/720 … 1/2.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	EXP_CONSTS(DX)
	EXP_LIMITS
	SHRQ $4, CX
	JZ done

loop:
	VMOVUPS (SI), Z0                 // x
	EXP_NEG_ABS                      // Z4 = e^−|x|
	VADDPS Z28, Z4, Z5               // 1 + e
	VDIVPS Z5, Z28, Z6               // q = 1/(1 + e)
	VMULPS Z4, Z6, Z7                // e·q = e/(1 + e)
	VCMPPS $1, Z31, Z0, K1           // x < 0
	VMOVAPS Z7, K1, Z6               // σ = x < 0 ? e·q : q
	VMOVUPS Z6, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ loop

done:
	VZEROUPPER
	RET

// func adamAVX512(w, grad, m, v *float32, n int, b1, nb1, b2, nb2, step, isc2, eps float32)
// One Adam step on n values (a multiple of 16) with β1, 1−β1, β2, 1−β2,
// step, 1/√c2 and ε passed by value (a pointer to them would make the
// caller allocate). grad is zeroed.
TEXT ·adamAVX512(SB), NOSPLIT, $0-68
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSS b1+40(FP), Z20   // β1
	VBROADCASTSS nb1+44(FP), Z21  // 1 − β1
	VBROADCASTSS b2+48(FP), Z22   // β2
	VBROADCASTSS nb2+52(FP), Z23  // 1 − β2
	VBROADCASTSS step+56(FP), Z24 // step
	VBROADCASTSS isc2+60(FP), Z25 // 1/√c2
	VBROADCASTSS eps+64(FP), Z26  // ε
	VPXORD Z31, Z31, Z31
	SHRQ $4, CX
	JZ adamdone

adamloop:
	VMOVUPS (SI), Z0         // g
	VMOVUPS (R8), Z1         // m
	VMOVUPS (R9), Z2         // v
	VMOVUPS (DI), Z3         // w
	VMULPS Z20, Z1, Z1       // m = β1·m
	VFMADD231PS Z21, Z0, Z1  // m += (1−β1)·g
	VMULPS Z0, Z0, Z4        // g²
	VMULPS Z22, Z2, Z2       // v = β2·v
	VFMADD231PS Z23, Z4, Z2  // v += (1−β2)·g²
	VSQRTPS Z2, Z5           // √v
	VMULPS Z25, Z5, Z5       // √v/√c2
	VADDPS Z26, Z5, Z5       // + ε
	VDIVPS Z5, Z1, Z6        // m / (√v/√c2 + ε)
	VMULPS Z24, Z6, Z6       // step · …
	VSUBPS Z6, Z3, Z3        // w −= …
	VMOVUPS Z1, (R8)
	VMOVUPS Z2, (R9)
	VMOVUPS Z3, (DI)
	VMOVUPS Z31, (SI)
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, DI
	DECQ CX
	JNZ adamloop

adamdone:
	VZEROUPPER
	RET

// func reluAVX512(y, x *float32, n int)
// y[i] = max(x[i], 0) + 0 for n values, n a multiple of 16. VMAXPS returns
// its second source x when x is NaN or both are zero; adding +0 turns −0
// into +0, as Go's max does, and changes nothing else.
TEXT ·reluAVX512(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VPXORD Z31, Z31, Z31
	SHRQ $4, CX
	JZ reludone

reluloop:
	VMOVUPS (SI), Z0
	VMAXPS Z0, Z31, Z1 // Intel order: max(src1 = 0, src2 = x)
	VADDPS Z31, Z1, Z1
	VMOVUPS Z1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ reluloop

reludone:
	VZEROUPPER
	RET

// func reluBackAVX512(da, y, grad *float32, n int)
// da[i] = y[i] > 0 ? grad[i] : +0 for n values, n a multiple of 16.
TEXT ·reluBackAVX512(SB), NOSPLIT, $0-32
	MOVQ da+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ grad+16(FP), DX
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31
	SHRQ $4, CX
	JZ backdone

backloop:
	VMOVUPS (SI), Z0
	VCMPPS $0x1e, Z31, Z0, K1 // K1 = y > 0 (ordered: false for NaN)
	VMOVUPS.Z (DX), K1, Z1    // g where K1, +0 elsewhere
	VMOVUPS Z1, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNZ backloop

backdone:
	VZEROUPPER
	RET

// func bceAVX512(x, a *float32, n int, c *[16]float32) float64
// Σ max(a, 0) + log1p(e^−|a|) − x·a over n values, n a multiple of 16: e =
// e^−|a| as sigmoidAVX512 computes it, log1p(e) = 2s(1 + s²/3 + … + s¹²/13)
// with s = e/(2 + e) ≤ 1/3, each lane in float32, the sums in float64.
TEXT ·bceAVX512(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ a+8(FP), DI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	EXP_CONSTS(DX)
	VBROADCASTSS 32(DX), Z10 // 2
	VBROADCASTSS 36(DX), Z11 // 1/13
	VBROADCASTSS 40(DX), Z12 // 1/11
	VBROADCASTSS 44(DX), Z13 // 1/9
	VBROADCASTSS 48(DX), Z14 // 1/7
	VBROADCASTSS 52(DX), Z15 // 1/5
	VBROADCASTSS 56(DX), Z16 // 1/3
	EXP_LIMITS
	VPXORQ Z8, Z8, Z8        // float64 sums of the low 8 lanes
	VPXORQ Z9, Z9, Z9        // and of the high 8
	SHRQ $4, CX
	JZ bcedone

bceloop:
	VMOVUPS (DI), Z0                 // a
	EXP_NEG_ABS                      // Z4 = e^−|a|
	VADDPS Z10, Z4, Z5               // 2 + e
	VDIVPS Z5, Z4, Z5                // s = e/(2 + e)
	VMULPS Z5, Z5, Z6                // s²
	VMOVAPS Z11, Z7                  // q = 1/13
	VFMADD213PS Z12, Z6, Z7          // q = q·s² + 1/11
	VFMADD213PS Z13, Z6, Z7          // q = q·s² + 1/9
	VFMADD213PS Z14, Z6, Z7          // q = q·s² + 1/7
	VFMADD213PS Z15, Z6, Z7          // q = q·s² + 1/5
	VFMADD213PS Z16, Z6, Z7          // q = q·s² + 1/3
	VFMADD213PS Z28, Z6, Z7          // q = q·s² + 1
	VMULPS Z5, Z7, Z7                // s·q
	VADDPS Z7, Z7, Z7                // log1p(e) = 2·s·q
	VMAXPS Z31, Z0, Z1               // max(a, 0)
	VADDPS Z7, Z1, Z1                // softplus(a)
	VMOVUPS (SI), Z2                 // x
	VFNMADD231PS Z2, Z0, Z1          // softplus(a) − x·a
	VCVTPS2PD Y1, Z2
	VADDPD Z2, Z8, Z8
	VEXTRACTF64X4 $1, Z1, Y3
	VCVTPS2PD Y3, Z3
	VADDPD Z3, Z9, Z9
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ bceloop

bcedone:
	VADDPD Z9, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y9
	VADDPD Y9, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPD X9, X8, X8
	VPERMILPD $1, X8, X9
	VADDSD X9, X8, X8
	MOVSD X8, ret+32(FP)
	VZEROUPPER
	RET

// func pairMaxAVX512(y, x *float32, n int, idx *[32]uint32, low float32)
// y[k] = the larger of x[2k] and x[2k+1], scanned from low as PairMax does,
// for n outputs, n a multiple of 16. idx holds the even indices 0, 2, …, 30
// then the odd ones, which split 32 values of x into two vectors. Go's
// VMAXPS A, B, D sets D = B > A ? B : A (B NaN, or both equal: A), so
// "VMAXPS m, v, m" is "if v > m { m = v }".
TEXT ·pairMaxAVX512(SB), NOSPLIT, $0-36
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ idx+24(FP), AX
	VMOVDQU32 0(AX), Z30             // even indices
	VMOVDQU32 64(AX), Z31            // odd indices
	VBROADCASTSS low+32(FP), Z29
	SHRQ $4, CX
	JZ pairdone

pairloop:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVAPS Z0, Z2
	VPERMT2PS Z1, Z30, Z2            // x[0], x[2], …, x[30]
	VPERMT2PS Z1, Z31, Z0            // x[1], x[3], …, x[31]
	VMOVAPS Z29, Z3                  // m = low
	VMAXPS Z3, Z2, Z3                // if x[2k] > m { m = x[2k] }
	VMAXPS Z3, Z0, Z3                // if x[2k+1] > m { m = x[2k+1] }
	VMOVUPS Z3, (DI)
	ADDQ $128, SI
	ADDQ $64, DI
	DECQ CX
	JNZ pairloop

pairdone:
	VZEROUPPER
	RET

// func addConstAVX512(y, x *float32, n int, c float32)
// y[i] = x[i] + c for n values, n a multiple of 16.
TEXT ·addConstAVX512(SB), NOSPLIT, $0-28
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Z31
	SHRQ $4, CX
	JZ adddone

addloop:
	VADDPS (SI), Z31, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ addloop

adddone:
	VZEROUPPER
	RET

// func maxRowsAVX512(y, x *float32, rows, n int)
// For each of rows pairs of rows of n values of x, y's row r = the larger of
// rows 2r and 2r+1, elementwise, the first kept unless the second is larger
// ("VMAXPS top, bottom, y": y = bottom > top ? bottom : top). A row's last
// n mod 16 values are loaded and stored under the mask K1.
TEXT ·maxRowsAVX512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ n+24(FP), R9
	MOVQ R9, CX
	ANDQ $15, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1                     // the tail's mask
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
	JZ rowstail

rowsloop:
	VMOVUPS (R11), Z0
	VMOVUPS (R12), Z1
	VMAXPS Z0, Z1, Z2
	VMOVUPS Z2, (R13)
	ADDQ $64, R11
	ADDQ $64, R12
	ADDQ $64, R13
	DECQ CX
	JNZ rowsloop

rowstail:
	KORTESTW K1, K1
	JZ rowsnext
	VMOVUPS.Z (R11), K1, Z0
	VMOVUPS.Z (R12), K1, Z1
	VMAXPS Z0, Z1, Z2
	VMOVUPS Z2, K1, (R13)

rowsnext:
	LEAQ (SI)(R10*2), SI
	ADDQ R10, DI
	DECQ R8
	JNZ rowsrow

rowsdone:
	VZEROUPPER
	RET

// func unitBytesAVX512(y *float32, x *uint8, n int, c float32)
// y[i] = float32(x[i]) / c for n values, n a multiple of 16: the bytes
// widened to int32, converted exactly, divided (IEEE division, as Go's /).
TEXT ·unitBytesAVX512(SB), NOSPLIT, $0-28
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSS c+24(FP), Z31
	SHRQ $4, CX
	JZ unitdone

unitloop:
	VPMOVZXBD (SI), Z0
	VCVTDQ2PS Z0, Z0
	VDIVPS Z31, Z0, Z0               // Go order: Z0 = Z0 / Z31
	VMOVUPS Z0, (DI)
	ADDQ $16, SI
	ADDQ $64, DI
	DECQ CX
	JNZ unitloop

unitdone:
	VZEROUPPER
	RET
