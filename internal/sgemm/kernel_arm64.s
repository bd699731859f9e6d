//go:build arm64 && !purego

#include "textflag.h"

// The NEON kernels compute each value of C exactly as the plain-Go kernels
// (kernels.go) do: a chain of fused multiply-adds (FMLA, one rounding each)
// over p or q in order from +0, then acc + C (FADD) when add is set, else a
// store. Go's assembler has no vector FADD or FCMEQ: those are WORDs, each
// commented with the instruction it encodes.

// func kernelNEON(k int, a *float32, ai, ap int, b *float32, bp int, c *float32, ldc int, add bool)
// Tile C[0:12, 0:32] (row stride ldc floats) = (add ? C : 0) + Σ_p A[i, p]·B[p, j]
// with A[i, p] = a[i*ai + p*ap] and B[p, j] = b[p*bp + j]: packed panels or
// operands read in place. The 96 vectors of the tile do not fit in the 32
// registers, so it is computed as four 6×16 sub-tiles, one after the other,
// each over the whole of k: rows 6h…6h+5 and columns 16g…16g+15 for
// t = 2h + g = 0…3. A sub-tile's 24 accumulators are V0–V23 (row i's
// columns in V(4i)…V(4i+3)); each step p loads B's 16 columns into V24–V27
// and broadcasts the six A values into V28–V31 in turn (LD1R, each A row's
// pointer in R10–R15 stepping by ap).
// R0 k, R1 a, R2 ai·4, R3 ap·4, R4 b, R5 bp·4, R6 c, R7 ldc·4, R8 add,
// R19 6·ai·4, R20 6·ldc·4, R21 t, R22 B's pointer, R23 C's, R24 the steps left.
TEXT ·kernelNEON(SB), NOSPLIT, $0-65
	MOVD k+0(FP), R0
	MOVD a+8(FP), R1
	MOVD ai+16(FP), R2
	LSL $2, R2
	MOVD ap+24(FP), R3
	LSL $2, R3
	MOVD b+32(FP), R4
	MOVD bp+40(FP), R5
	LSL $2, R5
	MOVD c+48(FP), R6
	MOVD ldc+56(FP), R7
	LSL $2, R7
	MOVBU add+64(FP), R8
	MOVD $6, R9
	MUL R9, R2, R19
	MUL R9, R7, R20
	MOVD $0, R21

tile:
	LSR $1, R21, R9                  // h
	MUL R9, R19, R10
	ADD R1, R10, R10                 // A's row 6h
	ADD R2, R10, R11
	ADD R2, R11, R12
	ADD R2, R12, R13
	ADD R2, R13, R14
	ADD R2, R14, R15
	MUL R9, R20, R23
	ADD R6, R23, R23                 // C's row 6h
	AND $1, R21, R9                  // g
	LSL $6, R9                       // 16g floats
	ADD R4, R9, R22                  // B's column 16g
	ADD R9, R23, R23                 // C's column 16g
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	VEOR V16.B16, V16.B16, V16.B16
	VEOR V17.B16, V17.B16, V17.B16
	VEOR V18.B16, V18.B16, V18.B16
	VEOR V19.B16, V19.B16, V19.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	VEOR V22.B16, V22.B16, V22.B16
	VEOR V23.B16, V23.B16, V23.B16
	MOVD R0, R24
	CBZ R24, tiledone

