package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

const (
	// PlotWidth and PlotHeight are the size of the Loss, Latent and
	// ColumnErrors plots, drawn at PlotDPI dots per inch.
	PlotWidth  = 6 * vg.Inch
	PlotHeight = 4 * vg.Inch

	// PlotDPI is the resolution of the Loss, Latent and ColumnErrors plots.
	PlotDPI = 100
)

var (
	trainColor = color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff} // blue
	testColor  = color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff} // orange
)

// Loss draws the train and test loss per epoch as two lines with points and
// writes the plot to w as a PNG image of PlotWidth×PlotHeight at PlotDPI.
//
// train[i] and test[i] are the losses after epoch i+1; the x axis shows
// epochs 1..len(train). test may be shorter than train or empty (then only
// the train line is drawn), but not longer. Non-finite losses (NaN, ±Inf,
// as from a diverging run) are left out of the lines so the finite part stays
// readable; train must contain at least one finite value.
func Loss(w io.Writer, title, ylabel string, train, test []float64) error {
	if len(train) == 0 {
		return fmt.Errorf("%w: Loss: no train losses", errArg)
	}
	if len(test) > len(train) {
		return fmt.Errorf("%w: Loss: len(test)=%d > len(train)=%d", errArg, len(test), len(train))
	}
	trainXY := epochXYs(train)
	if len(trainXY) == 0 {
		return fmt.Errorf("%w: Loss: train losses are all non-finite", errArg)
	}

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = plot.TickerFunc(epochTicks)
	p.Add(plotter.NewGrid())

	series := []struct {
		name string
		xys  plotter.XYs
		col  color.Color
		dash bool
	}{
		{"train", trainXY, trainColor, false},
		{"test", epochXYs(test), testColor, true},
	}
	for _, s := range series {
		if len(s.xys) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			return fmt.Errorf("plots: Loss: %s line: %w", s.name, err)
		}
		l.Color = s.col
		l.Width = vg.Points(1.5)
		if s.dash {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		pts.Color = s.col
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(2.5)
		p.Add(l, pts)
		p.Legend.Add(s.name, l, pts)
	}
	// Losses usually fall, leaving the top right corner empty.
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.XOffs = -vg.Points(8)
	p.Legend.YOffs = -vg.Points(4)

	return writePNG(w, p, PlotWidth, PlotHeight, "Loss")
}

// epochXYs returns the points (i+1, v[i]) for the finite values of v.
func epochXYs(v []float64) plotter.XYs {
	xys := make(plotter.XYs, 0, len(v))
	for i, y := range v {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			continue
		}
		xys = append(xys, plotter.XY{X: float64(i + 1), Y: y})
	}
	return xys
}

// epochTicks places major ticks on whole epochs, at a step of 1, 2 or 5
// times a power of ten chosen to give at most about 10 labels.
func epochTicks(min, max float64) []plot.Tick {
	span := max - min
	step := 1.0
	for _, mult := range []float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000} {
		step = mult
		if span/step <= 10 {
			break
		}
	}
	for span/step > 10 { // very long runs
		step *= 10
	}
	var ticks []plot.Tick
	for v := math.Ceil(min/step) * step; v <= max; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ticks
}

// writePNG draws p on a width×height canvas at PlotDPI and encodes it to w.
func writePNG(w io.Writer, p *plot.Plot, width, height vg.Length, fn string) error {
	c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PlotDPI))
	p.Draw(draw.New(c))
	return encode(w, c, fn)
}

// encode writes the canvas c to w as a PNG image.
func encode(w io.Writer, c *vgimg.Canvas, fn string) error {
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("plots: %s: encoding PNG: %w", fn, err)
	}
	return nil
}
