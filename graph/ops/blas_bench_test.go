package ops

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkSgemm compares the two BLAS on the mlp's shapes:
// go test -run X -bench Sgemm ./graph
func BenchmarkSgemm(b *testing.B) {
	impls := []struct {
		name  string
		sgemm func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	}{{"gonum", gonum.Implementation{}.Sgemm}, {"fast", FastBLAS{}.Sgemm}}
	for _, sh := range [][3]int{{128, 784, 256}, {128, 256, 784}, {784, 128, 256}} {
		m, k, n := sh[0], sh[1], sh[2]
		a, bb, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for i := range a {
			a[i] = float32(i%7) / 7
		}
		for i := range bb {
			bb[i] = float32(i%5) / 5
		}
		for _, tr := range []struct {
			name   string
			tA, tB blas.Transpose
		}{{"NN", blas.NoTrans, blas.NoTrans}, {"TN", blas.Trans, blas.NoTrans}, {"NT", blas.NoTrans, blas.Trans}} {
			for _, im := range impls {
				b.Run(fmt.Sprintf("%dx%dx%d/%s/%s", m, k, n, tr.name, im.name), func(b *testing.B) {
					lda, ldb := k, n
					if tr.tA == blas.Trans {
						lda = m
					}
					if tr.tB == blas.Trans {
						ldb = k
					}
					for range b.N {
						im.sgemm(tr.tA, tr.tB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
					}
					b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
