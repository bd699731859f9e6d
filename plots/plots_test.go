package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// decode decodes a PNG produced by one of the functions under test.
func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	return img
}

// greyAt returns the grey level of img at (x, y).
func greyAt(img image.Image, x, y int) uint8 {
	return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
}

// fill returns an image of h*wd pixels all equal to v.
func fill(h, wd int, v float32) []float32 {
	px := make([]float32, h*wd)
	for i := range px {
		px[i] = v
	}
	return px
}

func TestGridSize(t *testing.T) {
	for _, tc := range []struct {
		h, wd, rows, cols, scale, m int
	}{
		{28, 28, 1, 1, 1, 1},
		{28, 28, 4, 8, 2, 32},
		{28, 28, 3, 5, 1, 11}, // fewer images than cells
		{5, 7, 2, 3, 3, 6},    // non-square images
		{28, 28, 2, 2, 1, 0},  // no images at all
	} {
		var buf bytes.Buffer
		if err := Grid(&buf, make([]float32, tc.m*tc.h*tc.wd), []int{tc.h, tc.wd}, tc.rows, tc.cols, tc.scale); err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		b := decode(t, buf.Bytes()).Bounds()
		wantW := tc.cols*tc.wd*tc.scale + (tc.cols-1)*Gap
		wantH := tc.rows*tc.h*tc.scale + (tc.rows-1)*Gap
		if b.Dx() != wantW || b.Dy() != wantH {
			t.Errorf("%+v: size %d×%d, want %d×%d", tc, b.Dx(), b.Dy(), wantW, wantH)
		}
	}
}

func TestGridPixels(t *testing.T) {
	const h, wd, rows, cols, scale = 4, 6, 2, 4, 3
	cells := [][]float32{
		fill(h, wd, 1),
		fill(h, wd, 0),
		fill(h, wd, 0.5),
		fill(h, wd, 2),  // clamps to white
		fill(h, wd, -1), // clamps to black
		fill(h, wd, float32(math.NaN())),
		nil, // blank
		nil, // blank
	}
	// Cell 1 gets a single bright pixel at source row 1, column wd-1, to
	// check orientation.
	cells[1][1*wd+wd-1] = 1
	var images []float32
	for _, c := range cells {
		images = append(images, c...)
	}
	var buf bytes.Buffer
	if err := Grid(&buf, images, []int{h, wd}, rows, cols, scale); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	if _, ok := img.(*image.Gray); !ok {
		t.Errorf("decoded a %T, want an 8-bit greyscale *image.Gray", img)
	}

	cellX := func(c int) int { return c * (wd*scale + Gap) }
	cellY := func(r int) int { return r * (h*scale + Gap) }
	for _, tc := range []struct {
		name string
		x, y int
		want uint8
	}{
		{"all ones", cellX(0) + 1, cellY(0) + 1, 255},
		{"all zeros", cellX(1) + 1, cellY(0) + 1, 0},
		{"half", cellX(2) + scale*wd/2, cellY(0) + scale*h/2, 128},
		{"above one", cellX(3) + 2, cellY(0) + 2, 255},
		{"below zero", cellX(0) + 2, cellY(1) + 2, 0},
		{"NaN", cellX(1) + 2, cellY(1) + 2, 0},
		{"blank cell", cellX(2) + 2, cellY(1) + 2, GapGrey.Y},
		{"last blank cell corner", cellX(3) + wd*scale - 1, cellY(1) + h*scale - 1, GapGrey.Y},
		{"column gap", cellX(1) - 1, cellY(0) + 1, GapGrey.Y},
		{"row gap", cellX(0) + 1, cellY(1) - 1, GapGrey.Y},
		// The marked pixel, enlarged to scale×scale: row 1, last column.
		{"marked pixel top left", cellX(1) + (wd-1)*scale, cellY(0) + scale, 255},
		{"marked pixel bottom right", cellX(1) + wd*scale - 1, cellY(0) + 2*scale - 1, 255},
		{"left of marked pixel", cellX(1) + (wd-1)*scale - 1, cellY(0) + scale, 0},
		{"above marked pixel", cellX(1) + (wd-1)*scale, cellY(0) + scale - 1, 0},
		{"below marked pixel", cellX(1) + (wd-1)*scale, cellY(0) + 2*scale, 0},
	} {
		if got := greyAt(img, tc.x, tc.y); got != tc.want {
			t.Errorf("%s: pixel (%d, %d) = %d, want %d", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
}

// TestGridGreyBytes checks that a grey grid is exactly the PNG encoding of
// the expected image.Gray, as before colour images were supported, and that
// the shapes (H, W) and (1, H, W) give the same bytes.
func TestGridGreyBytes(t *testing.T) {
	const h, wd, rows, cols, scale, m = 3, 2, 2, 3, 2, 5
	rng := rand.New(rand.NewPCG(5, 6))
	images := make([]float32, m*h*wd)
	for i := range images {
		images[i] = rng.Float32()*1.4 - 0.2 // some out of [0, 1]
	}
	want := image.NewGray(image.Rect(0, 0, cols*wd*scale+(cols-1)*Gap, rows*h*scale+(rows-1)*Gap))
	for i := range want.Pix {
		want.Pix[i] = GapGrey.Y
	}
	for i := 0; i < m; i++ {
		x0, y0 := (i%cols)*(wd*scale+Gap), (i/cols)*(h*scale+Gap)
		for y := 0; y < h*scale; y++ {
			for x := 0; x < wd*scale; x++ {
				v := min(max(images[i*h*wd+(y/scale)*wd+x/scale], 0), 1)
				want.SetGray(x0+x, y0+y, color.Gray{Y: uint8(v*255 + 0.5)})
			}
		}
	}
	var wantPNG bytes.Buffer
	if err := png.Encode(&wantPNG, want); err != nil {
		t.Fatal(err)
	}
	for _, shape := range [][]int{{h, wd}, {1, h, wd}} {
		var buf bytes.Buffer
		if err := Grid(&buf, images, shape, rows, cols, scale); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), wantPNG.Bytes()) {
			t.Errorf("shape %v: PNG differs from the expected greyscale image", shape)
		}
	}

	var a, b bytes.Buffer
	if err := Recon(&a, images, images, m, []int{h, wd}); err != nil {
		t.Fatal(err)
	}
	if err := Recon(&b, images, images, m, []int{1, h, wd}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Errorf("Recon: shapes (H, W) and (1, H, W) give different PNGs")
	}
	if img := decode(t, a.Bytes()); img.ColorModel() != color.GrayModel {
		t.Errorf("Recon: grey images give a %T, want *image.Gray", img)
	}
}

// rgbFill returns a CHW image of h×wd pixels all of colour (r, g, b).
func rgbFill(h, wd int, r, g, b float32) []float32 {
	return append(append(fill(h, wd, r), fill(h, wd, g)...), fill(h, wd, b)...)
}

// rgbAt returns the 8-bit colour of img at (x, y).
func rgbAt(img image.Image, x, y int) color.RGBA {
	r, g, b, a := img.At(x, y).RGBA()
	return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}
}

