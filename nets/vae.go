package nets

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
)

// VAE is the variational autoencoder of Kingma & Welling (2014), as in
// PyTorch's example: 784-400 ReLU → (μ, log σ²) of size k = 20; decoder
// k-400-784 with a sigmoid output. Its loss per image is −ELBO:
//
//	bce-sum(x, x') + β·KL(q(z|x) ‖ N(0, I)),  KL = −½ Σ_j (1 + log σ²_j − μ_j² − σ²_j)
//
// In training z = μ + σ·ε with ε ~ N(0, I) drawn by the trainer's seeded RNG
// (the reparameterisation trick); in evaluation z = μ, so the test loss and
// MSE are those of the mean code.
type VAE struct {
	MLP
	Beta float64 // β, the weight of the KL term
}

// Encoder: x (batch, Dim) → ReLU layers → μ, log σ² (batch, Latent) → z.
func (n VAE) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	h := x
	for i, size := range n.Hidden {
		h = b.Dense(fmt.Sprintf("enc%d", i+1), h, size, graph.ReLU)
	}
	mu := b.Dense("mu", h, n.Latent, graph.Identity)
	logVar := b.Dense("logvar", h, n.Latent, graph.Identity)
	variance := b.Op1(G.Exp, logVar)

	// Σ_j over k code units, mean over the batch = k · mean over both.
	terms := b.Op2(G.Sub, b.Op2(G.Add, logVar, b.Scalar(1)), b.Op2(G.Add, b.Op1(G.Square, mu), variance))
	kl := b.Scale(-0.5*float64(n.Latent), b.Mean(terms))
	b.Penalty(b.Scale(n.Beta, kl))

	if !b.Training {
		return mu
	}
	eps := b.Gaussian("eps", b.Batch, n.Latent)
	sigma := b.Op1(G.Exp, b.Scale(0.5, logVar))
	return b.Op2(G.Add, mu, b.Op2(G.HadamardProd, sigma, eps))
}

func init() {
	Register(Spec{Name: "vae", Doc: "variational: 784-400 ReLU → μ, log σ² (k = 20), decoder k-400-784, sigmoid output; loss bce-sum + β·KL", Loss: "bce-sum",
		Latent: 20, Hidden: []int{400}, Generative: true,
		New: func(c Config) (graph.Net, error) {
			if c.Beta < 0 {
				return nil, fmt.Errorf("vae: β %v, want ≥ 0", c.Beta)
			}
			return VAE{MLP: newMLP(c), Beta: c.Beta}, nil
		}})
}
