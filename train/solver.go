package train

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/internal/named"
	"github.com/aegraph/aegraph/internal/par"
	"github.com/aegraph/aegraph/internal/vmath"
)

// Solver updates θ and φ from their gradients. It implements Gorgonia's
// G.Solver, and unlike Gorgonia's own solvers its state is visible, so a
// checkpoint can hold it and a resumed run continues exactly.
//
// Step takes the weight nodes always in the same order (the Params order)
// and applies one update. It reads each gradient from the node that G.Grad
// built for it, which every run of the machine rewrites (the Trainer binds no
// dual values, so nothing accumulates across runs), and clears it after use,
// so that a gradient a run failed to write is never applied twice.
type Solver interface {
	G.Solver
	Name() string
	LearnRate() float64
	SetLearnRate(lr float64)
	// SetWeightDecay sets λ of decoupled weight decay: every update first
	// shrinks the weights, w ← (1 − lr·λ)·w, as PyTorch's AdamW does
	// (Loshchilov & Hutter 2019). λ = 0, the default, leaves them alone.
	SetWeightDecay(lambda float64)
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
	spec, err := SolverByName(name)
	if err != nil {
		return nil, err
	}
	return spec.New(lr), nil
}

// SolverByName finds a solver in Solvers.
func SolverByName(name string) (SolverSpec, error) {
	return named.Find("solver", name, Solvers, func(s SolverSpec) string { return s.Name })
}

type solver struct {
	name   string
	lr     float64
	wd     float64 // λ of decoupled weight decay
	t      int
	nslots int
	// The state follows the parameters' dtype: s32 for float32 parameters,
	// s64 for float64 ones and for a restored state until the first step.
	s32 [][][]float32 // [slot][param][element]
	s64 [][][]float64

	c1, c2 float64 // Adam's bias corrections at step t
	chunks []chunk // this step's work, kept to avoid allocating
}

func newSolver(name string, lr float64, nslots int) *solver {
	return &solver{name: name, lr: lr, nslots: nslots}
}

func (s *solver) Name() string            { return s.name }
func (s *solver) LearnRate() float64      { return s.lr }
func (s *solver) SetLearnRate(lr float64) { s.lr = lr }

func (s *solver) SetWeightDecay(lambda float64) { s.wd = lambda }

// State returns a copy of the state, in float64 (exact for float32 values).
func (s *solver) State() SolverState {
	st := SolverState{Name: s.name, T: s.t, Slots: make([][][]float64, s.nslots)}
	for k := range s.nslots {
		switch {
		case s.s32 != nil:
			st.Slots[k] = convertSlot[float32, float64](s.s32[k])
		case s.s64 != nil:
			st.Slots[k] = convertSlot[float64, float64](s.s64[k])
		}
	}
	return st
}

// SetState copies st into the solver.
func (s *solver) SetState(st SolverState) error {
	if st.Name != s.name {
		return fmt.Errorf("solver state is for %q, not %q", st.Name, s.name)
	}
	if len(st.Slots) != s.nslots {
		return fmt.Errorf("solver %s: state has %d slots, want %d", s.name, len(st.Slots), s.nslots)
	}
	s.t, s.s32, s.s64 = st.T, nil, make([][][]float64, s.nslots)
	for k, slot := range st.Slots {
		s.s64[k] = convertSlot[float64, float64](slot)
	}
	return nil
}

