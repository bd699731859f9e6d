package graph

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// EvaluateSampled is Evaluate on the training expression: its noise inputs
// (a VAE's ε, a denoising corruption) are drawn from an RNG seeded with
// seed, and no gradient is computed. For a VAE, Loss is then the one-sample
// estimate of −ELBO per image that PyTorch's VAE example reports as its test
// loss, and MSE that of reconstructions from a sampled z; Evaluate uses z = μ.
func (m *Model) EvaluateSampled(data Data, batch int, seed uint64) (Eval, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return Eval{}, ErrClosed
	}
	rng := rand.New(rand.NewPCG(seed, 0x6576616c))
	graphs := map[int]*sampledGraph{}
	defer func() {
		for _, g := range graphs {
			g.vm.Close()
		}
	}()
	return m.evaluate(data, batch, nil, func(xb []float32, k int) (float64, []float32, error) {
		g, ok := graphs[k]
		if !ok {
			var err error
			if g, err = m.sampledGraph(k); err != nil {
				return 0, nil, err
			}
			graphs[k] = g
		}
		return g.run(xb, rng)
	})
}

type sampledGraph struct {
	vm          G.VM
	x           *G.Node
	recon, cost *G.Node
	noise       []Noise
}

func (m *Model) sampledGraph(batch int) (*sampledGraph, error) {
	b := NewBuilder(m.Params, batch, true)
	g := &sampledGraph{x: b.Input("x", batch, m.Dim)}
	_, g.recon, g.cost = Autoencoder(b, m.Net, m.Loss, g.x)
	if err := b.Err(); err != nil {
		return nil, fmt.Errorf("building the sampled evaluation graph: %w", err)
	}
	g.noise = b.NoiseInputs()
	g.vm = G.NewTapeMachine(b.Graph)
	return g, nil
}

// run feeds x and fresh noise, and returns the cost and a copy of x'.
func (g *sampledGraph) run(x []float32, rng *rand.Rand) (float64, []float32, error) {
	in := tensor.New(tensor.WithShape(g.x.Shape()...), tensor.WithBacking(append([]float32(nil), x...)))
	if err := G.Let(g.x, in); err != nil {
		return 0, nil, err
	}
	for _, n := range g.noise {
		buf := make([]float32, n.Node.Shape().TotalSize())
		n.Fill(rng, buf)
		if err := G.Let(n.Node, tensor.New(tensor.WithShape(n.Node.Shape()...), tensor.WithBacking(buf))); err != nil {
			return 0, nil, err
		}
	}
	defer g.vm.Reset()
	if err := g.vm.RunAll(); err != nil {
		return 0, nil, err
	}
	recon := append([]float32(nil), g.recon.Value().Data().([]float32)...)
	return ScalarValue(g.cost), recon, nil
}
