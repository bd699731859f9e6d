// Package nets holds the autoencoder architectures and their registry.
//
// An architecture is one file: a type whose Encoder and Decoder declare
// z = E_θ(x) and x' = D_φ(z) as Gorgonia expressions through a graph.Builder,
// and an init function that registers it by name, with the options it takes:
//
//	// Tiny is x → z = act(x·W + b) → x' = σ(z·W' + b').
//	type Tiny struct {
//		Dim, Latent int
//		Act         graph.Activation
//	}
//
//	func (t Tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
//		return b.Dense("code", x, t.Latent, t.Act) // x (batch, Dim) → z (batch, Latent)
//	}
//
//	func (t Tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
//		return b.Dense("recon", z, t.Dim, graph.Sigmoid) // z → x' (batch, Dim)
//	}
//
// (A net for any data takes its output activation from Config.Out: a
// sigmoid for values in [0, 1], none for real values, such as standardised
// columns of a table.)
//
//	func init() {
//		nets.Register(nets.Spec{Name: "tiny", Doc: "x-k-x, one layer each way", Loss: "bce",
//			Options: []nets.Option{{Name: "act", Default: "tanh", Doc: "tiny: the code's activation", Check: nets.OneOf("tanh", "relu")}},
//			New: func(c nets.Config) (graph.Net, error) {
//				act := map[string]graph.Activation{"tanh": graph.Tanh, "relu": graph.ReLU}[c.Options.String("act")]
//				return Tiny{graph.Size(c.Input), c.Latent, act}, nil
//			}})
//	}
//
// Registered, the net is known to every program and test: `go run
// ./cmd/train -net tiny -act relu` trains it (the option becomes a flag), the
// run folder records its options, and the per-net tests (gradients against
// finite differences, shapes, the loss falls, checkpoints) cover it.
package nets

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// Config is what a net is built from.
type Config struct {
	// Input is the shape of one sample: (channels, height, width) for
	// images, (features) for a table. The net sees x as (batch,
	// graph.Size(Input)).
	Input []int `json:"input"`
	// Latent is the code size k (conv: the code's channels).
	Latent int `json:"latent"`
	// Options are the net's own settings by name (Spec.Options).
	Options Options `json:"options,omitempty"`
	// Values says what the inputs are: Unit (in [0, 1], such as pixel/255),
	// which a sigmoid output fits, or Real (any number, such as standardised
	// columns), which a linear output fits; "" is Unit.
	Values string `json:"values,omitempty"`
}

// Kinds of Config.Values.
const (
	Unit = "unit"
	Real = "real"
)

// Out is the activation of a net's output layer for c's values: a sigmoid
// for values in [0, 1], none for real values.
func (c Config) Out() graph.Activation {
	if c.Values == Real {
		return graph.Identity
	}
	return graph.Sigmoid
}

// DefaultLatent is the code size of a net whose Spec has no Latent.
const DefaultLatent = 32

// Spec registers an architecture.
type Spec struct {
	Name string
	Doc  string // one line for -h and README
	Loss string // the default loss for values in [0, 1]: a name of graph.Losses
	// RealLoss is the default loss for real values (Config.Values);
	// "" is "mse".
	RealLoss string
	// New builds the net from a Config whose Options hold a value for each
	// of the Spec's Options (Spec.Complete fills them in).
	New func(Config) (graph.Net, error)

	// Latent is the net's default code size (DefaultLatent if 0).
	Latent int
	// Options are the net's own settings: each becomes a flag of
	// cmd/train and a field of the run's config.json.
	Options []Option
	// Training is the net's own training recipe: its non-zero fields
	// (batch size, schedule, weight decay, …) replace train's defaults
	// unless the run says otherwise.
	Training train.Config
	// Generative: codes drawn from N(0, I) decode to samples (vae).
	Generative bool
}

// LossFor is the net's default loss for inputs of the given Values.
func (s Spec) LossFor(values string) string {
	if values != Real {
		return s.Loss
	}
	if s.RealLoss == "" {
		return "mse"
	}
	return s.RealLoss
}

// Config is the net's default configuration for samples of the given shape.
func (s Spec) Config(input []int) Config {
	c := Config{Input: slices.Clone(input), Latent: s.Latent}
	if c.Latent == 0 {
		c.Latent = DefaultLatent
	}
	s.Complete(&c) // only fills in defaults: they pass their checks
	return c
}

// Option returns the net's option of that name.
func (s Spec) Option(name string) (Option, bool) {
	i := slices.IndexFunc(s.Options, func(o Option) bool { return o.Name == name })
	if i < 0 {
		return Option{}, false
	}
	return s.Options[i], true
}

