package nets

import (
	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
)

// Sparse is the MLP with an L1 penalty λ·mean|z| on the code, added to the
// loss, which drives most code units to zero for any one image.
type Sparse struct {
	MLP
	L1 float64 // λ
}

// Encoder: the MLP's encoder, plus the penalty on z.
func (n Sparse) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	z := n.MLP.Encoder(b, x)
	b.Penalty(b.Scale(n.L1, b.Mean(b.Op1(G.Abs, z))))
	return z
}

func init() {
	Register(Spec{Name: "sparse", Doc: "the mlp with an L1 penalty λ·mean|z| on the code", Loss: "mse",
		Options: []Option{hiddenOption(256, 64),
			{Name: "l1", Default: 1e-4, Doc: "weight λ of the L1 penalty on the code", Check: AtLeast(0)}},
		New: func(c Config) (graph.Net, error) {
			return Sparse{MLP: newMLP(c), L1: c.Options.Float("l1")}, nil
		}})
}
