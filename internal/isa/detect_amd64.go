//go:build amd64 && !purego

package isa

import "golang.org/x/sys/cpu"

// detect lists the paths of this amd64 CPU: AVX2 needs AVX2 and FMA (and the
// OS saving the YMM registers, which x/sys/cpu checks); AVX-512 needs AVX-512F.
func detect() []Path {
	p := []Path{Generic}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		p = append(p, AVX2)
		if cpu.X86.HasAVX512F {
			p = append(p, AVX512)
		}
	}
	return p
}
