package nets

import (
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// The deep autoencoder of Hinton & Salakhutdinov (Science, 2006):
// D-1000-500-250-30, here with ReLU units and a sigmoid output, trained end
// to end by backpropagation (they pretrained stacked RBMs, then fine-tuned).
// It is the MLP with other default sizes, trained, as theirs, with
// cross-entropy.
//
// With 2.8 million parameters for MNIST's 60,000 images it overfits unless
// regularised, so it trains by default with decoupled weight decay λ = 0.1
// and a cosine schedule (Spec.Training); docs/VALIDATION.md says how they
// were chosen and what they reach.
func init() {
	Register(Spec{Name: "deep", Doc: "the mlp as D-1000-500-250-k (k = 30; Hinton & Salakhutdinov 2006)", Loss: "bce",
		Latent: 30, Training: train.Config{Schedule: "cosine", WeightDecay: 0.1},
		Options: []Option{hiddenOption(1000, 500, 250)},
		New:     func(c Config) (graph.Net, error) { return newMLP(c), nil }})
}