// convertSlot deep-copies one slot's per-parameter values into type To.
func convertSlot[From, To float32 | float64](slot [][]From) [][]To {
	if slot == nil {
		return nil
	}
	out := make([][]To, len(slot))
	for i, v := range slot {
		if v != nil {
			out[i] = make([]To, len(v))
			for j, x := range v {
				out[i][j] = To(x)
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
	if len(nodes) == 0 {
		return nil
	}
	dt := tensor.Float64
	if w, ok := nodes[0].Value().(*tensor.Dense); ok {
		dt = w.Dtype()
	}
	s.t++
	s.chunks = s.chunks[:0]
	for i, n := range nodes {
		g, err := n.Grad()
		if err != nil {
			return fmt.Errorf("solver %s: parameter %d has no gradient: %w", s.name, i, err)
		}
		w, ok1 := n.Value().(*tensor.Dense)
		gd, ok2 := g.(*tensor.Dense)
		if !ok1 || !ok2 || w.Dtype() != dt || gd.Dtype() != dt {
			return fmt.Errorf("solver %s: parameter %d is not a dense tensor of %v with a gradient of its type", s.name, i, dt)
		}
		if dt != tensor.Float32 && dt != tensor.Float64 {
			return fmt.Errorf("solver %s: unsupported dtype %v", s.name, dt)
		}
		size := w.Shape().TotalSize()
		for lo := 0; lo < size; lo += chunkSize {
			s.chunks = append(s.chunks, chunk{param: i, w: w, g: gd, lo: lo, hi: min(size, lo+chunkSize)})
		}
	}
	var err error
	if dt == tensor.Float32 {
		if s.s32 == nil {
			s.s32 = make([][][]float32, s.nslots)
			for k := range s.nslots {
				if s.s64 != nil {
					s.s32[k] = convertSlot[float64, float32](s.s64[k])
				}
			}
			s.s64 = nil
		}
		err = prepare(s, s.s32, nodes)
	} else {
		if s.s32 != nil {
			return fmt.Errorf("solver %s: float32 state for float64 parameters", s.name)
		}
		if s.s64 == nil {
			s.s64 = make([][][]float64, s.nslots)
		}
		err = prepare(s, s.s64, nodes)
	}
	if err != nil {
		return err
	}
	s.c1 = 1 - math.Pow(0.9, float64(s.t))
	s.c2 = 1 - math.Pow(0.999, float64(s.t))
	par.Do(s, len(s.chunks))
	return nil
}

// prepare allocates missing state and checks its sizes against the nodes.
func prepare[T float32 | float64](s *solver, slots [][][]T, nodes []G.ValueGrad) error {
	for k := range slots {
		if slots[k] == nil {
			slots[k] = make([][]T, len(nodes))
		}
		if len(slots[k]) != len(nodes) {
			return fmt.Errorf("solver %s: %d parameters, state has %d", s.name, len(nodes), len(slots[k]))
		}
		for i, n := range nodes {
			size := n.Value().Shape().TotalSize()
			if slots[k][i] == nil {
				slots[k][i] = make([]T, size)
			}
			if len(slots[k][i]) != size {
				return fmt.Errorf("solver %s: parameter %d has %d values, state has %d", s.name, i, size, len(slots[k][i]))
			}
		}
	}
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

// Run updates the chunks w, w+workers, w+2·workers, … (par.Runner).
func (s *solver) Run(w, workers int) {
	var slots32 [2][]float32
	var slots64 [2][]float64
	for c := w; c < len(s.chunks); c += workers {
		ch := s.chunks[c]
		switch ch.w.Dtype() {
		case tensor.Float32:
			wv := ch.w.Float32s()
			for k := range s.nslots {
				slots32[k] = s.s32[k][ch.param][ch.lo:ch.hi]
			}
			update(s, wv[ch.lo:ch.hi], ch.g.Float32s()[ch.lo:ch.hi], slots32[:s.nslots])
		case tensor.Float64:
			wv := ch.w.Float64s()
			for k := range s.nslots {
				slots64[k] = s.s64[k][ch.param][ch.lo:ch.hi]
			}
			update(s, wv[ch.lo:ch.hi], ch.g.Float64s()[ch.lo:ch.hi], slots64[:s.nslots])
		}
	}
}

// update applies the rule to one chunk, in the parameters' precision, as
// PyTorch does.
func update[T float32 | float64](s *solver, w, g []T, slots [][]T) {
	lr := T(s.lr)
	if s.wd != 0 {
		shrink := T(1 - float64(s.lr*s.wd)) // rounded, never fused (canon)
		for j := range w {
			w[j] *= shrink
		}
	}
	switch s.name {
	case "sgd":
		for j, gj := range g {
			w[j] = w[j] - T(lr*gj) // T(…): rounded, never fused (canon)
		}
	case "momentum":
		v := slots[0]
		for j, gj := range g {
			v[j] = T(0.9*v[j]) + gj
			w[j] = w[j] - T(lr*v[j])
		}
	case "rmsprop":
		const alpha, eps = 0.99, 1e-8
		sq := slots[0]
		for j, gj := range g {
			sq[j] = T(alpha*sq[j]) + T((1-alpha)*gj*gj)
			w[j] = w[j] - T(lr*gj/(sqrt(sq[j])+eps))
		}
	case "adam":
		const b1, b2, eps = 0.9, 0.999, 1e-8
		m, v := slots[0], slots[1]
		// w −= lr·m̂/(√v̂ + ε) with m̂ = m/c1, v̂ = v/c2, as PyTorch computes
		// it: (lr/c1)·m / (√v/√c2 + ε), one division per value.
		step, inv := T(s.lr/s.c1), T(1/math.Sqrt(s.c2))
		if w32, ok := any(w).([]float32); ok { // 16 at a time
			vmath.Adam(w32, any(g).([]float32), any(m).([]float32), any(v).([]float32),
				vmath.AdamParams{B1: b1, B2: b2, Step: float32(step), InvSqrtC2: float32(inv), Eps: eps})
			return
		}
		for j, gj := range g {
			m[j] = T(b1*m[j]) + T((1-b1)*gj)
			v[j] = T(b2*v[j]) + T((1-b2)*gj*gj)
			w[j] = w[j] - T(step*m[j]/(T(sqrt(v[j])*inv)+eps))
		}
	}
	clear(g)
}

// sqrt is √x in x's precision (SQRTSS for float32).
func sqrt[T float32 | float64](x T) T { return T(math.Sqrt(float64(x))) }
