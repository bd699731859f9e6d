//go:build purego || (!amd64 && !arm64)

package vmath

import "github.com/aegraph/aegraph/internal/isa"

// archFuncs has no assembly here: every path is plain Go.
func archFuncs(isa.Path) funcs { return funcs{} }
