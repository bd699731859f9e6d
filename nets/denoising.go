package nets

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
)

// Denoising is the MLP trained to reconstruct the clean x from a corrupted
// x̃: masking noise sets each pixel to 0 with probability Level; Gaussian
// noise adds Level·ε, ε ~ N(0, 1). The noise comes from the trainer's seeded
// RNG, and only in training: evaluation encodes the clean x.
type Denoising struct {
	MLP
	Noise string  // "mask" or "gaussian"
	Level float64 // masking probability or σ
}

// Encoder: x̃ = corrupt(x) in training, then the MLP's encoder.
func (n Denoising) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	if b.Training {
		switch n.Noise {
		case "mask":
			keep := b.Bernoulli("keep", 1-n.Level, x.Shape()...)
			x = b.Op2(G.HadamardProd, x, keep)
		case "gaussian":
			eps := b.Gaussian("eps", x.Shape()...)
			x = b.Op2(G.Add, x, b.Scale(n.Level, eps))
		}
	}
	return n.MLP.Encoder(b, x)
}

func init() {
	Register(Spec{Name: "denoising", Doc: "the mlp trained on masked or noisy inputs against clean targets", Loss: "mse",
		Options: []Option{hiddenOption(256, 64),
			{Name: "noise", Default: "mask", Doc: "corruption: mask (pixels set to 0) or gaussian (σ·ε added)", Check: OneOf("mask", "gaussian")},
			{Name: "noise-level", Default: 0.3, Doc: "masking probability (< 1) or Gaussian σ", Check: AtLeast(0)}},
		New: func(c Config) (graph.Net, error) {
			noise, level := c.Options.String("noise"), c.Options.Float("noise-level")
			if noise == "mask" && level >= 1 {
				return nil, fmt.Errorf("denoising: masking probability %v, want 0 ≤ p < 1", level)
			}
			return Denoising{MLP: newMLP(c), Noise: noise, Level: level}, nil
		}})
}
