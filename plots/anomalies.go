package plots

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/aegraph/aegraph/anomaly"
)

// Anomalies draws where a detector finds images anomalous and writes the
// picture to w as a PNG: the k highest-scoring images above the k
// lowest-scoring ones, each set as three rows of k cells: the images x,
// their reconstructions recon, and their error maps |x − x'|, drawn so that
// the largest error of the picture is full brightness.
//
// shape is one image's shape as for Grid; x and recon are (n, C*H*W)
// row-major and scores holds one score per image, n ≥ 1. k is cut to n.
func Anomalies(w io.Writer, x, recon []float32, shape []int, scores []float64, k int) error {
	sh, err := parseShape(shape)
	if err != nil {
		return fmt.Errorf("Anomalies: %w", err)
	}
	pix, n := sh.size(), len(scores)
	if n == 0 || k <= 0 || len(x) != n*pix || len(recon) != n*pix {
		return fmt.Errorf("%w: Anomalies: %d scores, k=%d, len(x)=%d, len(recon)=%d for images of %d values",
			errArg, n, k, len(x), len(recon), pix)
	}
	k = min(k, n)
	order := anomaly.Extremes(scores, n) // all, highest (NaN) first
	low := slices.Clone(order[n-k:])
	slices.Reverse(low) // the most normal first
	cells := make([]float32, 0, 6*k*pix)
	var maxErr float32
	for _, set := range [][]int{order[:k], low} {
		for _, i := range set {
			for j := range pix {
				maxErr = max(maxErr, abs32(x[i*pix+j]-recon[i*pix+j]))
			}
		}
	}
	if maxErr == 0 {
		maxErr = 1
	}
	for _, set := range [][]int{order[:k], low} {
		for _, i := range set {
			cells = append(cells, x[i*pix:(i+1)*pix]...)
		}
		for _, i := range set {
			cells = append(cells, recon[i*pix:(i+1)*pix]...)
		}
		for _, i := range set {
			for j := range pix {
				cells = append(cells, abs32(x[i*pix+j]-recon[i*pix+j])/maxErr)
			}
		}
	}
	return Grid(w, cells, shape, 6, k, 2)
}

func abs32(v float32) float32 { return float32(math.Abs(float64(v))) }
