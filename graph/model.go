package graph

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Model is a net with its parameters and loss: what a trained autoencoder is.
// It encodes, decodes and evaluates on graphs of its own that share the
// parameters, so using it never touches a trainer's gradients. A Model holds
// float32 parameters.
//
// A Model is safe for concurrent use: its methods take turns (each graph
// runs on both cores already). It keeps at most MaxGraphs compiled graphs,
// dropping the least recently used, and pads the last rows of Encode and
// Decode to a power of two, so that requests of any size reuse a few
// graphs. Close releases them; the Model may not be used after.
type Model struct {
	Net    Net
	Loss   Loss
	Params *Params
	Shape  []int // shape of one input sample, e.g. (1, 28, 28)
	Dim    int   // values per input sample, Size(Shape), e.g. 784: x is (batch, Dim)
	Code   []int // shape of one code z, e.g. (32), or (8, 7, 7) for conv

	mu     sync.Mutex
	graphs map[graphKey]*inference
	used   []graphKey     // least recently used first
	chunks map[string]int // rows per run of applyChunks, by kind (chunkRows)
	closed bool
}

// MaxGraphs is how many compiled graphs a Model keeps.
const MaxGraphs = 12

// ErrClosed is the error of a Model used after Close.
var ErrClosed = errors.New("the model is closed")

// Close releases the model's compiled graphs.
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, inf := range m.graphs {
		inf.vm.Close()
	}
	m.graphs, m.used, m.closed = nil, nil, true
	return nil
}

type graphKey struct {
	kind  string // "encode", "decode" or "eval"
	batch int
}

// inference is a built evaluation graph with its machine and input buffer.
type inference struct {
	vm      G.VM
	in      *G.Node
	inBuf   *tensor.Dense
	z       *G.Node
	recon   *G.Node
	cost    *G.Node
	outputs []*G.Node
}

// NewModel declares net over input samples of the given shape, each fed to
// the net as a row of Size(shape) values, and creates its parameters,
// initialised from seed.
func NewModel(net Net, loss Loss, shape []int, seed uint64) (*Model, error) {
	if len(shape) == 0 || Size(shape) < 1 {
		return nil, fmt.Errorf("input shape %v: want at least one value", shape)
	}
	m := &Model{Net: net, Loss: loss, Params: NewParams(tensor.Float32, seed), Shape: slices.Clone(shape), Dim: Size(shape), graphs: map[graphKey]*inference{}}
	m.mu.Lock()
	defer m.mu.Unlock()
	inf, err := m.graph("eval", 1)
	if err != nil {
		return nil, err
	}
	m.Code = slices.Clone([]int(inf.z.Shape()[1:]))
	return m, nil
}

// CodeSize is the number of values in one code z.
func (m *Model) CodeSize() int { return Size(m.Code) }

// graph returns the compiled graph of kind for batches of batch samples,
// building it if need be. The caller holds m.mu.
func (m *Model) graph(kind string, batch int) (*inference, error) {
	if m.closed {
		return nil, ErrClosed
	}
	key := graphKey{kind, batch}
	if i := slices.Index(m.used, key); i >= 0 {
		m.used = append(append(m.used[:i:i], m.used[i+1:]...), key)
		return m.graphs[key], nil
	}
	b, inf, err := m.declare(kind, batch)
	if err != nil {
		return nil, err
	}
	inf.inBuf = tensor.New(tensor.WithShape(inf.in.Shape()...), tensor.Of(tensor.Float32))
	inf.vm = G.NewTapeMachine(b.Graph)
	if len(m.used) >= MaxGraphs {
		old := m.used[0]
		m.graphs[old].vm.Close()
		delete(m.graphs, old)
		m.used = m.used[1:]
	}
	m.graphs[key] = inf
	m.used = append(m.used, key)
	return inf, nil
}

// declare builds the expression graph of kind for batches of batch samples,
// without compiling it.
func (m *Model) declare(kind string, batch int) (*Builder, *inference, error) {
	b := NewBuilder(m.Params, batch, false)
	inf := &inference{}
	switch name, named := strings.CutPrefix(kind, "encode/"); {
	case named:
		inf.in = b.Input("x", batch, m.Dim)
		m.Net.Encoder(b, inf.in)
		out, ok := b.outputs[name]
		if !ok && b.Err() == nil {
			return nil, nil, fmt.Errorf("the net's encoder has no output %q", name)
		}
		inf.outputs = []*G.Node{out}
	case kind == "encode":
		inf.in = b.Input("x", batch, m.Dim)
		inf.z = m.Net.Encoder(b, inf.in)
		inf.outputs = []*G.Node{inf.z}
	case kind == "decode":
		inf.in = b.Input("z", append([]int{batch}, m.Code...)...)
		inf.recon = m.Net.Decoder(b, inf.in)
		inf.outputs = []*G.Node{inf.recon}
	case kind == "eval":
		inf.in = b.Input("x", batch, m.Dim)
		inf.z, inf.recon, inf.cost = Autoencoder(b, m.Net, m.Loss, inf.in)
		inf.outputs = []*G.Node{inf.z, inf.recon, inf.cost}
	}
	if err := b.Err(); err != nil {
		return nil, nil, fmt.Errorf("building the %s graph: %w", kind, err)
	}
	for _, o := range inf.outputs {
		if o == nil {
			return nil, nil, fmt.Errorf("building the %s graph: the net returned no node", kind)
		}
	}
	return b, inf, nil
}

