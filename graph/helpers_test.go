package graph_test

import "github.com/aegraph/aegraph/internal/testnets"

// The nets of graph's tests are testnets' rather than package nets', so that
// graph is tested on its own terms.
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
