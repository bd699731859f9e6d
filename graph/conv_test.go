package graph_test

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
)

// Conv2D (bias 0) and Upsample2 compute what Gorgonia's own Conv2d and
// Upsample2D compute, on random float64 images (their gradients are checked
// against finite differences by the per-net tests in nets/).
func TestConvOpsMatchGorgonia(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, c, h, w, out, k, pad int }{
		{2, 1, 8, 8, 3, 3, 1},
		{3, 2, 5, 7, 4, 3, 0},
		{1, 3, 6, 6, 2, 5, 2},
	} {
		b := graph.NewBuilder(graph.NewParams(tensor.Float64, 1), tc.n, false)
		x := b.Input("x", tc.n, tc.c, tc.h, tc.w)
		ours := b.Conv2D("conv", x, tc.out, tc.k, tc.pad, graph.Identity)
		up := b.Upsample2(x)
		if err := b.Err(); err != nil {
			t.Fatal(err)
		}
		w := b.Learnables()[0]
		theirs, err := G.Conv2d(x, w, tensor.Shape{tc.k, tc.k}, []int{tc.pad, tc.pad}, []int{1, 1}, []int{1, 1})
		if err != nil {
			t.Fatal(err)
		}
		theirUp, err := G.Upsample2D(x, 2)
		if err != nil {
			t.Fatal(err)
		}
		xs := make([]float64, tc.n*tc.c*tc.h*tc.w)
		for i := range xs {
			xs[i] = rng.NormFloat64()
		}
		if err := G.Let(x, tensor.New(tensor.WithShape(x.Shape()...), tensor.WithBacking(xs))); err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(b.Graph)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2]*G.Node{{ours, theirs}, {up, theirUp}} {
			a, e := pair[0].Value().Data().([]float64), pair[1].Value().Data().([]float64)
			if !pair[0].Shape().Eq(pair[1].Shape()) {
				t.Fatalf("%+v: shape %v, Gorgonia %v", tc, pair[0].Shape(), pair[1].Shape())
			}
			for i := range a {
				if math.Abs(a[i]-e[i]) > 1e-12 {
					t.Fatalf("%+v: %v[%d] = %v, Gorgonia %v", tc, pair[0].Op(), i, a[i], e[i])
				}
			}
		}
		vm.Close()
	}
}
