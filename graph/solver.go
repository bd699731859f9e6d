package graph

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Solver updates θ and φ from their gradients. It implements Gorgonia's
// G.Solver, and unlike Gorgonia's own solvers its state is visible, so a
// checkpoint can hold it and a resumed run continues exactly.
//
// Step takes the weight nodes always in the same order (the Params order),
// applies one update and zeroes the gradients, which Gorgonia's TapeMachine
// accumulates across runs.
type Solver interface {
	G.Solver
	Name() string
	LearnRate() float64
	SetLearnRate(lr float64)
	// State is the step count and, per parameter, the solver's slots (Adam's
	// m and v; momentum's velocity), each as long as the parameter.
	State() SolverState
	SetState(SolverState) error
}

// SolverState is a solver's state, as a checkpoint stores it.
type SolverState struct {
	Name  string
	T     int
	Slots [][][]float64 // [slot][param][element]
}

// SolverSpec describes a solver for flags and documentation.
type SolverSpec struct {
	Name string
	Doc  string
	New  func(lr float64) Solver
}

// Solvers lists the available solvers.
var Solvers = []SolverSpec{
	{"adam", "Adam, β = (0.9, 0.999), ε = 1e-8", func(lr float64) Solver { return newSolver("adam", lr, 2) }},
	{"sgd", "plain gradient descent w −= lr·g", func(lr float64) Solver { return newSolver("sgd", lr, 0) }},
	{"momentum", "SGD with momentum 0.9 (PyTorch's form)", func(lr float64) Solver { return newSolver("momentum", lr, 1) }},
	{"rmsprop", "RMSProp, α = 0.99, ε = 1e-8", func(lr float64) Solver { return newSolver("rmsprop", lr, 1) }},
}

// NewSolver returns the named solver with learning rate lr.
func NewSolver(name string, lr float64) (Solver, error) {
	if !(lr > 0) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("learning rate %v: want a finite number > 0", lr)
	}
	names := make([]string, len(Solvers))
	for i, s := range Solvers {
		if s.Name == name {
			return s.New(lr), nil
		}
		names[i] = s.Name
	}
	return nil, fmt.Errorf("unknown solver %q (have %s)", name, strings.Join(names, ", "))
}

type solver struct {
	name  string
	lr    float64
	t     int
	slots [][][]float64

	c1, c2 float64 // Adam's bias corrections at step t
	chunks []chunk // this step's work, kept to avoid allocating
}

func newSolver(name string, lr float64, nslots int) *solver {
	return &solver{name: name, lr: lr, slots: make([][][]float64, nslots)}
}

func (s *solver) Name() string            { return s.name }
func (s *solver) LearnRate() float64      { return s.lr }
func (s *solver) SetLearnRate(lr float64) { s.lr = lr }

func (s *solver) State() SolverState {
	return SolverState{Name: s.name, T: s.t, Slots: cloneSlots(s.slots)}
}

func (s *solver) SetState(st SolverState) error {
	if st.Name != s.name {
		return fmt.Errorf("solver state is for %q, not %q", st.Name, s.name)
	}
	if len(st.Slots) != len(s.slots) {
		return fmt.Errorf("solver %s: state has %d slots, want %d", s.name, len(st.Slots), len(s.slots))
	}
	s.t, s.slots = st.T, cloneSlots(st.Slots)
	return nil
}

// cloneSlots deep-copies solver slots: a state taken or given is a snapshot,
// not shared with the solver that keeps updating its own in place.
func cloneSlots(slots [][][]float64) [][][]float64 {
	out := make([][][]float64, len(slots))
	for k, params := range slots {
		if params != nil {
			out[k] = make([][]float64, len(params))
			for i, v := range params {
				out[k][i] = slices.Clone(v)
			}
		}
	}
	return out
}

