package ops

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestRowPasses: biasAdd and colSum shared among the cores in chunks give
// the same bits as one pass over the whole matrix, on shapes with one chunk,
// many chunks and a partial last chunk.
func TestRowPasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][2]int{{1, 1}, {128, 784}, {3, 20000}, {50000, 3}, {129, 257}} {
		t.Run(fmt.Sprintf("%dx%d", sh[0], sh[1]), func(t *testing.T) {
			n, d := sh[0], sh[1]
			x, b := make([]float32, n*d), make([]float32, d)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			for i := range b {
				b[i] = float32(rng.NormFloat64())
			}
			var j elemJob[float32]
			y, want := make([]float32, n*d), make([]float32, n*d)
			j.biasAdd(y, x, b)
			biasAdd(want, x, b)
			for i := range y {
				if y[i] != want[i] {
					t.Fatalf("biasAdd: y[%d] = %v, want %v", i, y[i], want[i])
				}
			}
			s, wantS := make([]float32, d), make([]float32, d)
			j.colSum(s, x)
			for i := 0; i < n*d; i += d {
				for c := range d {
					wantS[c] += x[i+c]
				}
			}
			for c := range s {
				if s[c] != wantS[c] {
					t.Fatalf("colSum: column %d = %v, want %v", c, s[c], wantS[c])
				}
			}
		})
	}
}
