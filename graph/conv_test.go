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

// MaxPool2 and its gradient give, bit for bit, what Gorgonia's MaxPool2D
// gives, on float32 images with many ties (values on a coarse grid, a third
// of them 0 as after a ReLU).
func TestMaxPool2MatchesGorgonia(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shape := []int{3, 2, 6, 8}
	xs := make([]float32, 3*2*6*8)
	for i := range xs {
		xs[i] = float32(max(0, rng.IntN(6)-2)) / 2
	}
	r := make([]float32, 3*2*3*4)
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	run := func(pool func(b *graph.Builder, x *G.Node) *G.Node) (y, dx []float32) {
		b := graph.NewBuilder(graph.NewParams(tensor.Float32, 1), 3, false)
		x := G.NewTensor(b.Graph, tensor.Float32, 4, G.WithShape(shape...), G.WithName("x"),
			G.WithValue(tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float32(nil), xs...)))))
		p := pool(b, x)
		rn := G.NewTensor(b.Graph, tensor.Float32, 4, G.WithShape(3, 2, 3, 4), G.WithName("r"),
			G.WithValue(tensor.New(tensor.WithShape(3, 2, 3, 4), tensor.WithBacking(r))))
		cost := b.Try(G.Sum(b.Try(G.HadamardProd(p, rn))))
		if err := b.Err(); err != nil {
			t.Fatal(err)
		}
		grads, err := G.Grad(cost, x)
		if err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(b.Graph)
		defer vm.Close()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), p.Value().Data().([]float32)...), append([]float32(nil), grads[0].Value().Data().([]float32)...)
	}
	y, dx := run(func(b *graph.Builder, x *G.Node) *G.Node { return b.MaxPool2(x) })
	wantY, wantDx := run(func(b *graph.Builder, x *G.Node) *G.Node {
		return b.Try(G.MaxPool2D(x, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}))
	})
	for i := range wantY {
		if y[i] != wantY[i] {
			t.Fatalf("y[%d] = %v, Gorgonia %v", i, y[i], wantY[i])
		}
	}
	for i := range wantDx {
		if dx[i] != wantDx[i] {
			t.Fatalf("∂x[%d] = %v, Gorgonia %v", i, dx[i], wantDx[i])
		}
	}
}
