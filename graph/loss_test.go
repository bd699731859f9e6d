package graph_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
)

// lossValue builds x (2, 3) and recon = σ(a) on a graph of the given dtype,
// adds the loss and returns its value.
func lossValue(t *testing.T, dtype tensor.Dtype, loss graph.Loss, x, a []float64) float64 {
	t.Helper()
	b := graph.NewBuilder(graph.NewParams(dtype, 1), 2, false)
	xn := b.Input("x", 2, 3)
	an := b.Input("a", 2, 3)
	cost := loss.Build(b, xn, b.Activate(graph.Sigmoid, an))
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	for _, in := range []struct {
		n *G.Node
		v []float64
	}{{xn, x}, {an, a}} {
		var v *tensor.Dense
		if dtype == tensor.Float64 {
			v = tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(append([]float64(nil), in.v...)))
		} else {
			f := make([]float32, len(in.v))
			for i, x := range in.v {
				f[i] = float32(x)
			}
			v = tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(f))
		}
		if err := G.Let(in.n, v); err != nil {
			t.Fatal(err)
		}
	}
	vm := G.NewTapeMachine(b.Graph)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	switch v := cost.Value().Data().(type) {
	case float64:
		return v
	case float32:
		return float64(v)
	}
	t.Fatalf("cost holds %T", cost.Value().Data())
	return 0
}

// softplus is log(1 + eᵃ), computed without overflow.
func softplus(a float64) float64 { return math.Max(a, 0) + math.Log1p(math.Exp(-math.Abs(a))) }

// The expected values are the losses' textbook definitions, computed here in
// plain Go loops in float64 over rows i and pixels j, with x'ᵢⱼ = σ(aᵢⱼ):
//
//	mse = mean over i, j of (xᵢⱼ − x'ᵢⱼ)²
//	l2  = mean over i of √(Σⱼ (xᵢⱼ − x'ᵢⱼ)²)
//	bce = mean over i, j of −[xᵢⱼ·log x'ᵢⱼ + (1 − xᵢⱼ)·log(1 − x'ᵢⱼ)]
//
// BCE is written as xᵢⱼ·softplus(−aᵢⱼ) + (1 − xᵢⱼ)·softplus(aᵢⱼ) (that is
// −log σ(a) = softplus(−a)) so that the saturated logits stay finite.
func TestLossesByHand(t *testing.T) {
	inputs := []struct {
		name string
		x, a []float64 // (2, 3) row-major
	}{
		{"moderate", []float64{0, 0.5, 1, 0.2, 0.9, 0.1}, []float64{-1, 0.3, 2.5, 0, -3, 4}},
		{"saturated", []float64{1, 0, 0.5, 0, 1, 0.25}, []float64{30, -30, 40, -40, 15, -15}},
		{"perfect", []float64{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, []float64{0, 0, 0, 0, 0, 0}},
	}
	want := map[string]func(x, a []float64) float64{
		"mse": func(x, a []float64) float64 {
			var s float64
			for j := range x {
				d := x[j] - 1/(1+math.Exp(-a[j]))
				s += d * d
			}
			return s / float64(len(x))
		},
		"l2": func(x, a []float64) float64 {
			var s float64
			for i := range 2 {
				var row float64
				for j := i * 3; j < (i+1)*3; j++ {
					d := x[j] - 1/(1+math.Exp(-a[j]))
					row += d * d
				}
				s += math.Sqrt(row + 1e-12) // the loss's documented ε, which only shows at a perfect fit
			}
			return s / 2
		},
		"bce": func(x, a []float64) float64 {
			var s float64
			for j := range x {
				s += x[j]*softplus(-a[j]) + (1-x[j])*softplus(a[j])
			}
			return s / float64(len(x))
		},
		"mse-sum": func(x, a []float64) float64 { // summed over the 3 values of an image
			var s float64
			for j := range x {
				d := x[j] - 1/(1+math.Exp(-a[j]))
				s += d * d
			}
			return s / 2
		},
		"bce-sum": func(x, a []float64) float64 { // summed over the 3 values of an image
			var s float64
			for j := range x {
				s += x[j]*softplus(-a[j]) + (1-x[j])*softplus(a[j])
			}
			return s / 2
		},
	}
	if len(want) != len(graph.Losses) {
		t.Errorf("%d losses computed by hand here, graph.Losses has %d: add the new ones", len(want), len(graph.Losses))
	}
	for _, dtype := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, loss := range graph.Losses {
			for _, in := range inputs {
				t.Run(fmt.Sprintf("%v/%s/%s", dtype, loss.Name, in.name), func(t *testing.T) {
					f, ok := want[loss.Name]
					if !ok {
						t.Fatalf("no hand computation for loss %q", loss.Name)
					}
					x, a := in.x, in.a
					tol := 1e-12
					if dtype == tensor.Float32 {
						// Compare with the float32-rounded inputs; float32 arithmetic on
						// values ≤ 40 keeps about 1e-6 relative.
						x, a = round32(x), round32(a)
						tol = 1e-6
					}
					exp := f(x, a)
					got := lossValue(t, dtype, loss, x, a)
					if math.Abs(got-exp) > tol*math.Max(1, math.Abs(exp)) {
						t.Errorf("%s = %.12g, want %.12g (by hand)", loss.Name, got, exp)
					}
				})
			}
		}
	}
}

