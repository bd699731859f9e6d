package graph_test

import (
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
)

// TestNoGradientForData: the backward pass computes no gradient with respect
// to the data x (or what is computed from x alone), only with respect to
// what depends on the parameters: a net of L dense layers has L−1 products
// G·Wᵀ and a conv net of L layers L−1 input gradients.
func TestNoGradientForData(t *testing.T) {
	for _, tc := range []struct {
		name    string
		build   func(b *graph.Builder, x *G.Node) *G.Node
		backOp  string // the op of a gradient with respect to a layer's input
		inGrads int
	}{
		{"dense 1 layer", func(b *graph.Builder, x *G.Node) *G.Node {
			return b.Dense("a", x, 5, graph.ReLU)
		}, "matMul(false,true)", 0},
		{"dense 3 layers", func(b *graph.Builder, x *G.Node) *G.Node {
			h := b.Dense("a", x, 5, graph.ReLU)
			h = b.Dense("b", h, 4, graph.Sigmoid)
			return b.Dense("c", h, 3, graph.Identity)
		}, "matMul(false,true)", 2},
		{"dense on masked data", func(b *graph.Builder, x *G.Node) *G.Node {
			keep := b.Bernoulli("keep", 0.5, x.Shape()...)
			return b.Dense("a", b.Op2(G.HadamardProd, x, b.Scale(2, keep)), 5, graph.ReLU)
		}, "matMul(false,true)", 0},
		{"conv 2 layers", func(b *graph.Builder, x *G.Node) *G.Node {
			h := b.Conv2D("a", b.Reshape(x, 2, 1, 4, 4), 3, 3, 1, graph.ReLU)
			return b.Conv2D("b", h, 2, 3, 1, graph.Identity)
		}, "GradInput", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := graph.NewBuilder(graph.NewParams(tensor.Float64, 1), 2, true)
			x := b.Input("x", 2, 16)
			y := tc.build(b, x)
			cost := b.Mean(y)
			if err := b.Err(); err != nil {
				t.Fatal(err)
			}
			if _, err := G.Grad(cost, b.Learnables()...); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, node := range b.Graph.AllNodes() {
				if node.Op() != nil && strings.Contains(node.Op().String(), tc.backOp) {
					n++
				}
			}
			if n != tc.inGrads {
				t.Errorf("%d nodes %s, want %d", n, tc.backOp, tc.inGrads)
			}
		})
	}
}
