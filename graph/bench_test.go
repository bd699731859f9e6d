package graph_test

import (
	"context"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// BenchmarkTrainStep measures one training step (forward, backward, solver
// update) at batch 128, with its allocations, for each BLAS:
//
//	go test -run X -bench TrainStep -benchmem ./graph
func BenchmarkTrainStep(b *testing.B) {
	data, err := datasets.Load("")
	if err != nil {
		b.Fatal(err)
	}
	defer graph.UseBLAS("fast")
	for _, name := range []string{"linear", "mlp"} {
		for _, blas := range []string{"fast", "gonum"} {
			b.Run(name+"/"+blas, func(b *testing.B) {
				graph.UseBLAS(blas)
				benchTrainStep(b, data.Train, name)
			})
		}
	}
}

func benchTrainStep(b *testing.B, data *datasets.Set, name string) {
	net, err := nets.New(name, nets.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	m, err := graph.NewModel(net, graph.MSE, 784, 1)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := graph.NewSolver("adam", 1e-3)
	const batch = 128
	t, err := graph.NewTrainer(m, s, batch, 1)
	if err != nil {
		b.Fatal(err)
	}
	train := data.Head(batch * 50)
	steps := t.StepsPerEpoch(train.Len())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += steps {
		// One epoch at a time; a partial last epoch is cut by the context.
		ctx, cancel := context.WithCancel(context.Background())
		left := b.N - i
		_, err := t.RunEpoch(ctx, train, func(step, _ int, _ float64) {
			if step >= left {
				cancel()
			}
		})
		cancel()
		if err != nil && ctx.Err() == nil {
			b.Fatal(err)
		}
		t.Step, t.LossSum = 0, 0
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/step")
}
