package train_test

import (
	"testing"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/testnets"
	"github.com/aegraph/aegraph/train"
)

// The nets of train's tests are testnets' rather than package nets', so that
// train is tested on its own terms.
type (
	linearNet = testnets.Linear
	denseNet  = testnets.Dense
	noisyNet  = testnets.Noisy
)

var (
	loadMNIST = testnets.MNIST
	snapshot  = testnets.Snapshot
	sameBits  = testnets.SameBits
	fill      = testnets.Fill
)

// mnistShape is the shape of an MNIST image.
var mnistShape = []int{1, 28, 28}

// newTrainer builds a model of net with an adam trainer.
func newTrainer(t *testing.T, net graph.Net, loss graph.Loss, initSeed uint64, lr float64, batch int, seed uint64) *train.Trainer {
	t.Helper()
	m, err := graph.NewModel(net, loss, mnistShape, initSeed)
	if err != nil {
		t.Fatal(err)
	}
	return newTrainerConfig(t, m, train.Config{LR: lr, Batch: batch, Seed: seed})
}

// newTrainerConfig is a trainer of m configured by c.
func newTrainerConfig(t *testing.T, m *graph.Model, c train.Config) *train.Trainer {
	t.Helper()
	tr, err := train.New(m, c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// trainerWith is a trainer of m that steps with the solver s.
func trainerWith(m *graph.Model, s train.Solver, batch int, seed uint64) (*train.Trainer, error) {
	tr, err := train.New(m, train.Config{Solver: s.Name(), LR: s.LearnRate(), Batch: batch, Seed: seed})
	if err != nil {
		return nil, err
	}
	tr.Solver = s
	return tr, nil
}