loop:
	VLD1.P (R22)(R5), [V24.S4, V25.S4, V26.S4, V27.S4]
	VLD1R.P (R10)(R3), [V28.S4]
	VFMLA V28.S4, V24.S4, V0.S4
	VFMLA V28.S4, V25.S4, V1.S4
	VFMLA V28.S4, V26.S4, V2.S4
	VFMLA V28.S4, V27.S4, V3.S4
	VLD1R.P (R11)(R3), [V29.S4]
	VFMLA V29.S4, V24.S4, V4.S4
	VFMLA V29.S4, V25.S4, V5.S4
	VFMLA V29.S4, V26.S4, V6.S4
	VFMLA V29.S4, V27.S4, V7.S4
	VLD1R.P (R12)(R3), [V30.S4]
	VFMLA V30.S4, V24.S4, V8.S4
	VFMLA V30.S4, V25.S4, V9.S4
	VFMLA V30.S4, V26.S4, V10.S4
	VFMLA V30.S4, V27.S4, V11.S4
	VLD1R.P (R13)(R3), [V31.S4]
	VFMLA V31.S4, V24.S4, V12.S4
	VFMLA V31.S4, V25.S4, V13.S4
	VFMLA V31.S4, V26.S4, V14.S4
	VFMLA V31.S4, V27.S4, V15.S4
	VLD1R.P (R14)(R3), [V28.S4]
	VFMLA V28.S4, V24.S4, V16.S4
	VFMLA V28.S4, V25.S4, V17.S4
	VFMLA V28.S4, V26.S4, V18.S4
	VFMLA V28.S4, V27.S4, V19.S4
	VLD1R.P (R15)(R3), [V29.S4]
	VFMLA V29.S4, V24.S4, V20.S4
	VFMLA V29.S4, V25.S4, V21.S4
	VFMLA V29.S4, V26.S4, V22.S4
	VFMLA V29.S4, V27.S4, V23.S4
	SUBS $1, R24, R24
	BNE loop

tiledone:
	CBZ R8, tilestore
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d400 // fadd v0.4s, v0.4s, v24.4s
	WORD $0x4e39d421 // fadd v1.4s, v1.4s, v25.4s
	WORD $0x4e3ad442 // fadd v2.4s, v2.4s, v26.4s
	WORD $0x4e3bd463 // fadd v3.4s, v3.4s, v27.4s
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], (R23)(R7)
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d484 // fadd v4.4s, v4.4s, v24.4s
	WORD $0x4e39d4a5 // fadd v5.4s, v5.4s, v25.4s
	WORD $0x4e3ad4c6 // fadd v6.4s, v6.4s, v26.4s
	WORD $0x4e3bd4e7 // fadd v7.4s, v7.4s, v27.4s
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], (R23)(R7)
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d508 // fadd v8.4s, v8.4s, v24.4s
	WORD $0x4e39d529 // fadd v9.4s, v9.4s, v25.4s
	WORD $0x4e3ad54a // fadd v10.4s, v10.4s, v26.4s
	WORD $0x4e3bd56b // fadd v11.4s, v11.4s, v27.4s
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], (R23)(R7)
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d58c // fadd v12.4s, v12.4s, v24.4s
	WORD $0x4e39d5ad // fadd v13.4s, v13.4s, v25.4s
	WORD $0x4e3ad5ce // fadd v14.4s, v14.4s, v26.4s
	WORD $0x4e3bd5ef // fadd v15.4s, v15.4s, v27.4s
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], (R23)(R7)
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d610 // fadd v16.4s, v16.4s, v24.4s
	WORD $0x4e39d631 // fadd v17.4s, v17.4s, v25.4s
	WORD $0x4e3ad652 // fadd v18.4s, v18.4s, v26.4s
	WORD $0x4e3bd673 // fadd v19.4s, v19.4s, v27.4s
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], (R23)(R7)
	VLD1 (R23), [V24.S4, V25.S4, V26.S4, V27.S4]
	WORD $0x4e38d694 // fadd v20.4s, v20.4s, v24.4s
	WORD $0x4e39d6b5 // fadd v21.4s, v21.4s, v25.4s
	WORD $0x4e3ad6d6 // fadd v22.4s, v22.4s, v26.4s
	WORD $0x4e3bd6f7 // fadd v23.4s, v23.4s, v27.4s
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], (R23)(R7)
	B tilenext

tilestore:
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], (R23)(R7)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], (R23)(R7)
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], (R23)(R7)
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], (R23)(R7)
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], (R23)(R7)
	VST1.P [V20.S4, V21.S4, V22.S4, V23.S4], (R23)(R7)

tilenext:
	ADD $1, R21
	CMP $4, R21
	BNE tile
	RET

