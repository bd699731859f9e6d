//go:build amd64 && !purego

#include "textflag.h"

// func sigmoidAVX512(y, x *float32, n int, c *[8]float32)
// y[i] = σ(x[i]) for n values, n a multiple of 16, as Sigmoid32 computes it:
// e = 2^k·p(r) with −|x| = k·ln2 + r, then 1/(1+e) or e/(1+e) by the sign.
// c holds log2e, ln2hi, ln2lo and the Taylor coefficients 1/720 … 1/2.
TEXT ·sigmoidAVX512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	VBROADCASTSS 0(DX), Z20  // log2e
	VBROADCASTSS 4(DX), Z21  // ln2hi
	VBROADCASTSS 8(DX), Z22  // ln2lo
	VBROADCASTSS 12(DX), Z23 // 1/720
	VBROADCASTSS 16(DX), Z24 // 1/120
	VBROADCASTSS 20(DX), Z25 // 1/24
	VBROADCASTSS 24(DX), Z26 // 1/6
	VBROADCASTSS 28(DX), Z27 // 1/2
	MOVL $0x3f800000, AX
	VPBROADCASTD AX, Z28     // 1.0
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z29     // sign bit
	MOVL $0xc2ae0000, AX
	VPBROADCASTD AX, Z30     // −87
	VPXORD Z31, Z31, Z31     // 0
	SHRQ $4, CX
	JZ done

loop:
	VMOVUPS (SI), Z0                 // x
	VPORD Z29, Z0, Z1                // t = −|x|
	VMAXPS Z30, Z1, Z1               // t ≥ −87: e^t stays a normal number
	VMULPS Z20, Z1, Z2
	VRNDSCALEPS $0, Z2, Z2           // k = round(t·log2e)
	VMOVAPS Z1, Z3
	VFNMADD231PS Z21, Z2, Z3         // r = t − k·ln2hi
	VFNMADD231PS Z22, Z2, Z3         // r −= k·ln2lo
	VMOVAPS Z23, Z4                  // p = 1/720
	VFMADD213PS Z24, Z3, Z4          // p = p·r + 1/120
	VFMADD213PS Z25, Z3, Z4          // p = p·r + 1/24
	VFMADD213PS Z26, Z3, Z4          // p = p·r + 1/6
	VFMADD213PS Z27, Z3, Z4          // p = p·r + 1/2
	VFMADD213PS Z28, Z3, Z4          // p = p·r + 1
	VFMADD213PS Z28, Z3, Z4          // p = p·r + 1
	VSCALEFPS Z2, Z4, Z4             // e = p·2^k
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
