package ops

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"
)

// TestIm2colSame: the block copy for width-keeping convolutions writes the
// same col as the row-by-row unrolling, for several kernels, paddings and
// image sizes (including 1-pixel-wide and 1-pixel-high images).
func TestIm2colSame(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct{ c, h, w, k, pad int }{
		{1, 28, 28, 3, 1}, {16, 14, 14, 3, 1}, {2, 5, 7, 5, 2}, {3, 4, 4, 1, 0}, {2, 1, 6, 3, 1}, {2, 6, 1, 3, 1}, {1, 2, 2, 5, 2},
	} {
		t.Run(fmt.Sprintf("%+v", tc), func(t *testing.T) {
			g := newGeom(tensor.Shape{1, tc.c, tc.h, tc.w}, tensor.Shape{4, tc.c, tc.k, tc.k}, tc.pad)
			x := make([]float32, tc.c*tc.h*tc.w)
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			got, want := make([]float32, g.rows()*g.cols()), make([]float32, g.rows()*g.cols())
			for i := range got {
				got[i] = 99 // every value must be written
			}
			im2colSame(g, got, x)
			im2colRows(g, want, x)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("col[%d] = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}
