package graph_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
)

// Evaluate must weigh every image equally, including those of a last partial
// batch: 10 images in batches of 4 (4 + 4 + 2) give the same figures as one
// batch of 10 and as one batch larger than the set, and the figures equal
// the losses' definitions applied to Model.Encode + Model.Decode.
func TestEvaluateUsesEveryImage(t *testing.T) {
	// Eight MNIST test images and two plain grey ones, whose errors differ
	// from the others' so that a dropped partial batch shows.
	mn := loadMNIST(t).Test.Head(10)
	pixels := make([]uint8, mn.Len()*784)
	for i := range mn.Len() {
		copy(pixels[i*784:], mn.Pixels(i))
	}
	for i := 8 * 784; i < len(pixels); i++ {
		pixels[i] = 128
	}
	data, err := datasets.NewImages(pixels, 1, 28, 28, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 10*784)
	data.Batch(x, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})

	// perImage is each loss's value on one image x, x' (pixels j), its
	// definition written out in float64; Loss is their mean over images.
	perImage := map[string]func(x, r []float32) float64{
		"mse": func(x, r []float32) float64 {
			var s float64
			for j := range x {
				d := float64(x[j]) - float64(r[j])
				s += d * d
			}
			return s / float64(len(x))
		},
		"l2": func(x, r []float32) float64 {
			var s float64
			for j := range x {
				d := float64(x[j]) - float64(r[j])
				s += d * d
			}
			return math.Sqrt(s)
		},
		"bce": func(x, r []float32) float64 {
			var s float64
			for j := range x {
				xj, rj := float64(x[j]), float64(r[j])
				s -= xj*math.Log(rj) + (1-xj)*math.Log(1-rj)
			}
			return s / float64(len(x))
		},
		"mse-sum": func(x, r []float32) float64 {
			var s float64
			for j := range x {
				d := float64(x[j]) - float64(r[j])
				s += d * d
			}
			return s
		},
		"bce-sum": func(x, r []float32) float64 {
			var s float64
			for j := range x {
				xj, rj := float64(x[j]), float64(r[j])
				s -= xj*math.Log(rj) + (1-xj)*math.Log(1-rj)
			}
			return s
		},
	}
	for _, loss := range graph.Losses {
		t.Run(loss.Name, func(t *testing.T) {
			f, ok := perImage[loss.Name]
			if !ok {
				t.Fatalf("no per-image definition of loss %q here", loss.Name)
			}
			m, err := graph.NewModel(denseNet{Dim: 784, Hidden: 16, Latent: 4}, loss, []int{784}, 3)
			if err != nil {
				t.Fatal(err)
			}
			z, err := m.Encode(x)
			if err != nil {
				t.Fatal(err)
			}
			recon, err := m.Decode(z)
			if err != nil {
				t.Fatal(err)
			}
			var want graph.Eval
			for i := range 10 {
				xi, ri := x[i*784:(i+1)*784], recon[i*784:(i+1)*784]
				want.Loss += f(xi, ri) / 10
				want.MSE += perImage["mse"](xi, ri) / 10
			}
			// Loss comes from the graph's float32 Mean over up to 7840 values,
			// whose rounding is about √n·2⁻²⁴ ≈ 5e-6 relative (1.1e-5 seen
			// between batch 4 and 10 for bce); MSE is summed in float64 by
			// Evaluate from the same float32 reconstructions, so it agrees to 1e-6.
			const lossTol, mseTol = 5e-5, 1e-6
			for _, batch := range []int{4, 10, 3, 1, 32} {
				got, err := m.Evaluate(data, batch)
				if err != nil {
					t.Fatal(err)
				}
				if !relEqual(got.Loss, want.Loss, lossTol) || !relEqual(got.MSE, want.MSE, mseTol) {
					t.Errorf("Evaluate(10 images, batch %d) = %+v, want %+v (from Encode + Decode)", batch, got, want)
				}
			}
			b4, _ := m.Evaluate(data, 4)
			b10, _ := m.Evaluate(data, 10)
			if !relEqual(b4.Loss, b10.Loss, lossTol) || !relEqual(b4.MSE, b10.MSE, mseTol) {
				t.Errorf("batch 4: %+v, batch 10: %+v; want equal", b4, b10)
			}
			if loss.Name == "mse" && !relEqual(b4.Loss, b4.MSE, lossTol) {
				t.Errorf("with the mse loss Loss %v ≠ MSE %v", b4.Loss, b4.MSE)
			}
			// Dropping the partial batch would give the mean of the first 8
			// images only, which must differ from all 10's.
			var first8 float64
			for i := range 8 {
				first8 += perImage["mse"](x[i*784:(i+1)*784], recon[i*784:(i+1)*784]) / 8
			}
			if relEqual(first8, want.MSE, 0.05) {
				t.Fatalf("the first 8 images have the MSE of all 10 (%v): the check cannot see a dropped batch", first8)
			}
		})
	}
}