func TestGridRGB(t *testing.T) {
	const h, wd, rows, cols, scale = 3, 4, 2, 4, 2
	nan := float32(math.NaN())
	cells := [][]float32{
		rgbFill(h, wd, 1, 0, 0),
		rgbFill(h, wd, 0, 1, 0),
		rgbFill(h, wd, 0, 0, 1),
		rgbFill(h, wd, 0.5, 0.25, 1),
		rgbFill(h, wd, 2, -1, nan), // clamps to red
		rgbFill(h, wd, 0, 0, 0),
		nil, // blank
		nil, // blank
	}
	// Cell 5 gets a single yellow pixel at source row 1, column wd-1, to
	// check orientation and that the channels are planes.
	plane := h * wd
	cells[5][0*plane+1*wd+wd-1] = 1
	cells[5][1*plane+1*wd+wd-1] = 1
	var images []float32
	for _, c := range cells {
		images = append(images, c...)
	}
	var buf bytes.Buffer
	if err := Grid(&buf, images, []int{3, h, wd}, rows, cols, scale); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	if b := img.Bounds(); b.Dx() != cols*wd*scale+(cols-1)*Gap || b.Dy() != rows*h*scale+(rows-1)*Gap {
		t.Errorf("size %d×%d, want %d×%d", b.Dx(), b.Dy(), cols*wd*scale+(cols-1)*Gap, rows*h*scale+(rows-1)*Gap)
	}
	if img.ColorModel() == color.GrayModel || img.ColorModel() == color.Gray16Model {
		t.Errorf("decoded a greyscale %T, want RGB", img)
	}

	cellX := func(c int) int { return c * (wd*scale + Gap) }
	cellY := func(r int) int { return r * (h*scale + Gap) }
	gap := color.RGBA{R: GapGrey.Y, G: GapGrey.Y, B: GapGrey.Y, A: 0xff}
	yellow := color.RGBA{R: 255, G: 255, A: 255}
	black := color.RGBA{A: 255}
	for _, tc := range []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"red", cellX(0) + 1, cellY(0) + 1, color.RGBA{R: 255, A: 255}},
		{"red last pixel", cellX(0) + wd*scale - 1, cellY(0) + h*scale - 1, color.RGBA{R: 255, A: 255}},
		{"green", cellX(1) + 3, cellY(0) + 2, color.RGBA{G: 255, A: 255}},
		{"blue", cellX(2) + 5, cellY(0) + 4, color.RGBA{B: 255, A: 255}},
		{"mixed", cellX(3) + wd*scale/2, cellY(0) + h*scale/2, color.RGBA{R: 128, G: 64, B: 255, A: 255}},
		{"clamped", cellX(0) + 2, cellY(1) + 2, color.RGBA{R: 255, A: 255}},
		{"black", cellX(1), cellY(1), black},
		{"blank cell", cellX(2) + 2, cellY(1) + 2, gap},
		{"last blank cell corner", cellX(3) + wd*scale - 1, cellY(1) + h*scale - 1, gap},
		{"column gap", cellX(1) - 1, cellY(0) + 1, gap},
		{"row gap", cellX(0) + 1, cellY(1) - 1, gap},
		// The marked pixel, enlarged to scale×scale: row 1, last column.
		{"marked pixel top left", cellX(1) + (wd-1)*scale, cellY(1) + scale, yellow},
		{"marked pixel bottom right", cellX(1) + wd*scale - 1, cellY(1) + 2*scale - 1, yellow},
		{"left of marked pixel", cellX(1) + (wd-1)*scale - 1, cellY(1) + scale, black},
		{"above marked pixel", cellX(1) + (wd-1)*scale, cellY(1) + scale - 1, black},
		{"below marked pixel", cellX(1) + (wd-1)*scale, cellY(1) + 2*scale, black},
	} {
		if got := rgbAt(img, tc.x, tc.y); got != tc.want {
			t.Errorf("%s: pixel (%d, %d) = %v, want %v", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
}

func TestReconRGB(t *testing.T) {
	const h, wd, n = 2, 3, 20
	// Original i has red level i+1 and blue 200, reconstruction i green
	// level 100+i and blue 50 (in 1/255 steps).
	var x, recon []float32
	for i := 0; i < n; i++ {
		x = append(x, rgbFill(h, wd, float32(i+1)/255, 0, 200.0/255)...)
		recon = append(recon, rgbFill(h, wd, 0, float32(100+i)/255, 50.0/255)...)
	}
	var buf bytes.Buffer
	if err := Recon(&buf, x, recon, n, []int{3, h, wd}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	cols, blocks := reconLayout(n)
	cw, ch := wd*ReconScale, h*ReconScale
	wantW := cols*cw + (cols-1)*Gap
	wantH := 2*blocks*ch + blocks*Gap + (blocks-1)*PairGap
	if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
		t.Fatalf("size %d×%d, want %d×%d", b.Dx(), b.Dy(), wantW, wantH)
	}
	for i := 0; i < n; i++ {
		b, c := i/cols, i%cols
		px := c*(cw+Gap) + cw/2
		top := b * (2*ch + Gap + PairGap)
		if got, want := rgbAt(img, px, top+ch/2), (color.RGBA{R: uint8(i + 1), B: 200, A: 255}); got != want {
			t.Errorf("original %d: %v, want %v", i, got, want)
		}
		if got, want := rgbAt(img, px, top+ch+Gap+ch/2), (color.RGBA{G: uint8(100 + i), B: 50, A: 255}); got != want {
			t.Errorf("reconstruction %d: %v, want %v", i, got, want)
		}
	}
}

func TestRecon(t *testing.T) {
	const h, wd = 3, 2
	for _, tc := range []struct {
		n, cols, blocks int
	}{
		{1, 1, 1},
		{8, 8, 1},
		{16, 16, 1},
		{17, 9, 2},
		{20, 10, 2},
		{33, 11, 3},
		{64, 16, 4},
	} {
		// Original i is a uniform image of level i+1, reconstruction i of
		// level 100+i (in 1/255 steps), so every cell is identifiable.
		x := make([]float32, 0, tc.n*h*wd)
		recon := make([]float32, 0, tc.n*h*wd)
		for i := 0; i < tc.n; i++ {
			x = append(x, fill(h, wd, float32(i+1)/255)...)
			recon = append(recon, fill(h, wd, float32(100+i)/255)...)
		}
		var buf bytes.Buffer
		if err := Recon(&buf, x, recon, tc.n, []int{h, wd}); err != nil {
			t.Fatalf("n=%d: %v", tc.n, err)
		}
		img := decode(t, buf.Bytes())
		cw, ch := wd*ReconScale, h*ReconScale
		wantW := tc.cols*cw + (tc.cols-1)*Gap
		wantH := 2*tc.blocks*ch + tc.blocks*Gap + (tc.blocks-1)*PairGap
		if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
			t.Fatalf("n=%d: size %d×%d, want %d×%d", tc.n, b.Dx(), b.Dy(), wantW, wantH)
		}
		for i := 0; i < tc.n; i++ {
			b, c := i/tc.cols, i%tc.cols
			px := c*(cw+Gap) + cw/2
			top := b * (2*ch + Gap + PairGap)
			if got, want := greyAt(img, px, top+ch/2), uint8(i+1); got != want {
				t.Errorf("n=%d: original %d: grey %d, want %d", tc.n, i, got, want)
			}
			if got, want := greyAt(img, px, top+ch+Gap+ch/2), uint8(100+i); got != want {
				t.Errorf("n=%d: reconstruction %d: grey %d, want %d", tc.n, i, got, want)
			}
		}
	}
}

func TestLoss(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name        string
		train, test []float64
	}{
		{"ten epochs", []float64{0.3, 0.2, 0.15, 0.12, 0.1, 0.09, 0.085, 0.08, 0.078, 0.077},
			[]float64{0.25, 0.19, 0.15, 0.13, 0.11, 0.1, 0.095, 0.093, 0.092, 0.091}},
		{"one epoch", []float64{0.5}, []float64{0.6}},
		{"no test", []float64{3, 2, 1}, nil},
		{"short test", []float64{3, 2, 1, 0.5}, []float64{3.5, 2.5}},
		{"diverged", []float64{3, 2, nan, math.Inf(1)}, []float64{3, nan}},
		{"long run", make([]float64, 250), nil},
	} {
		var buf bytes.Buffer
		if err := Loss(&buf, "MSE", "loss", tc.train, tc.test); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkPlot(t, tc.name, buf.Bytes())
	}
}

