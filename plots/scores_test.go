package plots

import (
	"bytes"
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/plot/vg"
)

// hues counts the pixels of img in the rectangle r that are clearly blue
// (the normal samples' colour) and clearly orange (the anomalous ones').
func hues(img image.Image, r image.Rectangle) (blue, orange int) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, _, cb, _ := img.At(x, y).RGBA()
			switch {
			case cb > cr+0x2000:
				blue++
			case cr > cb+0x2000:
				orange++
			}
		}
	}
	return blue, orange
}

// Errors of normal samples near 0.01, of anomalies near 0.1: the blue
// histogram stands left of the orange one, on a log axis; on scores that
// span less than ten times (and go below 0) on a linear one too.
func TestScores(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		name      string
		score     func(anomalous bool) float64
		threshold float64
	}{
		{"errors", func(a bool) float64 {
			if a {
				return 0.1 * math.Exp(0.3*rng.NormFloat64())
			}
			return 0.01 * math.Exp(0.3*rng.NormFloat64())
		}, 0.03},
		{"linear", func(a bool) float64 {
			if a {
				return 2 + 0.3*rng.NormFloat64()
			}
			return -1 + 0.3*rng.NormFloat64()
		}, math.NaN()},
	} {
		var scores []float64
		var anomalous []bool
		for i := range 2000 {
			a := i%10 == 0 // 10% anomalies
			scores, anomalous = append(scores, tc.score(a)), append(anomalous, a)
		}
		scores[5] = math.Inf(1) // left out, not fatal
		var buf bytes.Buffer
		if err := Scores(&buf, tc.name, scores, anomalous, tc.threshold); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		checkPlot(t, tc.name, buf.Bytes())
		img := decode(t, buf.Bytes())
		b := img.Bounds()
		mid := b.Min.X + b.Dx()/2
		lb, lo := hues(img, image.Rect(b.Min.X, b.Min.Y, mid, b.Max.Y))
		rb, ro := hues(img, image.Rect(mid, b.Min.Y, b.Max.X, b.Max.Y))
		if lb <= rb || ro <= lo || lb < 500 || ro < 500 {
			t.Errorf("%s: blue pixels left/right %d/%d, orange %d/%d: want normal scores left, anomalous right", tc.name, lb, rb, lo, ro)
		}
	}
	for _, bad := range []struct {
		scores    []float64
		anomalous []bool
	}{
		{[]float64{1, 2}, []bool{true}},
		{[]float64{1, 2}, []bool{false, false}},
		{[]float64{1, math.NaN()}, []bool{false, true}}, // the only anomaly is NaN
	} {
		if err := Scores(&bytes.Buffer{}, "bad", bad.scores, bad.anomalous, math.NaN()); err == nil {
			t.Errorf("Scores(%v, %v): no error", bad.scores, bad.anomalous)
		}
	}
}

// A perfect detector's curve runs up the left edge and along the top: blue
// in the top-left quarter of the plot, none in the bottom-right one.
func TestROC(t *testing.T) {
	var buf bytes.Buffer
	if err := ROC(&buf, "perfect", []float64{0, 0, 0.5, 1}, []float64{0, 1, 1, 1}, 1); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	side := int(math.Round(float64(PlotHeight / vg.Inch * PlotDPI)))
	b := img.Bounds()
	if b.Dx() != side || b.Dy() != side {
		t.Fatalf("size %v, want %d×%d", b, side, side)
	}
	c := b.Min.Add(image.Pt(b.Dx()/2, b.Dy()/2))
	topLeft, _ := hues(img, image.Rectangle{b.Min, c})
	bottomRight, _ := hues(img, image.Rectangle{c, b.Max.Sub(image.Pt(b.Dx()/4, b.Dy()/4))}) // the legend sits lower right
	if topLeft < 100 || bottomRight != 0 {
		t.Errorf("blue pixels: %d top left, %d bottom right", topLeft, bottomRight)
	}
	for _, bad := range [][2][]float64{
		{{0}, {0}},
		{{0, 1}, {0}},
		{{0, 1.5}, {0, 1}},
		{{0, math.NaN()}, {0, 1}},
	} {
		if err := ROC(&bytes.Buffer{}, "bad", bad[0], bad[1], 0.5); err == nil {
			t.Errorf("ROC(%v, %v): no error", bad[0], bad[1])
		}
	}
}
