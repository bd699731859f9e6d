package train_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/train"
)

func TestSchedules(t *testing.T) {
	for _, tc := range []struct {
		name string
		done []float64
		want []float64
	}{
		{"constant", []float64{0, 0.5, 0.999}, []float64{1, 1, 1}},
		{"cosine", []float64{0, 0.25, 0.5, 0.75, 1}, []float64{1, (1 + math.Sqrt2/2) / 2, 0.5, (1 - math.Sqrt2/2) / 2, 0}},
	} {
		s, err := train.ScheduleByName(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range tc.done {
			if got := s.Factor(d); math.Abs(got-tc.want[i]) > 1e-12 {
				t.Errorf("%s: factor at %v = %v, want %v", tc.name, d, got, tc.want[i])
			}
		}
	}
	if _, err := train.ScheduleByName("linear"); err == nil || !strings.Contains(err.Error(), `"linear"`) || !strings.Contains(err.Error(), "cosine") {
		t.Errorf("unknown schedule: error %v, want one naming it and the choices", err)
	}
}

// Every step runs at the scheduled rate: the last step of a 3-epoch cosine
// run of 8 steps an epoch runs at LR·(1 + cos(π·23/24))/2, and the loss
// falls.
func TestTrainerFollowsSchedule(t *testing.T) {
	data := loadMNIST(t).Train.Head(resumeImages)
	tr := configured(t, denseNet{Dim: 784, Hidden: 32, Latent: 8}, train.Config{LR: 1e-2, Batch: resumeBatch, Seed: trainSeed, Schedule: "cosine", Epochs: 3}, initSeed)
	var losses []float64
	for e := 0; e < 3; e++ {
		loss, err := tr.RunEpoch(context.Background(), data, func(step, steps int, _ float64) {
			done := float64(e*steps+step-1) / float64(3*steps)
			if want := 1e-2 * (1 + math.Cos(math.Pi*done)) / 2; math.Abs(tr.Solver.LearnRate()-want) > 1e-15 {
				t.Errorf("epoch %d step %d: rate %v, want %v", e+1, step, tr.Solver.LearnRate(), want)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		losses = append(losses, loss)
	}
	if !(losses[2] < losses[0]) {
		t.Errorf("losses %v: did not fall", losses)
	}
}