// checkPlot checks that b is a PNG plot of the expected size that is
// not blank.
func checkPlot(t *testing.T, name string, b []byte) {
	t.Helper()
	img := decode(t, b)
	wantW, wantH := int(math.Round(float64(PlotWidth/vg.Inch*PlotDPI))), int(math.Round(float64(PlotHeight/vg.Inch*PlotDPI)))
	if bb := img.Bounds(); bb.Dx() != wantW || bb.Dy() != wantH {
		t.Errorf("%s: size %d×%d, want %d×%d", name, bb.Dx(), bb.Dy(), wantW, wantH)
	}
	nonWhite := 0
	bb := img.Bounds()
	for y := bb.Min.Y; y < bb.Max.Y; y++ {
		for x := bb.Min.X; x < bb.Max.X; x++ {
			if r, g, b, _ := img.At(x, y).RGBA(); r&g&b < 0xf000 {
				nonWhite++
			}
		}
	}
	if nonWhite < 2000 {
		t.Errorf("%s: only %d non-white pixels", name, nonWhite)
	}
	if len(b) < 5000 {
		t.Errorf("%s: PNG is only %d bytes", name, len(b))
	}
}

// digitClasses are the class names of MNIST-like data.
var digitClasses = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// blobs returns n codes of dimension k in 10 gaussian clusters, one per
// label.
func blobs(n, k int, seed uint64) ([]float32, []int) {
	return clusters(n, k, 10, seed)
}

