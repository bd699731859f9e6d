package plots

import (
	"bytes"
	"math"
	"testing"
)

// Five 2×2 images, image i all of brightness i/4, reconstructed as all 0.5;
// the scores rank them 3, NaN-scored 1, 4 | 2, 0. With k = 2 the picture is
// 6 rows: images 1, 3 (NaN first), their reconstructions, their errors; then
// images 0, 2 (lowest first), and so on.
func TestAnomalies(t *testing.T) {
	const h, wd, n, k, scale = 2, 2, 5, 2, 2
	var x, recon []float32
	for i := range n {
		for range h * wd {
			x = append(x, float32(i)/4)
			recon = append(recon, 0.5)
		}
	}
	scores := []float64{0.1, math.NaN(), 0.2, 0.9, 0.5}
	var buf bytes.Buffer
	if err := Anomalies(&buf, x, recon, []int{h, wd}, scores, k); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	if b := img.Bounds(); b.Dx() != k*wd*scale+(k-1)*Gap || b.Dy() != 6*h*scale+5*Gap {
		t.Fatalf("picture %v, want %d×%d cells", b, 6, k)
	}
	cell := func(r, c int) uint8 { return greyAt(img, c*(wd*scale+Gap)+1, r*(h*scale+Gap)+1) }
	// The largest error among images 1, 3, 0, 2 is |0 − 0.5| = 0.5.
	want := [6][k]float32{
		{0.25, 0.75}, {0.5, 0.5}, {0.5, 0.5}, // images 1, 3; errors 0.25/0.5, 0.25/0.5
		{0, 0.5}, {0.5, 0.5}, {1, 0}, // images 0, 2; errors 0.5/0.5, 0
	}
	for r := range 6 {
		for c := range k {
			if got, w := cell(r, c), uint8(math.Round(float64(want[r][c])*255)); got != w && got != w+1 && got+1 != w {
				t.Errorf("row %d, column %d: grey %d, want %d", r, c, got, w)
			}
		}
	}
	for _, bad := range []struct {
		scores []float64
		k      int
	}{{nil, 2}, {scores, 0}, {scores[:4], 2}} {
		if err := Anomalies(&buf, x, recon, []int{h, wd}, bad.scores, bad.k); err == nil {
			t.Errorf("%d scores, k=%d: no error", len(bad.scores), bad.k)
		}
	}
}
