// Command lockstep records a training run of one of our nets so that
// bench/torch_lockstep.py can replay it in PyTorch from the same start: the
// same initial weights, the same batches in the same order and the same noise
// (a VAE's ε). If both frameworks compute the same thing, their step losses
// agree to float32 rounding until the rounding differences, amplified by
// training, make the two runs drift apart; a bug shows at the first steps.
//
//	go run ./bench/lockstep -net vae -epochs 10 -out /tmp/ls
//	OMP_WAIT_POLICY=passive /usr/bin/python3 bench/torch_lockstep.py /tmp/ls
//
// The run is cmd/train's with Adam at a constant rate of 1e-3 and no weight
// decay, and the net's own batch size, loss and sizes; on all training images
// unless -limit N keeps the first N; -batch N changes the batch size.
// The folder receives, all little-endian:
//
//	lockstep.json  the settings, parameter names and shapes, noise shapes,
//	               and our own test figures
//	init.f32       the initial parameters, concatenated in declaration order
//	               (a dense weight is (in, out), PyTorch's is (out, in))
//	final.f32      the trained parameters, likewise
//	perm.i32       the image order of every epoch, epochs × images
//	noise.f32      every step's noise inputs, steps × (their sizes)
//	loss.f64       every step's loss
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

// Manifest is lockstep.json.
type Manifest struct {
	Net           string      `json:"net"`
	Loss          string      `json:"loss"`
	Seed          uint64      `json:"seed"`
	Epochs        int         `json:"epochs"`
	Batch         int         `json:"batch"`
	LR            float64     `json:"lr"`
	Train         int         `json:"train"`
	StepsPerEpoch int         `json:"steps_per_epoch"`
	Params        []Tensor    `json:"params"`
	Noise         []Tensor    `json:"noise"`
	EpochLoss     []float64   `json:"epoch_loss"`
	Ours          graph.Eval  `json:"ours_test"`         // z = μ for a vae
	OursSampled   *graph.Eval `json:"ours_test_sampled"` // nets with noise inputs: z sampled
}

// Tensor names a parameter or noise input and gives its shape.
type Tensor struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

func main() {
	if err := record(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "lockstep:", err)
		os.Exit(1)
	}
}

func record(args []string) error {
	fs := flag.NewFlagSet("lockstep", flag.ContinueOnError)
	net := fs.String("net", "vae", "architecture (conv, deep, linear, mlp, vae)")
	epochs := fs.Int("epochs", 1, "epochs to train")
	seed := fs.Uint64("seed", 1, "seed of initialisation, shuffling and noise")
	data := fs.String("data", "", "folder with the MNIST IDX files (default: GoMNIST's)")
	limit := fs.Int("limit", 0, "train on the first N training images only (0: all)")
	batch := fs.Int("batch", 0, "batch size (default: the net's, as cmd/train's)")
	out := fs.String("out", "", "folder to write the record to (created; must not hold a record)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || *epochs < 1 || *limit < 0 || *batch < 0 || fs.NArg() > 0 {
		return errors.New("usage: lockstep -out DIR [-net NAME] [-epochs N ≥ 1] [-seed N] [-data DIR] [-limit N ≥ 0] [-batch N ≥ 1]")
	}
	if _, err := os.Stat(filepath.Join(*out, "lockstep.json")); err == nil {
		return fmt.Errorf("%s already holds a record: give a new -out", *out)
	}
	c, err := run.Defaults(*net)
	if err != nil {
		return err
	}
	// cmd/train's run at a constant rate of 1e-3, Adam without weight decay.
	c.Train.Solver, c.Train.LR, c.Train.Schedule, c.Train.WeightDecay = "adam", 1e-3, "constant", 0
	c.Train.Seed, c.Train.Epochs, c.Data.Path, c.Data.Limit = *seed, *epochs, *data, *limit
	if *batch > 0 {
		c.Train.Batch = *batch
	}
	mnist, err := c.LoadData()
	if err != nil {
		return err
	}
	tr, err := c.Build(mnist)
	if err != nil {
		return err
	}
	model := tr.Model
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	m := Manifest{Net: *net, Loss: c.Loss, Seed: *seed, Epochs: *epochs, Batch: c.Train.Batch, LR: c.Train.LR,
		Train: mnist.Train.Len(), StepsPerEpoch: tr.StepsPerEpoch(mnist.Train.Len())}
	for _, name := range model.Params.Names() {
		m.Params = append(m.Params, Tensor{name, model.Params.Get(name).Shape()})
	}
	if err := writeParams(filepath.Join(*out, "init.f32"), model.Params); err != nil {
		return err
	}

	var perm []int32
	for e := range *epochs {
		for _, i := range train.Perm(mnist.Train.Len(), *seed, e) {
			perm = append(perm, int32(i))
		}
	}
	if err := writeFile(filepath.Join(*out, "perm.i32"), perm); err != nil {
		return err
	}

	noiseFile, err := os.Create(filepath.Join(*out, "noise.f32"))
	if err != nil {
		return err
	}
	defer noiseFile.Close()
	noise := bufio.NewWriter(noiseFile)
	var writeErr error
	tr.Watch = func(_ []float32, bufs [][]float32) {
		if m.Noise == nil {
			m.Noise = []Tensor{}
			for i, n := range bufs {
				m.Noise = append(m.Noise, Tensor{fmt.Sprintf("noise%d", i), []int{c.Train.Batch, len(n) / c.Train.Batch}})
			}
		}
		for _, n := range bufs {
			if writeErr == nil {
				writeErr = binary.Write(noise, binary.LittleEndian, n)
			}
		}
	}
	var losses []float64
	for e := range *epochs {
		prev := 0.0
		mean, err := tr.RunEpoch(context.Background(), mnist.Train, func(step, steps int, _ float64) {
			losses = append(losses, tr.LossSum-prev)
			prev = tr.LossSum
		})
		if err != nil {
			return err
		}
		if writeErr != nil {
			return fmt.Errorf("writing the noise: %w", writeErr)
		}
		m.EpochLoss = append(m.EpochLoss, mean)
		fmt.Fprintf(os.Stderr, "epoch %d: train loss %.6g\n", e+1, mean)
	}
	if err := noise.Flush(); err != nil {
		return fmt.Errorf("writing the noise: %w", err)
	}
	if err := noiseFile.Close(); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(*out, "loss.f64"), losses); err != nil {
		return err
	}
	if err := writeParams(filepath.Join(*out, "final.f32"), model.Params); err != nil {
		return err
	}
	if m.Ours, err = model.Evaluate(mnist.Test, 1000); err != nil {
		return err
	}
	if len(m.Noise) > 0 {
		ev, err := model.EvaluateSampled(mnist.Test, 1000, *seed)
		if err != nil {
			return err
		}
		m.OursSampled = &ev
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(*out, "lockstep.json"), append(js, '\n'), 0o644)
}

func writeParams(path string, p *graph.Params) error {
	var all []float32
	for _, name := range p.Names() {
		all = append(all, p.Get(name).Float32s()...)
	}
	return writeFile(path, all)
}

func writeFile[T int32 | float32 | float64](path string, v []T) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, v); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