// clusters returns n codes of dimension k in nc gaussian clusters, one per
// label, with labels drawn uniformly from 0..nc-1.
func clusters(n, k, nc int, seed uint64) ([]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 0))
	centres := make([]float64, nc*k)
	for i := range centres {
		centres[i] = 4 * rng.NormFloat64()
	}
	z := make([]float32, n*k)
	labels := make([]int, n)
	for i := range labels {
		l := rng.IntN(nc)
		labels[i] = l
		for j := 0; j < k; j++ {
			z[i*k+j] = float32(centres[l*k+j] + rng.NormFloat64())
		}
	}
	return z, labels
}

// animals are the class names of a small labelled data set.
var animals = []string{"cat", "dog", "bird"}

// manyClasses returns the names of n classes, "class 0", "class 1", ….
func manyClasses(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("class %d", i)
	}
	return names
}

// longNames are class names that do not fit in a legend or on an axis.
var longNames = []string{
	"a rather long class name that cannot possibly fit in the legend",
	"",
	"tab\there, newline\nthere",
	"ünïcödé naïve café",
	"x",
}

func TestLatent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n, k    int
		classes []string // nil: unlabelled
	}{
		{"k=1", 500, 1, digitClasses},
		{"k=2", 500, 2, digitClasses},
		{"k=3", 500, 3, digitClasses},
		{"k=32", 2000, 32, digitClasses},
		{"capped", MaxLatentPoints + 700, 8, digitClasses},
		{"two points", 2, 5, digitClasses},
		{"unlabelled k=1", 500, 1, nil},
		{"unlabelled k=2", 500, 2, nil},
		{"unlabelled k=8", 500, 8, nil},
		{"unlabelled capped", MaxLatentPoints + 700, 4, nil},
		{"unlabelled one point", 1, 2, nil},
		{"3 classes k=1", 300, 1, animals},
		{"3 classes k=2", 300, 2, animals},
		{"3 classes k=16", 300, 16, animals},
		{"one class", 300, 2, []string{"only"}},
		{"25 classes k=1", 2000, 1, manyClasses(25)},
		{"25 classes k=2", 2000, 2, manyClasses(25)},
		{"25 classes k=8", 2000, 8, manyClasses(25)},
		{"200 classes k=1", 4000, 1, manyClasses(200)},
		{"200 classes k=6", 4000, 6, manyClasses(200)},
		{"long names k=1", 400, 1, longNames},
		{"long names k=3", 400, 3, longNames},
	} {
		z, labels := clusters(tc.n, tc.k, max(len(tc.classes), 1), 1)
		if tc.classes == nil {
			labels = nil
		}
		var buf bytes.Buffer
		if err := Latent(&buf, z, tc.k, labels, tc.classes); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkPlot(t, tc.name, buf.Bytes())
	}
}