// Complete gives c.Options a value for each of the net's options (its
// default where it has none), brings the values to their option's type (as
// JSON decoding leaves them) and checks them; an option the net does not
// have is an error.
func (s Spec) Complete(c *Config) error {
	opts := Options{}
	for name, v := range c.Options {
		o, ok := s.Option(name)
		if !ok {
			return fmt.Errorf("%s: the %s net has no such option (its options: %s)", name, s.Name, s.optionNames())
		}
		v, err := o.normalise(v)
		if err != nil {
			return err
		}
		opts[name] = v
	}
	for _, o := range s.Options {
		if _, ok := opts[o.Name]; !ok {
			opts[o.Name] = clone(o.Default)
		}
	}
	c.Options = opts
	return nil
}

func (s Spec) optionNames() string {
	if len(s.Options) == 0 {
		return "none"
	}
	names := make([]string, len(s.Options))
	for i, o := range s.Options {
		names[i] = o.Name
	}
	return strings.Join(names, ", ")
}

var (
	mu       sync.Mutex
	registry = map[string]Spec{}
)

// Register adds an architecture; it panics on a duplicate or incomplete spec
// (a programming error, found at start-up).
func Register(s Spec) {
	mu.Lock()
	defer mu.Unlock()
	if s.Name == "" || s.New == nil {
		panic("nets: Register needs a Name and a New")
	}
	if _, dup := registry[s.Name]; dup {
		panic("nets: " + s.Name + " registered twice")
	}
	if _, err := graph.LossByName(s.Loss); err != nil {
		panic("nets: " + s.Name + ": Loss: " + err.Error())
	}
	if _, err := graph.LossByName(s.LossFor(Real)); err != nil {
		panic("nets: " + s.Name + ": RealLoss: " + err.Error())
	}
	if err := checkRecipe(s.Training); err != nil {
		panic("nets: " + s.Name + ": Training: " + err.Error())
	}
	for i, o := range s.Options {
		if err := o.valid(); err != nil {
			panic("nets: " + s.Name + ": " + err.Error())
		}
		if slices.ContainsFunc(s.Options[:i], func(p Option) bool { return p.Name == o.Name }) {
			panic("nets: " + s.Name + ": option " + o.Name + " declared twice")
		}
		for _, other := range registry {
			if p, ok := other.Option(o.Name); ok && fmt.Sprintf("%T", p.Default) != fmt.Sprintf("%T", o.Default) {
				panic(fmt.Sprintf("nets: %s: option %s is a %T, but %s declares it a %T", s.Name, o.Name, o.Default, other.Name, p.Default))
			}
		}
	}
	registry[s.Name] = s
}

// checkRecipe reports a recipe with an unknown solver or schedule, or a
// negative batch size, rate or weight decay (zero values are fine: they mean
// train's defaults).
func checkRecipe(t train.Config) error {
	if t.Schedule != "" {
		if _, err := train.ScheduleByName(t.Schedule); err != nil {
			return err
		}
	}
	if t.Solver != "" {
		if _, err := train.SolverByName(t.Solver); err != nil {
			return err
		}
	}
	if t.Batch < 0 || !(t.WeightDecay >= 0) || !(t.LR >= 0) {
		return fmt.Errorf("%+v: want a batch size, rate and weight decay ≥ 0", t)
	}
	return nil
}

// Lookup finds a registered architecture.
func Lookup(name string) (Spec, error) {
	mu.Lock()
	defer mu.Unlock()
	s, ok := registry[name]
	if !ok {
		return Spec{}, fmt.Errorf("unknown net %q (have %s)", name, strings.Join(namesLocked(), ", "))
	}
	return s, nil
}

// All lists the registered architectures by name.
func All() []Spec {
	mu.Lock()
	defer mu.Unlock()
	var specs []Spec
	for _, n := range namesLocked() {
		specs = append(specs, registry[n])
	}
	return specs
}

func namesLocked() []string {
	var names []string
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// New builds the named net from c, whose missing options take their
// defaults.
func New(name string, c Config) (graph.Net, error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if len(c.Input) == 0 || graph.Size(c.Input) < 1 || slices.ContainsFunc(c.Input, func(d int) bool { return d < 1 }) {
		return nil, fmt.Errorf("net %s: input shape %v: want sizes ≥ 1", name, c.Input)
	}
	if c.Latent < 1 {
		return nil, fmt.Errorf("net %s: code size %d: want ≥ 1", name, c.Latent)
	}
	if c.Values != "" && c.Values != Unit && c.Values != Real {
		return nil, fmt.Errorf("net %s: values %q: want %s or %s", name, c.Values, Unit, Real)
	}
	c.Options = maps(c.Options)
	if err := s.Complete(&c); err != nil {
		return nil, err
	}
	return s.New(c)
}

// maps copies o, so that completing it leaves the caller's map alone.
func maps(o Options) Options {
	out := make(Options, len(o))
	for k, v := range o {
		out[k] = v
	}
	return out
}
