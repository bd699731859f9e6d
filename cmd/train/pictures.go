package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
)

// pictureFiles are the pictures a run folder may hold.
var pictureFiles = []string{"recon.png", "loss.png", "latent.png", "errors.png", "interp.png", "samples.png"}

// reconImages is how many test images recon.png shows above their
// reconstructions (spread over the test set).
const reconImages = 16

// writePictures draws the pictures that fit the data: loss.png and
// latent.png always; for images recon.png, interp.png and (generative nets)
// samples.png, at the images' own size and colours; for a table errors.png,
// the reconstruction error of each column.
func (r *trainer) writePictures() error {
	test := r.data.Test
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

	shown := spread(test, plots.MaxLatentPoints)
	codes, err := r.Model.EncodeSet(shown, shown.Len())
	if err != nil {
		return err
	}
	labels := shown.Labels
	if err := writePNG(filepath.Join(r.Dir, "latent.png"), func(w io.Writer) error {
		return plots.Latent(w, codes, r.Model.CodeSize(), labels, shown.Classes)
	}); err != nil {
		return err
	}
	if !isImages(test) {
		return r.writeColumnErrors()
	}

	n := min(reconImages, test.Len())
	x := spread(test, n).All()
	recon, err := r.Model.Reconstruct(x)
	if err != nil {
		return err
	}
	if err := writePNG(filepath.Join(r.Dir, "recon.png"), func(w io.Writer) error {
		return plots.Recon(w, r.display(x), r.display(recon), n, test.Shape())
	}); err != nil {
		return err
	}
	return r.writeGenerative()
}

// isImages reports whether the samples of s are images, (C, H, W) with one
// or three channels, which the image grids can draw.
func isImages(s *datasets.Set) bool {
	sh := s.Shape()
	return len(sh) == 3 && (sh[0] == 1 || sh[0] == 3)
}

// display maps inputs, as the net sees them, to brightness in [0, 1]: the
// data's own pixel values over 255.
func (r *trainer) display(v []float32) []float32 {
	if r.data.Scale.Kind == datasets.Pixel {
		return v
	}
	out := append([]float32(nil), v...)
	r.data.Scale.Invert(out)
	for i := range out {
		out[i] /= 255
	}
	return out
}

// writeColumnErrors draws errors.png: the mean squared reconstruction error
// of each column of the test set, in the scaled units the net sees.
func (r *trainer) writeColumnErrors() error {
	test := r.data.Test
	d := test.Dim()
	values, err := r.Model.ValueErrors(test)
	if err != nil {
		return err
	}
	errs := make([]float64, d)
	for i, e := range values {
		errs[i%d] += float64(e)
	}
	for j := range errs {
		errs[j] /= float64(test.Len())
	}
	title := fmt.Sprintf("%s: test MSE per column (%s-scaled units)", r.Config.Net, r.data.Scale.Kind)
	return writePNG(filepath.Join(r.Dir, "errors.png"), func(w io.Writer) error {
		return plots.ColumnErrors(w, title, test.Columns, errs)
	})
}

// spread returns at most n samples of s spread evenly over it, so that a
// test set stored class by class (a folder of class folders) shows every
// class: samples 0, len/n, 2·len/n, ….
func spread(s *datasets.Set, n int) *datasets.Set {
	if n >= s.Len() {
		return s
	}
	idx := make([]int, n)
	for k := range idx {
		idx[k] = k * s.Len() / n
	}
	return s.Subset(idx)
}
