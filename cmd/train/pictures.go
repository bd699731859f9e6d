package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
)

// reconImages is how many test digits recon.png shows above their reconstructions.
const reconImages = 16

// writePictures draws recon.png, loss.png, latent.png, interp.png and, for a
// generative net, samples.png.
func (r *trainer) writePictures() error {
	test := r.data.Test
	n := min(reconImages, test.Len())
	x := firstImages(test, n)
	z, err := r.Model.Encode(x)
	if err != nil {
		return err
	}
	recon, err := r.Model.Decode(z)
	if err != nil {
		return err
	}
	if err := writePNG(filepath.Join(r.Dir, "recon.png"), func(w io.Writer) error {
		return plots.Recon(w, x, recon, n, test.Rows, test.Cols)
	}); err != nil {
		return err
	}

	var train, testLoss []float64
	for _, m := range r.History {
		train = append(train, m.TrainLoss)
		testLoss = append(testLoss, m.TestLoss)
	}
	if len(train) > 0 {
		title := fmt.Sprintf("%s, k = %d: %s loss", r.Config.Net, r.Config.Arch.Latent, r.Config.Loss)
		if err := writePNG(filepath.Join(r.Dir, "loss.png"), func(w io.Writer) error {
			return plots.Loss(w, title, r.Config.Loss, train, testLoss)
		}); err != nil {
			return err
		}
	}

	m := min(test.Len(), plots.MaxLatentPoints)
	codes, err := r.Model.EncodeSet(test, m)
	if err != nil {
		return err
	}
	if err := writePNG(filepath.Join(r.Dir, "latent.png"), func(w io.Writer) error {
		return plots.Latent(w, codes, r.Model.CodeSize(), test.Labels[:m])
	}); err != nil {
		return err
	}
	return r.writeGenerative()
}

// firstImages returns the first n images of s, (n, Dim) in [0, 1].
func firstImages(s *datasets.Set, n int) []float32 {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	x := make([]float32, n*s.Dim())
	s.Batch(x, idx)
	return x
}