// run feeds in (batch × input size values), copies the outputs into dst
// (nil to skip one) and returns the cost, if the graph has one.
func (inf *inference) run(in []float32, dst ...[]float32) (cost float64, err error) {
	copy(inf.inBuf.Data().([]float32), in)
	return inf.runFilled(dst...)
}

// input is the graph's input buffer, (batch, Dim), for a caller that fills
// it itself before runFilled.
func (inf *inference) input() []float32 { return inf.inBuf.Data().([]float32) }

// runFilled is run on the input already in the graph's input buffer.
func (inf *inference) runFilled(dst ...[]float32) (cost float64, err error) {
	if err := G.Let(inf.in, inf.inBuf); err != nil {
		return 0, err
	}
	defer inf.vm.Reset()
	if err := inf.vm.RunAll(); err != nil {
		return 0, err
	}
	for i, d := range dst {
		if d != nil {
			copy(d, inf.outputs[i].Value().Data().([]float32))
		}
	}
	if inf.cost != nil {
		cost = ScalarValue(inf.cost)
	}
	return cost, nil
}

// Encode maps x, (n, Dim), to its codes z, (n, CodeSize()).
func (m *Model) Encode(x []float32) ([]float32, error) {
	return m.apply("encode", x, m.Dim, m.CodeSize())
}

// EncodeOutput maps x, (n, Dim), to the encoder's output of that name
// (Builder.Output), such as a VAE's "logvar": (n, its size).
func (m *Model) EncodeOutput(x []float32, name string) ([]float32, error) {
	m.mu.Lock()
	inf, err := m.graph("encode/"+name, 1)
	m.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return m.apply("encode/"+name, x, m.Dim, Size(inf.outputs[0].Shape()[1:]))
}

// Decode maps codes z, (n, CodeSize()), to reconstructions x', (n, Dim).
func (m *Model) Decode(z []float32) ([]float32, error) {
	return m.apply("decode", z, m.CodeSize(), m.Dim)
}

// Reconstruct maps x, (n, Dim), to x' = D(E(x)), (n, Dim): what Decode
// makes of Encode's codes.
func (m *Model) Reconstruct(x []float32) ([]float32, error) {
	z, err := m.Encode(x)
	if err != nil {
		return nil, err
	}
	return m.Decode(z)
}

// applyChunk is the largest batch of the encode and decode graphs: large
// enough to keep the matrix products efficient (the mlp encodes 1024 rows
// about 20% faster than 256). chunkBudget bounds the values of a graph's
// operations' outputs: a graph of a larger net (conv: about 180 KB a row)
// runs fewer rows at once, so that encoding keeps to tens of megabytes.
const (
	applyChunk  = 1024
	chunkBudget = 32 << 20
)

// chunkRows is the number of rows applyChunks runs kind's graph on at once:
// the most, a power of two from 16 to applyChunk, whose outputs of
// operations fit chunkBudget, as the graph declares them for one row. (An
// operation's own scratch, such as a convolution's unrolled patches, is not
// counted.) The caller holds m.mu.
func (m *Model) chunkRows(kind string) (int, error) {
	if rows, ok := m.chunks[kind]; ok {
		return rows, nil
	}
	b, _, err := m.declare(kind, 1)
	if err != nil {
		return 0, err
	}
	bytes := 0
	for _, n := range b.Graph.AllNodes() {
		if n.Op() != nil { // not a parameter or the input
			bytes += 4 * Size(n.Shape())
		}
	}
	rows := applyChunk
	for rows > 16 && rows*bytes > chunkBudget {
		rows /= 2
	}
	if m.chunks == nil {
		m.chunks = map[string]int{}
	}
	m.chunks[kind] = rows
	return rows, nil
}

// apply runs a one-input graph over the rows of in, of inSize values each
// (applyChunks).
func (m *Model) apply(kind string, in []float32, inSize, outSize int) ([]float32, error) {
	if len(in)%inSize != 0 {
		return nil, fmt.Errorf("%s: %d values is not a whole number of rows of %d", kind, len(in), inSize)
	}
	return m.applyChunks(kind, len(in)/inSize, outSize, func(buf []float32, lo, k int) {
		copy(buf, in[lo*inSize:(lo+k)*inSize])
	})
}

