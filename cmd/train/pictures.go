package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
	"github.com/aegraph/aegraph/run"
)

// pictureFiles are the pictures a run folder may hold.
var pictureFiles = []string{"recon.png", "loss.png", "latent.png", "errors.png", "interp.png", "samples.png", "anomalies.png", "scores.png"}

// reconImages is how many test images recon.png shows above their
// reconstructions (spread over the test set).
const reconImages = 16

// writePictures draws the pictures that fit the data: loss.png and
// latent.png always; for images recon.png, interp.png and (generative nets)
// samples.png, at the images' own size and colours; for a table errors.png,
// the reconstruction error of each column; for a run trained on some
// classes only, the pictures of writeAnomalies.
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
	if err := r.writeAnomalies(); err != nil {
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
		return plots.Recon(w, r.Display(x), r.Display(recon), n, test.Shape())
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

// anomalyImages is how many of the most anomalous and of the most normal
// test images anomalies.png shows.
const anomalyImages = 8

// writeAnomalies scores the test set of a run trained on some classes only
// (-classes), the others being the anomalies: scores.png, the reconstruction
// errors of normal against anomalous samples, and for images anomalies.png,
// the most anomalous and the most normal test images with their
// reconstructions and error maps. It keeps the AUROC and average precision
// for the run's last line.
func (r *trainer) writeAnomalies() error {
	normals, test := r.Config.Data.Classes, r.data.Test
	if len(normals) == 0 || test.Labels == nil {
		return nil
	}
	anomalous, err := test.Outside(normals)
	if err != nil {
		return fmt.Errorf("the test set's anomalies: %w", err)
	}
	scores := r.TestErrors // measured by the epoch just trained
	if len(scores) != test.Len() {
		if scores, err = r.Model.Errors(test, run.EvalBatch); err != nil {
			return err
		}
	}
	if isImages(test) {
		if err := writePNG(filepath.Join(r.Dir, "anomalies.png"), func(w io.Writer) error {
			return r.DrawAnomalies(w, test, scores, anomalyImages)
		}); err != nil {
			return err
		}
	}
	auc, err := anomaly.AUROC(scores, anomalous)
	if err != nil { // the test set has no anomalies (or nothing else)
		r.anomalies = fmt.Sprintf("no anomaly measures on the test set: %v", err)
		return nil
	}
	ap, _ := anomaly.AveragePrecision(scores, anomalous)
	r.anomalies = fmt.Sprintf("normal classes %q against the rest of the test set: AUROC %.4f, average precision %.4f (scores.png)", normals, auc, ap)
	which := "class " + normals[0]
	if len(normals) > 1 {
		which = "classes " + strings.Join(normals, ", ")
	}
	title := fmt.Sprintf("%s trained on %s: test reconstruction errors", r.Config.Net, which)
	return writePNG(filepath.Join(r.Dir, "scores.png"), func(w io.Writer) error {
		return plots.Scores(w, title, scores, anomalous, math.NaN())
	})
}
