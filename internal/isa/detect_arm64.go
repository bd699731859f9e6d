//go:build arm64 && !purego

package isa

// detect lists the paths of this arm64 CPU: every one has Advanced SIMD.
func detect() []Path { return []Path{Generic, NEON} }