// relEqual reports whether a and b agree to tol relative to the larger.
func relEqual(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}

func TestModelShapesAndErrors(t *testing.T) {
	m, err := graph.NewModel(denseNet{Dim: 784, Hidden: 16, Latent: 5}, graph.MSE, []int{784}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Code, []int{5}) || m.CodeSize() != 5 {
		t.Errorf("Code %v, CodeSize %d; want [5], 5", m.Code, m.CodeSize())
	}
	// enc, code, dec, recon: in·out weights and out biases each.
	if want := (784*16 + 16) + (16*5 + 5) + (5*16 + 16) + (16*784 + 784); m.Params.Size() != want {
		t.Errorf("Params.Size() = %d, want %d", m.Params.Size(), want)
	}
	wantNames := []string{"enc.w", "enc.b", "code.w", "code.b", "dec.w", "dec.b", "recon.w", "recon.b"}
	if !slices.Equal(m.Params.Names(), wantNames) {
		t.Errorf("Params.Names() = %v, want %v (creation order)", m.Params.Names(), wantNames)
	}
	// 1025 rows cross Encode's 1024-row chunks (a small net's).
	x := make([]float32, 1025*784)
	for i := range x {
		x[i] = float32(i%255) / 255
	}
	z, err := m.Encode(x)
	if err != nil || len(z) != 1025*5 {
		t.Fatalf("Encode(1025 images): %d values, %v; want %d", len(z), err, 1025*5)
	}
	// The second chunk holds image 1024 alone: its code must not depend on that.
	z1, err := m.Encode(x[1024*784:])
	if err != nil || !slices.Equal(z1, z[1024*5:]) {
		t.Errorf("the code of image 1024 depends on the chunking: %v alone, %v in the set (%v)", z1, z[1024*5:], err)
	}
	r, err := m.Decode(z)
	if err != nil || len(r) != 1025*784 {
		t.Fatalf("Decode: %d values, %v; want %d", len(r), err, 1025*784)
	}
	for _, v := range r {
		if !(v > 0 && v < 1) {
			t.Fatalf("sigmoid output %v outside (0, 1)", v)
		}
	}

	errs := []struct {
		name string
		f    func() error
		want string
	}{
		{"Encode of a partial row", func() error { _, err := m.Encode(x[:783]); return err }, "783 values"},
		{"Decode of a partial row", func() error { _, err := m.Decode(z[:7]); return err }, "7 values"},
		{"Evaluate of no images", func() error {
			empty, _ := datasets.NewImages(nil, 1, 28, 28, nil, nil)
			_, err := m.Evaluate(empty, 4)
			return err
		}, "no samples"},
		{"Evaluate of 10×10 images", func() error {
			small, _ := datasets.NewImages(make([]uint8, 100), 1, 10, 10, nil, nil)
			_, err := m.Evaluate(small, 4)
			return err
		}, "(100 values)"},
	}
	for _, e := range errs {
		err := e.f()
		if err == nil || !strings.Contains(err.Error(), e.want) {
			t.Errorf("%s: error %v, want one mentioning %q", e.name, err, e.want)
		}
	}
}
