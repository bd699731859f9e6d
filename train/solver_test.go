package train_test

import (
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// quadratic is the graph of cost = mean((w − c)²) over a (1, 4) weight w,
// with a machine that computes the cost and its gradient.
type quadratic struct {
	w    *G.Node
	cost *G.Node
	vm   G.VM
}

var (
	quadW0 = []float64{0.5, -1, 2, 0}
	quadC  = []float64{-0.25, 1, 1.5, 3}
)

func newQuadratic(t *testing.T) *quadratic {
	t.Helper()
	p := graph.NewParams(tensor.Float64, 1)
	b := graph.NewBuilder(p, 1, true)
	w := b.Param("w", fill(quadW0), 1, 4)
	c := G.NewTensor(b.Graph, tensor.Float64, 2, G.WithShape(1, 4), G.WithName("c"),
		G.WithValue(tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(append([]float64(nil), quadC...)))))
	cost := graph.MSE.Build(b, c, w)
	if err := b.Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := G.Grad(cost, w); err != nil {
		t.Fatal(err)
	}
	return &quadratic{w: w, cost: cost, vm: G.NewTapeMachine(b.Graph, G.BindDualValues(w))}
}

// step runs the graph, applies one solver step and returns the cost before it.
func (q *quadratic) step(t *testing.T, s train.Solver) float64 {
	t.Helper()
	defer q.vm.Reset()
	if err := q.vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	cost := q.cost.Value().Data().(float64)
	if err := s.Step([]G.ValueGrad{q.w}); err != nil {
		t.Fatal(err)
	}
	return cost
}

func (q *quadratic) weights() []float64 {
	return append([]float64(nil), q.w.Value().Data().([]float64)...)
}

// Every solver drives mean((w − c)²), (0.75² + 2² + 0.5² + 3²)/4 = 3.453125 at
// the start, close to its
// minimum 0.
func TestSolversMinimiseQuadratic(t *testing.T) {
	for _, spec := range train.Solvers {
		t.Run(spec.Name, func(t *testing.T) {
			s, err := train.NewSolver(spec.Name, 0.01)
			if err != nil {
				t.Fatal(err)
			}
			q := newQuadratic(t)
			first := q.step(t, s)
			var last float64
			for range 1000 {
				last = q.step(t, s)
			}
			t.Logf("%s: cost %.4g → %.4g", spec.Name, first, last)
			if want := 3.453125; math.Abs(first-want) > 1e-12 {
				t.Fatalf("initial cost %v, want %v (by hand)", first, want)
			}
			if !(last < 1e-3*first) {
				t.Errorf("after 1000 steps the cost is %v, want < 1e-3 × the initial %v", last, first)
			}
		})
	}
}

// The first step of each solver, from the update rules as PyTorch documents
// them (torch.optim.SGD, SGD with momentum, RMSprop, Adam) with zero state:
// g = ∂/∂w mean((w − c)²) = (w − c)/2 here, and
//
//	sgd, momentum: Δw = −lr·g (the velocity starts as g)
//	rmsprop:       Δw = −lr·g/(√(0.01·g²) + ε) ≈ −10·lr·sign(g)
//	adam:          Δw = −lr·ĝ/(√(ĝ²) + ε) ≈ −lr·sign(g) (bias-corrected m̂ = g, v̂ = g²)
//
// with ε = 1e-8. size is the step's magnitude ignoring ε, the known property
// (the first adam step is lr in every coordinate, whatever the gradient).
func TestSolverFirstStep(t *testing.T) {
	const lr, eps = 0.01, 1e-8
	tests := []struct {
		name string
		step func(g float64) float64
		size func(g float64) float64
	}{
		{"sgd", func(g float64) float64 { return -lr * g }, func(g float64) float64 { return lr * math.Abs(g) }},
		{"momentum", func(g float64) float64 { return -lr * g }, func(g float64) float64 { return lr * math.Abs(g) }},
		{"rmsprop", func(g float64) float64 { return -lr * g / (math.Sqrt(0.01*g*g) + eps) }, func(float64) float64 { return 10 * lr }},
		{"adam", func(g float64) float64 { return -lr * g / (math.Abs(g) + eps) }, func(float64) float64 { return lr }},
	}
	if len(tests) != len(train.Solvers) {
		t.Errorf("%d solvers have a first-step rule here, train.Solvers has %d: add the new ones", len(tests), len(train.Solvers))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := train.NewSolver(tt.name, lr)
			if err != nil {
				t.Fatal(err)
			}
			q := newQuadratic(t)
			q.step(t, s)
			got := q.weights()
			for j, w0 := range quadW0 {
				g := (w0 - quadC[j]) / 2
				if want := w0 + tt.step(g); math.Abs(got[j]-want) > 1e-12 {
					t.Errorf("w[%d] = %.15f after one step, want %.15f (g = %v)", j, got[j], want, g)
				}
				// ε changes the size by a relative lr·ε/|g|-ish amount, < 1e-6 here.
				if d, size := got[j]-w0, tt.size(g); math.Abs(math.Abs(d)-size) > 1e-6*size || math.Signbit(d) != math.Signbit(-g) {
					t.Errorf("first step Δw[%d] = %v, want size %v against the gradient %v", j, d, size, g)
				}
			}
			if st := s.State(); st.T != 1 || st.Name != tt.name {
				t.Errorf("state after one step: name %q, T %d; want %q, 1", st.Name, st.T, tt.name)
			}
		})
	}
}

