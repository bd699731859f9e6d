package plots

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// MaxColumnBars is the largest number of columns ColumnErrors draws a bar
// for; with more columns it draws the MaxColumnBars with the largest error.
const MaxColumnBars = 40

// ColumnErrors draws the reconstruction error of each column of a table as
// a horizontal bar chart, so that the features the autoencoder rebuilds
// badly stand out, and writes it to w as a PNG image of
// PlotWidth×PlotHeight at PlotDPI.
//
// columns holds the D column names and errs the D errors: errs[j] is the
// error of column j, such as its mean squared error over the test set. The
// errors must be finite and ≥ 0. Each column is a bar labelled with its name
// (shortened in the middle with "…" if too long; an empty name is shown as
// "column j");
// the x axis, starting at 0, gives the error. The title is title, or
// "Reconstruction error by column" if title is empty.
//
// With at most MaxColumnBars columns, every column is drawn, in table order
// from top to bottom. With more, only the MaxColumnBars columns with the
// largest error are drawn, largest at the top (ties in table order), and the
// title says how many of how many columns are shown.
func ColumnErrors(w io.Writer, title string, columns []string, errs []float64) error {
	d := len(errs)
	if d == 0 {
		return fmt.Errorf("%w: ColumnErrors: no columns", errArg)
	}
	if len(columns) != d {
		return fmt.Errorf("%w: ColumnErrors: len(columns)=%d, len(errs)=%d, want equal",
			errArg, len(columns), d)
	}
	for j, e := range errs {
		if math.IsNaN(e) || math.IsInf(e, 0) || e < 0 {
			return fmt.Errorf("%w: ColumnErrors: errs[%d]=%v (column %q) is not finite and ≥ 0",
				errArg, j, e, columns[j])
		}
	}

	if title == "" {
		title = "Reconstruction error by column"
	}
	shown := shownColumns(errs)
	if len(shown) < d {
		title = fmt.Sprintf("%s (the %d largest of %d columns)", title, len(shown), d)
	}
	// Bar i from the top is at y = m-1-i, since y grows upwards.
	m := len(shown)
	vals := make(plotter.Values, m)
	names := make([]string, m)
	var top float64
	for i, j := range shown {
		vals[m-1-i] = errs[j]
		names[m-1-i] = columns[j]
		if columns[j] == "" {
			names[m-1-i] = fmt.Sprintf("column %d", j)
		}
		top = max(top, errs[j])
	}

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "reconstruction error"
	bars, err := plotter.NewBarChart(vals, vg.Points(1))
	if err != nil {
		return fmt.Errorf("plots: ColumnErrors: bars: %w", err)
	}
	bars.Horizontal = true
	bars.Color = trainColor
	bars.LineStyle.Width = 0
	grid := plotter.NewGrid()
	grid.Horizontal.Color = nil // the bars need no horizontal lines
	p.Add(grid, bars)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, min(1.04*top, math.MaxFloat64) // room right of the longest bar
	if top == 0 {
		p.X.Max = 1 // all errors zero: show a unit axis rather than [-1, 1]
	}
	p.Y.Min, p.Y.Max = -0.5, float64(m)-0.5

	// Size the bars and their labels to the height of the data area: a
	// bar's row is pitch high.
	c := vgimg.NewWith(vgimg.UseWH(PlotWidth, PlotHeight), vgimg.UseDPI(PlotDPI))
	dc := draw.Crop(draw.New(c), vg.Points(4), 0, 0, 0) // keep names off the edge
	da := p.DataCanvas(dc)
	pitch := (da.Max.Y - da.Min.Y) / vg.Length(m)
	bars.Width = min(0.75*pitch, vg.Points(24))
	p.Y.Tick.Label.Font.Size = min(p.Y.Tick.Label.Font.Size, 0.85*pitch)
	for i := range names {
		names[i] = fit(p.Y.Tick.Label, names[i], PlotWidth/3)
	}
	p.NominalY(names...)
	p.Draw(dc)
	return encode(w, c, "ColumnErrors")
}

// shownColumns returns the indices of the columns ColumnErrors draws for
// errs, from top to bottom: all of them in order if there are at most
// MaxColumnBars, else the MaxColumnBars with the largest error, largest
// first, ties in column order.
func shownColumns(errs []float64) []int {
	shown := make([]int, len(errs))
	for j := range shown {
		shown[j] = j
	}
	if len(errs) <= MaxColumnBars {
		return shown
	}
	slices.SortStableFunc(shown, func(a, b int) int { return cmp.Compare(errs[b], errs[a]) })
	return shown[:MaxColumnBars]
}
