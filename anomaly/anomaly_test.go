package anomaly_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/anomaly"
)

// Figures computed by hand, and as scikit-learn 1.2's roc_auc_score and
// average_precision_score give them for the same inputs.
func TestMeasures(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scores    []float64
		anomalous []bool
		auc, ap   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1, 1},
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0, (1.0/3 + 2.0/4) / 2},
		// one normal sample outranks one anomalous one: 3 of 4 pairs in order
		{"one swap", []float64{0.1, 0.3, 0.2, 0.9}, []bool{false, false, true, true}, 0.75, (1.0/1 + 2.0/3) / 2},
		// all tied: AUROC one half, AP the share of anomalies
		{"ties", []float64{1, 1, 1, 1}, []bool{true, false, false, false}, 0.5, 0.25},
		{"partly tied", []float64{0.5, 0.5, 0.7, 0.1}, []bool{true, false, true, false}, (1 + 0.5 + 1 + 1) / 4, (1.0/1 + 2.0/3) / 2},
	} {
		auc, err := anomaly.AUROC(tc.scores, tc.anomalous)
		if err != nil || math.Abs(auc-tc.auc) > 1e-12 {
			t.Errorf("%s: AUROC %v (%v), want %v", tc.name, auc, err, tc.auc)
		}
		ap, err := anomaly.AveragePrecision(tc.scores, tc.anomalous)
		if err != nil || math.Abs(ap-tc.ap) > 1e-12 {
			t.Errorf("%s: AP %v (%v), want %v", tc.name, ap, err, tc.ap)
		}
	}
	for _, tc := range []struct {
		scores    []float64
		anomalous []bool
		want      string
	}{
		{[]float64{1, 2}, []bool{true}, "2 scores for 1 labels"},
		{[]float64{1, 2}, []bool{true, true}, "want both"},
		{[]float64{1, math.NaN()}, []bool{true, false}, "NaN"},
	} {
		if _, err := anomaly.AUROC(tc.scores, tc.anomalous); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AUROC(%v, %v): %v, want %q", tc.scores, tc.anomalous, err, tc.want)
		}
	}
}

// The threshold is the (1 − p) quantile, interpolated as NumPy's default.
func TestThreshold(t *testing.T) {
	scores := []float64{5, 1, 4, 2, 3} // sorted: 1 2 3 4 5
	for _, tc := range []struct{ p, want float64 }{{0.5, 3}, {0.25, 4}, {0.1, 4.6}, {0.05, 4.8}} {
		got, err := anomaly.Threshold(scores, tc.p)
		if err != nil || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Threshold(%v) = %v (%v), want %v", tc.p, got, err, tc.want)
		}
	}
	for _, p := range []float64{0, -0.1, 0.6, math.NaN()} {
		if _, err := anomaly.Threshold(scores, p); err == nil || !strings.Contains(err.Error(), "(0, 0.5]") {
			t.Errorf("Threshold(%v): %v", p, err)
		}
	}
}

// ROC's points are scikit-learn 1.2's roc_curve(…, drop_intermediate=False)
// for the same inputs, and the area under them is AUROC, ties included.
func TestROC(t *testing.T) {
	for _, tc := range []struct {
		name      string
		scores    []float64
		anomalous []bool
		fpr, tpr  []float64
	}{
		{"partly tied", []float64{0.5, 0.5, 0.7, 0.1}, []bool{true, false, true, false},
			[]float64{0, 0, 0.5, 1}, []float64{0, 0.5, 1, 1}},
		{"one swap", []float64{0.1, 0.3, 0.2, 0.9}, []bool{false, false, true, true},
			[]float64{0, 0, 0.5, 0.5, 1}, []float64{0, 0.5, 0.5, 1, 1}},
	} {
		fpr, tpr, err := anomaly.ROC(tc.scores, tc.anomalous)
		if err != nil || !slices.Equal(fpr, tc.fpr) || !slices.Equal(tpr, tc.tpr) {
			t.Errorf("%s: ROC = %v, %v (%v), want %v, %v", tc.name, fpr, tpr, err, tc.fpr, tc.tpr)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		n := 2 + rng.IntN(300)
		scores, anomalous := make([]float64, n), make([]bool, n)
		for i := range scores {
			anomalous[i] = i%2 == 0 || rng.IntN(3) == 0
			scores[i] = float64(rng.IntN(20)) // many ties
			if anomalous[i] {
				scores[i] += float64(rng.IntN(5))
			}
		}
		anomalous[1] = false
		fpr, tpr, err := anomaly.ROC(scores, anomalous)
		if err != nil {
			t.Fatal(err)
		}
		area := 0.0
		for i := 1; i < len(fpr); i++ {
			area += (fpr[i] - fpr[i-1]) * (tpr[i] + tpr[i-1]) / 2
		}
		auc, _ := anomaly.AUROC(scores, anomalous)
		if math.Abs(area-auc) > 1e-12 || fpr[len(fpr)-1] != 1 || tpr[len(tpr)-1] != 1 {
			t.Errorf("trial %d: area under ROC %v, AUROC %v; last point (%v, %v)", trial, area, auc, fpr[len(fpr)-1], tpr[len(tpr)-1])
		}
	}
	if _, _, err := anomaly.ROC([]float64{1, 2}, []bool{false, false}); err == nil {
		t.Error("ROC with no anomalous sample: no error")
	}
}

func TestExtremes(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		scores []float64
		k      int
		want   []int
	}{
		{[]float64{3, 1, 4, 1, 5, 9, 2, 6}, 2, []int{5, 7, 3, 1}},             // the lowest: 1 and 3 tie, last first
		{[]float64{3, 1, 4, 1, 5, 9, 2, 6}, 4, []int{5, 7, 4, 2, 0, 6, 1, 3}}, // all: highest first
		{[]float64{2, nan, 1, 3, 0}, 1, []int{1, 4}},
		{[]float64{1, 1, 1, 1, 1}, 2, []int{0, 1, 4, 3}},
		{nil, 3, nil},
	} {
		if got := anomaly.Extremes(tc.scores, tc.k); !slices.Equal(got, tc.want) {
			t.Errorf("Extremes(%v, %d) = %v, want %v", tc.scores, tc.k, got, tc.want)
		}
	}
}
