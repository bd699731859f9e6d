package main

// Hardening tests (issue #6): bad flags, bad data, damaged checkpoints,
// divergence and SIGKILL at any moment must lose nothing and never panic.
// docs/HARDENING.md lists the cases and the messages.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/internal/testhook"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// trainBinary builds the command once per test binary.
func trainBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "aegraph-train-bin")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "train")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// square28 is a net for these tests only that, like a convolutional net
// written for MNIST, takes only 28×28 images.
func init() {
	nets.Register(nets.Spec{Name: "test-square28", Doc: "test only: linear, 784 inputs only", Loss: "mse",
		New: func(c nets.Config) (graph.Net, error) {
			if graph.Size(c.Input) != 784 {
				return nil, fmt.Errorf("test-square28: takes 28×28 images (784 pixels), not %v", c.Input)
			}
			return nets.Linear{Dim: 784, Latent: c.Latent}, nil
		}})
}

// idxFiles writes the four IDX files of a synthetic data set to dir: nTrain
// and nTest images of rows×cols pixels, gzipped if gz.
func idxFiles(t *testing.T, dir string, nTrain, nTest, rows, cols int, gz bool) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, split := range []struct {
		stem string
		n    int
	}{{"train", nTrain}, {"t10k", nTest}} {
		images := binary.BigEndian.AppendUint32(nil, 0x803)
		for _, d := range []int{split.n, rows, cols} {
			images = binary.BigEndian.AppendUint32(images, uint32(d))
		}
		labels := binary.BigEndian.AppendUint32(nil, 0x801)
		labels = binary.BigEndian.AppendUint32(labels, uint32(split.n))
		for i := range split.n {
			for k := range rows * cols {
				// Blobs that move with i: learnable, not noise.
				if (k/cols-i%rows)*(k/cols-i%rows)+(k%cols-i%cols)*(k%cols-i%cols) < rows*cols/8 {
					images = append(images, 255)
				} else {
					images = append(images, uint8(i*7+k)%32)
				}
			}
			labels = append(labels, uint8(i%10))
		}
		writeIDX(t, dir, split.stem+"-images-idx3-ubyte", images, gz)
		writeIDX(t, dir, split.stem+"-labels-idx1-ubyte", labels, gz)
	}
}

func writeIDX(t *testing.T, dir, name string, b []byte, gz bool) {
	t.Helper()
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b, name = buf.Bytes(), name+".gz"
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkOneLine checks that stderr is a single "train: " line holding want
// and no panic trace.
func checkOneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(stderr, "\n")
	if !strings.HasPrefix(line, "train: ") || strings.Contains(line, "\n") {
		t.Errorf("stderr is not one line starting with \"train: \":\n%s", stderr)
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr %q does not mention %q", line, w)
		}
	}
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
		t.Errorf("panic trace: %s", stderr)
	}
}

// folderState maps every file in dir to its content.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	state := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		state[e.Name()] = string(b)
	}
	return state
}

// sameFolder checks that dir holds the files of before, unchanged, and no
// others, except for the names in ignore.
func sameFolder(t *testing.T, dir string, before map[string]string, ignore ...string) {
	t.Helper()
	sameFolderBut(t, dir, before, func(string) bool { return false }, ignore...)
}

// sameFolderBut is sameFolder that also passes over the files for which
// skip is true.
func sameFolderBut(t *testing.T, dir string, before map[string]string, skip func(name string) bool, ignore ...string) {
	t.Helper()
	after := folderState(t, dir)
	for name := range after {
		if skip(name) {
			delete(after, name)
		}
	}
	for name := range before {
		if skip(name) {
			delete(before, name)
		}
	}
	for _, name := range ignore {
		delete(before, name)
		delete(after, name)
	}
	for name, b := range before {
		if a, ok := after[name]; !ok {
			t.Errorf("%s was removed", name)
		} else if a != b {
			t.Errorf("%s changed", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s was created", name)
		}
	}
}

// metricsColumns returns the epoch, train_loss, test_loss and test_mse
// columns of metrics.csv (seconds differ from run to run).
func metricsColumns(t *testing.T, dir string) [][]string {
	t.Helper()
	var rows [][]string
	for _, r := range readMetrics(t, dir) {
		rows = append(rows, r[:4])
	}
	return rows
}

func sameMetrics(t *testing.T, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("metrics.csv has %d rows, want %d:\n%v\nwant\n%v", len(got), len(want), got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("metrics row %d: %v, want %v (as the uninterrupted run)", i, got[i], want[i])
		}
	}
}

