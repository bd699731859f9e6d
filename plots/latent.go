package plots

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

const (
	// MaxLatentPoints is the largest number of points Latent draws; only
	// the first MaxLatentPoints codes are used, to keep the PNG small and
	// the plot legible.
	MaxLatentPoints = 5000

	// MaxLegendClasses is the largest number of classes listed in the
	// legend of a Latent plot, and of class names on the label axis of a
	// k == 1 plot. With more classes the legend lists the first
	// MaxLegendClasses and says how many more there are.
	MaxLegendClasses = 20
)

// LabelColors are the colours of the classes in Latent plots (the
// Tableau 10 palette): class i is drawn in LabelColors[i%10].
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

// classShapes are the marker shapes of the classes in Latent plots: class i
// is drawn as classShapes[(i/10)%3], so that classes sharing a colour differ
// in shape up to 30 classes.
var classShapes = [...]draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}}

// Latent draws a 2-D scatter plot of the codes z, coloured by class, and
// writes it to w as a PNG image of PlotWidth×PlotHeight at PlotDPI.
//
// z is a row-major (n, k) batch of codes. labels holds the class of each
// code, an index into classes, whose names the legend (in a strip to the
// right of the plot) shows: code i belongs to class classes[labels[i]], so
// len(labels) must be n and each label must be in [0, len(classes)).
// labels == nil means the codes are unlabelled: n is len(z)/k, every point
// is drawn in LabelColors[0] and there is no legend (classes is then
// ignored).
//
// Class c is drawn in colour LabelColors[c%10]; with more than 10 classes
// the colours repeat, the marker shape changes every 10 classes (circle,
// square, triangle, then circle again) and the title says so. The legend
// lists at most the first MaxLegendClasses classes, then how many more there
// are; names too long for the legend strip are shortened in the middle with
// "…", and an empty name is shown as "".
//
// Only the first MaxLatentPoints codes are drawn; they must be finite. How
// the codes are placed depends on k:
//   - k > 2: z is projected onto its first two principal components (see
//     Project2); the axes are "PC1" and "PC2" and the title gives the
//     fraction of the total variance they explain.
//   - k == 2: z is drawn as is, with axes "z1" and "z2".
//   - k == 1: z is drawn on the x axis against the class index on the y
//     axis, which is labelled with the class names (every class up to
//     MaxLegendClasses classes, evenly spaced ones beyond), jittered by up
//     to ±0.3 (with a fixed seed) so that each class is a horizontal band
//     whose spread and overlap with other classes is visible. Unlabelled
//     codes form a single band.
//
// Points are drawn in data order, so no class is systematically hidden
// beneath another.
func Latent(w io.Writer, z []float32, k int, labels []int, classes []string) error {
	if k <= 0 {
		return fmt.Errorf("%w: Latent: k=%d must be positive", errArg, k)
	}
	labelled := labels != nil
	n := len(z) / k
	if labelled {
		n = len(labels)
	} else {
		classes = nil
	}
	if n == 0 {
		return fmt.Errorf("%w: Latent: no points", errArg)
	}
	if len(z)%k != 0 || len(z)/k != n {
		if labelled {
			return fmt.Errorf("%w: Latent: len(z)=%d, want len(labels)*k=%d*%d", errArg, len(z), n, k)
		}
		return fmt.Errorf("%w: Latent: len(z)=%d is not a multiple of k=%d", errArg, len(z), k)
	}
	for i, l := range labels {
		if l < 0 || l >= len(classes) {
			return fmt.Errorf("%w: Latent: labels[%d]=%d is not in [0, %d), the range of indices into classes",
				errArg, i, l, len(classes))
		}
	}
	if n > MaxLatentPoints {
		n = MaxLatentPoints
		z = z[:n*k]
		if labelled {
			labels = labels[:n]
		}
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
	case labelled: // k == 1
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range xys {
			xys[i] = plotter.XY{X: float64(z[i]), Y: float64(labels[i]) + 0.6*(rng.Float64()-0.5)}
		}
		p.Title.Text = fmt.Sprintf("1-D codes by label, n=%d", n)
		p.X.Label.Text = "z1"
		p.Y.Label.Text = "label (jittered)"
		p.Y.Tick.Marker = classTicks{sty: p.Y.Tick.Label, names: classes}
	default: // k == 1, unlabelled
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range xys {
			xys[i] = plotter.XY{X: float64(z[i]), Y: 0.6 * (rng.Float64() - 0.5)}
		}
		p.Title.Text = fmt.Sprintf("1-D codes, n=%d", n)
		p.X.Label.Text = "z1"
		p.Y.Label.Text = "jitter"
		p.Y.Tick.Marker = plot.ConstantTicks([]plot.Tick{})
		p.Y.Min, p.Y.Max = -0.5, 0.5 // a band across the middle
	}
	if note := classNote(len(classes)); note != "" {
		p.Title.Text += "\n" + note
	}

	sc, err := plotter.NewScatter(xys)
	if err != nil {
		return fmt.Errorf("plots: Latent: codes: %w", err)
	}
	radius := vg.Points(1.6)
	if n > 2000 {
		radius = vg.Points(1.2)
	}
	styles := make([]draw.GlyphStyle, max(len(classes), 1))
	for l := range styles {
		col := LabelColors[l%len(LabelColors)]
		col.A = 0xc0 // slightly translucent so dense regions show overlap
		styles[l] = draw.GlyphStyle{Color: premultiply(col), Radius: radius, Shape: classShape(l)}
	}
	if labelled {
		sc.GlyphStyleFunc = func(i int) draw.GlyphStyle { return styles[labels[i]] }
	} else {
		sc.GlyphStyle = styles[0]
	}
	p.Add(plotter.NewGrid(), sc)

	c := vgimg.NewWith(vgimg.UseWH(PlotWidth, PlotHeight), vgimg.UseDPI(PlotDPI))
	dc := draw.New(c)
	if !labelled {
		p.Draw(dc)
		return encode(w, c, "Latent")
	}

	// The legend goes in its own strip right of the plot so it never
	// covers data. Thumbnails use larger glyphs than the data points.
	legend := plot.NewLegend()
	legend.Top = true
	legend.Left = true
	legend.ThumbnailWidth = vg.Points(10)
	const (
		legendLeft  = 6 // points between the plot and the thumbnails
		legendRight = 4 // points right of the longest name
	)
	// The strip is 36 points wide, enough for "0".."9", and widens for
	// longer names up to a quarter of the picture.
	legendW, maxLegendW := vg.Points(36), PlotWidth/4
	maxText := maxLegendW - vg.Points(legendLeft+legendRight) - legend.ThumbnailWidth - legend.TextStyle.Width(" ")
	addEntry := func(name string, thumbs ...plot.Thumbnailer) {
		name = fit(legend.TextStyle, name, maxText)
		legend.Add(name, thumbs...)
		legendW = max(legendW, vg.Points(legendLeft+legendRight)+legend.ThumbnailWidth+legend.TextStyle.Width(" "+name))
	}
	for l, name := range legendNames(classes) {
		if l == MaxLegendClasses { // "… n more"
			addEntry(name)
			break
		}
		col := LabelColors[l%len(LabelColors)]
		addEntry(name, glyphThumb{draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: classShape(l)}})
	}

	p.Draw(draw.Crop(dc, 0, -legendW, 0, 0))
	// Align the legend's top with the top of the data area, below the title.
	ldc := draw.Crop(dc, PlotWidth-legendW+vg.Points(legendLeft), 0, 0, 0)
	ldc.Max.Y -= p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding + vg.Points(4)
	legend.Draw(ldc)
	return encode(w, c, "Latent")
}

