package main

import (
	"io"
	"math/rand/v2"
	"path/filepath"

	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/plots"
)

// Layout of samples.png and interp.png.
const (
	sampleSide   = 8  // samples.png: 8×8 decoded draws z ~ N(0, I)
	interpPairs  = 8  // interp.png: one row per pair of test images…
	interpSteps  = 10 // …decoded at 10 points from one code to the other
	pictureScale = 2
)

// writeGenerative draws interp.png for every net and, for a generative net,
// samples.png.
func (r *trainer) writeGenerative() error {
	test := r.data.Test
	if test.Len() >= 2*interpPairs {
		if err := r.writeInterp(); err != nil {
			return err
		}
	}
	spec, err := nets.Lookup(r.Config.Net)
	if err != nil || !spec.Generative {
		return nil
	}
	return r.writeSamples()
}

// writeInterp decodes z_t = (1 − t)·z_a + t·z_b, t = 0, 1/9, …, 1, between the
// codes of test images a = i and b = i + 8 of 16 spread over the test set
// (spread), one row for each i < 8.
func (r *trainer) writeInterp() error {
	test := r.data.Test
	z, err := r.Model.Encode(spread(test, 2*interpPairs).All())
	if err != nil {
		return err
	}
	k := r.Model.CodeSize()
	path := make([]float32, 0, interpPairs*interpSteps*k)
	for i := range interpPairs {
		a, b := z[i*k:(i+1)*k], z[(i+interpPairs)*k:(i+interpPairs+1)*k]
		for s := range interpSteps {
			t := float32(s) / (interpSteps - 1)
			for j := range k {
				path = append(path, (1-t)*a[j]+t*b[j])
			}
		}
	}
	x, err := r.Model.Decode(path)
	if err != nil {
		return err
	}
	return writePNG(filepath.Join(r.Dir, "interp.png"), func(w io.Writer) error {
		return plots.Grid(w, r.Display(x), test.Shape(), interpPairs, interpSteps, pictureScale)
	})
}

// writeSamples decodes 64 codes z ~ N(0, I), drawn from an RNG seeded by
// -seed: the same codes after every epoch.
func (r *trainer) writeSamples() error {
	rng := rand.New(rand.NewPCG(r.Config.Train.Seed, 0x73616d706c6573))
	z := make([]float32, sampleSide*sampleSide*r.Model.CodeSize())
	for i := range z {
		z[i] = float32(rng.NormFloat64())
	}
	x, err := r.Model.Decode(z)
	if err != nil {
		return err
	}
	test := r.data.Test
	return writePNG(filepath.Join(r.Dir, "samples.png"), func(w io.Writer) error {
		return plots.Grid(w, r.Display(x), test.Shape(), sampleSide, sampleSide, pictureScale)
	})
}
