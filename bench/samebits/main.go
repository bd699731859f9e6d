// Command samebits compares the checkpoints of two run folders bit for bit:
// every parameter, the solver's state and the training position. It is how
// the README's claim "the same bits on every kernel path and every CPU" is
// checked on whole runs:
//
//	AEGRAPH_CPU=avx2 go run ./cmd/train -epochs 10 -out /tmp/a
//	AEGRAPH_CPU=generic go run ./cmd/train -epochs 10 -out /tmp/b
//	go run ./bench/samebits /tmp/a /tmp/b
//
// It prints what it compared and exits 1 at the first difference.
package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: samebits RUN_A RUN_B")
		os.Exit(2)
	}
	a, err := train.LoadCheckpoint(filepath.Join(os.Args[1], run.CheckpointFile))
	if err != nil {
		fail(2, err)
	}
	b, err := train.LoadCheckpoint(filepath.Join(os.Args[2], run.CheckpointFile))
	if err != nil {
		fail(2, err)
	}
	if a.Epoch != b.Epoch || a.Step != b.Step || a.Seed != b.Seed {
		fail(1, fmt.Errorf("positions differ: epoch %d step %d seed %d against epoch %d step %d seed %d", a.Epoch, a.Step, a.Seed, b.Epoch, b.Step, b.Seed))
	}
	if len(a.Params) != len(b.Params) {
		fail(1, fmt.Errorf("%d parameters against %d", len(a.Params), len(b.Params)))
	}
	values := 0
	for i, p := range a.Params {
		q := b.Params[i]
		if p.Name != q.Name || len(p.Data) != len(q.Data) {
			fail(1, fmt.Errorf("parameter %d: %s (%d values) against %s (%d values)", i, p.Name, len(p.Data), q.Name, len(q.Data)))
		}
		for j := range p.Data {
			if math.Float64bits(p.Data[j]) != math.Float64bits(q.Data[j]) {
				fail(1, fmt.Errorf("%s[%d]: %v against %v", p.Name, j, p.Data[j], q.Data[j]))
			}
		}
		values += len(p.Data)
	}
	slots := 0
	if a.Solver.Name != b.Solver.Name || a.Solver.T != b.Solver.T || len(a.Solver.Slots) != len(b.Solver.Slots) {
		fail(1, fmt.Errorf("solvers differ: %s at step %d against %s at step %d", a.Solver.Name, a.Solver.T, b.Solver.Name, b.Solver.T))
	}
	for k, slot := range a.Solver.Slots {
		for i, p := range slot {
			for j, v := range p {
				if math.Float64bits(v) != math.Float64bits(b.Solver.Slots[k][i][j]) {
					fail(1, fmt.Errorf("solver slot %d of parameter %d [%d]: %v against %v", k, i, j, v, b.Solver.Slots[k][i][j]))
				}
				slots++
			}
		}
	}
	fmt.Printf("same bits: %d parameters (%d values), %s solver state (%d values), epoch %d\n", len(a.Params), values, a.Solver.Name, slots, a.Epoch)
}

func fail(code int, err error) {
	fmt.Fprintln(os.Stderr, "samebits:", err)
	os.Exit(code)
}