// applyChunks runs a one-input graph over n rows in chunks of chunkRows
// rows, fill(buf, lo, k) writing rows lo … lo+k−1 into the start of the
// graph's input buffer; a shorter last chunk is padded with zero rows to a
// power of two, so that few graph sizes serve requests of any size (every
// net maps each row on its own).
func (m *Model) applyChunks(kind string, n, outSize int, fill func(buf []float32, lo, k int)) ([]float32, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	chunk, err := m.chunkRows(kind)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n*outSize)
	var padOut []float32
	for lo := 0; lo < n; lo += chunk {
		k := min(n, lo+chunk) - lo
		rows := min(chunk, 1<<bits.Len(uint(k-1)))
		inf, err := m.graph(kind, rows)
		if err != nil {
			return nil, err
		}
		buf := inf.input()
		inSize := len(buf) / rows
		fill(buf[:k*inSize], lo, k)
		clear(buf[k*inSize:])
		dst := out[lo*outSize : (lo+k)*outSize]
		if rows > k {
			padOut = slices.Grow(padOut[:0], rows*outSize)[:rows*outSize]
			dst = padOut
		}
		if _, err := inf.runFilled(dst); err != nil {
			return nil, fmt.Errorf("%s: %w", kind, err)
		}
		if rows > k {
			copy(out[lo*outSize:], padOut[:k*outSize])
		}
	}
	return out, nil
}

// Eval holds the measures of a model on a data set.
type Eval struct {
	Loss float64 // the model's loss (with penalties), mean over samples
	MSE  float64 // mean over samples and values of (x − x')², x' deterministic
}

// Evaluate measures the model on every image of data, in batches of up to
// batch samples (the last partial batch included).
func (m *Model) Evaluate(data Data, batch int) (Eval, error) {
	return m.evaluateEach(data, batch, nil)
}

// Errors returns the reconstruction error of each sample of data: the mean
// over its values of (x − x')², x' deterministic, in batches of up to batch
// samples. Their mean is Evaluate's MSE.
func (m *Model) Errors(data Data, batch int) ([]float64, error) {
	_, errs, err := m.EvaluateErrors(data, batch)
	return errs, err
}

// EvaluateErrors is Evaluate and Errors from one pass over data: the
// measures, and each sample's reconstruction error.
func (m *Model) EvaluateErrors(data Data, batch int) (Eval, []float64, error) {
	errs := make([]float64, data.Len())
	ev, err := m.evaluateEach(data, batch, errs)
	return ev, errs, err
}

// ValueErrors returns (x − x')² for every value of every sample of data,
// (Len, Dim) row-major, x' deterministic: where each sample's error comes
// from (a sample's mean is its Errors figure, up to float32 rounding).
func (m *Model) ValueErrors(data Data) ([]float32, error) {
	if err := m.Check(data); err != nil {
		return nil, fmt.Errorf("value errors: %w", err)
	}
	n, d := data.Len(), m.Dim
	out := make([]float32, n*d)
	idx := make([]int, 0, applyChunk)
	for lo := 0; lo < n; lo += applyChunk {
		idx = idx[:0]
		for i := lo; i < min(n, lo+applyChunk); i++ {
			idx = append(idx, i)
		}
		x := out[lo*d : (lo+len(idx))*d]
		data.Batch(x, idx)
		recon, err := m.Reconstruct(x)
		if err != nil {
			return nil, err
		}
		for j, v := range x {
			e := v - recon[j]
			x[j] = e * e
		}
	}
	return out, nil
}

// evaluateEach is Evaluate, recording each sample's error in errs if it is
// not nil.
func (m *Model) evaluateEach(data Data, batch int, errs []float64) (Eval, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	recon := make([]float32, batch*m.Dim)
	return m.evaluate(data, batch, errs, func(xb []float32, k int) (float64, []float32, error) {
		inf, err := m.graph("eval", k)
		if err != nil {
			return 0, nil, err
		}
		cost, err := inf.run(xb, nil, recon[:k*m.Dim])
		return cost, recon[:k*m.Dim], err
	})
}