// func sparseNEON(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, add bool)
// C[0:128] = (add ? C : 0) + Σ_q val[q]·B[idx[q], 0:128], B's rows ldb floats
// apart: each of the 128 sums a chain of fused multiply-adds in the order of
// q, as the dense kernel sums each value of its tile. In two halves of 64
// columns, each over all of q: accumulators V0–V15, B's 64 values in
// V16–V27 and then, for the last 16, V16–V19 again; val[q] broadcast in V31.
// R0 nnz, R1 idx, R2 val, R3 b (+256 for the second half), R4 ldb·4,
// R5 c (+256), R6 add, R7 halves left, R8–R12 scratch.
TEXT ·sparseNEON(SB), NOSPLIT, $0-49
	MOVD nnz+0(FP), R0
	MOVD idx+8(FP), R1
	MOVD val+16(FP), R2
	MOVD b+24(FP), R3
	MOVD ldb+32(FP), R4
	LSL $2, R4
	MOVD c+40(FP), R5
	MOVBU add+48(FP), R6
	MOVD $2, R7

half:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16
	MOVD R1, R8
	MOVD R2, R9
	MOVD R0, R10
	CBZ R10, halfdone

halfloop:
	MOVWU.P 4(R8), R11               // idx[q]
	MUL R4, R11, R11
	ADD R3, R11, R11                 // B's row idx[q]
	VLD1R.P 4(R9), [V31.S4]          // val[q]
	VLD1.P 64(R11), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1.P 64(R11), [V20.S4, V21.S4, V22.S4, V23.S4]
	VLD1.P 64(R11), [V24.S4, V25.S4, V26.S4, V27.S4]
	VFMLA V31.S4, V16.S4, V0.S4
	VFMLA V31.S4, V17.S4, V1.S4
	VFMLA V31.S4, V18.S4, V2.S4
	VFMLA V31.S4, V19.S4, V3.S4
	VLD1 (R11), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA V31.S4, V20.S4, V4.S4
	VFMLA V31.S4, V21.S4, V5.S4
	VFMLA V31.S4, V22.S4, V6.S4
	VFMLA V31.S4, V23.S4, V7.S4
	VFMLA V31.S4, V24.S4, V8.S4
	VFMLA V31.S4, V25.S4, V9.S4
	VFMLA V31.S4, V26.S4, V10.S4
	VFMLA V31.S4, V27.S4, V11.S4
	VFMLA V31.S4, V16.S4, V12.S4
	VFMLA V31.S4, V17.S4, V13.S4
	VFMLA V31.S4, V18.S4, V14.S4
	VFMLA V31.S4, V19.S4, V15.S4
	SUBS $1, R10, R10
	BNE halfloop

halfdone:
	MOVD R5, R12
	CBZ R6, halfstore
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD $0x4e30d400 // fadd v0.4s, v0.4s, v16.4s
	WORD $0x4e31d421 // fadd v1.4s, v1.4s, v17.4s
	WORD $0x4e32d442 // fadd v2.4s, v2.4s, v18.4s
	WORD $0x4e33d463 // fadd v3.4s, v3.4s, v19.4s
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD $0x4e30d484 // fadd v4.4s, v4.4s, v16.4s
	WORD $0x4e31d4a5 // fadd v5.4s, v5.4s, v17.4s
	WORD $0x4e32d4c6 // fadd v6.4s, v6.4s, v18.4s
	WORD $0x4e33d4e7 // fadd v7.4s, v7.4s, v19.4s
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD $0x4e30d508 // fadd v8.4s, v8.4s, v16.4s
	WORD $0x4e31d529 // fadd v9.4s, v9.4s, v17.4s
	WORD $0x4e32d54a // fadd v10.4s, v10.4s, v18.4s
	WORD $0x4e33d56b // fadd v11.4s, v11.4s, v19.4s
	VLD1.P 64(R12), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD $0x4e30d58c // fadd v12.4s, v12.4s, v16.4s
	WORD $0x4e31d5ad // fadd v13.4s, v13.4s, v17.4s
	WORD $0x4e32d5ce // fadd v14.4s, v14.4s, v18.4s
	WORD $0x4e33d5ef // fadd v15.4s, v15.4s, v19.4s
	MOVD R5, R12