// TestBadOut: a run folder that cannot be created or written is refused
// before any work, with status 2, and nothing is created. Tests run as root,
// for whom permissions do not stop a write, so the unwritable places are ones
// that refuse root too: a path under a regular file, /proc (no new files
// there), and a name longer than the file system allows.
func TestBadOut(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	cases := []struct {
		name, out string
		want      []string
	}{
		{"under a file", filepath.Join(file, "run"), []string{"-out " + filepath.Join(file, "run"), "not a directory"}},
		{"deep under a file", filepath.Join(file, "a", "b"), []string{"not a directory"}},
		{"name too long", filepath.Join(dir, strings.Repeat("n", 300)), []string{"file name too long"}},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct {
			name, out string
			want      []string
		}{"in /proc", "/proc/aegraph-test-run", []string{"-out /proc/aegraph-test-run: cannot write in /proc"}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := folderState(t, dir)
			code, _, stderr := runTrain(t, "-net", "linear", "-limit", "256", "-out", tc.out)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			checkOneLine(t, stderr, tc.want...)
			sameFolder(t, dir, before)
			if _, err := os.Stat(tc.out); err == nil {
				t.Errorf("%s was created", tc.out)
			}
		})
	}
}

// TestBadData: bad data folders give status 2 and a line naming the file and
// the problem, before training starts.
func TestBadData(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	mk := func(name string, edit func(dir string)) string {
		dir := filepath.Join(root, name)
		idxFiles(t, dir, 64, 16, 28, 28, true)
		edit(dir)
		return dir
	}
	truncated := mk("truncated", func(dir string) {
		p := filepath.Join(dir, "train-images-idx3-ubyte.gz")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, b[:len(b)/2], 0o644)
	})
	zero := mk("zero", func(dir string) {
		os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"), nil, 0o644)
	})
	magic := mk("magic", func(dir string) {
		b, _ := os.ReadFile(filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
		os.WriteFile(filepath.Join(dir, "train-images-idx3-ubyte.gz"), b, 0o644)
	})
	missing := mk("missing", func(dir string) {
		os.Remove(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"))
	})
	mismatch := mk("mismatch", func(dir string) {
		labels := binary.BigEndian.AppendUint32(nil, 0x801)
		labels = binary.BigEndian.AppendUint32(labels, 63)
		labels = append(labels, make([]byte, 63)...)
		os.Remove(filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
		writeIDX(t, dir, "train-labels-idx1-ubyte", labels, false)
	})
	billions := mk("billions", func(dir string) {
		images := binary.BigEndian.AppendUint32(nil, 0x803)
		for _, d := range []uint32{3_000_000_000, 28, 28} {
			images = binary.BigEndian.AppendUint32(images, d)
		}
		labels := binary.BigEndian.AppendUint32(nil, 0x801)
		labels = binary.BigEndian.AppendUint32(labels, 3_000_000_000)
		writeIDX(t, dir, "train-images-idx3-ubyte", append(images, make([]byte, 784)...), true)
		writeIDX(t, dir, "train-labels-idx1-ubyte", append(labels, 1), true)
	})
	sizes := mk("sizes", func(dir string) {
		small := filepath.Join(root, "small20")
		idxFiles(t, small, 64, 16, 20, 20, true)
		b, _ := os.ReadFile(filepath.Join(small, "t10k-images-idx3-ubyte.gz"))
		os.WriteFile(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), b, 0o644)
	})
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"missing folder", []string{"-data", filepath.Join(root, "nowhere")}, []string{"nowhere", "no such file or folder"}},
		{"missing file", []string{"-data", missing}, []string{"t10k-images-idx3-ubyte", "missing file"}},
		{"truncated gzip", []string{"-data", truncated}, []string{"train-images-idx3-ubyte.gz", "truncated or corrupt gzip"}},
		{"zero-length file", []string{"-data", zero}, []string{"t10k-labels-idx1-ubyte.gz", "empty file"}},
		{"wrong magic", []string{"-data", magic}, []string{"train-images-idx3-ubyte.gz", "unexpected magic"}},
		{"count mismatch", []string{"-data", mismatch}, []string{"train-labels-idx1-ubyte", "64 images", "63 labels"}},
		{"billions of images", []string{"-data", billions}, []string{"train-labels-idx1-ubyte", "truncated payload"}},
		{"train and test sizes differ", []string{"-data", sizes}, []string{"t10k-images-idx3-ubyte.gz", "28×28", "20×20"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runTrain(t, append([]string{"-net", "linear", "-batch", "16", "-out", out}, tc.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			checkOneLine(t, stderr, append(tc.want, "loading data")...)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a rejected run created %s", out)
			}
		})
	}
}

