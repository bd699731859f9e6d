package plots

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"testing"

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
		if err := Grid(&buf, make([]float32, tc.m*tc.h*tc.wd), tc.h, tc.wd, tc.rows, tc.cols, tc.scale); err != nil {
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
	if err := Grid(&buf, images, h, wd, rows, cols, scale); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())

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
		if err := Recon(&buf, x, recon, tc.n, h, wd); err != nil {
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

// blobs returns n codes of dimension k in 10 gaussian clusters, one per
// label.
func blobs(n, k int, seed uint64) ([]float32, []uint8) {
	rng := rand.New(rand.NewPCG(seed, 0))
	centres := make([]float64, 10*k)
	for i := range centres {
		centres[i] = 4 * rng.NormFloat64()
	}
	z := make([]float32, n*k)
	labels := make([]uint8, n)
	for i := range labels {
		l := rng.IntN(10)
		labels[i] = uint8(l)
		for j := 0; j < k; j++ {
			z[i*k+j] = float32(centres[l*k+j] + rng.NormFloat64())
		}
	}
	return z, labels
}

func TestLatent(t *testing.T) {
	for _, tc := range []struct {
		name string
		n, k int
	}{
		{"k=1", 500, 1},
		{"k=2", 500, 2},
		{"k=3", 500, 3},
		{"k=32", 2000, 32},
		{"capped", MaxLatentPoints + 700, 8},
		{"two points", 2, 5},
	} {
		z, labels := blobs(tc.n, tc.k, 1)
		var buf bytes.Buffer
		if err := Latent(&buf, z, tc.k, labels); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkPlot(t, tc.name, buf.Bytes())
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
	nan := float32(math.NaN())
	for _, tc := range []struct {
		name string
		f    func(w io.Writer) error
	}{
		{"Grid zero h", func(w io.Writer) error { return Grid(w, img, 0, 28, 1, 1, 1) }},
		{"Grid negative scale", func(w io.Writer) error { return Grid(w, img, 28, 28, 1, 1, -2) }},
		{"Grid zero rows", func(w io.Writer) error { return Grid(w, img, 28, 28, 0, 1, 1) }},
		{"Grid ragged length", func(w io.Writer) error { return Grid(w, img[:100], 28, 28, 1, 1, 1) }},
		{"Grid too many images", func(w io.Writer) error { return Grid(w, two, 28, 28, 1, 1, 1) }},
		{"Grid huge", func(w io.Writer) error { return Grid(w, img, 28, 28, 1<<20, 1<<20, 1) }},
		{"Recon zero n", func(w io.Writer) error { return Recon(w, nil, nil, 0, 28, 28) }},
		{"Recon negative n", func(w io.Writer) error { return Recon(w, img, img, -1, 28, 28) }},
		{"Recon short x", func(w io.Writer) error { return Recon(w, img, two, 2, 28, 28) }},
		{"Recon short recon", func(w io.Writer) error { return Recon(w, two, img, 2, 28, 28) }},
		{"Recon long x", func(w io.Writer) error { return Recon(w, two, two, 1, 28, 28) }},
		{"Recon bad h", func(w io.Writer) error { return Recon(w, img, img, 1, 0, 28) }},
		{"Loss no train", func(w io.Writer) error { return Loss(w, "t", "y", nil, nil) }},
		{"Loss test longer", func(w io.Writer) error { return Loss(w, "t", "y", []float64{1}, []float64{1, 2}) }},
		{"Loss all NaN", func(w io.Writer) error { return Loss(w, "t", "y", []float64{math.NaN()}, nil) }},
		{"Latent labels too short", func(w io.Writer) error { return Latent(w, make([]float32, 10), 2, make([]uint8, 4)) }},
		{"Latent labels too long", func(w io.Writer) error { return Latent(w, make([]float32, 10), 2, make([]uint8, 6)) }},
		{"Latent ragged z", func(w io.Writer) error { return Latent(w, make([]float32, 11), 2, make([]uint8, 5)) }},
		{"Latent zero k", func(w io.Writer) error { return Latent(w, make([]float32, 10), 0, make([]uint8, 5)) }},
		{"Latent no points", func(w io.Writer) error { return Latent(w, nil, 2, nil) }},
		{"Latent label 10", func(w io.Writer) error { return Latent(w, make([]float32, 4), 2, []uint8{3, 10}) }},
		{"Latent NaN code", func(w io.Writer) error { return Latent(w, []float32{0, 1, nan, 2}, 2, []uint8{3, 4}) }},
		{"Latent NaN code PCA", func(w io.Writer) error { return Latent(w, []float32{0, 1, 2, nan, 2, 3}, 3, []uint8{3, 4}) }},
		{"Latent one point PCA", func(w io.Writer) error { return Latent(w, []float32{0, 1, 2}, 3, []uint8{3}) }},
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
	z, labels := blobs(100, 4, 2)
	for name, err := range map[string]error{
		"Grid":   Grid(errWriter{}, img, 28, 28, 1, 1, 1),
		"Recon":  Recon(errWriter{}, img, img, 1, 28, 28),
		"Loss":   Loss(errWriter{}, "t", "y", []float64{1, 0.5}, nil),
		"Latent": Latent(errWriter{}, z, 4, labels),
	} {
		if err == nil {
			t.Errorf("%s: no error writing to a failing writer", name)
		}
	}
}
