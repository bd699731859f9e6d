package train_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// checkpointHeader returns the header that Save writes before payload, with
// the given format version.
func checkpointHeader(version uint32, payload []byte) []byte {
	h := []byte("AEGRAPH\x00")
	h = binary.LittleEndian.AppendUint32(h, version)
	h = binary.LittleEndian.AppendUint64(h, uint64(len(payload)))
	sum := sha256.Sum256(payload)
	return append(h, sum[:]...)
}

// tinyTrainer is a 4 → 2 → 4 linear net with an adam trainer and 8 images of
// 2×2 pixels, trained for one epoch so that the solver has state.
func tinyTrainer(tb testing.TB) (*train.Trainer, *datasets.Set) {
	tb.Helper()
	var pixels []uint8
	for i := range 8 * 4 {
		pixels = append(pixels, uint8(i*37))
	}
	data, err := datasets.NewImages(pixels, 1, 2, 2, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := graph.NewModel(linearNet{Dim: 4, Latent: 2}, graph.MSE, []int{4}, 1)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := train.NewSolver("adam", 1e-2)
	if err != nil {
		tb.Fatal(err)
	}
	tr, err := trainerWith(m, s, 2, 1)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := tr.RunEpoch(context.Background(), data, nil); err != nil {
		tb.Fatal(err)
	}
	return tr, data
}

// FuzzReadCheckpoint feeds arbitrary bytes to ReadCheckpoint, either as a
// whole file or (withHeader) as a payload behind a valid header and checksum,
// so that the gob decoding and Restore's checks are reached too. Nothing may
// panic; a checkpoint that reads must write back to the same bytes, and one
// that Restore accepts must train (or fail with an error) without panicking.
//
// The f.Add seeds run in every `go test`; fuzz with
//
//	go test -run '^$' -fuzz FuzzReadCheckpoint -fuzztime 2m ./graph
func FuzzReadCheckpoint(f *testing.F) {
	tr, data := tinyTrainer(f)
	ck, err := tr.Checkpoint([]byte(`{"net":"tiny"}`))
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "ck.aeg")
	if err := ck.Save(path); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	const headerSize = 8 + 4 + 8 + sha256.Size
	payload := good[headerSize:]
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	newer := append(checkpointHeader(2, payload), payload...)
	if c, err := train.ReadCheckpoint(bytes.NewReader(good)); err != nil {
		f.Fatal(err)
	} else if err := tr.Restore(c); err != nil {
		f.Fatal(err)
	}
	// Regression seeds: valid files whose position or solver state no run can
	// write. A negative step made RunEpoch slice out of range (a panic)
	// before Restore checked the position.
	for _, edit := range []func(c *train.Checkpoint){
		func(c *train.Checkpoint) { c.Step = -1 },
		func(c *train.Checkpoint) { c.Epoch = -3 },
		func(c *train.Checkpoint) { c.Solver.T = -1 },
		func(c *train.Checkpoint) { c.Solver.Slots[0] = c.Solver.Slots[0][:1] },
		func(c *train.Checkpoint) { c.Solver.Slots[1][0] = c.Solver.Slots[1][0][:2] },
	} {
		c, err := train.ReadCheckpoint(bytes.NewReader(good))
		if err != nil {
			f.Fatal(err)
		}
		edit(c)
		if err := c.Save(path); err != nil {
			f.Fatal(err)
		}
		if err := tr.Restore(c); err == nil {
			f.Fatalf("Restore accepted an invalid checkpoint (step %d, epoch %d)", c.Step, c.Epoch)
		}
		b, _ := os.ReadFile(path)
		f.Add(b, false)
	}
	f.Add(good, false)
	f.Add(good[:len(good)-1], false)
	f.Add(good[:headerSize-1], false)
	f.Add(flipped, false)
	f.Add(newer, false)
	f.Add(append(bytes.Clone(good), 0), false)
	f.Add([]byte{}, false)
	f.Add(payload, true)
	f.Add(payload[:len(payload)/2], true)
	f.Add([]byte("not gob"), true)

	f.Fuzz(func(t *testing.T, in []byte, withHeader bool) {
		if withHeader {
			in = append(checkpointHeader(1, in), in...)
		}
		c, err := train.ReadCheckpoint(bytes.NewReader(in))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q spans several lines", err)
			}
			return
		}
		if !withHeader && len(in) < headerSize {
			t.Fatalf("read a checkpoint from %d bytes", len(in))
		}
		// Written back and read again, it must give the same bytes.
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		if err := c.Save(a); err != nil {
			t.Fatalf("saving what was read: %v", err)
		}
		c2, err := train.LoadCheckpoint(a)
		if err != nil {
			t.Fatalf("reading back what was saved: %v", err)
		}
		if err := c2.Save(b); err != nil {
			t.Fatal(err)
		}
		ab, _ := os.ReadFile(a)
		bb, _ := os.ReadFile(b)
		if !bytes.Equal(ab, bb) {
			t.Fatalf("save, load, save gives other bytes")
		}
		// Restore checks it against the net; if it takes it, training
		// must not panic (a diverging loss is an error).
		if err := tr.Restore(c); err != nil {
			return
		}
		tr.RunEpoch(context.Background(), data, nil)
	})
}
