package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aegraph/aegraph/internal/testhook"
	"github.com/aegraph/aegraph/run"
	"github.com/aegraph/aegraph/train"
)

// Weights that stop being finite while the loss stays finite make no
// checkpoint: the run stops, says so, and the last good checkpoint stays.
// The case is made by a hook (a weight set to +Inf at the end of epoch 1),
// not by a learning rate that happens to diverge that way on one CPU.
func TestNaNWeightsNotSaved(t *testing.T) {
	testhook.AfterEpoch = func(epoch int, params [][]float32) {
		if epoch == 1 {
			params[0][0] = float32(math.Inf(1))
		}
	}
	defer func() { testhook.AfterEpoch = nil }()
	out := filepath.Join(t.TempDir(), "run")
	code, _, stderr := runTrain(t, "-net", "mlp", "-limit", "2000", "-epochs", "2", "-out", out)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d: %s", code, exitFailed, stderr)
	}
	checkOneLine(t, stderr, "are not finite: training diverged (try a smaller -lr)", "the last good checkpoint (the initial weights) is kept")
	ck, err := train.LoadCheckpoint(filepath.Join(out, run.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	if ck.Epoch != 0 || ck.Step != 0 {
		t.Errorf("the checkpoint is at epoch %d step %d, want the initial one", ck.Epoch, ck.Step)
	}
	for _, p := range ck.Params {
		for _, v := range p.Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("the kept checkpoint holds %v in %s", v, p.Name)
			}
		}
	}
}

// A closed stdout (train … | head -1) costs nothing: the run trains every
// epoch, saves each, and ends normally.
func TestClosedStdout(t *testing.T) {
	out := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(trainBinary(t), "-net", "linear", "-limit", "256", "-batch", "64", "-epochs", "3", "-out", out)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	bufio.NewReader(pipe).ReadString('\n') // read one line, then close: as head -1
	pipe.Close()
	err = cmd.Wait()
	if err != nil {
		t.Fatalf("with its stdout closed the run ended with %v", err)
	}
	if rows := readMetrics(t, out); len(rows) != 4 {
		t.Errorf("%d rows in metrics.csv, want the header and 3 epochs", len(rows))
	}
	if ck, err := train.LoadCheckpoint(filepath.Join(out, run.CheckpointFile)); err != nil || ck.Epoch != 3 {
		t.Errorf("checkpoint %v, %v: want the end of epoch 3", ck, err)
	}
}

