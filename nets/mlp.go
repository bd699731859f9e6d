package nets

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
)

// MLP is the dense autoencoder: encoder D-256-64-k with ReLU (D = 784 for
// MNIST), a linear code, and the mirrored decoder k-64-256-D with a sigmoid
// output.
type MLP struct {
	Dim    int              // input size D, e.g. 784
	Hidden []int            // encoder hidden sizes, [256, 64]; the decoder mirrors them
	Latent int              // code size k
	Out    graph.Activation // of the output: sigmoid for values in [0, 1] (Config.Out)
}

// Encoder: x (batch, Dim) → ReLU layers → z (batch, Latent).
func (n MLP) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	h := x
	for i, size := range n.Hidden {
		h = b.Dense(fmt.Sprintf("enc%d", i+1), h, size, graph.ReLU)
	}
	return b.Dense("code", h, n.Latent, graph.Identity)
}

// Decoder: z (batch, Latent) → ReLU layers → x' (batch, Dim) (in (0, 1) for
// a sigmoid output).
func (n MLP) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	h := z
	for i, size := range slices.Backward(n.Hidden) {
		h = b.Dense(fmt.Sprintf("dec%d", len(n.Hidden)-i), h, size, graph.ReLU)
	}
	return b.Dense("recon", h, n.Dim, n.Out)
}

// hiddenOption is the option of the dense nets' hidden sizes, each with
// defaults of its own.
func hiddenOption(def ...int) Option {
	return Option{Name: "hidden", Default: def, Doc: "encoder hidden sizes, comma-separated (mirrored in the decoder)", Check: AtLeast(1)}
}

// newMLP is the MLP that c describes; it reads the option "hidden".
func newMLP(c Config) MLP {
	return MLP{Dim: graph.Size(c.Input), Hidden: c.Options.Ints("hidden"), Latent: c.Latent, Out: c.Out()}
}

func init() {
	Register(Spec{Name: "mlp", Doc: "D-256-64-k ReLU, mirrored decoder, sigmoid output (linear for real values)", Loss: "mse",
		Options: []Option{hiddenOption(256, 64)},
		New:     func(c Config) (graph.Net, error) { return newMLP(c), nil }})
}
