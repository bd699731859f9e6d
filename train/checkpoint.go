package train

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/atomicfile"
)

// Checkpoint is everything needed to continue a training run exactly: the
// caller's configuration, every weight, the solver's state, the position in
// the run and the state of the noise RNG.
type Checkpoint struct {
	Config []byte // the run's configuration, as the caller encoded it (JSON)

	Params  []graph.NamedTensor
	Solver  SolverState
	Order   []string // parameter names in the solver's order
	Batch   int
	Seed    uint64
	Epoch   int
	Step    int
	LossSum float64
	Noise   []byte // the noise PCG's state
}

// File layout: magic, format version (uint32), payload length (uint64),
// SHA-256 of the payload, then the gob-encoded payload. The checksum catches
// truncation and bit flips; the version, files from a newer aegraph.
const (
	checkpointMagic   = "AEGRAPH\x00"
	checkpointVersion = 1
	headerSize        = len(checkpointMagic) + 4 + 8 + sha256.Size
	maxCheckpoint     = 4 << 30
)

// Checkpoint captures the trainer's state, with config as the run's
// configuration. Weights or solver state that are not finite (a run whose
// loss stayed finite while its weights did not) make no checkpoint: the
// error wraps ErrDiverged.
func (t *Trainer) Checkpoint(config []byte) (*Checkpoint, error) {
	noise, err := t.noise.MarshalBinary()
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{
		Config: config, Solver: t.Solver.State(), Batch: t.Config.Batch, Seed: t.Config.Seed,
		Epoch: t.Epoch, Step: t.Step, LossSum: t.LossSum, Noise: noise,
	}
	c.Params = t.Model.NamedParams()
	if err := c.checkFinite(); err != nil {
		if t.Step == 0 {
			return nil, fmt.Errorf("after epoch %d: %w", t.Epoch, err)
		}
		return nil, fmt.Errorf("epoch %d, step %d: %w", t.Epoch+1, t.Step, err)
	}
	for _, n := range t.learn {
		c.Order = append(c.Order, n.(interface{ Name() string }).Name())
	}
	return c, nil
}

// Restore puts a checkpoint's state into the trainer. The checkpoint must be
// of the same architecture: the same parameter names and shapes, and the same
// solver and batch size; nothing is changed if it is not.
func (t *Trainer) Restore(c *Checkpoint) error {
	if err := t.Model.CheckParams(c.Params); err != nil {
		return err
	}
	if c.Batch != t.Config.Batch {
		return fmt.Errorf("checkpoint was trained with batch size %d, not %d", c.Batch, t.Config.Batch)
	}
	var order []string
	for _, n := range t.learn {
		order = append(order, n.(interface{ Name() string }).Name())
	}
	if !slices.Equal(order, c.Order) {
		return fmt.Errorf("checkpoint's solver state is for parameters %v, the net has %v", c.Order, order)
	}
	if err := c.checkPosition(); err != nil {
		return err
	}
	var noise rand.PCG
	if err := noise.UnmarshalBinary(c.Noise); err != nil {
		return fmt.Errorf("checkpoint: noise RNG state: %w", err)
	}
	// SetState changes nothing when it fails; after it nothing can fail.
	if err := t.Solver.SetState(c.Solver); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := t.Model.SetParams(c.Params); err != nil {
		return err
	}
	*t.noise = noise
	t.Config.Seed, t.Epoch, t.Step, t.LossSum = c.Seed, c.Epoch, c.Step, c.LossSum
	return nil
}

// checkFinite reports a weight or solver value that is NaN or infinite.
func (c *Checkpoint) checkFinite() error {
	bad := func(v []float64) int {
		n := 0
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				n++
			}
		}
		return n
	}
	for _, p := range c.Params {
		if n := bad(p.Data); n > 0 {
			return fmt.Errorf("%d of the %d weights of %s are not finite: %w", n, len(p.Data), p.Name, ErrDiverged)
		}
	}
	for k, slot := range c.Solver.Slots {
		for i, v := range slot {
			if n := bad(v); n > 0 {
				return fmt.Errorf("%d values of the solver's state %d of parameter %d are not finite: %w", n, k, i, ErrDiverged)
			}
		}
	}
	return nil
}

