package graph_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
)

// TestInits: each initialiser draws uniformly from ±a with its own bound a
// (the largest |value| is close to a, none beyond, the variance is a²/3), for
// dense (in, out) and convolution (out, in, kh, kw) shapes.
func TestInits(t *testing.T) {
	for _, tc := range []struct {
		name  string
		init  graph.Init
		shape []int
		bound float64
	}{
		{"glorot dense", graph.GlorotUniform, []int{784, 256}, math.Sqrt(6.0 / (784 + 256))},
		{"he dense", graph.HeUniform, []int{784, 256}, math.Sqrt(6.0 / 784)},
		{"glorot conv", graph.GlorotUniform, []int{16, 8, 3, 3}, math.Sqrt(6.0 / (8*9 + 16*9))},
		{"he conv", graph.HeUniform, []int{16, 8, 3, 3}, math.Sqrt(6.0 / (8 * 9))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 1
			for _, d := range tc.shape {
				n *= d
			}
			dst := make([]float64, n)
			tc.init(rand.New(rand.NewPCG(1, 2)), tc.shape, dst)
			var peak, sq float64
			for _, v := range dst {
				peak = max(peak, math.Abs(v))
				sq += v * v
			}
			if peak > tc.bound || peak < 0.99*tc.bound {
				t.Errorf("largest |w| = %v, want just under %v", peak, tc.bound)
			}
			if v, want := sq/float64(n), tc.bound*tc.bound/3; math.Abs(v-want) > 0.1*want {
				t.Errorf("variance %v, want %v", v, want)
			}
		})
	}
}

// TestDenseInit: Dense initialises a weight followed by a ReLU with He's
// bound and any other with Glorot's.
func TestDenseInit(t *testing.T) {
	p := graph.NewParams(tensor.Float64, 1)
	b := graph.NewBuilder(p, 4, false)
	x := b.Input("x", 4, 600)
	h := b.Dense("relu", x, 200, graph.ReLU)
	b.Dense("linear", h, 200, graph.Identity)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	for name, bound := range map[string]float64{"relu.w": math.Sqrt(6.0 / 600), "linear.w": math.Sqrt(6.0 / 400)} {
		peak := 0.0
		for _, v := range p.Get(name).Float64s() {
			peak = max(peak, math.Abs(v))
		}
		if peak > bound || peak < 0.99*bound {
			t.Errorf("%s: largest |w| = %v, want just under %v", name, peak, bound)
		}
	}
}
