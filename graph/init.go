package graph

import (
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
)

// TorchUniform is PyTorch's default initialisation of nn.Linear and
// nn.Conv2d weights (kaiming_uniform_ with a = √5): U(−a, a) with
// a = 1/√fan_in.
func TorchUniform(rng *rand.Rand, shape []int, dst []float64) {
	fanIn, _ := fans(shape)
	uniform(rng, 1/math.Sqrt(float64(fanIn)), dst)
}

// TorchBias returns PyTorch's default initialisation of the bias of a layer
// with fanIn inputs: U(−a, a) with a = 1/√fan_in.
func TorchBias(fanIn int) Init {
	return func(rng *rand.Rand, _ []int, dst []float64) { uniform(rng, 1/math.Sqrt(float64(fanIn)), dst) }
}

// uniform fills dst with draws from U(−a, a).
func uniform(rng *rand.Rand, a float64, dst []float64) {
	for i := range dst {
		// 2u − 1 is exact (u is a multiple of 2^−53), so fused or not it
		// is the same on every CPU.
		dst[i] = (2*rng.Float64() - 1) * a
	}
}

// DenseTorch is Dense with PyTorch's default initialisation (TorchUniform
// weights, TorchBias biases) instead of Glorot-uniform weights and zero
// biases: for nets compared with a PyTorch reference that uses it.
func (b *Builder) DenseTorch(name string, x *G.Node, out int, act Activation) *G.Node {
	return b.dense(name, x, out, act, TorchUniform, TorchBias)
}
