package ops

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/internal/sgemm"
)

// Matrix products dominate training time. Gorgonia computes them with gonum's
// pure-Go BLAS, whose float32 gemm runs at about 20 GFLOP/s on these shapes.
// FastBLAS routes float32 gemm to package sgemm (packed panels, an AVX-512
// micro-kernel in Go assembly, both cores; no cgo) and everything else to
// gonum. It is installed when the package loads on a CPU with AVX-512;
// UseBLAS switches.

// UseBLAS selects the BLAS behind every Gorgonia graph: "fast" (the default
// where the CPU has AVX-512) or "gonum". The choice is global to the process,
// as it is in Gorgonia.
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

// BLAS names the BLAS in use by default: "fast (AVX-512)" or "gonum".
var BLAS = "gonum"

// sgemmBLAS computes the float32 products of the dense layers (ops.go).
var sgemmBLAS blas.Float32Level3 = gonum.Implementation{}

func init() {
	if sgemm.Accelerated != "" {
		G.Use(FastBLAS{})
		sgemmBLAS = FastBLAS{}
		BLAS = "fast (" + sgemm.Accelerated + ")"
	}
}

// FastBLAS is gonum's BLAS with float32 gemm computed by package sgemm.
type FastBLAS struct{ gonum.Implementation }

// Sgemm computes C = α·op(A)·op(B) + β·C for row-major A, B, C.
func (FastBLAS) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm.Gemm(tA != blas.NoTrans, tB != blas.NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
