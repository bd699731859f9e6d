package run

import (
	"io"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
)

// Display returns v, values in the units the model takes (as ReadData gives
// them), as brightness in [0, 1] for the image grids of package plots: the
// data's own pixel values over 255. v is left as it is.
func (r *Run) Display(v []float32) []float32 {
	out := append([]float32(nil), v...)
	r.Scale().Invert(out)
	for i := range out {
		out[i] /= 255
	}
	return out
}

// DrawAnomalies draws, as plots.Anomalies, the k highest-scoring images of s
// above its k lowest-scoring ones, with their reconstructions and error maps,
// and writes the picture to w as a PNG. scores has one score per sample of
// s, higher meaning more anomalous; s holds images (see plots.Grid).
func (r *Run) DrawAnomalies(w io.Writer, s *datasets.Set, scores []float64, k int) error {
	shown := anomaly.Extremes(scores, k)
	x := s.Subset(shown).All()
	recon, err := r.Model.Reconstruct(x)
	if err != nil {
		return err
	}
	picked := make([]float64, len(shown))
	for i, j := range shown {
		picked[i] = scores[j]
	}
	return plots.Anomalies(w, r.Display(x), r.Display(recon), r.Model.Shape, picked, min(k, len(shown)))
}
