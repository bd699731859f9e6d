package nets_test

import (
	"context"
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
)

// Tiny is a one-layer autoencoder: z = act(x·W₁ + b₁), x' = σ(z·W₂ + b₂).
type Tiny struct {
	Dim, Latent int
	Act         graph.Activation
}

// Encoder maps x (batch, Dim) to z (batch, Latent).
func (t Tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", x, t.Latent, t.Act)
}

// Decoder maps z (batch, Latent) to x' (batch, Dim), values in (0, 1).
func (t Tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", z, t.Dim, graph.Sigmoid)
}

// A new architecture is a type with an Encoder and a Decoder, registered by
// name with the options it takes (in its file's init function, usually); it
// is then built by name like the others, and its option is filled in with
// its default unless given.
func ExampleRegister() {
	nets.Register(nets.Spec{Name: "tiny", Doc: "x-k-x, one layer each way", Loss: "bce",
		Options: []nets.Option{{Name: "act", Default: "tanh", Doc: "the code's activation", Check: nets.OneOf("tanh", "relu")}},
		New: func(c nets.Config) (graph.Net, error) {
			act := map[string]graph.Activation{"tanh": graph.Tanh, "relu": graph.ReLU}[c.Options.String("act")]
			return Tiny{graph.Size(c.Input), c.Latent, act}, nil
		}})

	spec, _ := nets.Lookup("tiny")
	c := spec.Config([]int{1, 28, 28}) // MNIST images
	c.Latent = 8
	fmt.Println("options:", c.Options)
	c.Options["act"] = "relu"
	net, err := nets.New("tiny", c)
	if err != nil {
		fmt.Println(err)
		return
	}
	loss, _ := graph.LossByName(spec.Loss)
	m, err := graph.NewModel(net, loss, c.Input, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("parameters:", m.Params.Names(), m.Params.Size())

	data, err := datasets.Load("")
	if err != nil {
		fmt.Println(err)
		return
	}
	t, _ := train.New(m, train.Config{Batch: 64, Seed: 1})
	before, _ := m.Evaluate(data.Test.Head(500), 250)
	t.RunEpoch(context.Background(), data.Train.Head(2048), nil)
	after, _ := m.Evaluate(data.Test.Head(500), 250)
	fmt.Println("code shape:", m.Code, "test loss falls:", after.Loss < before.Loss)

	c.Options["act"] = "gelu"
	_, err = nets.New("tiny", c)
	fmt.Println(err)
	// Output:
	// options: map[act:tanh]
	// parameters: [code.w code.b recon.w recon.b] 13336
	// code shape: [8] test loss falls: true
	// act gelu: want tanh or relu
}