// TestOtherImageSize: 20×20 images train a dense net (Dim 400), and a net
// that takes only 28×28 images refuses them with a line naming the data.
func TestOtherImageSize(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data20")
	idxFiles(t, data, 256, 64, 20, 20, true)
	out := filepath.Join(root, "mlp")
	code, stdout, stderr := runTrain(t, "-data", data, "-net", "mlp", "-hidden", "64", "-latent", "8", "-batch", "32", "-epochs", "2", "-out", out)
	if code != exitOK {
		t.Fatalf("mlp on 20×20: exit %d: %s", code, stderr)
	}
	var c run.Config
	b, _ := os.ReadFile(filepath.Join(out, run.ConfigFile))
	if err := json.Unmarshal(b, &c); err != nil || !slices.Equal(c.Arch.Input, []int{1, 20, 20}) {
		t.Errorf("config.json: input %v (%v), want [1 20 20]", c.Arch.Input, err)
	}
	if rows := readMetrics(t, out); len(rows) != 3 {
		t.Errorf("%d metric rows, want 3\n%s", len(rows), stdout)
	}

	rejected := filepath.Join(root, "rejected")
	code, _, stderr = runTrain(t, "-data", data, "-net", "test-square28", "-out", rejected)
	if code != exitUsage {
		t.Errorf("28×28-only net on 20×20: exit %d, want %d: %s", code, exitUsage, stderr)
	}
	checkOneLine(t, stderr, "-net test-square28", "1×20×20", data, "784")
	if _, err := nets.Lookup("conv"); err == nil {
		// conv takes images whose sides are multiples of 4: 20×20 is
		// fine, 18×18 is not, nor 16×49.
		data18 := filepath.Join(root, "data18")
		idxFiles(t, data18, 64, 16, 18, 18, false)
		code, _, stderr = runTrain(t, "-data", data18, "-net", "conv", "-batch", "16", "-out", rejected)
		if code != exitUsage {
			t.Errorf("conv on 18×18: exit %d, want %d: %s", code, exitUsage, stderr)
		}
		checkOneLine(t, stderr, "-net conv", "18×18", data18)
		data1649 := filepath.Join(root, "data1649")
		idxFiles(t, data1649, 64, 16, 16, 49, false)
		code, _, stderr = runTrain(t, "-data", data1649, "-net", "conv", "-batch", "16", "-out", rejected)
		if code != exitUsage {
			t.Errorf("conv on 16×49: exit %d, want %d: %s", code, exitUsage, stderr)
		}
		checkOneLine(t, stderr, "-net conv", "16×49", "multiples of 4", data1649)
	}
	if _, err := os.Stat(rejected); err == nil {
		t.Errorf("a rejected run created %s", rejected)
	}

	// The data of a run changing under it is caught on -resume.
	run28 := filepath.Join(root, "data28")
	idxFiles(t, run28, 64, 16, 28, 28, false)
	out28 := filepath.Join(root, "run28")
	if code, _, e := runTrain(t, "-data", run28, "-net", "linear", "-batch", "16", "-epochs", "1", "-out", out28); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	idxFiles(t, run28, 64, 16, 20, 20, false)
	before := folderState(t, out28)
	code, _, stderr = runTrain(t, "-resume", out28, "-epochs", "2")
	if code != exitUsage {
		t.Errorf("resume on changed data: exit %d, want %d: %s", code, exitUsage, stderr)
	}
	checkOneLine(t, stderr, "-resume "+out28, "784 values", "[1 20 20]")
	sameFolder(t, out28, before)
}