halfstore:
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R12)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R12)
	VST1.P [V8.S4, V9.S4, V10.S4, V11.S4], 64(R12)
	VST1.P [V12.S4, V13.S4, V14.S4, V15.S4], 64(R12)
	ADD $256, R3
	ADD $256, R5
	SUBS $1, R7, R7
	BNE half
	RET

// func sparseMaskNEON(nnz int, idx *int32, val *float32, b *float32, ldb int, c *float32, w int, add bool)
// sparseNEON for the w columns C[0:w], 1 ≤ w ≤ 16 (the mask's low bits);
// the others are neither read nor written. w = 16 runs a loop of four full
// vectors (V0–V3); a narrower w has w/4 full vectors (V0–V2, B in V16–V18)
// and a tail of w mod 4 lanes (V4, B's lanes loaded one by one into V20).
// val[q] is broadcast in V31.
// R0 nnz, R1 idx, R2 val, R3 b, R4 ldb·4, R5 c, R6 w, R7 add,
// R8 B's row, R9 w/4, R10 w mod 4, R11 C's pointer.
TEXT ·sparseMaskNEON(SB), NOSPLIT, $0-57
	MOVD nnz+0(FP), R0
	MOVD idx+8(FP), R1
	MOVD val+16(FP), R2
	MOVD b+24(FP), R3
	MOVD ldb+32(FP), R4
	LSL $2, R4
	MOVD c+40(FP), R5
	MOVD w+48(FP), R6
	MOVBU add+56(FP), R7
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V20.B16, V20.B16, V20.B16
	VEOR V21.B16, V21.B16, V21.B16
	CMP $16, R6
	BNE partial
	CBZ R0, fulldone

fullloop:
	MOVWU.P 4(R1), R8
	MUL R4, R8, R8
	ADD R3, R8, R8
	VLD1R.P 4(R2), [V31.S4]
	VLD1 (R8), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA V31.S4, V16.S4, V0.S4
	VFMLA V31.S4, V17.S4, V1.S4
	VFMLA V31.S4, V18.S4, V2.S4
	VFMLA V31.S4, V19.S4, V3.S4
	SUBS $1, R0, R0
	BNE fullloop

fulldone:
	CBZ R7, fullstore
	VLD1 (R5), [V16.S4, V17.S4, V18.S4, V19.S4]
	WORD $0x4e30d400 // fadd v0.4s, v0.4s, v16.4s
	WORD $0x4e31d421 // fadd v1.4s, v1.4s, v17.4s
	WORD $0x4e32d442 // fadd v2.4s, v2.4s, v18.4s
	WORD $0x4e33d463 // fadd v3.4s, v3.4s, v19.4s

fullstore:
	VST1 [V0.S4, V1.S4, V2.S4, V3.S4], (R5)
	RET

partial:
	LSR $2, R6, R9
	AND $3, R6, R10
	CBZ R0, partdone

partloop:
	MOVWU.P 4(R1), R8
	MUL R4, R8, R8
	ADD R3, R8, R8
	VLD1R.P 4(R2), [V31.S4]
	CBZ R9, parttail
	VLD1.P 16(R8), [V16.S4]
	VFMLA V31.S4, V16.S4, V0.S4
	CMP $2, R9
	BLT parttail
	VLD1.P 16(R8), [V17.S4]
	VFMLA V31.S4, V17.S4, V1.S4
	CMP $3, R9
	BLT parttail
	VLD1.P 16(R8), [V18.S4]
	VFMLA V31.S4, V18.S4, V2.S4

parttail:
	CBZ R10, partnext
	VLD1.P 4(R8), V20.S[0]
	CMP $2, R10
	BLT partfma
	VLD1.P 4(R8), V20.S[1]
	CMP $3, R10
	BLT partfma
	VLD1 (R8), V20.S[2]

