package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// MaxLatentPoints is the largest number of points Latent draws; only the
// first MaxLatentPoints codes are used, to keep the PNG small and the plot
// legible.
const MaxLatentPoints = 5000

// LabelColors are the colours of labels 0..9 in Latent plots
// (the Tableau 10 palette).
var LabelColors = [10]color.RGBA{
	{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // 0 blue
	{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // 1 orange
	{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // 2 green
	{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // 3 red
	{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // 4 purple
	{R: 0x8c, G: 0x56, B: 0x4b, A: 0xff}, // 5 brown
	{R: 0xe3, G: 0x77, B: 0xc2, A: 0xff}, // 6 pink
	{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff}, // 7 grey
	{R: 0xbc, G: 0xbd, B: 0x22, A: 0xff}, // 8 olive
	{R: 0x17, G: 0xbe, B: 0xcf, A: 0xff}, // 9 cyan
}

// Latent draws a 2-D scatter plot of the codes z coloured by label and
// writes it to w as a PNG image of PlotWidth×PlotHeight at PlotDPI, with
// the legend ("0".."9") in a strip to the right of the plot.
//
// z is a row-major (n, k) batch of codes and labels holds the n labels,
// each in 0..9. Only the first MaxLatentPoints codes are drawn; they must
// be finite. How the codes are placed depends on k:
//   - k > 2: z is projected onto its first two principal components (see
//     Project2); the axes are "PC1" and "PC2" and the title gives the
//     fraction of the total variance they explain.
//   - k == 2: z is drawn as is, with axes "z1" and "z2".
//   - k == 1: z is drawn on the x axis against the label on the y axis,
//     jittered by up to ±0.3 (with a fixed seed) so that each class is a
//     horizontal band whose spread and overlap with other classes is visible.
//
// Points are drawn in data order, so no class is systematically hidden
// beneath another.
func Latent(w io.Writer, z []float32, k int, labels []uint8) error {
	n := len(labels)
	if k <= 0 {
		return fmt.Errorf("%w: Latent: k=%d must be positive", errArg, k)
	}
	if n == 0 {
		return fmt.Errorf("%w: Latent: no points", errArg)
	}
	if len(z)%k != 0 || len(z)/k != n {
		return fmt.Errorf("%w: Latent: len(z)=%d, want len(labels)*k=%d*%d", errArg, len(z), n, k)
	}
	for i, l := range labels {
		if int(l) >= len(LabelColors) {
			return fmt.Errorf("%w: Latent: labels[%d]=%d is not in 0..9", errArg, i, l)
		}
	}
	if n > MaxLatentPoints {
		n = MaxLatentPoints
		z, labels = z[:n*k], labels[:n]
	}
	for i, v := range z {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%w: Latent: z[%d] (code %d) is %v", errArg, i, i/k, v)
		}
	}

	p := plot.New()
	xys := make(plotter.XYs, n)
	switch {
	case k > 2:
		xy, frac, err := project2(z, k)
		if err != nil {
			return fmt.Errorf("Latent: %w", err)
		}
		for i := range xys {
			xys[i] = plotter.XY{X: xy[2*i], Y: xy[2*i+1]}
		}
		p.Title.Text = fmt.Sprintf("PCA of %d-D codes (PC1+PC2: %.0f%% of variance), n=%d", k, 100*frac, n)
		p.X.Label.Text = "PC1"
		p.Y.Label.Text = "PC2"
	case k == 2:
		for i := range xys {
			xys[i] = plotter.XY{X: float64(z[2*i]), Y: float64(z[2*i+1])}
		}
		p.Title.Text = fmt.Sprintf("2-D codes, n=%d", n)
		p.X.Label.Text = "z1"
		p.Y.Label.Text = "z2"
	default: // k == 1
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range xys {
			xys[i] = plotter.XY{X: float64(z[i]), Y: float64(labels[i]) + 0.6*(rng.Float64()-0.5)}
		}
		p.Title.Text = fmt.Sprintf("1-D codes by label, n=%d", n)
		p.X.Label.Text = "z1"
		p.Y.Label.Text = "label (jittered)"
		p.Y.Tick.Marker = labelTicks{}
	}

	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return fmt.Errorf("plots: Latent: codes: %w", err)
	}
	radius := vg.Points(1.6)
	if n > 2000 {
		radius = vg.Points(1.2)
	}
	var styles [10]draw.GlyphStyle
	for l, c := range LabelColors {
		c.A = 0xc0 // slightly translucent so dense regions show overlap
		styles[l] = draw.GlyphStyle{Color: premultiply(c), Radius: radius, Shape: draw.CircleGlyph{}}
	}
	sc.GlyphStyleFunc = func(i int) draw.GlyphStyle { return styles[labels[i]] }
	p.Add(plotter.NewGrid(), sc)

	// The legend goes in its own strip right of the plot so it never
	// covers data. Thumbnails use larger glyphs than the data points.
	legend := plot.NewLegend()
	legend.Top = true
	legend.Left = true
	legend.ThumbnailWidth = vg.Points(10)
	for l, c := range LabelColors {
		legend.Add(strconv.Itoa(l), glyphThumb{draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}})
	}

	c := vgimg.NewWith(vgimg.UseWH(PlotWidth, PlotHeight), vgimg.UseDPI(PlotDPI))
	dc := draw.New(c)
	legendW := vg.Points(36)
	p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	// Align the legend's top with the top of the data area, below the title.
	ldc := draw.Crop(dc, PlotWidth-legendW+vg.Points(6), 0, 0, 0)
	ldc.Max.Y -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding + vg.Points(4)
	legend.Draw(ldc)
	return encode(w, c, "Latent")
}

// glyphThumb is a legend thumbnail showing a single glyph.
type glyphThumb struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.sty, c.Center()) }

