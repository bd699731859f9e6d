package graph_test

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/aegraph/aegraph/graph"
)

// Concurrent callers of one Model get what a lone caller gets; requests of
// many sizes give each row what a batch of any other size gives it; each
// sample's error averages to Evaluate's MSE; a closed model says so.
func TestModelInUse(t *testing.T) {
	data := loadMNIST(t).Test.Head(300)
	m, err := graph.NewModel(denseNet{Dim: 784, Hidden: 16, Latent: 4}, graph.MSE, []int{784}, 3)
	if err != nil {
		t.Fatal(err)
	}
	x := data.All()
	want, err := m.Encode(x)
	if err != nil {
		t.Fatal(err)
	}
	k := m.CodeSize()
	// Rows encoded in requests of 1, 7, 33, … rows equal the rows of one
	// request of 300 (256 + 44, padded to 64).
	for _, n := range []int{1, 2, 7, 33, 64, 100, 255, 256, 257} {
		got, err := m.Encode(x[:n*784])
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want[:n*k]) {
			t.Fatalf("encoding %d rows differs from the first %d rows of 300", n, n)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 20 {
				n := 1 + (g*37+r*11)%300
				z, err := m.Encode(x[:n*784])
				if err == nil && !slices.Equal(z, want[:n*k]) {
					err = errors.New("codes differ from a lone caller's")
				}
				if err == nil {
					_, err = m.Decode(z)
				}
				if err != nil {
					errs[g] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	ev, err := m.Evaluate(data, 128)
	if err != nil {
		t.Fatal(err)
	}
	per, err := m.Errors(data, 128)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, e := range per {
		sum += e
	}
	if mean := sum / float64(len(per)); math.Abs(mean-ev.MSE) > 1e-12*ev.MSE {
		t.Errorf("mean of the samples' errors %v, Evaluate's MSE %v", mean, ev.MSE)
	}
	losses, err := m.SampleLosses(data.Head(10))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range losses {
		if math.Abs(l-per[i]) > 1e-6*per[i] {
			t.Errorf("sample %d: mse loss %v, error %v (the same quantity)", i, l, per[i])
		}
	}

	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Encode(x[:784]); !errors.Is(err, graph.ErrClosed) {
		t.Errorf("Encode after Close: %v", err)
	}
}

// ValueErrors holds each value's (x − x')², and a sample's mean is its
// Errors figure, across the chunks the model works in.
func TestValueErrors(t *testing.T) {
	data := loadMNIST(t).Test.Head(1100) // more than one chunk of 1024
	m, err := graph.NewModel(denseNet{Dim: 784, Hidden: 16, Latent: 4}, graph.MSE, []int{784}, 5)
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.ValueErrors(data)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := m.Errors(data, 250)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != data.Len()*784 {
		t.Fatalf("%d values, want %d×784", len(v), data.Len())
	}
	for i, want := range errs {
		var sum float64
		for _, e := range v[i*784 : (i+1)*784] {
			sum += float64(e)
		}
		if got := sum / 784; math.Abs(got-want) > 1e-5*want {
			t.Fatalf("sample %d: mean of the value errors %v, Errors %v", i, got, want)
		}
	}
	if _, err := m.ValueErrors(loadMNIST(t).Test.Head(3).Subset([]int{0})); err != nil {
		t.Errorf("one sample: %v", err)
	}
}
