package nets_test

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/nets"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/steps.golden from this machine's generic path")

// goldenSteps records, per net, the hash of its state after trainSteps
// steps (stepDigest). It was written on amd64 by `go test ./nets -run
// TestStepsEveryPath -update`; every CPU and every path must reproduce it,
// which is what "a seed gives the same bits on every machine" means. A
// change that moves the canonical arithmetic on purpose rewrites it, and
// says so.
const goldenSteps = "testdata/steps.golden"

// trainSteps is 2 epochs of 2 batches of 64 MNIST images: both kinds of
// step (the first, with the solver's state still zero, and later ones), a
// sparse input (the sparse matrix product) and, for the vae, the noise.
const trainSteps = 2

// stepDigest trains spec's net for trainSteps epochs of 128 images from a
// fixed seed and hashes every bit of the result: parameters, solver state,
// the losses of each epoch.
func stepDigest(t *testing.T, spec nets.Spec) string {
	t.Helper()
	data := loadMNIST(t).Train.Head(2 * trainBatch)
	tr := newTrainer(t, spec, defaults(spec), 1, 1)
	h := sha256.New()
	for range trainSteps {
		l, err := tr.RunEpoch(context.Background(), data, nil)
		if err != nil {
			t.Fatal(err)
		}
		binary.Write(h, binary.LittleEndian, math.Float64bits(l))
	}
	c, err := tr.Checkpoint(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Params {
		fmt.Fprintf(h, "%s %v ", p.Name, p.Shape)
		for _, v := range p.Data {
			binary.Write(h, binary.LittleEndian, math.Float64bits(v))
		}
	}
	fmt.Fprintf(h, "%s %d ", c.Solver.Name, c.Solver.T)
	for _, slot := range c.Solver.Slots {
		for _, p := range slot {
			for _, v := range p {
				binary.Write(h, binary.LittleEndian, math.Float64bits(v))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// TestStepsEveryPath: every net's training steps give the same bits on
// every kernel path this CPU has (generic, avx2, avx512 on amd64; generic,
// neon on arm64) and the bits recorded in testdata/steps.golden, so the
// same holds across CPUs and architectures (CI runs this test on arm64
// under qemu too).
func TestStepsEveryPath(t *testing.T) {
	golden := readGolden(t)
	got := map[string]string{}
	var notRun []isa.Path
	for _, spec := range nets.All() {
		t.Run(spec.Name, func(t *testing.T) {
			notRun = isa.Each(func(p isa.Path) {
				d := stepDigest(t, spec)
				if p == isa.Generic {
					got[spec.Name] = d
					return
				}
				if d != got[spec.Name] {
					t.Errorf("on the %s path: state %s, generic path %s", p, d, got[spec.Name])
				}
			})
			if *updateGolden {
				return
			}
			switch want, ok := golden[spec.Name]; {
			case !ok:
				t.Errorf("no recorded state in %s (go test ./nets -run TestStepsEveryPath -update)", goldenSteps)
			case got[spec.Name] != want:
				t.Errorf("on %s: state %s, recorded %s: the arithmetic differs from the recording machine's", runtime.GOARCH, got[spec.Name], want)
			}
		})
	}
	if len(notRun) > 0 {
		t.Logf("paths not run (this %s CPU lacks them): %v", runtime.GOARCH, notRun)
	}
	if *updateGolden && !t.Failed() {
		writeGolden(t, got)
	}
}

func readGolden(t *testing.T) map[string]string {
	f, err := os.Open(goldenSteps)
	if os.IsNotExist(err) && *updateGolden {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, digest, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s: bad line %q", goldenSteps, line)
		}
		m[name] = strings.TrimSpace(digest)
	}
	return m
}

func writeGolden(t *testing.T, got map[string]string) {
	var b strings.Builder
	fmt.Fprintf(&b, "# net, then the digest of its state after %d epochs of 128 MNIST images (TestStepsEveryPath)\n", trainSteps)
	for _, spec := range nets.All() {
		fmt.Fprintf(&b, "%s %s\n", spec.Name, got[spec.Name])
	}
	if err := os.WriteFile(goldenSteps, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
