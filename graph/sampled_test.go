package graph_test

import (
	"testing"

	"github.com/aegraph/aegraph/graph"
)

// Without noise inputs EvaluateSampled is Evaluate; with them it differs
// from Evaluate, and the same seed gives the same figures.
func TestEvaluateSampled(t *testing.T) {
	data := loadMNIST(t).Test.Head(10)
	plain, err := graph.NewModel(denseNet{Dim: 784, Hidden: 16, Latent: 4}, graph.MSE, []int{784}, 3)
	if err != nil {
		t.Fatal(err)
	}
	det, err1 := plain.Evaluate(data, 4)
	sam, err2 := plain.EvaluateSampled(data, 4, 1)
	if err1 != nil || err2 != nil || !relEqual(det.Loss, sam.Loss, 1e-6) || !relEqual(det.MSE, sam.MSE, 1e-6) {
		t.Errorf("no noise: EvaluateSampled = %+v (%v), Evaluate = %+v (%v); want equal", sam, err2, det, err1)
	}

	noisy, err := graph.NewModel(noisyNet{Dense: denseNet{Dim: 784, Hidden: 16, Latent: 4}, Level: 0.5}, graph.MSE, []int{784}, 3)
	if err != nil {
		t.Fatal(err)
	}
	det, _ = noisy.Evaluate(data, 4)
	a, err1 := noisy.EvaluateSampled(data, 4, 1)
	b, err2 := noisy.EvaluateSampled(data, 4, 1)
	if err1 != nil || err2 != nil || a != b {
		t.Errorf("same seed: %+v (%v) and %+v (%v); want equal", a, err1, b, err2)
	}
	if a.Loss == det.Loss {
		t.Errorf("with noise EvaluateSampled = Evaluate = %+v", a)
	}
}
