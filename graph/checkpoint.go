package graph

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
)

// Checkpoint is everything needed to continue a training run exactly: the
// caller's configuration, every weight, the solver's state, the position in
// the run and the state of the noise RNG.
type Checkpoint struct {
	Config []byte // the run's configuration, as the caller encoded it (JSON)

	Params  []NamedTensor
	Solver  SolverState
	Order   []string // parameter names in the solver's order
	Batch   int
	Seed    uint64
	Epoch   int
	Step    int
	LossSum float64
	Noise   []byte // the noise PCG's state
}

// NamedTensor is one parameter: values row-major in Shape.
type NamedTensor struct {
	Name  string
	Shape []int
	Data  []float64
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
// configuration.
func (t *Trainer) Checkpoint(config []byte) (*Checkpoint, error) {
	noise, err := t.noise.MarshalBinary()
	if err != nil {
		return nil, err
	}
	c := &Checkpoint{
		Config: config, Solver: t.Solver.State(), Batch: t.Batch, Seed: t.Seed,
		Epoch: t.Epoch, Step: t.Step, LossSum: t.LossSum, Noise: noise,
	}
	p := t.Model.Params
	for _, name := range p.Names() {
		c.Params = append(c.Params, NamedTensor{Name: name, Shape: slices.Clone([]int(p.Get(name).Shape())), Data: toFloat64(p.Get(name).Data())})
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
	if err := t.Model.checkParams(c.Params); err != nil {
		return err
	}
	if c.Batch != t.Batch {
		return fmt.Errorf("checkpoint was trained with batch size %d, not %d", c.Batch, t.Batch)
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
	t.Seed, t.Epoch, t.Step, t.LossSum = c.Seed, c.Epoch, c.Step, c.LossSum
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

// SetParams copies values into the model's parameters (into the existing
// tensors, which every graph shares). Names and shapes must match exactly;
// on a mismatch nothing is changed.
func (m *Model) SetParams(params []NamedTensor) error {
	if err := m.checkParams(params); err != nil {
		return err
	}
	p := m.Params
	for _, nt := range params {
		switch d := p.Get(nt.Name).Data().(type) {
		case []float32:
			for i, v := range nt.Data {
				d[i] = float32(v)
			}
		case []float64:
			copy(d, nt.Data)
		}
	}
	return nil
}

// checkParams reports an error unless params have exactly the model's
// parameter names, in order, and shapes.
func (m *Model) checkParams(params []NamedTensor) error {
	p := m.Params
	names := make([]string, len(params))
	for i, nt := range params {
		names[i] = nt.Name
	}
	if !slices.Equal(names, p.Names()) {
		return fmt.Errorf("checkpoint holds parameters %v, but this net has %v (another net or configuration?)", names, p.Names())
	}
	for _, nt := range params {
		want := []int(p.Get(nt.Name).Shape())
		if !slices.Equal(nt.Shape, want) {
			return fmt.Errorf("parameter %s: checkpoint shape %v, this net has %v (another -latent or hidden size?)", nt.Name, nt.Shape, want)
		}
		if len(nt.Data) != p.Get(nt.Name).Shape().TotalSize() {
			return fmt.Errorf("parameter %s: checkpoint has %d values for shape %v", nt.Name, len(nt.Data), nt.Shape)
		}
	}
	return nil
}

func toFloat64(data any) []float64 {
	switch d := data.(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, v := range d {
			out[i] = float64(v)
		}
		return out
	case []float64:
		return slices.Clone(d)
	}
	panic(fmt.Sprintf("graph: unsupported tensor data %T", data))
}

// Save writes the checkpoint to path atomically: to a temporary file in the
// same folder, synced, then renamed over path. A crash at any moment leaves
// either the old file or the new one, never a mix.
//
// The payload is encoded straight into the file (through a buffer, the
// checksum and a byte count) and the header written last, so saving holds no
// second copy of the weights in memory.
func (c *Checkpoint) Save(path string) error {
	return writeAtomic(path, func(f *os.File) error {
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

// BeforeRename, when set, is called by WriteFileAtomic once the temporary
// file tmp is written, synced and closed, just before it is renamed over
// path. It is a test hook: cmd/train sets it (only when the environment
// variable AEGRAPH_TEST_HANG_CHECKPOINT_WRITE is set) so that a test can kill
// the process in the middle of a checkpoint write. Leave it nil otherwise.
var BeforeRename func(tmp, path string)

// WriteFileAtomic writes the concatenated parts to path through a temporary
// file and a rename, so that path always holds either its old content or the
// whole new one.
func WriteFileAtomic(path string, parts ...[]byte) error {
	return writeAtomic(path, func(f *os.File) error {
		for _, p := range parts {
			if _, err := f.Write(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeAtomic lets write fill a temporary file beside path, syncs it and
// renames it over path.
func writeAtomic(path string, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = write(f); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if BeforeRename != nil {
		BeforeRename(f.Name(), path)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
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
