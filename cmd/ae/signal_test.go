package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aegraph/aegraph/internal/testhook"
)

var (
	binOnce sync.Once
	binDir  string // removed by TestMain
	binPath string
	binErr  error
)

// aeBinary builds the command once per test binary.
func aeBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "aegraph-ae-bin"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "ae")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatalf("building ae: %v", binErr)
	}
	return binPath
}

// A signal while a command reads its data (a read that never ends, as on a
// stalled file system) stops it at once with status 130 and one line,
// leaving no output, half-written or whole.
func TestSignalWhileReading(t *testing.T) {
	dir := runs(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		args []string
	}{
		{syscall.SIGINT, []string{"score", "-run", filepath.Join(dir, "three"), "-anomalies", "a.png", "-o", "s.csv"}},
		{syscall.SIGTERM, []string{"encode", "-run", filepath.Join(dir, "mlp"), "-o", "codes.npy"}},
		{syscall.SIGHUP, []string{"reconstruct", "-run", filepath.Join(dir, "mlp"), "-o", "pngs/"}},
	} {
		out := t.TempDir()
		cmd := exec.Command(aeBinary(t), tc.args...)
		cmd.Dir = out
		cmd.Env = append(os.Environ(), testhook.StallDataEnv+"=1")
		pipe, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(pipe)
		stalled := false
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), testhook.StallMarker) {
				stalled = true
				break
			}
		}
		if !stalled {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%v: the data reading never stalled", tc.args)
		}
		cmd.Process.Signal(tc.sig)
		var rest []string
		for sc.Scan() {
			rest = append(rest, sc.Text())
		}
		cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
			t.Errorf("%v, %v: exit %d, want %d", tc.args, tc.sig, code, exitInterrupted)
		}
		want := "ae " + tc.args[0] + ": interrupted (" + tc.sig.String() + "); no output was left half-written"
		if len(rest) != 1 || rest[0] != want {
			t.Errorf("%v: stderr after the signal %q, want %q", tc.args, rest, want)
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Errorf("%v: left %v", tc.args, left)
		}
	}
}
