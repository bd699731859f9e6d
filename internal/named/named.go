// Package named finds entries of the project's small registries (losses,
// solvers, schedules) by name, with an error that lists the choices.
package named

import (
	"fmt"
	"strings"
)

// Find returns the entry called name; the error names the kind and the
// choices, e.g. `unknown solver "adm" (have adam, sgd, momentum, rmsprop)`.
func Find[T any](kind, name string, entries []T, nameOf func(T) string) (T, error) {
	for _, e := range entries {
		if nameOf(e) == name {
			return e, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("unknown %s %q (have %s)", kind, name, Names(entries, nameOf))
}

// Names joins the entries' names with commas, in order.
func Names[T any](entries []T, nameOf func(T) string) string {
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = nameOf(e)
	}
	return strings.Join(names, ", ")
}
