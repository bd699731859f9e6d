package graph

import (
	"fmt"
	"strings"
)

// byName finds the entry called name in one of the package's lists (losses,
// solvers, schedules); the error names the kind and the choices.
func byName[T any](kind, name string, entries []T, nameOf func(T) string) (T, error) {
	names := make([]string, len(entries))
	for i, e := range entries {
		if nameOf(e) == name {
			return e, nil
		}
		names[i] = nameOf(e)
	}
	var zero T
	return zero, fmt.Errorf("unknown %s %q (have %s)", kind, name, strings.Join(names, ", "))
}