// TestResumeDamagedCheckpoint: -resume of a damaged checkpoint, or of one
// that does not fit its net, exits 2 with one line and changes nothing.
func TestResumeDamagedCheckpoint(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	idxFiles(t, data, 64, 16, 28, 28, false)
	good := filepath.Join(root, "good")
	if code, _, e := runTrain(t, "-data", data, "-net", "linear", "-batch", "16", "-epochs", "1", "-out", good); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	other := filepath.Join(root, "other")
	if code, _, e := runTrain(t, "-data", data, "-net", "mlp", "-hidden", "16", "-latent", "4", "-batch", "16", "-epochs", "1", "-out", other); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	small := filepath.Join(root, "small")
	if code, _, e := runTrain(t, "-data", data, "-net", "linear", "-latent", "4", "-batch", "16", "-epochs", "1", "-out", small); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	goodBytes, err := os.ReadFile(filepath.Join(good, run.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	const headerSize = 8 + 4 + 8 + 32
	// transplant puts the weights and solver state of the run in from into
	// the good checkpoint, keeping its configuration: a checksum-valid
	// checkpoint from another net or code size.
	transplant := func(from string) []byte {
		a, err := train.LoadCheckpoint(filepath.Join(good, run.CheckpointFile))
		if err != nil {
			t.Fatal(err)
		}
		b, err := train.LoadCheckpoint(filepath.Join(from, run.CheckpointFile))
		if err != nil {
			t.Fatal(err)
		}
		a.Params, a.Order, a.Solver = b.Params, b.Order, b.Solver
		p := filepath.Join(t.TempDir(), "ck")
		if err := a.Save(p); err != nil {
			t.Fatal(err)
		}
		out, _ := os.ReadFile(p)
		return out
	}
	for _, tc := range []struct {
		name   string
		damage func(b []byte) []byte
		want   []string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, []string{"truncated"}},
		{"zero length", func(b []byte) []byte { return nil }, []string{"truncated header"}},
		{"bit flip", func(b []byte) []byte { b[headerSize+len(b[headerSize:])/3] ^= 0x04; return b }, []string{"checksum mismatch"}},
		{"newer format", func(b []byte) []byte { binary.LittleEndian.PutUint32(b[8:], 99); return b }, []string{"format version 99 is newer"}},
		{"not a checkpoint", func(b []byte) []byte { return []byte("PNG\x00 this is some other file, long enough for a header") }, []string{"not an aegraph checkpoint"}},
		{"another net", func([]byte) []byte { return transplant(other) }, []string{"-resume " + filepath.Join(root, "damaged"), "parameters"}},
		{"another code size", func([]byte) []byte { return transplant(small) }, []string{"parameter code", "[784 4]", "[784 32]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(root, "damaged")
			os.RemoveAll(dir)
			os.Mkdir(dir, 0o755)
			for name, content := range folderState(t, good) {
				os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
			}
			os.WriteFile(filepath.Join(dir, run.CheckpointFile), tc.damage(bytes.Clone(goodBytes)), 0o644)
			before := folderState(t, dir)
			code, _, stderr := runTrain(t, "-resume", dir, "-epochs", "2")
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			checkOneLine(t, stderr, tc.want...)
			if !strings.Contains(stderr, dir) {
				t.Errorf("stderr %q does not name %s", stderr, dir)
			}
			sameFolder(t, dir, before)
		})
	}
}

// TestDivergence: a NaN or infinite loss stops the run with a line naming
// the epoch and step and exit status 1, and the checkpoint of the last good
// epoch stays byte for byte as it was, and loads.
func TestDivergence(t *testing.T) {
	root := t.TempDir()
	common := []string{"-net", "linear", "-solver", "sgd", "-limit", "512", "-batch", "64", "-seed", "1"}

	// In the first epoch: the initial checkpoint is kept.
	first := filepath.Join(root, "first")
	code, _, stderr := runTrain(t, append(common, "-lr", "1e3", "-epochs", "2", "-out", first)...)
	if code != exitFailed {
		t.Fatalf("-lr 1e3: exit %d, want %d: %s", code, exitFailed, stderr)
	}
	checkOneLine(t, stderr, "epoch 1, step ", "training diverged", "the last good checkpoint (the initial weights) is kept in "+first)
	if c, err := train.LoadCheckpoint(filepath.Join(first, run.CheckpointFile)); err != nil || c.Epoch != 0 || c.Step != 0 {
		t.Errorf("checkpoint after divergence in epoch 1: %v", err)
	}

	// In a later epoch. With sgd on the linear net, a learning rate near 12
	// survives epoch 1 of these 512 MNIST images and diverges in epoch 2;
	// the exact edge depends on rounding, so try a few.
	msg := regexp.MustCompile(`^train: epoch 2(, step \d+)?: the (loss|mean train loss|test loss|test MSE) is (NaN|[+-]Inf): training diverged \(try a smaller -lr\); the last good checkpoint \(end of epoch 1\) is kept in \S+\n$`)
	for _, lr := range []string{"12", "11", "13", "10", "14", "9", "15", "8"} {
		out := filepath.Join(root, "lr"+lr)
		if code, _, _ := runTrain(t, append(common, "-lr", lr, "-epochs", "1", "-out", out)...); code != exitOK {
			continue // diverged in epoch 1
		}
		ck := filepath.Join(out, run.CheckpointFile)
		before := folderState(t, out)
		code, _, stderr := runTrain(t, "-resume", out, "-epochs", "2")
		if code == exitOK {
			continue // did not diverge
		}
		t.Logf("-lr %s: %s", lr, strings.TrimSpace(stderr))
		if code != exitFailed {
			t.Errorf("exit %d, want %d", code, exitFailed)
		}
		if !msg.MatchString(stderr) {
			t.Errorf("stderr %q does not match %v", stderr, msg)
		}
		// The checkpoint, metrics and pictures of epoch 1 are untouched
		// (config.json holds the new -epochs).
		sameFolder(t, out, before, run.ConfigFile)
		c, err := train.LoadCheckpoint(ck)
		if err != nil {
			t.Fatal(err)
		}
		if c.Epoch != 1 || c.Step != 0 {
			t.Errorf("checkpoint at epoch %d step %d, want the end of epoch 1", c.Epoch, c.Step)
		}
		return
	}
	t.Fatal("no learning rate survived epoch 1 and diverged in epoch 2")
}

// startTrain starts the binary with args and extra environment; lines of its
// stderr are sent to the returned channel, which is closed at EOF.
func startTrain(t *testing.T, env []string, args ...string) (*exec.Cmd, <-chan string, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(trainBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, pipe)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, lines, &stdout
}

// kill9 sends SIGKILL and waits for the process to end.
func kill9(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("process ended with %v, not by SIGKILL", err)
	}
}