func round32(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(float32(x))
	}
	return out
}

// BCE needs the logits of a sigmoid output recorded by Builder.Activate; on
// any other output it reports an error instead of computing log of values
// outside (0, 1).
func TestBCENeedsSigmoid(t *testing.T) {
	tests := []struct {
		name  string
		recon func(b *graph.Builder, a *G.Node) *G.Node
	}{
		{"identity", func(b *graph.Builder, a *G.Node) *G.Node { return b.Activate(graph.Identity, a) }},
		{"tanh", func(b *graph.Builder, a *G.Node) *G.Node { return b.Activate(graph.Tanh, a) }},
		{"relu", func(b *graph.Builder, a *G.Node) *G.Node { return b.Activate(graph.ReLU, a) }},
		{"G.Sigmoid, not through Activate", func(b *graph.Builder, a *G.Node) *G.Node { return b.Op1(G.Sigmoid, a) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := graph.NewBuilder(graph.NewParams(tensor.Float64, 1), 2, false)
			x := b.Input("x", 2, 3)
			recon := tt.recon(b, b.Input("a", 2, 3))
			if b.Logits(recon) != nil {
				t.Fatal("Logits of a non-Activate-sigmoid output is not nil")
			}
			cost := graph.BCE.Build(b, x, recon)
			err := b.Err()
			if err == nil || cost != nil {
				t.Fatalf("BCE on a %s output: cost %v, error %v; want nil and an error", tt.name, cost, err)
			}
			if !strings.Contains(err.Error(), "sigmoid") {
				t.Errorf("error %q does not say a sigmoid output is needed", err)
			}
			// The builder is poisoned: later calls are no-ops, the first error stays.
			if n := b.Dense("more", x, 2, graph.ReLU); n != nil || b.Err() != err {
				t.Errorf("after an error Dense returned %v and Err %v", n, b.Err())
			}
		})
	}
}

// √ of a sum of squares has an infinite gradient at 0; the l2 loss's ε keeps
// the gradient of a perfect reconstruction finite (0).
func TestL2GradientAtPerfectFit(t *testing.T) {
	vals := []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}
	b := graph.NewBuilder(graph.NewParams(tensor.Float64, 1), 2, true)
	x := b.Input("x", 2, 3)
	w := b.Param("w", fill(vals), 2, 3)
	cost := graph.L2.Build(b, x, w)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(cost, w); err != nil {
		t.Fatal(err)
	}
	if err := G.Let(x, tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(append([]float64(nil), vals...)))); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(b.Graph, G.BindDualValues(w))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	if got := cost.Value().Data().(float64); math.Abs(got-1e-6) > 1e-15 {
		t.Errorf("l2 of a perfect fit = %v, want √1e-12 = 1e-6", got)
	}
	g, err := w.Grad()
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range g.Data().([]float64) {
		if v != 0 {
			t.Errorf("gradient[%d] = %v at a perfect fit, want 0", i, v)
		}
	}
}

func TestLossByName(t *testing.T) {
	for _, l := range graph.Losses {
		got, err := graph.LossByName(l.Name)
		if err != nil || got.Name != l.Name {
			t.Errorf("LossByName(%q) = %v, %v", l.Name, got.Name, err)
		}
	}
	_, err := graph.LossByName("huber")
	if err == nil {
		t.Fatal(`LossByName("huber"): no error`)
	}
	for _, l := range graph.Losses {
		if !strings.Contains(err.Error(), l.Name) {
			t.Errorf("error %q does not list %q", err, l.Name)
		}
	}
}
