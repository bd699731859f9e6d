package graph

import (
	"fmt"
	"slices"

	"github.com/aegraph/aegraph/graph/ops"
	"github.com/aegraph/aegraph/internal/named"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Loss is a reconstruction loss ℓ(x, x'), averaged over the batch. F builds
// it on b's graph from x and recon, both (batch, …): a scalar node. A loss of
// one's own is a Loss with an F, e.g. from b.Op2 and b.Mean.
type Loss struct {
	Name string
	Doc  string
	F    func(b *Builder, x, recon *G.Node) *G.Node
}

// Build adds ℓ(x, x') to b's graph: a scalar node.
func (l Loss) Build(b *Builder, x, recon *G.Node) *G.Node {
	if !b.ok(x, recon) {
		return nil
	}
	if l.F == nil {
		b.Fail(fmt.Errorf("loss %q has no function F", l.Name), "loss")
		return nil
	}
	return l.F(b, x, recon)
}

var (
	// L2 is the defining loss ‖x − x'‖₂ per sample, averaged over the batch.
	L2 = Loss{"l2", "‖x − x'‖ per image, mean over the batch", l2}
	// MSE is the mean of (x − x')² over batch and pixels.
	MSE = Loss{"mse", "mean of (x − x')² over pixels and batch", mse}
	// BCE is the binary cross-entropy −[x·log x' + (1−x)·log(1−x')], mean over
	// pixels and batch, computed from the logits a of a sigmoid output as
	// softplus(a) − x·a, which cannot overflow.
	BCE = Loss{"bce", "binary cross-entropy, mean over pixels and batch (sigmoid outputs)", bce}
	// BCESum is BCE summed over the pixels of an image, mean over the batch:
	// the −log p(x|z) of a Bernoulli decoder, as in a VAE's evidence bound.
	BCESum = Loss{"bce-sum", "binary cross-entropy, sum over pixels, mean over the batch (sigmoid outputs; vae)", bceSum}
	// MSESum is (x − x')² summed over the values of a sample, mean over the
	// batch: a Gaussian decoder's −log p(x|z), up to a constant and a
	// factor ½ (the vae on real values).
	MSESum = Loss{"mse-sum", "(x − x')² summed over a sample's values, mean over the batch (vae on real values)", mseSum}
)

// Losses lists the losses by name.
var Losses = []Loss{L2, MSE, BCE, BCESum, MSESum}

// LossByName finds a loss.
func LossByName(name string) (Loss, error) {
	return named.Find("loss", name, Losses, func(l Loss) string { return l.Name })
}

func sqErr(b *Builder, x, recon *G.Node) *G.Node {
	d := b.Try(G.Sub(x, recon))
	if !b.ok(d) {
		return nil
	}
	return b.Try(G.Square(d))
}

func mse(b *Builder, x, recon *G.Node) *G.Node {
	return b.Try(ops.MeanSquare(x, recon))
}

func l2(b *Builder, x, recon *G.Node) *G.Node {
	se := sqErr(b, x, recon)
	if !b.ok(se) {
		return nil
	}
	axes := make([]int, x.Dims()-1)
	for i := range axes {
		axes[i] = i + 1
	}
	perImage := b.Try(G.Sum(se, axes...))
	if !b.ok(perImage) {
		return nil
	}
	// The tiny ε keeps the gradient of √ finite at a perfect reconstruction.
	eps := b.Scalar(1e-12)
	sum := b.Try(G.Add(perImage, eps))
	if !b.ok(sum) {
		return nil
	}
	norm := b.Try(G.Sqrt(sum))
	if !b.ok(norm) {
		return nil
	}
	return b.Try(G.Mean(norm))
}

func bce(b *Builder, x, recon *G.Node) *G.Node {
	a := b.Logits(recon)
	if a == nil {
		b.Fail(fmt.Errorf("needs a sigmoid output (the decoder's last activation is not graph.Sigmoid); choose mse or l2"), "bce")
		return nil
	}
	return b.Try(ops.MeanBCE(x, a))
}

func bceSum(b *Builder, x, recon *G.Node) *G.Node {
	return b.Scale(float64(Size(x.Shape()[1:])), bce(b, x, recon))
}

func mseSum(b *Builder, x, recon *G.Node) *G.Node {
	return b.Scale(float64(Size(x.Shape()[1:])), mse(b, x, recon))
}

func errShape(what string, got, want tensor.Shape) error {
	return fmt.Errorf("%s has shape %v, want %v", what, slices.Clone([]int(got)), slices.Clone([]int(want)))
}
