package train

import (
	"math/bits"
	"math/rand/v2"
)

// Perm returns a pseudo-random permutation of 0..n-1 that depends only on
// (seed, epoch), so that shuffling in training is reproducible: the same
// arguments always give the same slice, and each epoch gets a different
// order.
//
// Perm draws from a PCG generator seeded with (seed, uint64(epoch)) and
// performs its own Fisher–Yates shuffle, so the result does not depend on
// the shuffling algorithm of the Go release. Perm panics if n < 0.
func Perm(n int, seed uint64, epoch int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	src := rand.NewPCG(seed, uint64(epoch))
	for i := n - 1; i > 0; i-- {
		j := uniform(src, uint64(i)+1)
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// uniform returns an unbiased value in [0, n), n > 0, using Lemire's
// multiply-and-reject method.
func uniform(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}