// legendNames returns the entries of a Latent legend for classes: the
// first MaxLegendClasses class names and, if there are more classes, a last
// entry saying how many more.
func legendNames(classes []string) []string {
	if len(classes) <= MaxLegendClasses {
		return classes
	}
	names := append([]string(nil), classes[:MaxLegendClasses]...)
	return append(names, fmt.Sprintf("… %d more", len(classes)-MaxLegendClasses))
}

// classShape returns the marker shape of class l in Latent plots.
func classShape(l int) draw.GlyphDrawer {
	return classShapes[l/len(LabelColors)%len(classShapes)]
}

// classNote returns the line Latent adds to its title to say how nc classes
// share colours, or "" if every class has its own colour.
func classNote(nc int) string {
	nCol := len(LabelColors)
	switch nAll := nCol * len(classShapes); {
	case nc <= nCol:
		return ""
	case nc <= nAll:
		return fmt.Sprintf("%d classes: colours repeat every %d, with another marker shape", nc, nCol)
	default:
		return fmt.Sprintf("%d classes: colours repeat every %d, colour and shape every %d", nc, nCol, nAll)
	}
}

// fit returns the name s as shown in a legend or on an axis: "" is shown
// as `""`, control characters are replaced by spaces and, if its width in
// sty exceeds width, the name is shortened to fit by replacing its middle
// with "…", so that both the start and the end of the name (which often tell
// similar names apart) stay visible.
func fit(sty text.Style, s string, width vg.Length) string {
	if s == "" {
		s = `""`
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if sty.Width(s) <= width {
		return s
	}
	r := []rune(s)
	// keep returns s shortened to its first and last runes, k in all.
	keep := func(k int) string {
		head := strings.TrimRightFunc(string(r[:(k+1)/2]), unicode.IsSpace)
		tail := strings.TrimLeftFunc(string(r[len(r)-k/2:]), unicode.IsSpace)
		return head + "…" + tail
	}
	// Binary search for the most runes that fit with the ellipsis.
	lo, hi := 0, len(r) // keep(lo) fits (or lo == 0); keep(hi) does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if sty.Width(keep(mid)) <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return keep(lo)
}

// glyphThumb is a legend thumbnail showing a single glyph.
type glyphThumb struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (g glyphThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(g.sty, c.Center()) }

// classTicks labels the class axis of a k == 1 Latent plot: class i at
// the value i, with its name shortened to fit. With more than
// MaxLegendClasses classes only every step-th class is labelled, so that
// the names do not overlap.
type classTicks struct {
	sty   text.Style // style of the tick labels, for shortening names
	names []string
}

// maxTickName is the widest class name on the class axis of a k == 1
// Latent plot; longer names are shortened.
const maxTickName = PlotWidth / 5

// Ticks implements plot.Ticker.
func (t classTicks) Ticks(min, max float64) []plot.Tick {
	step := (len(t.names) + MaxLegendClasses - 1) / MaxLegendClasses
	var ts []plot.Tick
	for l := 0; l < len(t.names); l += step {
		if v := float64(l); v >= min && v <= max {
			ts = append(ts, plot.Tick{Value: v, Label: fit(t.sty, t.names[l], maxTickName)})
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
