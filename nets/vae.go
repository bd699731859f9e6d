package nets

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/graph/ops"
	"github.com/aegraph/aegraph/train"
)

// VAE is the variational autoencoder of Kingma & Welling (2014), as in
// PyTorch's example: D-400 ReLU → (μ, log σ²) of size k = 20; decoder
// k-400-D with a sigmoid output (D = 784 for MNIST). Its loss per image is −ELBO:
//
//	bce-sum(x, x') + β·KL(q(z|x) ‖ N(0, I)),  KL = −½ Σ_j (1 + log σ²_j − μ_j² − σ²_j)
//
// (for real values, a linear output and mse-sum: a Gaussian decoder's
// −log p(x|z) up to a constant and a factor ½).
//
// In training z = μ + σ·ε with ε ~ N(0, I) drawn by the trainer's seeded RNG
// (the reparameterisation trick); in evaluation graphs z = μ, so
// Model.Evaluate measures the mean code (Model.EvaluateSampled samples z, as
// cmd/train's test loss does). Its layers are initialised as PyTorch's
// nn.Linear, like the reference run, and trained in batches of 64
// (Spec.Training); docs/VALIDATION.md says how both were chosen.
type VAE struct {
	MLP
	Beta  float64 // β, the weight of the KL term
	Torch bool    // PyTorch's default initialisation (graph.DenseTorch), as the reference
}

func (n VAE) dense(b *graph.Builder) func(string, *G.Node, int, graph.Activation) *G.Node {
	if n.Torch {
		return b.DenseTorch
	}
	return b.Dense
}

// Encoder: x (batch, Dim) → ReLU layers → μ, log σ² (batch, Latent) → z.
func (n VAE) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	dense := n.dense(b)
	h := x
	for i, size := range n.Hidden {
		h = dense(fmt.Sprintf("enc%d", i+1), h, size, graph.ReLU)
	}
	mu := dense("mu", h, n.Latent, graph.Identity)
	logVar := dense("logvar", h, n.Latent, graph.Identity)
	b.Output("logvar", logVar) // log σ², for cmd/ae encode -logvar
	variance := b.Op1(ops.Exp, logVar)

	// Σ_j over k code units, mean over the batch = k · mean over both.
	terms := b.Op2(G.Sub, b.Op2(G.Add, logVar, b.Scalar(1)), b.Op2(G.Add, b.Op1(G.Square, mu), variance))
	kl := b.Scale(-0.5*float64(n.Latent), b.Mean(terms))
	b.Penalty(b.Scale(n.Beta, kl))

	if !b.Training {
		return mu
	}
	eps := b.Gaussian("eps", b.Batch, n.Latent)
	sigma := b.Op1(ops.Exp, b.Scale(0.5, logVar))
	return b.Op2(G.Add, mu, b.Op2(G.HadamardProd, sigma, eps))
}

// Decoder: z (batch, Latent) → ReLU layers → x' (batch, Dim), in (0, 1)
// for a sigmoid output.
func (n VAE) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	dense := n.dense(b)
	h := z
	for i, size := range slices.Backward(n.Hidden) {
		h = dense(fmt.Sprintf("dec%d", len(n.Hidden)-i), h, size, graph.ReLU)
	}
	return dense("recon", h, n.Dim, n.Out)
}

func init() {
	Register(Spec{Name: "vae", RealLoss: "mse-sum", Doc: "variational: D-400 ReLU → μ, log σ² (k = 20), decoder k-400-D, sigmoid output; loss bce-sum + β·KL", Loss: "bce-sum",
		Latent: 20, Training: train.Config{Batch: 64}, Generative: true,
		Options: []Option{hiddenOption(400),
			{Name: "beta", Default: 1.0, Doc: "weight β of the KL term", Check: AtLeast(0)}},
		New: func(c Config) (graph.Net, error) {
			return VAE{MLP: newMLP(c), Beta: c.Options.Float("beta"), Torch: true}, nil
		}})
}
