package train_test

import (
	"context"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/graph/ops"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
)

// BenchmarkTrainStep measures one training step (forward, backward, solver
// update) at batch 128, with its allocations, for each BLAS:
//
//	go test -run X -bench TrainStep -benchmem ./train
func BenchmarkTrainStep(b *testing.B) {
	data, err := datasets.Load("")
	if err != nil {
		b.Fatal(err)
	}
	defer ops.UseBLAS("fast")
	for _, name := range []string{"linear", "mlp"} {
		for _, blas := range []string{"fast", "gonum"} {
			b.Run(name+"/"+blas, func(b *testing.B) {
				ops.UseBLAS(blas)
				benchTrainStep(b, data.Train, name)
			})
		}
	}
}

// newNet is the registered net of that name with its defaults, for MNIST.
func newNet(name string) (graph.Net, error) {
	spec, err := nets.Lookup(name)
	if err != nil {
		return nil, err
	}
	return spec.New(spec.Config([]int{1, 28, 28}))
}

func benchTrainStep(b *testing.B, data *datasets.Set, name string) {
	net, err := newNet(name)
	if err != nil {
		b.Fatal(err)
	}
	m, err := graph.NewModel(net, graph.MSE, []int{784}, 1)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := train.NewSolver("adam", 1e-3)
	const batch = 128
	t, err := trainerWith(m, s, batch, 1)
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
