package graph

import (
	G "gorgonia.org/gorgonia"
)

// Net declares an autoencoder as two Gorgonia expressions: the encoder
// z = E_θ(x) and the decoder x' = D_φ(z). x is (batch, 784) with pixels in
// [0, 1]; z is (batch, k) for dense nets (any shape led by batch is allowed);
// the recon x' has x's shape.
//
// A Net only declares: it creates its weights through the Builder, which binds
// them to the shared Params store. The same declaration builds the training
// graph, the evaluation graphs and the encode/decode graphs.
type Net interface {
	Encoder(b *Builder, x *G.Node) (z *G.Node)
	Decoder(b *Builder, z *G.Node) (recon *G.Node)
}

// Autoencoder builds x → z → x' and the cost ℓ(x, x') + Σ penalties on b.
// The loss always compares x' with the clean input x, also when the encoder
// corrupts its input (denoising).
func Autoencoder(b *Builder, net Net, loss Loss, x *G.Node) (z, recon, cost *G.Node) {
	z = net.Encoder(b, x)
	recon = net.Decoder(b, z)
	if !b.ok(z, recon) {
		return nil, nil, nil
	}
	if !recon.Shape().Eq(x.Shape()) {
		b.Fail(errShape("recon", recon.Shape(), x.Shape()), "decoder")
		return nil, nil, nil
	}
	cost = loss.Build(b, x, recon)
	for _, p := range b.penalties {
		if !b.ok(cost) {
			break
		}
		cost = b.Try(G.Add(cost, p))
	}
	return z, recon, cost
}
