package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gorgonia.org/tensor"
)

// Params is the named store of a model's parameters θ and φ. It lives outside
// any Gorgonia graph: every graph built from it (training, evaluation, encoding)
// binds its weight nodes to these same tensors, so an update made by the solver
// on one graph is seen by all of them.
//
// Parameters are created on first use by a Builder, initialised from the
// store's own seeded RNG (Gorgonia's initialisers are clock-seeded), and kept in
// creation order, which is the order of Names, of the solver's state and of a
// checkpoint.
type Params struct {
	Dtype tensor.Dtype // tensor.Float32 for training, tensor.Float64 for gradient checks
	rng   *rand.Rand
	names []string
	vals  map[string]*tensor.Dense
}

// NewParams returns an empty store whose parameters will be initialised from a
// PCG generator seeded with seed.
func NewParams(dtype tensor.Dtype, seed uint64) *Params {
	if dtype != tensor.Float32 && dtype != tensor.Float64 {
		panic(fmt.Sprintf("graph: NewParams: dtype %v, want Float32 or Float64", dtype))
	}
	return &Params{
		Dtype: dtype,
		rng:   rand.New(rand.NewPCG(seed, 0x6165677261706821)),
		vals:  map[string]*tensor.Dense{},
	}
}

// Names lists the parameters in creation order.
func (p *Params) Names() []string { return p.names }

// Get returns the named tensor, or nil.
func (p *Params) Get(name string) *tensor.Dense { return p.vals[name] }

// Size is the total number of scalars held.
func (p *Params) Size() int {
	n := 0
	for _, t := range p.vals {
		n += t.Shape().TotalSize()
	}
	return n
}

// tensor returns the named parameter, creating it with init if it is new.
// A parameter that exists with another shape is an error: two layers claimed
// one name.
func (p *Params) tensor(name string, shape []int, init Init) (*tensor.Dense, error) {
	if t, ok := p.vals[name]; ok {
		if !slices.Equal(t.Shape(), shape) {
			return nil, fmt.Errorf("parameter %q: shape %v requested, but it exists with shape %v", name, shape, t.Shape())
		}
		return t, nil
	}
	size := 1
	for _, d := range shape {
		size *= d
	}
	vals := make([]float64, size)
	init(p.rng, shape, vals)
	var t *tensor.Dense
	if p.Dtype == tensor.Float64 {
		t = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(vals))
	} else {
		f := make([]float32, size)
		for i, v := range vals {
			f[i] = float32(v)
		}
		t = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	p.names = append(p.names, name)
	p.vals[name] = t
	return t, nil
}

// Init fills dst, a tensor of the given shape, with initial values drawn from rng.
type Init func(rng *rand.Rand, shape []int, dst []float64)

// Zeros initialises to 0 (biases).
func Zeros(_ *rand.Rand, _ []int, dst []float64) { clear(dst) }

// GlorotUniform draws from U(−a, a) with a = √(6 / (fan_in + fan_out)), as
// PyTorch's xavier_uniform_. A dense weight has shape (in, out); a convolution
// kernel (out, in, kh, kw) has fan_in = in·kh·kw and fan_out = out·kh·kw.
func GlorotUniform(rng *rand.Rand, shape []int, dst []float64) {
	fanIn, fanOut := fans(shape)
	uniform(rng, math.Sqrt(6/float64(fanIn+fanOut)), dst)
}

// HeUniform draws from U(−a, a) with a = √(6 / fan_in), as PyTorch's
// kaiming_uniform_ for ReLU: it keeps the variance of activations from
// halving at every ReLU layer (He et al., 2015), where Glorot's assumes
// linear units. Fans as for GlorotUniform.
func HeUniform(rng *rand.Rand, shape []int, dst []float64) {
	fanIn, _ := fans(shape)
	uniform(rng, math.Sqrt(6/float64(fanIn)), dst)
}

func fans(shape []int) (in, out int) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return shape[0], shape[0]
	case 2:
		return shape[0], shape[1]
	}
	field := 1
	for _, d := range shape[2:] {
		field *= d
	}
	return shape[1] * field, shape[0] * field
}