// paletteCounts returns the number of pixels of img of each of the
// LabelColors, either opaque (as in legend thumbnails and dense clusters)
// or as a single translucent point over the white background, give or take
// rounding.
func paletteCounts(img image.Image) [len(LabelColors)]int {
	near := func(a, b color.RGBA) bool {
		d := func(x, y uint8) bool { return max(x, y)-min(x, y) <= 2 }
		return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
	}
	var opaque, over [len(LabelColors)]color.RGBA
	for l, c := range LabelColors {
		opaque[l] = c
		blend := func(v uint8) uint8 { return uint8((int(v)*0xc0 + 0xff*(0xff-0xc0) + 0x7f) / 0xff) }
		over[l] = color.RGBA{R: blend(c.R), G: blend(c.G), B: blend(c.B), A: 0xff}
	}
	var counts [len(LabelColors)]int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgbAt(img, x, y)
			for l := range LabelColors {
				if near(c, opaque[l]) || near(c, over[l]) {
					counts[l]++
				}
			}
		}
	}
	return counts
}

// TestLatentColours checks which class colours a Latent plot uses: every
// class's colour appears (in its legend thumbnail, where there is a
// legend), and no other.
func TestLatentColours(t *testing.T) {
	for _, tc := range []struct {
		name    string
		k       int
		classes []string // nil: unlabelled
		want    int      // number of LabelColors used
	}{
		{"unlabelled k=1", 1, nil, 1},
		{"unlabelled k=2", 2, nil, 1},
		{"unlabelled k=5", 5, nil, 1},
		{"3 classes k=1", 1, animals, 3},
		{"3 classes k=2", 2, animals, 3},
		{"3 classes k=5", 5, animals, 3},
		{"10 classes", 2, digitClasses, 10},
		{"25 classes", 2, manyClasses(25), 10},
	} {
		z, labels := clusters(1000, tc.k, max(len(tc.classes), 10), 4)
		if tc.classes == nil {
			labels = nil
		} else {
			for i := range labels {
				labels[i] %= len(tc.classes)
			}
		}
		var buf bytes.Buffer
		if err := Latent(&buf, z, tc.k, labels, tc.classes); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		counts := paletteCounts(decode(t, buf.Bytes()))
		for l, c := range counts {
			if LabelColors[l].R == LabelColors[l].G && LabelColors[l].G == LabelColors[l].B {
				continue // grey, as are the axes, text and grid lines
			}
			if used := l < tc.want; used != (c > 0) {
				t.Errorf("%s: %d pixels of LabelColors[%d], want some: %v", tc.name, c, l, used)
			}
		}
	}
}

func TestLegendNames(t *testing.T) {
	for _, tc := range []struct {
		classes []string
		want    []string
	}{
		{nil, nil},
		{animals, animals},
		{digitClasses, digitClasses},
		{manyClasses(MaxLegendClasses), manyClasses(MaxLegendClasses)},
		{manyClasses(MaxLegendClasses + 1), append(manyClasses(MaxLegendClasses), "… 1 more")},
		{manyClasses(25), append(manyClasses(MaxLegendClasses), "… 5 more")},
		{manyClasses(1000), append(manyClasses(MaxLegendClasses), "… 980 more")},
	} {
		if got := legendNames(tc.classes); !slices.Equal(got, tc.want) {
			t.Errorf("%d classes: legend %q, want %q", len(tc.classes), got, tc.want)
		}
	}
}

func TestClassNote(t *testing.T) {
	for _, tc := range []struct {
		nc   int
		want string // "" or part of the note
	}{
		{0, ""},
		{3, ""},
		{10, ""},
		{11, "11 classes: colours repeat every 10"},
		{25, "25 classes: colours repeat every 10, with another marker shape"},
		{30, "with another marker shape"},
		{31, "colour and shape every 30"},
	} {
		got := classNote(tc.nc)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("classNote(%d) = %q, want %q", tc.nc, got, tc.want)
		}
	}
	// Classes with the same colour differ in shape, up to 30 classes.
	for l := 0; l < 30; l++ {
		for m := l + 1; m < 30; m++ {
			if LabelColors[l%10] == LabelColors[m%10] && classShape(l) == classShape(m) {
				t.Errorf("classes %d and %d look alike", l, m)
			}
		}
	}
}

