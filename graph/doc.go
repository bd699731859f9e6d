// Package graph is what a net author needs: an autoencoder declared as
// Gorgonia expressions, x → E_θ → z → D_φ → x', and the Model that uses it.
//
// A Net declares the encoder z = E_θ(x) and the decoder x' = D_φ(z) through
// a Builder, which creates each weight on first use in a Params store that
// every graph of the model shares (training, evaluation, encoding):
//
//	type Tiny struct{ Dim, Latent int }
//
//	// Encoder: x (batch, Dim) → z (batch, Latent).
//	func (t Tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
//		return b.Dense("code", x, t.Latent, graph.Tanh)
//	}
//
//	// Decoder: z (batch, Latent) → x' (batch, Dim), values in (0, 1).
//	func (t Tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
//		return b.Dense("recon", z, t.Dim, graph.Sigmoid)
//	}
//
//	m, err := graph.NewModel(Tiny{784, 8}, graph.BCE, []int{1, 28, 28}, 1)
//	z, err := m.Encode(x)        // x (n, 784) → z (n, 8)
//	xr, err := m.Decode(z)       // z → x' (n, 784)
//	ev, err := m.Evaluate(data, 250) // loss and MSE over a graph.Data
//
// The Builder's methods keep the first error and skip the rest, so a net
// reads as straight-line math; check Builder.Err once (Autoencoder and
// NewModel do). Its layers are Dense (and DenseTorch), Conv2D, MaxPool2,
// Upsample2 and Reshape, built on the fused operations of package ops
// (MatMul, AddBias and the activations ReLU and Sigmoid run there too);
// Op1 and Op2 apply any other Gorgonia operation, Penalty adds a term to the
// loss (a sparsity penalty, a VAE's KL divergence), and Gaussian and
// Bernoulli declare noise inputs that the trainer fills from its seeded RNG
// (Gorgonia's own random nodes are clock-seeded). Losses are L2, MSE, BCE
// (computed stably from the logits of a Sigmoid output) and BCESum.
//
// Weights are initialised from the Params store's own seeded RNG (Gorgonia's
// initialisers are clock-seeded): He-uniform before a ReLU, Glorot-uniform
// otherwise, zero biases; TorchUniform for DenseTorch.
//
// Training is package train's, the nets are package nets', and a whole run
// (configuration, folder, resume) is package run's.
package graph
