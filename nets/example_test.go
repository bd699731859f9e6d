package nets_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// Tiny is a one-layer autoencoder: z = tanh(x·W₁ + b₁), x' = σ(z·W₂ + b₂).
type Tiny struct{ Dim, Latent int }

// Encoder maps x (batch, Dim) to z (batch, Latent).
func (t Tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, t.Latent, graph.Tanh)
}

// Decoder maps z (batch, Latent) to x' (batch, Dim), pixels in (0, 1).
func (t Tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, t.Dim, graph.Sigmoid)
}

// A new architecture is a type with an Encoder and a Decoder, registered by
// name (in its file's init function, usually); it is then built by name like
// the others.
func ExampleRegister() {
	nets.Register(nets.Spec{Name: "tiny", Doc: "784-k-784, tanh code, sigmoid output", Loss: "bce",
		New: func(c nets.Config) (graph.Net, error) { return Tiny{c.Dim, c.Latent}, nil }})

	c := nets.DefaultConfig()
	c.Latent = 8
	net, err := nets.New("tiny", c)
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, _ := nets.Lookup("tiny")
	loss, _ := graph.LossByName(spec.Loss)
	m, err := graph.NewModel(net, loss, c.Dim, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters:", m.Params.Names(), m.Params.Size())

	// Two 28×28 images: all black, and a white square in the middle.
	data := &datasets.Set{Pixels: make([]uint8, 2*784), Labels: []uint8{0, 1}, Rows: 28, Cols: 28}
	for r := 10; r < 18; r++ {
		for col := 10; col < 18; col++ {
			data.Pixels[784+r*28+col] = 255
		}
	}
	x := make([]float32, 2*784)
	data.Batch(x, []int{0, 1})

	z, _ := m.Encode(x) // (2, 8)
	recon, _ := m.Decode(z)
	fmt.Println("code shape:", m.Code, "values:", len(z))
	fmt.Println("reconstruction values:", len(recon))
	ev, _ := m.Evaluate(data, 2)
	fmt.Println("loss is bce:", loss.Name, ev.Loss > 0)
	// Output:
	// parameters: [code.w code.b recon.w recon.b] 13336
	// code shape: [8] values: 16
	// reconstruction values: 1568
	// loss is bce: bce true
}
