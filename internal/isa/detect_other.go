//go:build purego || (!amd64 && !arm64)

package isa

// detect lists the paths of a CPU without kernels of ours: plain Go.
func detect() []Path { return []Path{Generic} }
