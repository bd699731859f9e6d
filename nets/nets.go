// Package nets holds the autoencoder architectures and their registry.
//
// An architecture is one file: a type whose Encoder and Decoder declare
// z = E_θ(x) and x' = D_φ(z) as Gorgonia expressions through a graph.Builder,
// and an init function that registers it by name:
//
//	type Tiny struct{ Dim, Latent int }
//
//	func (t Tiny) Encoder(b *graph.Builder, x *G.Node) *G.Node {
//		return b.Dense("code", x, t.Latent, graph.Tanh)
//	}
//
//	func (t Tiny) Decoder(b *graph.Builder, z *G.Node) *G.Node {
//		return b.Dense("recon", z, t.Dim, graph.Sigmoid)
//	}
//
//	func init() {
//		nets.Register(nets.Spec{Name: "tiny", Doc: "784-k-784, tanh code", Loss: "bce",
//			New: func(c nets.Config) (graph.Net, error) { return Tiny{c.Dim, c.Latent}, nil }})
//	}
package nets

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aegraph/aegraph/graph"
)

// Config holds every architecture's hyperparameters; each net reads the ones
// it needs. It is saved in checkpoints as JSON.
type Config struct {
	Dim        int     `json:"dim"`                   // input values per image (784)
	Latent     int     `json:"latent"`                // code size k
	Hidden     []int   `json:"hidden,omitempty"`      // hidden layer sizes of the encoder, mirrored in the decoder
	Noise      string  `json:"noise,omitempty"`       // denoising corruption: "mask" or "gaussian"
	NoiseLevel float64 `json:"noise_level,omitempty"` // masking probability, or Gaussian σ
	L1         float64 `json:"l1,omitempty"`          // sparse: weight λ of the L1 penalty on the code
	Beta       float64 `json:"beta,omitempty"`        // vae: weight β of the KL term
}

// Defaults, in one place.
var (
	DefaultLatent     = 32
	DefaultHidden     = []int{256, 64}
	DefaultNoise      = "mask"
	DefaultNoiseLevel = 0.3
	DefaultL1         = 1e-4
	DefaultBeta       = 1.0
	DefaultTraining   = Training{Batch: 128, Schedule: "constant"}
)

// Training is how cmd/train trains a net unless its flags say otherwise.
type Training struct {
	Batch       int     // batch size
	Schedule    string  // learning-rate schedule: graph.ScheduleByName
	WeightDecay float64 // decoupled weight decay λ (graph.Solver.SetWeightDecay)
}

// check reports a recipe with a negative batch size or weight decay, or an
// unknown schedule (zero values are fine: they mean the defaults).
func (t Training) check() error {
	if t.Schedule != "" {
		if _, err := graph.ScheduleByName(t.Schedule); err != nil {
			return fmt.Errorf("Training.Schedule: %w", err)
		}
	}
	if t.Batch < 0 || !(t.WeightDecay >= 0) {
		return fmt.Errorf("Training %+v: want a batch size and weight decay ≥ 0", t)
	}
	return nil
}

// DefaultConfig returns the default configuration for 28×28 images.
func DefaultConfig() Config {
	return Config{Dim: 784, Latent: DefaultLatent, Hidden: slices.Clone(DefaultHidden),
		Noise: DefaultNoise, NoiseLevel: DefaultNoiseLevel, L1: DefaultL1, Beta: DefaultBeta}
}

// Validate reports a configuration no net can use.
func (c Config) Validate() error {
	if c.Dim < 1 {
		return fmt.Errorf("input size %d: want ≥ 1", c.Dim)
	}
	if c.Latent < 1 {
		return fmt.Errorf("latent size %d: want ≥ 1", c.Latent)
	}
	for _, h := range c.Hidden {
		if h < 1 {
			return fmt.Errorf("hidden sizes %v: each must be ≥ 1", c.Hidden)
		}
	}
	return nil
}

// Spec registers an architecture.
type Spec struct {
	Name string
	Doc  string // one line for -h and README
	Loss string // the default loss: "mse", "bce", "bce-sum" or "l2"
	New  func(Config) (graph.Net, error)

	// Optional. Latent and Hidden replace DefaultLatent and DefaultHidden
	// for this net (Spec.Config), and the non-zero fields of Training those
	// of DefaultTraining (Spec.Recipe); cmd/train's flags replace them in
	// turn.
	Latent   int
	Hidden   []int
	Training Training
	// Generative: codes drawn from N(0, I) decode to images (vae).
	Generative bool
	// Side > 0: the net takes only square images whose side is a multiple
	// of Side (conv: 4, for two 2×2 poolings).
	Side int
}

// Config is the net's default configuration: DefaultConfig with the net's
// own Latent and Hidden, if it has them.
func (s Spec) Config() Config {
	c := DefaultConfig()
	if s.Latent > 0 {
		c.Latent = s.Latent
	}
	if s.Hidden != nil {
		c.Hidden = slices.Clone(s.Hidden)
	}
	return c
}

// Recipe is the net's Training with DefaultTraining's values in its zero
// fields.
func (s Spec) Recipe() Training {
	t := DefaultTraining
	if s.Training.Batch > 0 {
		t.Batch = s.Training.Batch
	}
	if s.Training.Schedule != "" {
		t.Schedule = s.Training.Schedule
	}
	if s.Training.WeightDecay != 0 {
		t.WeightDecay = s.Training.WeightDecay
	}
	return t
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
	if err := s.Training.check(); err != nil {
		panic("nets: " + s.Name + ": " + err.Error())
	}
	registry[s.Name] = s
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

// New builds the named net from c.
func New(name string, c Config) (graph.Net, error) {
	s, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return s.New(c)
}
