package graph_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
)

// tiny is x → z = tanh(x·W + b) → x' = σ(z·W' + b').
type tiny struct{ dim, latent int }

func (t tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, t.latent, graph.Tanh)
}

func (t tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, t.dim, graph.Sigmoid)
}

// A Model is a net with its weights: it encodes, decodes and evaluates
// (here untrained, with weights drawn from seed 1).
func ExampleNewModel() {
	m, err := graph.NewModel(tiny{784, 8}, graph.BCE, []int{1, 28, 28}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters:", m.Params.Names(), m.Params.Size())
	fmt.Println("input", m.Shape, "code", m.Code)

	data, err := datasets.Load("")
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float32, 3*m.Dim) // (3, 784)
	data.Test.Batch(x, []int{0, 1, 2})
	z, _ := m.Encode(x)
	xr, _ := m.Decode(z)
	fmt.Println(len(z), "code values,", len(xr), "reconstructed values")
	ev, _ := m.Evaluate(data.Test.Head(100), 50)
	fmt.Printf("untrained: bce %.2f, mse %.2f\n", ev.Loss, ev.MSE)
	// Output:
	// parameters: [code.w code.b recon.w recon.b] 13336
	// input [1 28 28] code [8]
	// 24 code values, 2352 reconstructed values
	// untrained: bce 0.69, mse 0.23
}

// A Builder skips every call after the first error and keeps that error.
func ExampleBuilder_Err() {
	b := graph.NewBuilder(graph.NewParams(tensor.Float32, 1), 4, false)
	x := b.Input("x", 4, 10)
	h := b.Dense("enc", x, 5, graph.ReLU)
	bad := b.Reshape(h, 4, 3) // 20 values into 12: fails
	y := b.Dense("dec", bad, 10, graph.Sigmoid)
	fmt.Println(y == nil, b.Params.Names())
	fmt.Println(b.Err() != nil)
	// Output:
	// true [enc.w enc.b]
	// true
}
