package ops

import (
	"fmt"
	"math"
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

// The float32 pooling (pair maxima, then their maxima) gives, bit for bit,
// what argmax4's scan of each window gives, NaN, ±0 and ±Inf included.
func TestPool2f32(t *testing.T) {
	specials := []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0, float32(math.Inf(1)), float32(math.Inf(-1)), 1, -1}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range [][2]int{{28, 28}, {14, 14}, {2, 2}, {4, 6}, {6, 34}} {
		h, w := size[0], size[1]
		x := make([]float32, h*w)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
			if rng.IntN(3) == 0 {
				x[i] = specials[rng.IntN(len(specials))]
			}
		}
		y := make([]float32, h*w/4)
		pool2f32(y, x, make([]float32, h*w/2), h, w)
		low := lowest[float32]()
		for i := range h / 2 {
			for j := range w / 2 {
				want, _ := argmax4(low, x[2*i*w+2*j], x[2*i*w+2*j+1], x[(2*i+1)*w+2*j], x[(2*i+1)*w+2*j+1])
				if got := y[i*w/2+j]; math.Float32bits(got) != math.Float32bits(want) {
					t.Errorf("%d×%d: window (%d, %d): %v, want %v", h, w, i, j, got, want)
				}
			}
		}
	}
}
