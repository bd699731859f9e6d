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

// wideNet is 3 → hidden (ReLU) → 2 → 3: a net whose activations are large
// for its input.
type wideNet struct{ hidden int }

func (n wideNet) Encoder(b *Builder, x *G.Node) *G.Node {
	return b.Dense("code", b.Dense("wide", x, n.hidden, ReLU), 2, Identity)
}
func (wideNet) Decoder(b *Builder, z *G.Node) *G.Node { return b.Dense("recon", z, 3, Sigmoid) }

// TestChunkRows: a small net encodes applyChunk rows at a time; a net with
// large activations fewer, the most whose outputs fit chunkBudget, and its
// codes do not depend on the chunking.
func TestChunkRows(t *testing.T) {
	small, err := NewModel(tinyNet{}, MSE, []int{3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := small.chunkRows("encode"); rows != applyChunk || err != nil {
		t.Errorf("tiny net: %d rows a chunk (%v), want %d", rows, err, applyChunk)
	}
	const hidden = 40000 // three outputs of 40,000 values a row: about 480 KB
	m, err := NewModel(wideNet{hidden}, MSE, []int{3}, 1)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := m.chunkRows("encode")
	if err != nil {
		t.Fatal(err)
	}
	if bytes := 4 * 3 * hidden; rows&(rows-1) != 0 || rows*bytes > chunkBudget || 2*rows*bytes <= chunkBudget {
		t.Fatalf("wide net: %d rows a chunk, want the largest power of two with rows × %d bytes ≤ %d", rows, bytes, chunkBudget)
	}
	n := 2*rows + rows/2 + 3 // two whole chunks and a padded one
	x := make([]float32, 3*n)
	for i := range x {
		x[i] = float32(i%7) / 7
	}
	z, err := m.Encode(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		zi, err := m.Encode(x[3*i : 3*i+3])
		if err != nil {
			t.Fatal(err)
		}
		if zi[0] != z[2*i] || zi[1] != z[2*i+1] {
			t.Fatalf("row %d: code %v alone, %v among %d rows in chunks of %d", i, zi, z[2*i:2*i+2], n, rows)
		}
	}
}
