package nets

import (
	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
)

// Linear is the linear autoencoder D → k → D with no activations. Trained
// with MSE it converges to the subspace of the first k principal components.
type Linear struct {
	Dim, Latent int
}

// Encoder: z = x·W₁ + b₁, x (batch, Dim) → z (batch, Latent).
func (n Linear) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, n.Latent, graph.Identity)
}

// Decoder: x' = z·W₂ + b₂, z (batch, Latent) → x' (batch, Dim).
func (n Linear) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, n.Dim, graph.Identity)
}

func init() {
	Register(Spec{Name: "linear", Doc: "D-k-D, no activations (PCA's equivalent)", Loss: "mse",
		New: func(c Config) (graph.Net, error) { return Linear{graph.Size(c.Input), c.Latent}, nil }})
}