// SampleLosses returns the model's loss (with its penalties) on each sample
// of data on its own, x' deterministic: for a vae, −ELBO with z = μ.
func (m *Model) SampleLosses(data Data) ([]float64, error) {
	if err := m.Check(data); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	inf, err := m.graph("eval", 1)
	if err != nil {
		return nil, err
	}
	x := make([]float32, m.Dim)
	out := make([]float64, data.Len())
	for i := range out {
		data.Batch(x, []int{i})
		if out[i], err = inf.run(x); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// evaluate feeds data through run in batches of up to batch samples and
// averages run's loss and the squared error of the reconstructions it
// returns; errs, if not nil, receives each sample's mean squared error.
func (m *Model) evaluate(data Data, batch int, errs []float64, run func(xb []float32, k int) (cost float64, recon []float32, err error)) (Eval, error) {
	n := data.Len()
	if n == 0 {
		return Eval{}, fmt.Errorf("evaluate: no samples")
	}
	if err := m.Check(data); err != nil {
		return Eval{}, fmt.Errorf("evaluate: %w", err)
	}
	x := make([]float32, batch*m.Dim)
	idx := make([]int, batch)
	var lossSum, seSum float64
	for lo := 0; lo < n; lo += batch {
		k := min(n, lo+batch) - lo
		for i := range k {
			idx[i] = lo + i
		}
		xb := x[:k*m.Dim]
		data.Batch(xb, idx[:k])
		cost, recon, err := run(xb, k)
		if err != nil {
			return Eval{}, fmt.Errorf("evaluate: %w", err)
		}
		lossSum += float64(float64(k) * cost) // float64(…): rounded, never fused (canon)
		for i := range k {
			var rowSE float64
			for j, v := range xb[i*m.Dim : (i+1)*m.Dim] {
				d := float64(v - recon[i*m.Dim+j])
				rowSE += float64(d * d)
			}
			seSum += rowSE
			if errs != nil {
				errs[lo+i] = rowSE / float64(m.Dim)
			}
		}
	}
	return Eval{Loss: lossSum / float64(n), MSE: seSum / float64(n*m.Dim)}, nil
}

// ScalarValue reads the value of a scalar node, such as a loss, after a run of
// its graph's machine (and before the machine is reset).
func ScalarValue(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	case []float32:
		return float64(v[0])
	case []float64:
		return v[0]
	}
	panic(fmt.Sprintf("graph: node %v holds %T, not a scalar", n, n.Value().Data()))
}

// EncodeSet encodes the first n samples of data, a chunk at a time, into codes
// (n, CodeSize()), without holding all n samples as float32 at once.
func (m *Model) EncodeSet(data Data, n int) ([]float32, error) {
	if err := m.Check(data); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	n = min(n, data.Len())
	idx := make([]int, 0, min(n, applyChunk))
	// Each chunk is read straight into the graph's input.
	return m.applyChunks("encode", n, m.CodeSize(), func(buf []float32, lo, k int) {
		idx = idx[:0]
		for i := lo; i < lo+k; i++ {
			idx = append(idx, i)
		}
		data.Batch(buf, idx)
	})
}

// NamedTensor is one parameter: values row-major in Shape.
type NamedTensor struct {
	Name  string
	Shape []int
	Data  []float64
}

// NamedParams returns a copy of the model's parameters, in creation order.
func (m *Model) NamedParams() []NamedTensor {
	p := m.Params
	out := make([]NamedTensor, 0, len(p.Names()))
	for _, name := range p.Names() {
		t := p.Get(name)
		out = append(out, NamedTensor{Name: name, Shape: slices.Clone([]int(t.Shape())), Data: toFloat64(t.Data())})
	}
	return out
}

// SetParams copies values into the model's parameters (into the existing
// tensors, which every graph shares). Names and shapes must match exactly;
// on a mismatch nothing is changed.
func (m *Model) SetParams(params []NamedTensor) error {
	if err := m.CheckParams(params); err != nil {
		return err
	}
	p := m.Params
	for _, nt := range params {
		switch d := p.Get(nt.Name).Data().(type) {
		case []float32:
			for i, v := range nt.Data {
				d[i] = float32(v)
			}
		case []float64:
			copy(d, nt.Data)
		}
	}
	return nil
}

// CheckParams reports an error unless params have exactly the model's
// parameter names, in order, and shapes.
func (m *Model) CheckParams(params []NamedTensor) error {
	p := m.Params
	names := make([]string, len(params))
	for i, nt := range params {
		names[i] = nt.Name
	}
	if !slices.Equal(names, p.Names()) {
		return fmt.Errorf("checkpoint holds parameters %v, but this net has %v (another net or configuration?)", names, p.Names())
	}
	for _, nt := range params {
		want := []int(p.Get(nt.Name).Shape())
		if !slices.Equal(nt.Shape, want) {
			return fmt.Errorf("parameter %s: checkpoint shape %v, this net has %v (another code or hidden size?)", nt.Name, nt.Shape, want)
		}
		if len(nt.Data) != p.Get(nt.Name).Shape().TotalSize() {
			return fmt.Errorf("parameter %s: checkpoint has %d values for shape %v", nt.Name, len(nt.Data), nt.Shape)
		}
	}
	return nil
}

func toFloat64(data any) []float64 {
	switch d := data.(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return slices.Clone(d)
	}
	panic(fmt.Sprintf("graph: unsupported tensor data %T", data))
}
