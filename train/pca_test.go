package train_test

import (
	"context"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
)

// pixels returns the images of s as an (n, Dim) matrix of values in [0, 1],
// exactly the float32 values the trainer feeds, widened to float64.
func pixels(s *datasets.Set) *mat.Dense {
	n, d := s.Len(), s.Dim()
	buf := make([]float32, n*d)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	s.Batch(buf, idx)
	x := mat.NewDense(n, d, nil)
	raw := x.RawMatrix().Data
	for i, v := range buf {
		raw[i] = float64(v)
	}
	return x
}

// pca holds the mean μ and the first k principal directions V_k (d×k) of
// the rows of a matrix.
type pca struct {
	mean []float64
	vk   mat.Matrix
}

func fitPCA(t *testing.T, fit *mat.Dense, k int) pca {
	t.Helper()
	_, d := fit.Dims()
	var pc stat.PC
	if !pc.PrincipalComponents(fit, nil) { // centres fit itself
		t.Fatal("PCA: SVD failed")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	p := pca{mean: make([]float64, d), vk: vecs.Slice(0, d, 0, k)}
	for j := range d {
		p.mean[j] = stat.Mean(mat.Col(nil, j, fit), nil)
	}
	return p
}

// mse is the per-pixel mean squared error of x' = μ + (x − μ)·V_k·V_kᵀ, which
// on the fitted rows is the best rank-k affine reconstruction (Eckart–Young).
func (p pca) mse(x *mat.Dense) float64 {
	n, d := x.Dims()
	xc := mat.NewDense(n, d, nil)
	xc.Apply(func(_, j int, v float64) float64 { return v - p.mean[j] }, x)
	var code, proj mat.Dense
	code.Mul(xc, p.vk)
	proj.Mul(&code, p.vk.T())
	proj.Sub(xc, &proj)
	var se float64
	for _, v := range proj.RawMatrix().Data {
		se += v * v
	}
	return se / float64(n*d)
}

// A linear autoencoder trained with MSE converges to the span of the first k
// principal components (Baldi & Hornik 1989), so its reconstruction error
// must approach PCA's. The PCA figure is computed here by gonum on the same
// images, not a published figure (which would fit on all 60k).
func TestLinearMatchesPCA(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for several seconds")
	}
	const k = 8
	m := loadMNIST(t)
	train, test := m.Train.Head(2000), m.Test.Head(1000)
	xTrain, xTest := pixels(train), pixels(test)
	p := fitPCA(t, xTrain, k)
	pcaTrain, pcaTest := p.mse(xTrain), p.mse(xTest)
	t.Logf("PCA k=%d fit on %d train images: train MSE %.6f, test MSE %.6f", k, train.Len(), pcaTrain, pcaTest)

	tr := newTrainer(t, linearNet{Dim: 784, Latent: k}, graph.MSE, 1, 3e-3, 100, 1)
	start := time.Now()
	var ev graph.Eval
	const maxEpochs = 400
	epoch := 0
	for epoch < maxEpochs {
		if _, err := tr.RunEpoch(context.Background(), train, nil); err != nil {
			t.Fatal(err)
		}
		epoch++
		if epoch%5 != 0 {
			continue
		}
		var err error
		if ev, err = tr.Model.Evaluate(test, 1000); err != nil {
			t.Fatal(err)
		}
		t.Logf("epoch %d: test MSE %.6f (%.4f × PCA) after %v", epoch, ev.MSE, ev.MSE/pcaTest, time.Since(start).Round(time.Millisecond))
		if ev.MSE <= 1.02*pcaTest {
			break
		}
	}
	t.Logf("linear autoencoder k=%d after %d epochs (%v): test MSE %.6f, PCA %.6f, ratio %.4f",
		k, epoch, time.Since(start).Round(time.Millisecond), ev.MSE, pcaTest, ev.MSE/pcaTest)
	if ev.MSE > 1.02*pcaTest {
		t.Errorf("linear autoencoder test MSE %.6f after %d epochs, want ≤ 1.02 × PCA's %.6f", ev.MSE, epoch, pcaTest)
	}
	// On held-out images the autoencoder may land slightly below PCA (it is
	// not exactly at the optimum of the training error), never far below.
	if ev.MSE < 0.9*pcaTest {
		t.Errorf("linear autoencoder test MSE %.6f is below 0.9 × PCA's %.6f: too good to be true", ev.MSE, pcaTest)
	}
	// On the training images PCA is optimal among all rank-k affine maps
	// (Eckart–Young): the autoencoder cannot beat it beyond float32 rounding.
	evTrain, err := tr.Model.Evaluate(train, 1000)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("train MSE %.6f, PCA %.6f", evTrain.MSE, pcaTrain)
	if evTrain.MSE < pcaTrain*(1-1e-3) {
		t.Errorf("linear autoencoder train MSE %.6f beats PCA's optimum %.6f", evTrain.MSE, pcaTrain)
	}
}
