package ops

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/internal/sgemm"
)

// Matrix products dominate training time. Gorgonia computes them with gonum's
// pure-Go BLAS, whose float32 gemm runs at about 20 GFLOP/s on these shapes
// and whose roundings differ from one CPU to another. FastBLAS routes
// float32 gemm to package sgemm (packed panels, micro-kernels in Go
// assembly for AVX-512, AVX2 and NEON, plain Go elsewhere, both cores, no
// cgo; the same bits on every path) and everything else to gonum. It is
// installed when the package loads, on every CPU; UseBLAS switches.

// UseBLAS selects the BLAS behind every Gorgonia graph: "fast" (the default)
// or "gonum" (whose results differ by CPU). The choice is global to the
// process, as it is in Gorgonia.
func UseBLAS(name string) error {
	switch name {
	case "fast":
		G.Use(FastBLAS{})
		sgemmBLAS = FastBLAS{}
	case "gonum":
		G.Use(gonum.Implementation{})
		sgemmBLAS = gonum.Implementation{}
	default:
		return fmt.Errorf("unknown BLAS %q (have fast, gonum)", name)
	}
	return nil
}

// BLAS names the BLAS in use, with the kernels' path: "fast (avx512)",
// "fast (generic)", or "gonum".
func BLAS() string {
	if _, ok := sgemmBLAS.(FastBLAS); ok {
		return "fast (" + string(isa.Current()) + ")"
	}
	return "gonum"
}

// sgemmBLAS computes the float32 products of the dense layers (ops.go).
var sgemmBLAS blas.Float32Level3 = FastBLAS{}

func init() { G.Use(FastBLAS{}) }

// FastBLAS is gonum's BLAS with float32 gemm computed by package sgemm.
type FastBLAS struct{ gonum.Implementation }

// Sgemm computes C = α·op(A)·op(B) + β·C for row-major A, B, C.
func (FastBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm.Gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
