package run

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// Using a trained model: a run folder describes its model whole (net,
// options, input shape, the scale fitted on its training data, classes), so
// the model can take data as the user has it, in the data's own units, and
// give its reconstructions and samples back in those units.

// Scale is the scale the run's model takes its inputs through: the one
// fitted on its training data (pixel/255 for a run without one).
func (r *Run) Scale() datasets.Scale {
	if r.Config.Scale == nil {
		return datasets.Scale{Kind: datasets.Pixel}
	}
	return *r.Config.Scale
}

// ReadData reads samples for the run's model through its scale: with
// spec.Path "" the run's own data (its test set, or with part "train" its
// training samples); otherwise any data that -data reads, a folder with a
// split of its own giving its part "test" or "train". The run's reading
// options (label column, resize) are used where spec has none. It returns
// the samples and where they came from.
func (r *Run) ReadData(spec datasets.Spec, part string) (*datasets.Set, string, error) {
	var s *datasets.Set
	var from string
	if spec.Path == "" {
		d, err := r.Config.LoadData()
		if err != nil {
			return nil, "", err
		}
		s, from = d.Test, "the run's test set ("+d.TestFrom+")"
		if part == "train" {
			s, from = d.Train, "the run's training samples"
		}
	} else {
		if spec.Label == "" {
			spec.Label = r.Config.Data.Label
		}
		if spec.Resize == nil {
			spec.Resize = r.Config.Data.Resize
		}
		var err error
		if s, from, err = datasets.Read(spec, r.Scale(), part); err != nil {
			return nil, "", err
		}
	}
	if err := r.Model.Check(s); err != nil {
		return nil, "", fmt.Errorf("%s: %w", from, err)
	}
	return s, from, nil
}

// checkRaw reports raw samples that the model cannot take: not a whole
// number of samples, or a value that is not finite.
func (r *Run) checkRaw(x []float32) error {
	d := r.Model.Dim
	if len(x) == 0 || len(x)%d != 0 {
		return fmt.Errorf("%d values are not a whole number of samples of %d", len(x), d)
	}
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("sample %d, value %d is %v: want finite numbers", i/d, i%d, v)
		}
	}
	return nil
}

// scaled returns a copy of raw samples scaled for the model.
func (r *Run) scaled(x []float32) ([]float32, error) {
	if err := r.checkRaw(x); err != nil {
		return nil, err
	}
	v := append([]float32(nil), x...)
	r.Scale().Apply(v)
	return v, nil
}

// Encode maps samples in the data's own units, (n, Dim) (pixel values
// 0–255 for images), to their codes, (n, CodeSize). It is safe for
// concurrent use.
func (r *Run) Encode(x []float32) ([]float32, error) {
	v, err := r.scaled(x)
	if err != nil {
		return nil, err
	}
	return r.Model.Encode(v)
}

// Reconstruct maps samples in the data's own units to their
// reconstructions D(E(x)), in the same units.
func (r *Run) Reconstruct(x []float32) ([]float32, error) {
	v, err := r.scaled(x)
	if err != nil {
		return nil, err
	}
	out, err := r.Model.Reconstruct(v)
	if err != nil {
		return nil, err
	}
	r.Scale().Invert(out)
	return out, nil
}

// Decode maps codes to samples in the data's own units.
func (r *Run) Decode(z []float32) ([]float32, error) {
	out, err := r.Model.Decode(z)
	if err != nil {
		return nil, err
	}
	r.Scale().Invert(out)
	return out, nil
}

// Scores returns the reconstruction error of each of the samples x (given in
// the data's own units): the mean over its values of (x − x')², measured in
// the scaled units the model sees, so that every feature counts alike
// (graph.Model.Errors).
func (r *Run) Scores(x []float32) ([]float64, error) {
	v, err := r.scaled(x)
	if err != nil {
		return nil, err
	}
	return r.Model.Errors(&rows{v, r.Model.Shape}, 256)
}

// rows is samples already in memory, as graph.Data.
type rows struct {
	v     []float32
	shape []int
}

func (d *rows) Len() int     { return len(d.v) / graph.Size(d.shape) }
func (d *rows) Shape() []int { return d.shape }
func (d *rows) Batch(dst []float32, idx []int) {
	n := graph.Size(d.shape)
	for r, i := range idx {
		copy(dst[r*n:(r+1)*n], d.v[i*n:(i+1)*n])
	}
}

// ErrNotGenerative is the error of Sample for a net whose codes were not
// trained to follow N(0, I).
var ErrNotGenerative = errors.New("samples need a generative net (vae): this net's codes were not trained to follow N(0, I)")

// Sample decodes n codes z ~ N(0, I), drawn from an RNG seeded with seed,
// into samples in the data's own units, (n, Dim).
func (r *Run) Sample(n int, seed uint64) ([]float32, error) {
	spec, err := nets.Lookup(r.Config.Net)
	if err != nil {
		return nil, err
	}
	if !spec.Generative {
		return nil, ErrNotGenerative
	}
	if n < 1 {
		return nil, fmt.Errorf("%d samples: want ≥ 1", n)
	}
	rng := rand.New(rand.NewPCG(seed, 0x73616d706c6573))
	z := make([]float32, n*r.Model.CodeSize())
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	return r.Decode(z)
}