// TestKillMidWrite kills the program (SIGKILL) while it writes a checkpoint,
// after the new file is written and before it replaces the old one (the test
// hook AEGRAPH_TEST_HANG_WRITE=checkpoint.aeg:N stops it there): the old
// checkpoint stays, loads, and -resume ends with the metrics of an
// uninterrupted run.
func TestKillMidWrite(t *testing.T) {
	trainBinary(t)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	idxFiles(t, data, 256, 64, 28, 28, true)
	args := func(out string) []string {
		return []string{"-data", data, "-net", "denoising", "-hidden", "32", "-latent", "8", "-batch", "32", "-epochs", "3", "-seed", "5", "-out", out}
	}
	ref := filepath.Join(root, "ref")
	if code, _, e := runTrain(t, args(ref)...); code != exitOK {
		t.Fatalf("reference run: exit %d: %s", code, e)
	}
	want := metricsColumns(t, ref)

	// Writes of checkpoint.aeg: 1 the initial state, 2 the end of epoch 1,
	// 3 the end of epoch 2.
	for _, write := range []int{1, 3} {
		t.Run(fmt.Sprintf("write %d", write), func(t *testing.T) {
			out := filepath.Join(root, fmt.Sprintf("killed%d", write))
			cmd, lines, _ := startTrain(t, []string{fmt.Sprintf("%s=%s:%d", testhook.HangWriteEnv, run.CheckpointFile, write)}, args(out)...)
			timeout := time.After(2 * time.Minute)
		wait:
			for {
				select {
				case line, ok := <-lines:
					if !ok {
						cmd.Wait()
						t.Fatal("the program ended without reaching the hook")
					}
					if strings.HasPrefix(line, testhook.HangWriteMarker) {
						break wait
					}
				case <-timeout:
					t.Fatal("the hook was not reached in 2 minutes")
				}
			}
			kill9(t, cmd)
			temps, _ := filepath.Glob(filepath.Join(out, "."+run.CheckpointFile+".tmp*"))
			if len(temps) != 1 {
				t.Errorf("temporary checkpoint files after the kill: %v, want one", temps)
			}
			ck := filepath.Join(out, run.CheckpointFile)
			if write == 1 {
				// Killed before the first checkpoint existed: -resume says
				// so, and the same command starts the run again.
				code, _, stderr := runTrain(t, "-resume", out)
				if code != exitUsage {
					t.Errorf("-resume: exit %d, want %d", code, exitUsage)
				}
				checkOneLine(t, stderr, "no checkpoint")
				if code, _, e := runTrain(t, args(out)...); code != exitOK {
					t.Fatalf("rerun: exit %d: %s", code, e)
				}
			} else {
				c, err := train.LoadCheckpoint(ck)
				if err != nil {
					t.Fatalf("the old checkpoint does not load: %v", err)
				}
				if c.Epoch != write-2 || c.Step != 0 {
					t.Errorf("checkpoint at epoch %d step %d, want the end of epoch %d", c.Epoch, c.Step, write-2)
				}
				if code, _, e := runTrain(t, "-resume", out); code != exitOK {
					t.Fatalf("resume: exit %d: %s", code, e)
				}
			}
			sameMetrics(t, metricsColumns(t, out), want)
			if temps, _ := filepath.Glob(filepath.Join(out, ".*.tmp*")); len(temps) != 0 {
				t.Errorf("temporary files left after the resumed run: %v", temps)
			}
		})
	}
}

