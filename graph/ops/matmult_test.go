package ops_test

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph/ops"
)

// MatMulT's gradients, with respect to both operands, agree with central
// finite differences of f = Σ (x·wᵀ) ⊙ r on a float64 graph.
func TestMatMulTGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.Float64()*2 - 1
		}
		return v
	}
	xv, wv, rv := vals(3*4), vals(5*4), vals(3*5)
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(3, 4), G.WithName("x"), G.WithValue(tensor.New(tensor.WithShape(3, 4), tensor.WithBacking(xv))))
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(5, 4), G.WithName("w"), G.WithValue(tensor.New(tensor.WithShape(5, 4), tensor.WithBacking(wv))))
	r := G.NewMatrix(g, tensor.Float64, G.WithShape(3, 5), G.WithName("r"), G.WithValue(tensor.New(tensor.WithShape(3, 5), tensor.WithBacking(rv))))
	y, err := ops.MatMulT(x, w, true)
	if err != nil {
		t.Fatal(err)
	}
	cost := G.Must(G.Sum(G.Must(G.HadamardProd(y, r))))
	grads, err := G.Grad(cost, x, w)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	f := func() float64 {
		defer vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		return cost.Value().Data().(float64)
	}
	f()
	analytic := [][]float64{append([]float64(nil), grads[0].Value().Data().([]float64)...), append([]float64(nil), grads[1].Value().Data().([]float64)...)}
	// y = x·wᵀ by hand
	for i := range 3 {
		for j := range 5 {
			var s float64
			for k := range 4 {
				s += xv[i*4+k] * wv[j*4+k]
			}
			if got := y.Value().Data().([]float64)[i*5+j]; math.Abs(got-s) > 1e-12 {
				t.Fatalf("y[%d,%d] = %v, want %v", i, j, got, s)
			}
		}
	}
	for p, v := range [][]float64{xv, wv} {
		for i := range v {
			orig := v[i]
			const h = 1e-6
			v[i] = orig + h
			fp := f()
			v[i] = orig - h
			fm := f()
			v[i] = orig
			if num := (fp - fm) / (2 * h); math.Abs(num-analytic[p][i]) > 1e-8 {
				t.Errorf("operand %d, element %d: analytic %v, numerical %v", p, i, analytic[p][i], num)
			}
		}
	}
}