partfma:
	VFMLA V31.S4, V20.S4, V4.S4

partnext:
	SUBS $1, R0, R0
	BNE partloop

partdone:
	CBZ R7, partstore
	MOVD R5, R11                     // add C's w values (lanes past w unused)
	CBZ R9, addtail
	VLD1.P 16(R11), [V16.S4]
	CMP $2, R9
	BLT addtail
	VLD1.P 16(R11), [V17.S4]
	CMP $3, R9
	BLT addtail
	VLD1.P 16(R11), [V18.S4]

addtail:
	CBZ R10, addsum
	VLD1.P 4(R11), V21.S[0]
	CMP $2, R10
	BLT addsum
	VLD1.P 4(R11), V21.S[1]
	CMP $3, R10
	BLT addsum
	VLD1 (R11), V21.S[2]

addsum:
	WORD $0x4e30d400 // fadd v0.4s, v0.4s, v16.4s
	WORD $0x4e31d421 // fadd v1.4s, v1.4s, v17.4s
	WORD $0x4e32d442 // fadd v2.4s, v2.4s, v18.4s
	WORD $0x4e35d484 // fadd v4.4s, v4.4s, v21.4s

partstore:
	MOVD R5, R11
	CBZ R9, storetail
	VST1.P [V0.S4], 16(R11)
	CMP $2, R9
	BLT storetail
	VST1.P [V1.S4], 16(R11)
	CMP $3, R9
	BLT storetail
	VST1.P [V2.S4], 16(R11)

storetail:
	CBZ R10, storedone
	VST1.P V4.S[0], 4(R11)
	CMP $2, R10
	BLT storedone
	VST1.P V4.S[1], 4(R11)
	CMP $3, R10
	BLT storedone
	VST1 V4.S[2], (R11)

storedone:
	RET

// compressConsts are the int32s 1, 2, 4, 8 (a lane's bit), 0, 1, 2, 3 (the
// first indices) and 4, 4, 4, 4 (their step).
DATA compressConsts<>+0(SB)/4, $1
DATA compressConsts<>+4(SB)/4, $2
DATA compressConsts<>+8(SB)/4, $4
DATA compressConsts<>+12(SB)/4, $8
DATA compressConsts<>+16(SB)/4, $0
DATA compressConsts<>+20(SB)/4, $1
DATA compressConsts<>+24(SB)/4, $2
DATA compressConsts<>+28(SB)/4, $3
DATA compressConsts<>+32(SB)/4, $4
DATA compressConsts<>+36(SB)/4, $4
DATA compressConsts<>+40(SB)/4, $4
DATA compressConsts<>+44(SB)/4, $4
GLOBL compressConsts<>(SB), RODATA|NOPTR, $48