// Two steps of momentum and adam exercise the state carried between steps:
// momentum's v₂ = 0.9·v₁ + g₂, adam's bias corrections at t = 2.
func TestSolverSecondStep(t *testing.T) {
	const lr = 0.01
	for _, name := range []string{"momentum", "adam"} {
		t.Run(name, func(t *testing.T) {
			s, err := train.NewSolver(name, lr)
			if err != nil {
				t.Fatal(err)
			}
			q := newQuadratic(t)
			q.step(t, s)
			w1 := q.weights()
			q.step(t, s)
			got := q.weights()
			for j, w0 := range quadW0 {
				g1 := (w0 - quadC[j]) / 2
				g2 := (w1[j] - quadC[j]) / 2
				var want float64
				switch name {
				case "momentum":
					want = w1[j] - lr*(0.9*g1+g2)
				case "adam":
					m := 0.9*0.1*g1 + 0.1*g2
					v := 0.999*0.001*g1*g1 + 0.001*g2*g2
					mhat, vhat := m/(1-0.81), v/(1-0.999*0.999)
					want = w1[j] - lr*mhat/(math.Sqrt(vhat)+1e-8)
				}
				if math.Abs(got[j]-want) > 1e-12 {
					t.Errorf("w[%d] = %.15f after two steps, want %.15f", j, got[j], want)
				}
			}
		})
	}
}

func TestNewSolverRejects(t *testing.T) {
	tests := []struct {
		name string
		lr   float64
		want string // in the error
	}{
		{"adam", 0, "learning rate"},
		{"adam", -1e-3, "learning rate"},
		{"adam", math.NaN(), "learning rate"},
		{"adam", math.Inf(1), "learning rate"},
		{"adam", math.Inf(-1), "learning rate"},
		{"sgd", 0, "learning rate"},
		{"adamw", 1e-3, `unknown solver "adamw"`},
		{"", 1e-3, "unknown solver"},
		{"Adam", 1e-3, "unknown solver"},
	}
	for _, tt := range tests {
		s, err := train.NewSolver(tt.name, tt.lr)
		if err == nil {
			t.Errorf("NewSolver(%q, %v) = %v, want an error", tt.name, tt.lr, s.Name())
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewSolver(%q, %v) error %q, want it to mention %q", tt.name, tt.lr, err, tt.want)
		}
	}
	// The unknown-name error lists every solver.
	_, err := train.NewSolver("nope", 1)
	for _, spec := range train.Solvers {
		if err == nil || !strings.Contains(err.Error(), spec.Name) {
			t.Errorf("unknown-solver error %v does not list %q", err, spec.Name)
		}
	}
	for _, spec := range train.Solvers {
		s, err := train.NewSolver(spec.Name, 0.5)
		if err != nil || s.Name() != spec.Name || s.LearnRate() != 0.5 {
			t.Errorf("NewSolver(%q, 0.5) = %v, %v", spec.Name, s, err)
		}
	}
}

func TestSolverSetStateRejects(t *testing.T) {
	adam, _ := train.NewSolver("adam", 1e-3)
	sgd, _ := train.NewSolver("sgd", 1e-3)
	if err := adam.SetState(sgd.State()); err == nil || !strings.Contains(err.Error(), "sgd") {
		t.Errorf("adam.SetState(sgd's state) = %v, want an error naming sgd", err)
	}
	if err := adam.SetState(train.SolverState{Name: "adam", Slots: make([][][]float64, 1)}); err == nil {
		t.Error("adam.SetState with 1 slot: no error, want one (adam keeps m and v)")
	}
}

// valueGrad is a parameter with a gradient that the test sets.
type valueGrad struct{ w, g *tensor.Dense }

func (p valueGrad) Value() G.Value         { return p.w }
func (p valueGrad) Grad() (G.Value, error) { return p.g, nil }

// Decoupled weight decay shrinks the weights by (1 − lr·λ) a step, in every
// solver and both precisions: with zero gradients, the only change. With
// λ = 0 they do not move.
func TestWeightDecay(t *testing.T) {
	const lr, lambda, steps = 0.1, 0.5, 3
	w0 := []float64{0.5, -1, 2, 0, 3e-3}
	for _, spec := range train.Solvers {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			for _, l := range []float64{0, lambda} {
				p := valueGrad{tensor.New(tensor.WithShape(len(w0)), tensor.Of(dt)), tensor.New(tensor.WithShape(len(w0)), tensor.Of(dt))}
				for i, v := range w0 {
					p.w.SetAt(convert(dt, v), i)
				}
				s := spec.New(lr)
				s.SetWeightDecay(l)
				for range steps {
					if err := s.Step([]G.ValueGrad{p}); err != nil {
						t.Fatal(err)
					}
				}
				for i, v := range w0 {
					want := v * math.Pow(1-lr*l, steps)
					got, _ := p.w.At(i)
					if g := toF64(got); math.Abs(g-want) > 1e-6*math.Abs(want) {
						t.Errorf("%s %v λ=%v: w[%d] = %v after %d steps, want %v", spec.Name, dt, l, i, g, steps, want)
					}
				}
			}
		}
	}
}

func convert(dt tensor.Dtype, v float64) any {
	if dt == tensor.Float32 {
		return float32(v)
	}
	return v
}

func toF64(v any) float64 {
	if f, ok := v.(float32); ok {
		return float64(f)
	}
	return v.(float64)
}
