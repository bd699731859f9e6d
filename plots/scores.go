package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// maxScoreBins is the most bins Scores spreads the scores over.
const maxScoreBins = 50

// Scores draws how a detector's scores fall for normal and for anomalous
// samples, as two overlaid histograms, and writes the plot to w as a PNG
// image of PlotWidth×PlotHeight at PlotDPI. scores and anomalous have one
// entry per sample, and both kinds of sample must be present.
//
// The bins are shared, 2·∛n of them (Rice's rule) for n scores, from 5 to
// 50. Each histogram is a density (its area is 1), so a small anomalous set is
// as visible as a large normal one. When every score is positive and they
// span more than a factor of 10, as reconstruction errors do, the scores are
// binned by their logarithm and the x axis is logarithmic. A finite
// threshold is drawn as a vertical line (NaN: none). Non-finite scores are
// left out and counted in the title.
func Scores(w io.Writer, title string, scores []float64, anomalous []bool, threshold float64) error {
	if len(scores) != len(anomalous) {
		return fmt.Errorf("%w: Scores: %d scores for %d labels", errArg, len(scores), len(anomalous))
	}
	var kinds [2][]float64 // normal, anomalous
	lo, hi, dropped := math.Inf(1), math.Inf(-1), 0
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			dropped++
			continue
		}
		k := 0
		if anomalous[i] {
			k = 1
		}
		kinds[k] = append(kinds[k], s)
		lo, hi = min(lo, s), max(hi, s)
	}
	if len(kinds[0]) == 0 || len(kinds[1]) == 0 {
		return fmt.Errorf("%w: Scores: %d normal and %d anomalous finite scores: want both", errArg, len(kinds[0]), len(kinds[1]))
	}
	logX := lo > 0 && hi > 10*lo
	at := func(v float64) float64 { return v }
	if logX {
		at = math.Log10
	}
	a, b := at(lo), at(hi)
	if b == a {
		a, b = a-0.5, b+0.5
	}
	// Rice's rule, 2·∛n bins, within [5, maxScoreBins]
	nb := int(math.Ceil(2 * math.Cbrt(float64(len(kinds[0])+len(kinds[1])))))
	nb = max(5, min(maxScoreBins, nb))
	width := (b - a) / float64(nb)

	p := plot.New()
	if dropped > 0 {
		title = fmt.Sprintf("%s (%d non-finite scores left out)", title, dropped)
	}
	p.Title.Text = title
	p.X.Label.Text = "score"
	p.Y.Label.Text = "density"
	if logX {
		p.X.Label.Text = "score (log scale)"
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	p.Add(plotter.NewGrid())
	ymax := 0.0
	for k, name := range []string{"normal", "anomalous"} {
		v := kinds[k]
		bins := make([]plotter.HistogramBin, nb)
		for j := range bins {
			bins[j].Min, bins[j].Max = a+float64(j)*width, a+float64(j+1)*width
		}
		for _, s := range v {
			j := min(int((at(s)-a)/width), nb-1)
			bins[j].Weight++
		}
		for j := range bins {
			// density in the plotted units, so that each area is 1 on the
			// axis as drawn
			bins[j].Weight /= float64(len(v)) * width
			ymax = max(ymax, bins[j].Weight)
			if logX {
				bins[j].Min, bins[j].Max = math.Pow(10, bins[j].Min), math.Pow(10, bins[j].Max)
			}
		}
		col := trainColor
		if k == 1 {
			col = testColor
		}
		h := &plotter.Histogram{Bins: bins, Width: width, FillColor: premultiply(color.RGBA{R: col.R, G: col.G, B: col.B, A: 0x55})}
		h.LineStyle.Width = vg.Points(1)
		h.LineStyle.Color = col
		p.Add(h)
		p.Legend.Add(fmt.Sprintf("%s (%d)", name, len(v)), h)
	}
	if !math.IsNaN(threshold) && !math.IsInf(threshold, 0) && (!logX || threshold > 0) {
		line, err := plotter.NewLine(plotter.XYs{{X: threshold, Y: 0}, {X: threshold, Y: ymax}})
		if err != nil {
			return fmt.Errorf("plots: Scores: threshold line: %w", err)
		}
		line.Color = color.Black
		line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("threshold %.4g", threshold), line)
	}
	p.Legend.Top = true
	return writePNG(w, p, PlotWidth, PlotHeight, "Scores")
}

// ROC draws a detector's ROC curve, the true positive rate tpr against the
// false positive rate fpr (as anomaly.ROC gives them), beside the diagonal
// of a detector that guesses, with auc in the legend, and writes the plot to
// w as a PNG image of PlotHeight×PlotHeight at PlotDPI.
func ROC(w io.Writer, title string, fpr, tpr []float64, auc float64) error {
	if len(fpr) != len(tpr) || len(fpr) < 2 {
		return fmt.Errorf("%w: ROC: %d false and %d true positive rates: want as many, at least 2", errArg, len(fpr), len(tpr))
	}
	xys := make(plotter.XYs, len(fpr))
	for i := range xys {
		if !(fpr[i] >= 0 && fpr[i] <= 1 && tpr[i] >= 0 && tpr[i] <= 1) {
			return fmt.Errorf("%w: ROC: point %d (%v, %v) is outside [0, 1]²", errArg, i, fpr[i], tpr[i])
		}
		xys[i] = plotter.XY{X: fpr[i], Y: tpr[i]}
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "false positive rate (normal samples flagged)"
	p.Y.Label.Text = "true positive rate (anomalies flagged)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(plotter.NewGrid())
	guess, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return fmt.Errorf("plots: ROC: diagonal: %w", err)
	}
	guess.Color = color.Gray{Y: 0x99}
	guess.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	curve, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("plots: ROC: curve: %w", err)
	}
	curve.Color = trainColor
	curve.Width = vg.Points(1.5)
	p.Add(guess, curve)
	p.Legend.Add(fmt.Sprintf("AUROC %.4f", auc), curve)
	p.Legend.Add("guessing (0.5)", guess)
	p.Legend.Left = false
	p.Legend.Top = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = vg.Points(8)
	return writePNG(w, p, PlotHeight, PlotHeight, "ROC")
}