// checkPosition rejects a position or solver state that no run can have
// written (a hand-made or damaged file whose checksum was recomputed), which
// would otherwise fail mid-training or index out of range.
func (c *Checkpoint) checkPosition() error {
	if c.Epoch < 0 || c.Step < 0 || c.Solver.T < 0 {
		return fmt.Errorf("checkpoint: invalid position (epoch %d, step %d, solver step %d)", c.Epoch, c.Step, c.Solver.T)
	}
	size := map[string]int{}
	for _, nt := range c.Params {
		size[nt.Name] = len(nt.Data)
	}
	for k, slot := range c.Solver.Slots {
		if slot == nil {
			continue
		}
		if len(slot) != len(c.Order) {
			return fmt.Errorf("checkpoint: solver slot %d holds %d parameters, want %d", k, len(slot), len(c.Order))
		}
		for i, v := range slot {
			if v != nil && len(v) != size[c.Order[i]] {
				return fmt.Errorf("checkpoint: solver slot %d of parameter %s holds %d values, want %d", k, c.Order[i], len(v), size[c.Order[i]])
			}
		}
	}
	return nil
}

// Save writes the checkpoint to path atomically: to a temporary file in the
// same folder, synced, then renamed over path. A crash at any moment leaves
// either the old file or the new one, never a mix.
//
// The payload is encoded straight into the file (through a buffer, the
// checksum and a byte count) and the header written last, so saving holds no
// second copy of the weights in memory.
func (c *Checkpoint) Save(path string) error {
	return atomicfile.WriteFunc(path, func(f *os.File) error {
		if _, err := f.Write(make([]byte, headerSize)); err != nil {
			return err
		}
		hash := sha256.New()
		count := &countingWriter{}
		buf := bufio.NewWriterSize(io.MultiWriter(f, hash, count), 1<<16)
		if err := gob.NewEncoder(buf).Encode(c); err != nil {
			return fmt.Errorf("encoding checkpoint: %w", err)
		}
		if err := buf.Flush(); err != nil {
			return err
		}
		header := make([]byte, 0, headerSize)
		header = append(header, checkpointMagic...)
		header = binary.LittleEndian.AppendUint32(header, checkpointVersion)
		header = binary.LittleEndian.AppendUint64(header, uint64(count.n))
		header = hash.Sum(header)
		_, err := f.WriteAt(header, 0)
		return err
	})
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// LoadCheckpoint reads a checkpoint written by Save, checking its format
// version and checksum.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint: %w", err)
	}
	defer f.Close()
	c, err := ReadCheckpoint(f)
	if err != nil {
		return nil, fmt.Errorf("reading checkpoint %s: %w", path, err)
	}
	return c, nil
}

// ReadCheckpoint decodes a checkpoint from r.
func ReadCheckpoint(r io.Reader) (*Checkpoint, error) {
	header := make([]byte, headerSize)
	if _, err := io.ReadFull(r, header); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated header (%w): not an aegraph checkpoint", err)
		}
		return nil, err
	}
	if string(header[:len(checkpointMagic)]) != checkpointMagic {
		return nil, fmt.Errorf("not an aegraph checkpoint (bad magic %q)", header[:len(checkpointMagic)])
	}
	rest := header[len(checkpointMagic):]
	version := binary.LittleEndian.Uint32(rest)
	size := binary.LittleEndian.Uint64(rest[4:])
	var sum [sha256.Size]byte
	copy(sum[:], rest[12:])
	if version > checkpointVersion {
		return nil, fmt.Errorf("format version %d is newer than this aegraph's (%d): update aegraph", version, checkpointVersion)
	}
	if version == 0 {
		return nil, fmt.Errorf("format version 0 is invalid")
	}
	if size > maxCheckpoint {
		return nil, fmt.Errorf("header claims a %d-byte payload: damaged", size)
	}
	var payload bytes.Buffer
	n, err := io.Copy(&payload, io.LimitReader(r, int64(size)+1))
	if err != nil {
		return nil, err
	}
	if uint64(n) < size {
		return nil, fmt.Errorf("truncated: %d of %d payload bytes", n, size)
	}
	if uint64(n) > size {
		return nil, fmt.Errorf("trailing data after the %d-byte payload", size)
	}
	if sha256.Sum256(payload.Bytes()) != sum {
		return nil, fmt.Errorf("checksum mismatch: the file is damaged")
	}
	var c Checkpoint
	if err := gob.NewDecoder(&payload).Decode(&c); err != nil {
		return nil, fmt.Errorf("decoding: %w", err)
	}
	return &c, nil
}
