package plots

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestColumnErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	random := func(d int) []float64 {
		errs := make([]float64, d)
		for j := range errs {
			errs[j] = rng.ExpFloat64()
		}
		return errs
	}
	names := func(d int) []string {
		cols := make([]string, d)
		for j := range cols {
			cols[j] = fmt.Sprintf("feature_%d", j)
		}
		return cols
	}
	for _, tc := range []struct {
		name    string
		title   string
		columns []string
		errs    []float64
	}{
		{"1 column", "MSE", []string{"x"}, []float64{0.25}},
		{"5 columns", "MSE", []string{"age", "income", "rooms", "lat", "lon"}, []float64{0.01, 0.09, 0.02, 0.003, 0.004}},
		{"zero errors", "MSE", []string{"a", "b"}, []float64{0, 0}},
		{"tiny errors", "MSE", []string{"a", "b"}, []float64{1e-12, 3e-12}},
		{"huge errors", "MSE", []string{"a", "b"}, []float64{1e12, 3e11}},
		{"largest float", "MSE", []string{"a", "b"}, []float64{math.MaxFloat64, 1}},
		{"no title", "", names(3), random(3)},
		{"empty names", "MSE", []string{"", "", "c"}, random(3)},
		{"long names", "MSE", []string{strings.Repeat("very long column name ", 10), "short", "naïve ünïcode"}, random(3)},
		{"40 columns", "MSE", names(40), random(40)},
		{"41 columns", "MSE", names(41), random(41)},
		{"500 columns", "MSE", names(500), random(500)},
		{"5000 columns", "MSE", names(5000), random(5000)},
	} {
		var buf bytes.Buffer
		if err := ColumnErrors(&buf, tc.title, tc.columns, tc.errs); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		checkPlot(t, tc.name, buf.Bytes())
	}
}

func TestShownColumns(t *testing.T) {
	// At most MaxColumnBars columns: all, in table order.
	errs := []float64{0.3, 0.1, 0.2}
	if got, want := shownColumns(errs), []int{0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("3 columns: shown %v, want %v", got, want)
	}
	errs = make([]float64, MaxColumnBars)
	for j := range errs {
		errs[j] = float64(j)
	}
	if got := shownColumns(errs); len(got) != MaxColumnBars || !slices.IsSorted(got) {
		t.Errorf("%d columns: shown %v, want all in order", MaxColumnBars, got)
	}

	// More: the MaxColumnBars largest, largest first, ties in table order.
	const d = 500
	rng := rand.New(rand.NewPCG(13, 14))
	errs = make([]float64, d)
	for j := range errs {
		errs[j] = math.Round(100*rng.Float64()) / 100 // with ties
	}
	got := shownColumns(errs)
	if len(got) != MaxColumnBars {
		t.Fatalf("%d columns: %d shown, want %d", d, len(got), MaxColumnBars)
	}
	sorted := make([]float64, d)
	copy(sorted, errs)
	slices.Sort(sorted)
	slices.Reverse(sorted)
	for i, j := range got {
		if errs[j] != sorted[i] {
			t.Errorf("%d columns: bar %d is column %d with error %v, want error %v", d, i, j, errs[j], sorted[i])
		}
		if i > 0 && errs[got[i-1]] == errs[j] && got[i-1] > j {
			t.Errorf("%d columns: tied columns %d and %d out of table order", d, got[i-1], j)
		}
	}
}

// TestColumnErrorsBars checks the bars of a two-column chart: the first
// column is the upper bar, and bar lengths are proportional to the errors.
func TestColumnErrorsBars(t *testing.T) {
	var buf bytes.Buffer
	if err := ColumnErrors(&buf, "MSE", []string{"big", "half"}, []float64{1, 0.5}); err != nil {
		t.Fatal(err)
	}
	img := decode(t, buf.Bytes())
	// The extent of the bar pixels in each row that has some.
	type run struct{ y, x0, x1 int }
	var runs []run
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		x0, x1 := -1, -1
		for x := b.Min.X; x < b.Max.X; x++ {
			if rgbAt(img, x, y) == trainColor {
				if x0 < 0 {
					x0 = x
				}
				x1 = x
			}
		}
		if x0 >= 0 {
			runs = append(runs, run{y, x0, x1})
		}
	}
	// Split the rows into bars at gaps.
	var bars [][]run
	for i, r := range runs {
		if i == 0 || r.y != runs[i-1].y+1 {
			bars = append(bars, nil)
		}
		bars[len(bars)-1] = append(bars[len(bars)-1], r)
	}
	if len(bars) != 2 {
		t.Fatalf("found %d bars, want 2", len(bars))
	}
	length := func(bar []run) int { return bar[len(bar)/2].x1 - bar[len(bar)/2].x0 + 1 }
	top, bottom := length(bars[0]), length(bars[1])
	if ratio := float64(top) / float64(bottom); math.Abs(ratio-2) > 0.05 {
		t.Errorf("bar lengths %d (top, error 1) and %d (bottom, error 0.5): ratio %.3f, want 2", top, bottom, ratio)
	}
	if bars[0][0].x0 != bars[1][0].x0 {
		t.Errorf("bars start at x=%d and x=%d, want the same", bars[0][0].x0, bars[1][0].x0)
	}
	if h := len(bars[0]); h < 10 {
		t.Errorf("top bar is only %d pixels high", h)
	}
}