// labelTicks labels the whole numbers 0..9 on the label axis of a k == 1
// Latent plot.
type labelTicks struct{}

// Ticks implements plot.Ticker.
func (labelTicks) Ticks(min, max float64) []plot.Tick {
	var ts []plot.Tick
	for l := range LabelColors {
		if v := float64(l); v >= min && v <= max {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.Itoa(l)})
		}
	}
	return ts
}

// premultiply returns c, whose colour channels are not premultiplied by its
// alpha, as a color.RGBA (which is alpha-premultiplied).
func premultiply(c color.RGBA) color.RGBA {
	return color.RGBAModel.Convert(color.NRGBA(c)).(color.RGBA)
}

// Project2 projects the row-major (n, k) batch z onto its first two
// principal components and returns the (n, 2) row-major projections.
//
// For k > 2 the columns of z are mean-centred and projected onto the two
// leading principal directions (computed with gonum's stat.PC), so the
// result has zero mean; each direction's sign is chosen to make its largest
// entry positive, so results are deterministic. This needs n ≥ 2.
// For k == 2, z is returned as is, converted to float64.
// k == 1 is an error since there is no second component.
func Project2(z []float32, k int) ([]float64, error) {
	xy, _, err := project2(z, k)
	if err != nil {
		return nil, fmt.Errorf("Project2: %w", err)
	}
	return xy, nil
}

// project2 implements Project2 and also returns the fraction of the total
// variance explained by the two components (1 for k == 2).
func project2(z []float32, k int) (xy []float64, frac float64, err error) {
	if k < 2 {
		return nil, 0, fmt.Errorf("%w: k=%d, need k ≥ 2", errArg, k)
	}
	if len(z) == 0 || len(z)%k != 0 {
		return nil, 0, fmt.Errorf("%w: len(z)=%d is not a positive multiple of k=%d", errArg, len(z), k)
	}
	n := len(z) / k
	data := make([]float64, len(z))
	for i, v := range z {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, 0, fmt.Errorf("%w: z[%d] (row %d) is %v", errArg, i, i/k, v)
		}
		data[i] = f
	}
	if k == 2 {
		return data, 1, nil
	}
	if n < 2 {
		return nil, 0, fmt.Errorf("%w: need at least 2 points for principal components, have %d", errArg, n)
	}

	a := mat.NewDense(n, k, data)
	var pc stat.PC
	if !pc.PrincipalComponents(a, nil) {
		return nil, 0, fmt.Errorf("plots: principal components of %d×%d codes: SVD failed", n, k)
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	v2 := mat.DenseCopyOf(vecs.Slice(0, k, 0, 2))
	for j := 0; j < 2; j++ {
		col := mat.Col(nil, j, v2)
		big := 0
		for i := range col {
			if math.Abs(col[i]) > math.Abs(col[big]) {
				big = i
			}
		}
		if col[big] < 0 {
			for i := range col {
				v2.Set(i, j, -col[i])
			}
		}
	}
	vars := pc.VarsTo(nil)
	var total float64
	for _, v := range vars {
		total += v
	}
	if total > 0 {
		frac = (vars[0] + vars[1]) / total
	}

	// Centre the columns of a in place and project.
	for j := 0; j < k; j++ {
		var mean float64
		for i := 0; i < n; i++ {
			mean += data[i*k+j]
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			data[i*k+j] -= mean
		}
	}
	out := mat.NewDense(n, 2, nil)
	out.Mul(a, v2)
	return out.RawMatrix().Data, frac, nil
}
