package isa

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestParse: names are checked against this CPU, case and blanks forgiven,
// and what is refused says why.
func TestParse(t *testing.T) {
	best := supported[len(supported)-1]
	for _, c := range []struct {
		name, want, err string
	}{
		{"", string(best), ""},
		{"auto", string(best), ""},
		{"generic", "generic", ""},
		{" GENERIC ", "generic", ""},
		{"sse", "", "not a path"},
		{"avx-512", "", "not a path"},
	} {
		p, err := Parse(c.name)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), Env+"=") {
				t.Errorf("Parse(%q) = %v, %v; want an error with %q", c.name, p, err, c.err)
			}
			continue
		}
		if err != nil || string(p) != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", c.name, p, err, c.want)
		}
	}
	for _, p := range NotSupported() {
		if _, err := Parse(string(p)); err == nil || !strings.Contains(err.Error(), "has no "+string(p)) {
			t.Errorf("Parse(%q) on %s: %v, want a refusal", p, runtime.GOARCH, err)
		}
	}
	if !slices.Contains(Supported(), Generic) {
		t.Error("generic is not supported")
	}
}

// TestUseAndEach: Use switches the listeners and refuses what the CPU lacks;
// Each visits every supported path and restores the one in use.
func TestUseAndEach(t *testing.T) {
	var seen []Path
	OnChange(func(p Path) { seen = append(seen, p) })
	was := Current()
	if seen[0] != was {
		t.Fatalf("OnChange called first with %v, want the current %v", seen[0], was)
	}
	seen = nil
	notRun := Each(func(p Path) {
		if Current() != p {
			t.Errorf("in Each, Current() = %v, want %v", Current(), p)
		}
	})
	if Current() != was {
		t.Errorf("after Each, Current() = %v, want %v", Current(), was)
	}
	if want := append(Supported(), was); !slices.Equal(seen, want) {
		t.Errorf("listeners saw %v, want %v", seen, want)
	}
	if !slices.Equal(notRun, NotSupported()) {
		t.Errorf("Each reports %v not run, want %v", notRun, NotSupported())
	}
	for _, p := range NotSupported() {
		if err := Use(p); err == nil {
			t.Errorf("Use(%v) on a CPU without it: no error", p)
		}
	}
}

// TestEnvRefused: a program started with a path its CPU lacks, or a name
// that is no path, stops at once with one line and exit status 2.
func TestEnvRefused(t *testing.T) {
	if os.Getenv("ISA_TEST_CHILD") == "1" {
		return // the child: reaching here means init accepted the variable
	}
	bad := []string{"avx1024"}
	bad = append(bad, func() []string {
		var s []string
		for _, p := range NotSupported() {
			s = append(s, string(p))
		}
		return s
	}()...)
	for _, v := range bad {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestEnvRefused$")
		cmd.Env = append(os.Environ(), "ISA_TEST_CHILD=1", Env+"="+v)
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ENOEXEC) {
			t.Skipf("this test binary cannot start itself here (%v): run under an emulator", err)
		}
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Errorf("%s=%s: %v, want exit status 2; output %q", Env, v, err, out)
			continue
		}
		if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "aegraph: "+Env+"="+v+": ") {
			t.Errorf("%s=%s: output %q, want one line naming the variable", Env, v, out)
		}
	}
}
