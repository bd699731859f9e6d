// Package isa chooses the instruction set that aegraph's kernels (sgemm,
// vmath) run on, once at start-up, from the CPU's features and the
// AEGRAPH_CPU environment variable.
//
// Every path computes every value in the same order with the same roundings
// (the canonical arithmetic, written out in plain Go by each kernel's
// generic version), so the path changes the speed, never a bit of the
// result.
//
//	AEGRAPH_CPU=generic|avx2|avx512|neon
//
// forces a path no higher than the CPU has; unset (or "auto"), the highest
// path the CPU has runs. A path the CPU lacks, or a name that is not a path,
// stops the program with a one-line error at start-up.
package isa

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Path is one set of kernels.
type Path string

// The paths. Generic is plain Go and runs everywhere; AVX2 needs AVX2 and
// FMA (x86-64-v3); AVX512 needs AVX-512F; NEON is arm64's Advanced SIMD,
// which every arm64 CPU has.
const (
	Generic Path = "generic"
	AVX2    Path = "avx2"
	AVX512  Path = "avx512"
	NEON    Path = "neon"
)

// Env is the environment variable that forces a path.
const Env = "AEGRAPH_CPU"

// all lists every path, on every architecture, lowest first.
var all = []Path{Generic, AVX2, AVX512, NEON}

var (
	mu        sync.Mutex
	current   Path
	listeners []func(Path)
)

// Supported lists the paths this CPU can run, lowest first; Generic is
// always among them.
func Supported() []Path { return slices.Clone(supported) }

// NotSupported lists the paths of every architecture that this CPU cannot
// run, so that a test can name what it did not run.
func NotSupported() []Path {
	var out []Path
	for _, p := range all {
		if !slices.Contains(supported, p) {
			out = append(out, p)
		}
	}
	return out
}

// Current is the path the kernels run on.
func Current() Path {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// Describe says which path runs and why, for a program's first lines:
// "avx512 (the best of generic, avx2, avx512 on this amd64 CPU)" or
// "avx2 (AEGRAPH_CPU; this amd64 CPU has generic, avx2, avx512)".
func Describe() string {
	p := Current()
	has := names()
	if forced {
		return fmt.Sprintf("%s (set by %s; this %s CPU has %s)", p, Env, runtime.GOARCH, has)
	}
	return fmt.Sprintf("%s (the best of %s on this %s CPU)", p, has, runtime.GOARCH)
}

// names lists the supported paths: "generic, avx2, avx512".
func names() string {
	n := make([]string, len(supported))
	for i, s := range supported {
		n[i] = string(s)
	}
	return strings.Join(n, ", ")
}

// Parse checks a path's name (as AEGRAPH_CPU gives it) against this CPU;
// "" and "auto" are the best path it has.
func Parse(name string) (Path, error) {
	n := Path(strings.ToLower(strings.TrimSpace(name)))
	if n == "" || n == "auto" {
		return supported[len(supported)-1], nil
	}
	if !slices.Contains(all, n) {
		return "", fmt.Errorf("%s=%s: not a path (generic, avx2, avx512, neon or auto)", Env, name)
	}
	if !slices.Contains(supported, n) {
		return "", fmt.Errorf("%s=%s: this %s CPU has no %s (it runs %s)", Env, name, runtime.GOARCH, n, names())
	}
	return n, nil
}

// Use switches every kernel to path p, for tests and benchmarks that run
// each path in one process; it refuses a path the CPU cannot run. Not safe
// while kernels are running.
func Use(p Path) error {
	if !slices.Contains(supported, p) {
		return fmt.Errorf("isa: this %s CPU cannot run the %s path", runtime.GOARCH, p)
	}
	mu.Lock()
	current = p
	ls := slices.Clone(listeners)
	mu.Unlock()
	for _, f := range ls {
		f(p)
	}
	return nil
}

// OnChange registers f, a kernel package's switch, and calls it at once
// with the current path and again at every Use.
func OnChange(f func(Path)) {
	mu.Lock()
	listeners = append(listeners, f)
	p := current
	mu.Unlock()
	f(p)
}

// supported is set by the architecture's file (features_*.go); forced
// records whether AEGRAPH_CPU chose the path.
var (
	supported = []Path{Generic}
	forced    bool
)

func init() {
	supported = detect()
	name := os.Getenv(Env)
	p, err := Parse(name)
	if err != nil {
		// A one-line error and a non-zero exit, before any work starts:
		// running another path than the one asked for would be a lie.
		fmt.Fprintln(os.Stderr, "aegraph:", err)
		os.Exit(2)
	}
	forced = name != "" && !strings.EqualFold(strings.TrimSpace(name), "auto")
	current = p
}

// Each runs f on every path this CPU supports, lowest first, switched in
// with Use, then switches back to the path that was in use. It returns the
// paths it could not run, for the caller to name (a test must not skip a
// path silently).
func Each(f func(Path)) (notRun []Path) {
	was := Current()
	defer Use(was)
	for _, p := range Supported() {
		if err := Use(p); err != nil {
			panic(err) // Supported lists only what Use takes
		}
		f(p)
	}
	return NotSupported()
}
