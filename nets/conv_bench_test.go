package nets_test

import (
	"context"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
)

// BenchmarkConvStep times training steps of the conv net at batch 128 on
// MNIST (one op is one step; at most 468, an epoch: -benchtime 20x).
func BenchmarkConvStep(b *testing.B) {
	spec, err := nets.Lookup("conv")
	if err != nil {
		b.Fatal(err)
	}
	c := spec.Config([]int{1, 28, 28})
	net, err := spec.New(c)
	if err != nil {
		b.Fatal(err)
	}
	m, err := graph.NewModel(net, graph.BCE, c.Input, 1)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := train.New(m, train.Config{Batch: 128, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	mn, err := datasets.Load("")
	if err != nil {
		b.Fatal(err)
	}
	data := mn.Train.Head(128 * b.N)
	b.ResetTimer()
	if _, err := tr.RunEpoch(context.Background(), data, nil); err != nil {
		b.Fatal(err)
	}
}