// Step applies one update to every node and zeroes its gradient. The
// parameters are cut into chunks that all cores update in parallel; each
// element's update is independent, so the result does not depend on the
// number of cores.
func (s *solver) Step(nodes []G.ValueGrad) error {
	s.t++
	for k := range s.slots {
		if s.slots[k] == nil {
			s.slots[k] = make([][]float64, len(nodes))
		}
		if len(s.slots[k]) != len(nodes) {
			return fmt.Errorf("solver %s: %d parameters, state has %d", s.name, len(nodes), len(s.slots[k]))
		}
	}
	s.chunks = s.chunks[:0]
	for i, n := range nodes {
		g, err := n.Grad()
		if err != nil {
			return fmt.Errorf("solver %s: parameter %d has no gradient: %w", s.name, i, err)
		}
		w, ok1 := n.Value().(*tensor.Dense)
		gd, ok2 := g.(*tensor.Dense)
		if !ok1 || !ok2 || w.Dtype() != gd.Dtype() {
			return fmt.Errorf("solver %s: parameter %d is not a dense tensor with a gradient of its type", s.name, i)
		}
		if w.Dtype() != tensor.Float32 && w.Dtype() != tensor.Float64 {
			return fmt.Errorf("solver %s: unsupported dtype %v", s.name, w.Dtype())
		}
		size := w.Shape().TotalSize()
		for k := range s.slots {
			if s.slots[k][i] == nil {
				s.slots[k][i] = make([]float64, size)
			}
			if len(s.slots[k][i]) != size {
				return fmt.Errorf("solver %s: parameter %d has %d values, state has %d", s.name, i, size, len(s.slots[k][i]))
			}
		}
		for lo := 0; lo < size; lo += chunkSize {
			s.chunks = append(s.chunks, chunk{param: i, w: w, g: gd, lo: lo, hi: min(size, lo+chunkSize)})
		}
	}
	s.c1 = 1 - math.Pow(0.9, float64(s.t))
	s.c2 = 1 - math.Pow(0.999, float64(s.t))
	workers := min(runtime.GOMAXPROCS(0), len(s.chunks))
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() { s.work(w, workers); wg.Done() }()
	}
	s.work(0, workers)
	wg.Wait()
	return nil
}

// chunkSize is how many values one worker updates at a time.
const chunkSize = 1 << 14

// chunk is the values [lo, hi) of one parameter.
type chunk struct {
	param  int
	w, g   *tensor.Dense
	lo, hi int
}

// work updates the chunks w, w+workers, w+2·workers, …
func (s *solver) work(w, workers int) {
	var slots [2][]float64
	for c := w; c < len(s.chunks); c += workers {
		ch := s.chunks[c]
		for k := range s.slots {
			slots[k] = s.slots[k][ch.param][ch.lo:ch.hi]
		}
		switch wv := ch.w.Data().(type) {
		case []float32:
			update(s, wv[ch.lo:ch.hi], ch.g.Data().([]float32)[ch.lo:ch.hi], slots[:len(s.slots)])
		case []float64:
			update(s, wv[ch.lo:ch.hi], ch.g.Data().([]float64)[ch.lo:ch.hi], slots[:len(s.slots)])
		}
	}
}

func update[T float32 | float64](s *solver, w, g []T, slots [][]float64) {
	lr := s.lr
	switch s.name {
	case "sgd":
		for j, gj := range g {
			w[j] -= T(lr * float64(gj))
		}
	case "momentum":
		v := slots[0]
		for j, gj := range g {
			v[j] = 0.9*v[j] + float64(gj)
			w[j] -= T(lr * v[j])
		}
	case "rmsprop":
		const alpha, eps = 0.99, 1e-8
		sq := slots[0]
		for j, gj := range g {
			gf := float64(gj)
			sq[j] = alpha*sq[j] + (1-alpha)*gf*gf
			w[j] -= T(lr * gf / (math.Sqrt(sq[j]) + eps))
		}
	case "adam":
		const b1, b2, eps = 0.9, 0.999, 1e-8
		m, v := slots[0], slots[1]
		// w −= lr·m̂/(√v̂ + ε) with m̂ = m/c1, v̂ = v/c2, as PyTorch computes
		// it: (lr/c1)·m / (√v/√c2 + ε), one division per value.
		step, inv := lr/s.c1, 1/math.Sqrt(s.c2)
		for j, gj := range g {
			gf := float64(gj)
			m[j] = b1*m[j] + (1-b1)*gf
			v[j] = b2*v[j] + (1-b2)*gf*gf
			w[j] -= T(step * m[j] / (math.Sqrt(v[j])*inv + eps))
		}
	}
	clear(g)
}
