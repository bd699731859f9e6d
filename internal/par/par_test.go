package par

import (
	"sync/atomic"
	"testing"
)

type counter struct {
	hits [8]atomic.Int64
}

func (c *counter) Run(w, workers int) {
	for i := w; i < len(c.hits); i += workers {
		c.hits[i].Add(1)
	}
}

// TestDo: every share runs exactly once, for any number of workers, and a
// call allocates nothing.
func TestDo(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		var c counter
		Do(&c, workers)
		for i := range c.hits {
			if n := c.hits[i].Load(); n != 1 {
				t.Errorf("workers %d: item %d done %d times", workers, i, n)
			}
		}
	}
	c := new(counter)
	if n := testing.AllocsPerRun(100, func() { Do(c, 2) }); n != 0 {
		t.Errorf("Do allocates %v times a call", n)
	}
}

type nop struct{}

func (nop) Run(w, workers int) {}

// BenchmarkDo measures one hand-off to the workers and back, with no work:
// go test -run X -bench Do ./graph/internal/par
func BenchmarkDo(b *testing.B) {
	for range b.N {
		Do(nop{}, Workers())
	}
}

// TestRange: the ranges cover [0, n) once each, in order of the workers,
// for n below, at and above the number of workers.
func TestRange(t *testing.T) {
	for n := 0; n <= Workers()+3; n++ {
		seen := make([]atomic.Int64, n)
		bounds := make([][2]int, min(n, Workers()))
		Range(n, func(w, lo, hi int) {
			bounds[w] = [2]int{lo, hi}
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("n = %d: index %d covered %d times", n, i, seen[i].Load())
			}
		}
		for w := 1; w < len(bounds); w++ {
			if bounds[w][0] != bounds[w-1][1] {
				t.Errorf("n = %d: ranges %v are not consecutive", n, bounds)
			}
		}
	}
}