// A run folder is one process's at a time: a resume or a second run of a
// folder that is being trained is refused with the holder's pid, exit 2,
// and changes nothing; SIGHUP (a closed terminal) saves a checkpoint.
func TestOneProcessPerFolder(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	cmd, lines, _ := startTrain(t, nil, "-net", "mlp", "-limit", "20000", "-batch", "64", "-epochs", "50", "-out", out)
	// Wait for the first epoch's checkpoint of the initial state.
	for range 200 {
		if _, err := os.Stat(filepath.Join(out, run.CheckpointFile)); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	before := folderState(t, out)
	for _, args := range [][]string{{"-resume", out}, {"-out", out, "-limit", "256"}} {
		code, _, stderr := runTrain(t, args...)
		if code != exitUsage {
			t.Errorf("%v while another process trains: exit %d, want %d: %s", args, code, exitUsage, stderr)
		}
		if !strings.Contains(stderr, "in use by another process (pid "+itoa(cmd.Process.Pid)+")") && !strings.Contains(stderr, "already holds a run") {
			t.Errorf("%v: stderr %q does not name the holder", args, stderr)
		}
	}
	// The holder goes on training: its own files, and the temporary files
	// of its atomic writes (".NAME.tmp…"), may change meanwhile.
	holderTemp := func(name string) bool { return strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp") }
	sameFolderBut(t, out, before, holderTemp, run.CheckpointFile, run.ConfigFile, "metrics.csv", "recon.png", "loss.png", "latent.png", "interp.png")
	cmd.Process.Signal(syscall.SIGHUP)
	done := make(chan error)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("SIGHUP did not stop the run")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("after SIGHUP: exit %d, want %d", code, exitInterrupted)
	}
	var saved bool
	for l := range lines {
		saved = saved || strings.Contains(l, "checkpoint saved")
	}
	if !saved {
		t.Error("SIGHUP did not save a checkpoint")
	}
	if code, _, stderr := runTrain(t, "-resume", out, "-epochs", "1"); code != exitOK && code != exitInterrupted {
		t.Errorf("resume once the process is gone: exit %d: %s", code, stderr)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// A folder that holds files no run wrote is not written into; default run
// folders of runs started in the same second differ; a malformed flag is
// one line; a FIFO among the data files is refused, not waited on.
func TestFoldersFlagsAndFIFO(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{run.ConfigFile, "metrics.csv", ".notes.tmp1"} {
		out := filepath.Join(dir, "user-"+strings.TrimPrefix(name, "."))
		os.MkdirAll(out, 0o755)
		os.WriteFile(filepath.Join(out, name), []byte("the user's"), 0o644)
		code, _, stderr := runTrain(t, "-limit", "256", "-out", out)
		if code != exitUsage {
			t.Errorf("-out holding %s: exit %d", name, code)
		}
		checkOneLine(t, stderr, "holds "+name+", which no run wrote")
		if b, _ := os.ReadFile(filepath.Join(out, name)); string(b) != "the user's" {
			t.Errorf("%s was changed", name)
		}
	}
	if a, b := defaultOut("mlp"), defaultOut("mlp"); a != b || !strings.HasSuffix(a, "-"+itoa(os.Getpid())) {
		t.Errorf("default folder %s: want the process id at its end", a)
	}
	code, _, stderr := runTrain(t, "-epochs", "ten")
	if code != exitUsage || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `invalid value "ten" for flag -epochs`) {
		t.Errorf("a malformed flag: exit %d, %q", code, stderr)
	}
	fifo := filepath.Join(dir, "fifo")
	os.MkdirAll(fifo, 0o755)
	if err := syscall.Mkfifo(filepath.Join(fifo, "train-images-idx3-ubyte.gz"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan string)
	go func() {
		_, _, stderr := runTrain(t, "-data", fifo, "-out", filepath.Join(dir, "x"))
		done <- stderr
	}()
	select {
	case stderr := <-done:
		checkOneLine(t, stderr, "not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO in -data hangs the program")
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "table.csv"), 0o644); err == nil {
		_, _, stderr := runTrain(t, "-data", filepath.Join(dir, "table.csv"), "-out", filepath.Join(dir, "y"))
		checkOneLine(t, stderr, "not a regular file")
	}
}

// A run records its data by absolute path and fingerprint: it resumes from
// any folder, and refuses data that changed under it, even of the same
// shape.
func TestDataIdentity(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	idxFiles(t, data, 64, 16, 28, 28, false)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(root)
	out := filepath.Join(root, "run")
	if code, _, e := runTrain(t, "-data", "data", "-net", "linear", "-batch", "16", "-epochs", "1", "-out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	os.Chdir(t.TempDir()) // elsewhere: the relative path would not be found
	if code, _, e := runTrain(t, "-resume", out, "-epochs", "2"); code != exitOK {
		t.Fatalf("resume from another folder: exit %d: %s", code, e)
	}
	// The same files, other pixels (inverted), the same shape.
	for _, name := range []string{"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"} {
		b, _ := os.ReadFile(filepath.Join(data, name))
		for i := 16; i < len(b); i++ {
			b[i] = 255 - b[i]
		}
		os.WriteFile(filepath.Join(data, name), b, 0o644)
	}
	before := folderState(t, out)
	code, _, stderr := runTrain(t, "-resume", out, "-epochs", "3")
	if code != exitUsage {
		t.Errorf("resume on changed data: exit %d, want %d", code, exitUsage)
	}
	checkOneLine(t, stderr, "was started on other data than "+data+" holds now: the same number of samples (64+16 samples of [1 28 28]), but other content")
	sameFolder(t, out, before)
}

// The smaller cases: -epochs below what a run has done, a profile path in
// a missing folder, a rate too large for the net's own weight decay (the
// message blames the rate, not a default), a path with spaces in the
// continue-with hint.
func TestSmallerCases(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "run")
	if code, _, e := runTrain(t, "-net", "linear", "-limit", "256", "-batch", "64", "-epochs", "2", "-out", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	before := folderState(t, out)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-resume", out, "-epochs", "1"}, "-epochs 1: the run in " + out + " has trained 2 epochs already"},
		{[]string{"-memprofile", filepath.Join(dir, "missing", "m.prof"), "-out", filepath.Join(dir, "x")}, "-memprofile " + filepath.Join(dir, "missing", "m.prof") + ": the folder"},
		{[]string{"-net", "deep", "-lr", "20", "-out", filepath.Join(dir, "y")}, "-lr 20: with the deep net's weight decay 0.1, want lr·wd < 1"},
	} {
		code, _, stderr := runTrain(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		checkOneLine(t, stderr, tc.want)
	}
	sameFolder(t, out, before)
	if got := shellQuote("/tmp/my runs/mlp"); got != "'/tmp/my runs/mlp'" {
		t.Errorf("shellQuote: %s", got)
	}
	if got := shellQuote("runs/mlp-1"); got != "runs/mlp-1" {
		t.Errorf("shellQuote: %s", got)
	}
}

// A signal while the data is being read (here a read that never ends, as
// on a stalled file system) stops the program at once with status 130 and
// one line, having written nothing: no run folder for a new run, the run
// folder as it was for a resume.
func TestSignalDuringLoading(t *testing.T) {
	dir := t.TempDir()
	done := filepath.Join(dir, "done")
	if code, _, e := runTrain(t, "-net", "linear", "-limit", "256", "-batch", "64", "-epochs", "1", "-out", done); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		for _, resume := range []bool{false, true} {
			name := fmt.Sprintf("%v, resume %v", sig, resume)
			out := filepath.Join(dir, fmt.Sprintf("new-%d", sig))
			args := []string{"-net", "linear", "-limit", "256", "-epochs", "1", "-out", out}
			if resume {
				args = []string{"-resume", done, "-epochs", "2"}
			}
			before := folderState(t, done)
			cmd, lines, _ := startTrain(t, []string{testhook.StallDataEnv + "=1"}, args...)
			stalled := false
			for line := range lines {
				if strings.HasPrefix(line, testhook.StallMarker) {
					stalled = true
					break
				}
			}
			if !stalled {
				t.Fatalf("%s: the data reading never stalled", name)
			}
			cmd.Process.Signal(sig)
			var rest []string
			for line := range lines {
				rest = append(rest, line)
			}
			cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Errorf("%s: exit %d, want %d", name, code, exitInterrupted)
			}
			if len(rest) != 1 || rest[0] != "train: interrupted before training started; nothing was written" {
				t.Errorf("%s: stderr after the signal %q", name, rest)
			}
			if _, err := os.Stat(out); !resume && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s: %s was created (%v)", name, out, err)
			}
			sameFolder(t, done, before)
		}
	}
}