// TestKillAnyMoment kills the program (SIGKILL) again and again at various
// moments — loading, mid-epoch, evaluating, writing — and resumes it each
// time: every kill leaves a checkpoint that loads and is at most one epoch
// behind, and the run ends with the metrics of an uninterrupted one.
func TestKillAnyMoment(t *testing.T) {
	trainBinary(t)
	root := t.TempDir()
	data := filepath.Join(root, "data")
	idxFiles(t, data, 2048, 256, 28, 28, true)
	args := func(out string) []string {
		return []string{"-data", data, "-net", "denoising", "-hidden", "64", "-latent", "8", "-batch", "16", "-epochs", "4", "-seed", "9", "-out", out}
	}
	ref := filepath.Join(root, "ref")
	start := time.Now()
	if code, _, e := runTrain(t, args(ref)...); code != exitOK {
		t.Fatalf("reference run: exit %d: %s", code, e)
	}
	total := time.Since(start)
	want := metricsColumns(t, ref)

	out := filepath.Join(root, "killed")
	ck := filepath.Join(out, run.CheckpointFile)
	// Kill after these fractions of the uninterrupted run's time, measured
	// from each (re)start; progress is made because resuming is cheap.
	kills, epochs := 0, -1
	for _, frac := range []float64{0.05, 0.3, 0.45, 0.2, 0.6, 0.35, 0.5, 0.25} {
		var cmd *exec.Cmd
		if _, err := os.Stat(ck); err == nil {
			cmd, _, _ = startTrain(t, nil, "-resume", out)
		} else {
			cmd, _, _ = startTrain(t, nil, args(out)...)
		}
		time.Sleep(time.Duration(frac * float64(total)))
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGKILL)
		}
		if err := cmd.Wait(); err == nil {
			break // finished before the kill
		}
		kills++
		c, err := train.LoadCheckpoint(ck)
		if errors.Is(err, fs.ErrNotExist) && epochs < 0 {
			continue // killed before the first checkpoint
		}
		if err != nil {
			t.Fatalf("after kill %d: %v", kills, err)
		}
		if c.Step != 0 || c.Epoch < epochs {
			t.Errorf("after kill %d: checkpoint at epoch %d step %d, after one at epoch %d", kills, c.Epoch, c.Step, epochs)
		}
		epochs = c.Epoch
		t.Logf("kill %d, %v after the start: checkpoint at the end of epoch %d", kills, time.Duration(frac*float64(total)).Round(time.Millisecond), c.Epoch)
		if rows := len(readMetricsIfAny(t, out)); rows > 0 && rows-1 > c.Epoch {
			t.Errorf("after kill %d: metrics.csv has %d epochs, the checkpoint %d", kills, rows-1, c.Epoch)
		}
	}
	t.Logf("%d kills (uninterrupted run %v)", kills, total.Round(time.Millisecond))
	if _, err := os.Stat(ck); err == nil {
		if code, _, e := runTrain(t, "-resume", out); code != exitOK {
			t.Fatalf("final resume: exit %d: %s", code, e)
		}
	} else if code, _, e := runTrain(t, args(out)...); code != exitOK {
		t.Fatalf("final run: exit %d: %s", code, e)
	}
	sameMetrics(t, metricsColumns(t, out), want)
}

