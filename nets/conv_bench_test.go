package nets_test

import (
	"context"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// BenchmarkConvStep times training steps of the conv net at batch 128 on
// MNIST (one op is one step; at most 468, an epoch: -benchtime 20x).
func BenchmarkConvStep(b *testing.B) {
	c := nets.DefaultConfig()
	c.Latent = 8
	net, err := nets.New("conv", c)
	if err != nil {
		b.Fatal(err)
	}
	m, err := graph.NewModel(net, graph.BCE, c.Dim, 1)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := graph.NewSolver("adam", 1e-3)
	tr, err := graph.NewTrainer(m, s, 128, 1)
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