func TestClassTicks(t *testing.T) {
	sty := plot.New().Y.Tick.Label
	for _, tc := range []struct {
		names    []string
		min, max float64
		want     []float64
	}{
		{animals, -0.3, 2.3, []float64{0, 1, 2}},
		{animals, 0.5, 2.3, []float64{1, 2}},
		{digitClasses, -0.3, 9.3, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{manyClasses(20), -0.3, 19.3, []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}},
		{manyClasses(25), -0.3, 24.3, []float64{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}},
		{manyClasses(200), -0.3, 199.3, []float64{0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190}},
	} {
		ticks := classTicks{sty: sty, names: tc.names}.Ticks(tc.min, tc.max)
		var got []float64
		for _, tk := range ticks {
			got = append(got, tk.Value)
			if want := tc.names[int(tk.Value)]; tk.Label != want {
				t.Errorf("%d classes: tick %v labelled %q, want %q", len(tc.names), tk.Value, tk.Label, want)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d classes in [%v, %v]: ticks at %v, want %v", len(tc.names), tc.min, tc.max, got, tc.want)
		}
	}
}

func TestFit(t *testing.T) {
	sty := plot.NewLegend().TextStyle
	const width = 60 // points
	for _, tc := range []struct {
		in, want string // want "": shortened
	}{
		{"", `""`},
		{"cat", "cat"},
		{"a\tb\nc", "a b c"},
		{"a much longer class name than fits", ""},
		{strings.Repeat("é", 200), ""},
		{"word            spaces", ""},
	} {
		got := fit(sty, tc.in, vg.Points(width))
		if tc.want != "" {
			if got != tc.want {
				t.Errorf("fit(%q) = %q, want %q", tc.in, got, tc.want)
			}
			continue
		}
		if !strings.Contains(got, "…") || len(got) >= len(tc.in) {
			t.Errorf("fit(%q) = %q, want it shortened with …", tc.in, got)
		}
		if in := []rune(tc.in); !strings.HasPrefix(got, string(in[:1])) || !strings.HasSuffix(got, string(in[len(in)-1:])) {
			t.Errorf("fit(%q) = %q, want its start and end kept", tc.in, got)
		}
		if w := sty.Width(got); w > vg.Points(width) {
			t.Errorf("fit(%q) = %q, %v wide, want ≤ %v", tc.in, got, w, vg.Points(width))
		}
		if strings.Contains(got, " …") || strings.Contains(got, "… ") {
			t.Errorf("fit(%q) = %q has a space next to …", tc.in, got)
		}
	}
	if got := fit(sty, "wide", 1); got != "…" {
		t.Errorf("fit in 1 point = %q, want …", got)
	}
}

func TestProject2Plane(t *testing.T) {
	// Points on a 2-D plane through c spanned by u and v, embedded in 5-D.
	const n, k = 200, 5
	rng := rand.New(rand.NewPCG(3, 4))
	c := []float64{1, -2, 3, 0.5, 10}
	u := []float64{1, 2, 0, -1, 0.5}
	v := []float64{0, 1, -1, 2, 1}
	z := make([]float32, n*k)
	for i := 0; i < n; i++ {
		a, b := 3*rng.NormFloat64(), rng.NormFloat64()
		for j := 0; j < k; j++ {
			z[i*k+j] = float32(c[j] + a*u[j] + b*v[j])
		}
	}
	xy, err := Project2(z, k)
	if err != nil {
		t.Fatal(err)
	}
	if len(xy) != 2*n {
		t.Fatalf("len(xy)=%d, want %d", len(xy), 2*n)
	}
	want := totalVariance(f64(z), k)
	got := totalVariance(xy, 2)
	if math.Abs(got-want) > 1e-6*want {
		t.Errorf("projected total variance %v, want %v (relative error %.3g)", got, want, math.Abs(got-want)/want)
	}
	// The projection is centred.
	for j := 0; j < 2; j++ {
		var mean float64
		for i := 0; i < n; i++ {
			mean += xy[i*2+j]
		}
		if mean /= n; math.Abs(mean) > 1e-9 {
			t.Errorf("mean of component %d is %v, want 0", j+1, mean)
		}
	}
	// The first component carries more variance than the second.
	var v1, v2 float64
	for i := 0; i < n; i++ {
		v1 += xy[2*i] * xy[2*i]
		v2 += xy[2*i+1] * xy[2*i+1]
	}
	if v1 < v2 {
		t.Errorf("PC1 variance %v < PC2 variance %v", v1/n, v2/n)
	}
}

func TestProject2Identity(t *testing.T) {
	z := []float32{1, 2, 3.5, -4, 0, 0.25}
	xy, err := Project2(z, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range z {
		if xy[i] != float64(v) {
			t.Errorf("xy[%d]=%v, want %v", i, xy[i], v)
		}
	}
}

// f64 converts z to float64.
func f64(z []float32) []float64 {
	out := make([]float64, len(z))
	for i, v := range z {
		out[i] = float64(v)
	}
	return out
}

// totalVariance returns the sum of the column variances of the row-major
// (n, k) matrix x.
func totalVariance(x []float64, k int) float64 {
	n := len(x) / k
	var total float64
	for j := 0; j < k; j++ {
		var mean, ss float64
		for i := 0; i < n; i++ {
			mean += x[i*k+j]
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			d := x[i*k+j] - mean
			ss += d * d
		}
		total += ss / float64(n-1)
	}
	return total
}

func TestErrors(t *testing.T) {
	img := fill(28, 28, 0.5)
	two := append(fill(28, 28, 0.5), img...)
	rgb := fill(3*28, 28, 0.5)
	sh, rgbSh := []int{28, 28}, []int{3, 28, 28}
	nan := float32(math.NaN())
	for _, tc := range []struct {
		name string
		f    func(w io.Writer) error
	}{
		{"Grid zero h", func(w io.Writer) error { return Grid(w, img, []int{0, 28}, 1, 1, 1) }},
		{"Grid negative w", func(w io.Writer) error { return Grid(w, img, []int{1, 28, -28}, 1, 1, 1) }},
		{"Grid negative scale", func(w io.Writer) error { return Grid(w, img, sh, 1, 1, -2) }},
		{"Grid zero rows", func(w io.Writer) error { return Grid(w, img, sh, 0, 1, 1) }},
		{"Grid ragged length", func(w io.Writer) error { return Grid(w, img[:100], sh, 1, 1, 1) }},
		{"Grid too many images", func(w io.Writer) error { return Grid(w, two, sh, 1, 1, 1) }},
		{"Grid huge", func(w io.Writer) error { return Grid(w, img, sh, 1<<20, 1<<20, 1) }},
		{"Grid huge RGB", func(w io.Writer) error { return Grid(w, rgb, rgbSh, 40, 40, 8) }},
		{"Grid huge shape", func(w io.Writer) error { return Grid(w, img, []int{3, 1 << 30, 1 << 30}, 1, 1, 1) }},
		{"Grid nil shape", func(w io.Writer) error { return Grid(w, img, nil, 1, 1, 1) }},
		{"Grid 1-D shape", func(w io.Writer) error { return Grid(w, img, []int{784}, 1, 1, 1) }},
		{"Grid 4-D shape", func(w io.Writer) error { return Grid(w, img, []int{1, 1, 28, 28}, 1, 1, 1) }},
		{"Grid 0 channels", func(w io.Writer) error { return Grid(w, img, []int{0, 28, 28}, 1, 1, 1) }},
		{"Grid 2 channels", func(w io.Writer) error { return Grid(w, two, []int{2, 28, 28}, 1, 1, 1) }},
		{"Grid 4 channels", func(w io.Writer) error { return Grid(w, append(two, two...), []int{4, 28, 28}, 1, 1, 1) }},
		{"Grid grey data, RGB shape", func(w io.Writer) error { return Grid(w, two, rgbSh, 2, 2, 1) }},
		{"Grid RGB ragged", func(w io.Writer) error { return Grid(w, rgb[:len(rgb)-1], rgbSh, 1, 1, 1) }},
		{"Recon zero n", func(w io.Writer) error { return Recon(w, nil, nil, 0, sh) }},
		{"Recon negative n", func(w io.Writer) error { return Recon(w, img, img, -1, sh) }},
		{"Recon short x", func(w io.Writer) error { return Recon(w, img, two, 2, sh) }},
		{"Recon short recon", func(w io.Writer) error { return Recon(w, two, img, 2, sh) }},
		{"Recon long x", func(w io.Writer) error { return Recon(w, two, two, 1, sh) }},
		{"Recon bad h", func(w io.Writer) error { return Recon(w, img, img, 1, []int{0, 28}) }},
		{"Recon nil shape", func(w io.Writer) error { return Recon(w, img, img, 1, nil) }},
		{"Recon 2 channels", func(w io.Writer) error { return Recon(w, two, two, 1, []int{2, 28, 28}) }},
		{"Recon grey data, RGB shape", func(w io.Writer) error { return Recon(w, img, img, 1, rgbSh) }},
		{"Recon RGB data, grey shape", func(w io.Writer) error { return Recon(w, rgb, rgb, 1, sh) }},
		{"Loss no train", func(w io.Writer) error { return Loss(w, "t", "y", nil, nil) }},
		{"Loss test longer", func(w io.Writer) error { return Loss(w, "t", "y", []float64{1}, []float64{1, 2}) }},
		{"Loss all NaN", func(w io.Writer) error { return Loss(w, "t", "y", []float64{math.NaN()}, nil) }},
		{"Latent labels too short", func(w io.Writer) error { return Latent(w, make([]float32, 10), 2, make([]int, 4), digitClasses) }},
		{"Latent labels too long", func(w io.Writer) error { return Latent(w, make([]float32, 10), 2, make([]int, 6), digitClasses) }},
		{"Latent ragged z", func(w io.Writer) error { return Latent(w, make([]float32, 11), 2, make([]int, 5), digitClasses) }},
		{"Latent ragged z unlabelled", func(w io.Writer) error { return Latent(w, make([]float32, 11), 2, nil, nil) }},
		{"Latent zero k", func(w io.Writer) error { return Latent(w, make([]float32, 10), 0, make([]int, 5), digitClasses) }},
		{"Latent zero k unlabelled", func(w io.Writer) error { return Latent(w, make([]float32, 10), 0, nil, nil) }},
		{"Latent no points", func(w io.Writer) error { return Latent(w, nil, 2, nil, nil) }},
		{"Latent no labelled points", func(w io.Writer) error { return Latent(w, nil, 2, []int{}, digitClasses) }},
		{"Latent label 10 of 10", func(w io.Writer) error { return Latent(w, make([]float32, 4), 2, []int{3, 10}, digitClasses) }},
		{"Latent label 3 of 3", func(w io.Writer) error { return Latent(w, make([]float32, 4), 2, []int{3, 0}, animals) }},
		{"Latent negative label", func(w io.Writer) error { return Latent(w, make([]float32, 4), 2, []int{0, -1}, animals) }},
		{"Latent labels without classes", func(w io.Writer) error { return Latent(w, make([]float32, 4), 2, []int{0, 0}, nil) }},
		{"Latent bad label k=1", func(w io.Writer) error { return Latent(w, make([]float32, 2), 1, []int{0, 3}, animals) }},
		{"Latent NaN code", func(w io.Writer) error { return Latent(w, []float32{0, 1, nan, 2}, 2, []int{3, 4}, digitClasses) }},
		{"Latent NaN code unlabelled", func(w io.Writer) error { return Latent(w, []float32{0, 1, nan, 2}, 2, nil, nil) }},
		{"Latent NaN code PCA", func(w io.Writer) error { return Latent(w, []float32{0, 1, 2, nan, 2, 3}, 3, []int{3, 4}, digitClasses) }},
		{"Latent one point PCA", func(w io.Writer) error { return Latent(w, []float32{0, 1, 2}, 3, []int{3}, digitClasses) }},
		{"ColumnErrors no columns", func(w io.Writer) error { return ColumnErrors(w, "t", nil, nil) }},
		{"ColumnErrors fewer names", func(w io.Writer) error { return ColumnErrors(w, "t", []string{"a"}, []float64{1, 2}) }},
		{"ColumnErrors more names", func(w io.Writer) error { return ColumnErrors(w, "t", []string{"a", "b", "c"}, []float64{1, 2}) }},
		{"ColumnErrors no names", func(w io.Writer) error { return ColumnErrors(w, "t", nil, []float64{1, 2}) }},
		{"ColumnErrors NaN", func(w io.Writer) error { return ColumnErrors(w, "t", []string{"a", "b"}, []float64{1, math.NaN()}) }},
		{"ColumnErrors +Inf", func(w io.Writer) error { return ColumnErrors(w, "t", []string{"a", "b"}, []float64{math.Inf(1), 1}) }},
		{"ColumnErrors negative", func(w io.Writer) error { return ColumnErrors(w, "t", []string{"a", "b"}, []float64{1, -1e-9}) }},
	} {
		var buf bytes.Buffer
		err := tc.f(&buf)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !errors.Is(err, errArg) {
			t.Errorf("%s: error %q does not wrap errArg", tc.name, err)
		}
	}

	for _, tc := range []struct {
		name string
		z    []float32
		k    int
	}{
		{"k=1", []float32{1, 2, 3}, 1},
		{"k=0", []float32{1, 2, 3}, 0},
		{"empty", nil, 3},
		{"ragged", []float32{1, 2, 3, 4}, 3},
		{"one point", []float32{1, 2, 3}, 3},
		{"NaN", []float32{1, 2, nan, 4, 5, 6}, 3},
		{"Inf", []float32{1, 2, float32(math.Inf(-1)), 4}, 2},
	} {
		if _, err := Project2(tc.z, tc.k); err == nil {
			t.Errorf("Project2 %s: no error", tc.name)
		}
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	img := fill(28, 28, 0.5)
	rgb := fill(3*28, 28, 0.5)
	z, labels := blobs(100, 4, 2)
	for name, err := range map[string]error{
		"Grid":             Grid(errWriter{}, img, []int{28, 28}, 1, 1, 1),
		"Grid RGB":         Grid(errWriter{}, rgb, []int{3, 28, 28}, 1, 1, 1),
		"Recon":            Recon(errWriter{}, img, img, 1, []int{28, 28}),
		"Recon RGB":        Recon(errWriter{}, rgb, rgb, 1, []int{3, 28, 28}),
		"Loss":             Loss(errWriter{}, "t", "y", []float64{1, 0.5}, nil),
		"Latent":           Latent(errWriter{}, z, 4, labels, digitClasses),
		"Latent no labels": Latent(errWriter{}, z, 4, nil, nil),
		"ColumnErrors":     ColumnErrors(errWriter{}, "t", []string{"a", "b"}, []float64{1, 0.5}),
	} {
		if err == nil {
			t.Errorf("%s: no error writing to a failing writer", name)
		}
	}
}
