package plots

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSamples draws one picture of each kind from synthetic digits,
// curves and clusters; each must render. With $PLOTS_SAMPLES_DIR set the
// pictures are kept there, for looking at by eye.
func TestWriteSamples(t *testing.T) {
	dir := os.Getenv("PLOTS_SAMPLES_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, draw func(*bytes.Buffer) error) {
		t.Helper()
		var buf bytes.Buffer
		if err := draw(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	const h, wd = 28, 28
	rng := rand.New(rand.NewPCG(7, 7))
	var digits []float32
	for i := 0; i < 40; i++ {
		digits = append(digits, sevenSegment(i%10, h, wd, rng)...)
	}
	grey := []int{h, wd}
	write("grid.png", func(b *bytes.Buffer) error { return Grid(b, digits[:37*h*wd], grey, 5, 8, 2) })

	recon := blur(digits, 40, h, wd)
	write("recon.png", func(b *bytes.Buffer) error { return Recon(b, digits[:10*h*wd], recon[:10*h*wd], 10, grey) })
	write("recon40.png", func(b *bytes.Buffer) error { return Recon(b, digits, recon, 40, grey) })

	// Colour pictures: coloured digits on coloured backgrounds, 24×32.
	const ch, cw = 24, 32
	rgb := []int{3, ch, cw}
	var pictures []float32
	for i := 0; i < 30; i++ {
		pictures = append(pictures, colourPicture(i, ch, cw, rng)...)
	}
	write("grid_rgb.png", func(b *bytes.Buffer) error { return Grid(b, pictures[:27*3*ch*cw], rgb, 4, 7, 3) })
	rgbRecon := blur(pictures, 3*30, ch, cw) // each channel plane blurred
	write("recon_rgb.png", func(b *bytes.Buffer) error { return Recon(b, pictures, rgbRecon, 30, rgb) })

	train := make([]float64, 10)
	test := make([]float64, 10)
	for e := range train {
		train[e] = 0.02 + 0.25*math.Exp(-0.5*float64(e))
		test[e] = 0.03 + 0.22*math.Exp(-0.45*float64(e))
	}
	write("loss.png", func(b *bytes.Buffer) error { return Loss(b, "Autoencoder reconstruction loss", "MSE", train, test) })

	z, labels := blobs(6000, 32, 5)
	write("latent.png", func(b *bytes.Buffer) error { return Latent(b, z, 32, labels, digitClasses) })
	z2, labels2 := blobs(1000, 2, 6)
	write("latent2.png", func(b *bytes.Buffer) error { return Latent(b, z2, 2, labels2, digitClasses) })
	z1, labels1 := blobs(1000, 1, 8)
	write("latent1.png", func(b *bytes.Buffer) error { return Latent(b, z1, 1, labels1, digitClasses) })
	write("latent_unlabelled.png", func(b *bytes.Buffer) error { return Latent(b, z, 32, nil, nil) })
	write("latent1_unlabelled.png", func(b *bytes.Buffer) error { return Latent(b, z1, 1, nil, nil) })

	species := []string{"Iris setosa", "Iris versicolor", "Iris virginica (a long name, shortened)"}
	zs, ls := clusters(600, 4, len(species), 9)
	write("latent_strings.png", func(b *bytes.Buffer) error { return Latent(b, zs, 4, ls, species) })
	zs1, ls1 := clusters(600, 1, len(species), 9)
	write("latent1_strings.png", func(b *bytes.Buffer) error { return Latent(b, zs1, 1, ls1, species) })
	many := manyClasses(25)
	zm, lm := clusters(3000, 2, len(many), 10)
	write("latent_25.png", func(b *bytes.Buffer) error { return Latent(b, zm, 2, lm, many) })
	zm1, lm1 := clusters(3000, 1, len(many), 10)
	write("latent1_25.png", func(b *bytes.Buffer) error { return Latent(b, zm1, 1, lm1, many) })

	columns, errs := tableErrors(12, rng)
	write("columns.png", func(b *bytes.Buffer) error { return ColumnErrors(b, "Test MSE per column", columns, errs) })
	columns, errs = tableErrors(500, rng)
	write("columns500.png", func(b *bytes.Buffer) error { return ColumnErrors(b, "Test MSE per column", columns, errs) })
}

// colourPicture draws picture i, a digit of one colour on a background of
// another with a horizontal gradient, as a CHW image of h×wd pixels.
func colourPicture(i, h, wd int, rng *rand.Rand) []float32 {
	ink := LabelColors[i%len(LabelColors)]
	paper := LabelColors[(i+3)%len(LabelColors)]
	digit := sevenSegment(i%10, h, h, rng) // h×h, placed in the middle
	img := make([]float32, 3*h*wd)
	for c, pair := range [3][2]uint8{{ink.R, paper.R}, {ink.G, paper.G}, {ink.B, paper.B}} {
		for r := 0; r < h; r++ {
			for x := 0; x < wd; x++ {
				bg := float32(pair[1]) / 255 * (0.4 + 0.6*float32(x)/float32(wd))
				var v float32
				if dx := x - (wd-h)/2; dx >= 0 && dx < h {
					v = digit[r*h+dx]
				}
				img[c*h*wd+r*wd+x] = v*float32(pair[0])/255 + (1-v)*bg
			}
		}
	}
	return img
}

// tableErrors returns d column names of a made-up table, some long, and
// errors of a made-up reconstruction of them.
func tableErrors(d int, rng *rand.Rand) ([]string, []float64) {
	stems := []string{"age", "income_per_household_member_before_tax", "n_rooms", "latitude", "distance to the nearest railway station (km)", "price"}
	names := make([]string, d)
	errs := make([]float64, d)
	for j := range names {
		names[j] = stems[j%len(stems)]
		if j >= len(stems) {
			names[j] += fmt.Sprintf("_%d", j/len(stems))
		}
		errs[j] = 0.02 * math.Exp(1.5*rng.NormFloat64())
	}
	return names, errs
}

// sevenSegment draws digit d as a seven-segment shape with soft edges and
// a little random offset, a stand-in for an MNIST digit (white on black).
func sevenSegment(d, h, wd int, rng *rand.Rand) []float32 {
	segs := [10]string{"abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"}
	// Segment end points in (x, y) image coordinates, y down.
	const x0, x1, y0, y1, y2 = 9, 19, 5, 14, 23
	lines := map[rune][4]float64{
		'a': {x0, y0, x1, y0},
		'b': {x1, y0, x1, y1},
		'c': {x1, y1, x1, y2},
		'd': {x0, y2, x1, y2},
		'e': {x0, y1, x0, y2},
		'f': {x0, y0, x0, y1},
		'g': {x0, y1, x1, y1},
	}
	dx, dy := rng.Float64()*3-1.5, rng.Float64()*3-1.5
	img := make([]float32, h*wd)
	for _, s := range segs[d] {
		l := lines[s]
		// Slant the digit a little, like handwriting: x shifts with y.
		ax, ay := l[0]+dx+0.2*(y1-l[1]), l[1]+dy
		bx, by := l[2]+dx+0.2*(y1-l[3]), l[3]+dy
		for r := 0; r < h; r++ {
			for c := 0; c < wd; c++ {
				dist := segDist(float64(c), float64(r), ax, ay, bx, by)
				v := float32(math.Max(0, math.Min(1, 2.2-dist)))
				img[r*wd+c] = max(img[r*wd+c], v)
			}
		}
	}
	return img
}

// segDist returns the distance from (px, py) to the segment (ax, ay)-(bx, by).
func segDist(px, py, ax, ay, bx, by float64) float64 {
	vx, vy := bx-ax, by-ay
	t := ((px-ax)*vx + (py-ay)*vy) / (vx*vx + vy*vy)
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(px-ax-t*vx, py-ay-t*vy)
}

// blur returns a 3×3 box blur of each of the n images, scaled by 0.9, a
// stand-in for an imperfect reconstruction.
func blur(x []float32, n, h, wd int) []float32 {
	out := make([]float32, len(x))
	for i := 0; i < n; i++ {
		img := x[i*h*wd : (i+1)*h*wd]
		for r := 0; r < h; r++ {
			for c := 0; c < wd; c++ {
				var s float32
				for dr := -1; dr <= 1; dr++ {
					for dc := -1; dc <= 1; dc++ {
						rr, cc := r+dr, c+dc
						if rr >= 0 && rr < h && cc >= 0 && cc < wd {
							s += img[rr*wd+cc]
						}
					}
				}
				out[i*h*wd+r*wd+c] = 0.9 * s / 9
			}
		}
	}
	return out
}