func readMetricsIfAny(t *testing.T, dir string) [][]string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, run.MetricsFile)); err != nil {
		return nil
	}
	return readMetrics(t, dir)
}

// TestBadFlagsMore: flags beyond those of TestBadInput, among them sizes
// that would crash the program out of memory.
func TestBadFlagsMore(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	idxFiles(t, data, 64, 16, 28, 28, false)
	out := filepath.Join(root, "out")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-latent", "2000000000"}, []string{"-latent 2000000000: want ≤ 1048576"}},
		{[]string{"-hidden", "100000,100000"}, []string{"-hidden 100000,100000 with latent 32", "parameters, more than the limit"}},
		{[]string{"-net", "linear", "-batch", "64", "-latent", "100000"}, []string{"-batch 64 × latent 100000 × 784 values"}},
		{[]string{"-latent", "-5"}, []string{"-latent -5: want ≥ 1"}},
		{[]string{"-batch", "0"}, []string{"-batch 0: want ≥ 1"}},
		{[]string{"-epochs", "-1"}, []string{"-epochs -1: want ≥ 1"}},
		{[]string{"-batch", "65"}, []string{"-batch 65 is larger than the 64 training samples"}},
		{[]string{"-lr", "-1"}, []string{"-lr -1: want a finite number > 0"}},
		{[]string{"-lr", "-Inf"}, []string{"-lr -Inf"}},
		{[]string{"-net", "sparse", "-l1", "NaN"}, []string{"-l1 NaN: want a finite number"}},
		{[]string{"-net", "sparse", "-l1", "-1"}, []string{"-l1 -1: want ≥ 0"}},
		{[]string{"-net", "denoising", "-noise-level", "Inf"}, []string{"-noise-level +Inf: want a finite number"}},
		{[]string{"-net", "denoising", "-noise-level", "1"}, []string{"masking probability 1"}},
		{[]string{"-net", "denoising", "-noise", "salt"}, []string{"-noise salt: want mask or gaussian"}},
		{[]string{"-resume", filepath.Join(root, "nowhere")}, []string{"not a run folder"}},
		{[]string{"-resume", filepath.Join(data, "t10k-labels-idx1-ubyte")}, []string{"not a directory"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"-data", data, "-batch", "16", "-out", out}, tc.args...)
			if tc.args[0] == "-resume" {
				args = tc.args
			}
			code, _, stderr := runTrain(t, args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			checkOneLine(t, stderr, tc.want...)
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a rejected run created %s", out)
			}
		})
	}
}
