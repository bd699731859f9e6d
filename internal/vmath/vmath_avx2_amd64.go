//go:build amd64 && !purego

package vmath

// avx2Funcs are the AVX2+FMA kernels; a nil one is plain Go's.
func avx2Funcs() funcs { return funcs{} }
