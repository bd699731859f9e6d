package graph

import (
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// tinyNet is 3 → 2 → 3, dense.
type tinyNet struct{}

func (tinyNet) Encoder(b *Builder, x *G.Node) *G.Node { return b.Dense("code", x, 2, Identity) }
func (tinyNet) Decoder(b *Builder, z *G.Node) *G.Node { return b.Dense("recon", z, 3, Sigmoid) }

// rowsData is n samples of 3 zeros.
type rowsData struct{ n int }

func (d *rowsData) Len() int                       { return d.n }
func (d *rowsData) Shape() []int                   { return []int{3} }
func (d *rowsData) Batch(dst []float32, idx []int) { clear(dst) }

// A model asked for many batch sizes keeps at most MaxGraphs graphs.
func TestGraphsBounded(t *testing.T) {
	m := &Model{Net: tinyNet{}, Loss: MSE, Params: NewParams(tensor.Float32, 1), Shape: []int{3}, Dim: 3, Code: []int{2}, graphs: map[graphKey]*inference{}}
	for n := 1; n <= 300; n++ {
		if _, err := m.Encode(make([]float32, 3*n)); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Errors(&rowsData{n: n}, 50); err != nil {
			t.Fatal(err)
		}
		if len(m.graphs) > MaxGraphs || len(m.used) != len(m.graphs) {
			t.Fatalf("after %d rows: %d graphs (%d in the order), at most %d wanted", n, len(m.graphs), len(m.used), MaxGraphs)
		}
	}
}
