package train_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// Watch sees each step's batch, in the documented order, and its noise
// inputs in declaration order, fresh every step; watching changes nothing.
func TestTrainerWatch(t *testing.T) {
	const batch, seed = 8, 5
	data := loadMNIST(t).Train.Head(4 * batch)
	net := noisyNet{Dense: denseNet{Dim: 784, Hidden: 16, Latent: 4}, Level: 0.5}
	watched := newTrainer(t, net, graph.MSE, 2, 1e-3, batch, seed)
	var xs [][]float32
	var noise [][][]float32
	watched.Watch = func(x []float32, n [][]float32) {
		xs = append(xs, slices.Clone(x))
		var step [][]float32
		for _, buf := range n {
			step = append(step, slices.Clone(buf))
		}
		noise = append(noise, step)
	}
	plain := newTrainer(t, net, graph.MSE, 2, 1e-3, batch, seed)
	for _, tr := range []*train.Trainer{watched, plain} {
		if _, err := tr.RunEpoch(context.Background(), data, nil); err != nil {
			t.Fatal(err)
		}
	}
	sameBits(t, snapshot(watched.Model), snapshot(plain.Model))

	if len(xs) != 4 {
		t.Fatalf("Watch called %d times in an epoch of 4 steps", len(xs))
	}
	perm := train.Perm(data.Len(), seed, 0)
	for s, x := range xs {
		want := make([]float32, batch*784)
		data.Batch(want, perm[s*batch:(s+1)*batch])
		if !slices.Equal(x, want) {
			t.Errorf("step %d: x is not images perm[%d:%d]", s+1, s*batch, (s+1)*batch)
		}
		if len(noise[s]) != 2 || len(noise[s][0]) != batch*784 || len(noise[s][1]) != batch*784 {
			t.Fatalf("step %d: noise of %d inputs, want keep and eps of %d values each", s+1, len(noise[s]), batch*784)
		}
		keep, eps := noise[s][0], noise[s][1]
		if slices.ContainsFunc(keep, func(v float32) bool { return v != 0 && v != 1 }) {
			t.Errorf("step %d: the first noise input is not the 0/1 mask keep", s+1)
		}
		if !slices.ContainsFunc(eps, func(v float32) bool { return v != 0 && v != 1 }) {
			t.Errorf("step %d: the second noise input is not the Gaussian eps", s+1)
		}
		if s > 0 && slices.Equal(eps, noise[s-1][1]) {
			t.Errorf("step %d: eps repeats step %d's", s+1, s)
		}
	}
}
