package anomaly_test

import (
	"math"
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