// compressShuffle holds, for each 4-bit mask m of nonzero lanes, the TBL
// byte indices that move those lanes to the front, in order (0xff, which
// TBL reads as 0, for the rest); compressCount[m] is their number.
DATA compressShuffle<>+0(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+8(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+16(SB)/8, $0xffffffff03020100
DATA compressShuffle<>+24(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+32(SB)/8, $0xffffffff07060504
DATA compressShuffle<>+40(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+48(SB)/8, $0x0706050403020100
DATA compressShuffle<>+56(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+64(SB)/8, $0xffffffff0b0a0908
DATA compressShuffle<>+72(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+80(SB)/8, $0x0b0a090803020100
DATA compressShuffle<>+88(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+96(SB)/8, $0x0b0a090807060504
DATA compressShuffle<>+104(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+112(SB)/8, $0x0706050403020100
DATA compressShuffle<>+120(SB)/8, $0xffffffff0b0a0908
DATA compressShuffle<>+128(SB)/8, $0xffffffff0f0e0d0c
DATA compressShuffle<>+136(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+144(SB)/8, $0x0f0e0d0c03020100
DATA compressShuffle<>+152(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+160(SB)/8, $0x0f0e0d0c07060504
DATA compressShuffle<>+168(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+176(SB)/8, $0x0706050403020100
DATA compressShuffle<>+184(SB)/8, $0xffffffff0f0e0d0c
DATA compressShuffle<>+192(SB)/8, $0x0f0e0d0c0b0a0908
DATA compressShuffle<>+200(SB)/8, $0xffffffffffffffff
DATA compressShuffle<>+208(SB)/8, $0x0b0a090803020100
DATA compressShuffle<>+216(SB)/8, $0xffffffff0f0e0d0c
DATA compressShuffle<>+224(SB)/8, $0x0b0a090807060504
DATA compressShuffle<>+232(SB)/8, $0xffffffff0f0e0d0c
DATA compressShuffle<>+240(SB)/8, $0x0706050403020100
DATA compressShuffle<>+248(SB)/8, $0x0f0e0d0c0b0a0908
GLOBL compressShuffle<>(SB), RODATA|NOPTR, $256

DATA compressCount<>+0(SB)/8, $0x0302020102010100
DATA compressCount<>+8(SB)/8, $0x0403030203020201
GLOBL compressCount<>(SB), RODATA|NOPTR, $16

// func compressNEON(n int, x *float32, idx *int32, val *float32) int
// Lists the nonzero values of x[0:n] (NaN included, ±0 not: FCMEQ with 0 is
// true for ±0 only) in val and their indices in idx, in order, and returns
// their number. Four values at a time: their nonzero lanes' mask m picks a
// TBL shuffle that moves those values, and their indices, to the front, and
// all four lanes are stored at the count so far, which then grows by
// popcount(m) (the count is at most the index of the first of the four, so
// nothing is written past idx[n-1] and val[n-1]). The last n mod 4
// values one by one, each stored and counted if nonzero (FCMPS: NaN is
// unordered, so NE).
// R0 values left, R1 x, R2 idx, R3 val, R4 count, R5 compressShuffle,
// R6 compressCount; V28 the lane bits, V29 the indices of the four values,
// V30 their step.
TEXT ·compressNEON(SB), NOSPLIT, $0-40
	MOVD n+0(FP), R0
	MOVD x+8(FP), R1
	MOVD idx+16(FP), R2
	MOVD val+24(FP), R3
	MOVD $0, R4
	MOVD $compressConsts<>(SB), R5
	VLD1 (R5), [V28.S4, V29.S4, V30.S4]
	MOVD $compressShuffle<>(SB), R5
	MOVD $compressCount<>(SB), R6
	CMP $4, R0
	BLT ctail

cloop:
	VLD1.P 16(R1), [V0.S4]
	WORD $0x4ea0d801 // fcmeq v1.4s, v0.4s, #0.0
	VAND V28.B16, V1.B16, V1.B16     // the zero lanes' bits
	VADDV V1.S4, V1
	VMOV V1.S[0], R7
	EOR $15, R7, R7                  // m: the nonzero lanes
	ADD R7<<4, R5, R8
	VLD1 (R8), [V2.B16]
	VTBL V2.B16, [V0.B16], V3.B16    // the nonzero values, in order
	VTBL V2.B16, [V29.B16], V4.B16   // and their indices
	ADD R4<<2, R3, R8
	VST1 [V3.S4], (R8)
	ADD R4<<2, R2, R8
	VST1 [V4.S4], (R8)
	MOVBU (R6)(R7), R8
	ADD R8, R4
	VADD V30.S4, V29.S4, V29.S4
	SUB $4, R0
	CMP $4, R0
	BGE cloop

ctail:
	CBZ R0, cdone
	VMOV V29.S[0], R7                // the next value's index

ctailloop:
	FMOVS.P 4(R1), F0
	ADD R4<<2, R3, R8
	FMOVS F0, (R8)
	ADD R4<<2, R2, R8
	MOVW R7, (R8)
	FCMPS $(0.0), F0
	CSET NE, R8
	ADD R8, R4
	ADD $1, R7
	SUBS $1, R0, R0
	BNE ctailloop

cdone:
	MOVD R4, ret+32(FP)
	RET
