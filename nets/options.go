package nets

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Option is one setting of a net, such as the sparse net's L1 weight. Its
// Default also gives its type: int, float64, string or []int. cmd/train turns
// it into the flag -Name, and a run's config.json records its value.
type Option struct {
	Name    string // the flag's and config.json's name, e.g. "noise-level"
	Default any    // int, float64, string or []int
	Doc     string // one line for the flag's help
	// Check, if set, refuses a value (of Default's type) with an error
	// that says what is wanted, e.g. AtLeast(0).
	Check func(v any) error
}

// Options holds the values of a net's options by name, each of its option's
// type. The getters panic on an option the net did not declare: a
// programming error.
type Options map[string]any

// Int returns the value of an int option.
func (o Options) Int(name string) int { return get[int](o, name) }

// Float returns the value of a float64 option.
func (o Options) Float(name string) float64 { return get[float64](o, name) }

// String returns the value of a string option.
func (o Options) String(name string) string { return get[string](o, name) }

// Ints returns (a copy of) the value of an []int option.
func (o Options) Ints(name string) []int { return slices.Clone(get[[]int](o, name)) }

func get[T any](o Options, name string) T {
	v, ok := o[name].(T)
	if !ok {
		var zero T
		panic(fmt.Sprintf("nets: option %q is %#v, not a %T: is it declared in the net's Spec.Options?", name, o[name], zero))
	}
	return v
}

// valid reports an option that cannot be declared.
func (o Option) valid() error {
	if o.Name == "" || strings.ContainsAny(o.Name, " =") || strings.HasPrefix(o.Name, "-") {
		return fmt.Errorf("option name %q: want a flag name", o.Name)
	}
	switch o.Default.(type) {
	case int, float64, string, []int:
	default:
		return fmt.Errorf("option %s: default %#v is not an int, float64, string or []int", o.Name, o.Default)
	}
	if o.Check != nil {
		if err := o.Check(o.Default); err != nil {
			return fmt.Errorf("option %s: the default fails its own check: %w", o.Name, err)
		}
	}
	return nil
}

// Parse reads a value of the option from text, as a flag gives it: "0.3",
// "mask", "256,64". Its errors, like Complete's, start with the option's
// name: "noise-level -1: want ≥ 0".
func (o Option) Parse(s string) (any, error) {
	var v any
	switch o.Default.(type) {
	case int:
		i, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%s %q: want an integer", o.Name, s)
		}
		v = i
	case float64:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, fmt.Errorf("%s %q: want a number", o.Name, s)
		}
		v = f
	case string:
		v = s
	case []int:
		var ints []int
		if strings.TrimSpace(s) != "" {
			for _, f := range strings.Split(s, ",") {
				i, err := strconv.Atoi(strings.TrimSpace(f))
				if err != nil {
					return nil, fmt.Errorf("%s %q: want comma-separated integers", o.Name, s)
				}
				ints = append(ints, i)
			}
		}
		v = ints
	}
	return v, o.check(v)
}

// Format writes a value of the option as Parse reads it.
func Format(v any) string {
	if ints, ok := v.([]int); ok {
		s := make([]string, len(ints))
		for i, x := range ints {
			s[i] = strconv.Itoa(x)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprint(v)
}

// normalise brings v, as given in code or decoded from JSON (numbers as
// float64, lists as []any), to the option's type, and checks it.
func (o Option) normalise(v any) (any, error) {
	bad := func() (any, error) {
		return nil, fmt.Errorf("%s %v: want a %s", o.Name, v, typeName(o.Default))
	}
	switch o.Default.(type) {
	case int:
		switch x := v.(type) {
		case int:
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return bad()
			}
			v = int(x)
		default:
			return bad()
		}
	case float64:
		switch x := v.(type) {
		case float64:
		case int:
			v = float64(x)
		default:
			return bad()
		}
	case string:
		if _, ok := v.(string); !ok {
			return bad()
		}
	case []int:
		switch x := v.(type) {
		case []int:
			v = slices.Clone(x)
		case []any:
			ints := make([]int, len(x))
			for i, e := range x {
				f, ok := e.(float64)
				if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
					return bad()
				}
				ints[i] = int(f)
			}
			v = ints
		case nil:
			v = []int(nil)
		default:
			return bad()
		}
	}
	return v, o.check(v)
}

func (o Option) check(v any) error {
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return fmt.Errorf("%s %v: want a finite number", o.Name, f)
	}
	if o.Check == nil {
		return nil
	}
	if err := o.Check(v); err != nil {
		return fmt.Errorf("%s %s: %w", o.Name, Format(v), err)
	}
	return nil
}

func typeName(v any) string {
	switch v.(type) {
	case int:
		return "whole number"
	case float64:
		return "number"
	case string:
		return "string"
	}
	return "list of whole numbers"
}

func clone(v any) any {
	if ints, ok := v.([]int); ok {
		return slices.Clone(ints)
	}
	return v
}

// AtLeast is a Check that a number, or each number of a list, is ≥ min.
func AtLeast(min float64) func(any) error {
	return func(v any) error {
		for _, x := range numbers(v) {
			if !(x >= min) {
				return fmt.Errorf("want ≥ %v", min)
			}
		}
		return nil
	}
}

// Below is a Check that a number, or each number of a list, is in [min, max).
func Below(min, max float64) func(any) error {
	return func(v any) error {
		for _, x := range numbers(v) {
			if !(x >= min && x < max) {
				return fmt.Errorf("want %v ≤ value < %v", min, max)
			}
		}
		return nil
	}
}

// OneOf is a Check that a string is one of choices.
func OneOf(choices ...string) func(any) error {
	return func(v any) error {
		if !slices.Contains(choices, v.(string)) {
			return fmt.Errorf("want %s", strings.Join(choices, " or "))
		}
		return nil
	}
}

func numbers(v any) []float64 {
	switch x := v.(type) {
	case int:
		return []float64{float64(x)}
	case float64:
		return []float64{x}
	case []int:
		out := make([]float64, len(x))
		for i, e := range x {
			out[i] = float64(e)
		}
		return out
	}
	return nil
}
