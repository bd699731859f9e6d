package main

import "fmt"

// Size limits. A net far too large for memory would end the program with
// the Go runtime's "out of memory" crash, which cannot be caught, so such
// flags are refused up front. The limits are far above any sensible MNIST
// net (the mlp has 0.44 M parameters).
const (
	maxWidth  = 1 << 20 // -latent and each -hidden size
	maxParams = 1 << 28 // estimated parameters: 1 GiB of float32, several GiB with gradients and solver state
	maxValues = 1 << 31 // batch × latent × pixels: bounds the activations of conv-like nets
)

// checkSize refuses a configuration whose net would not fit in memory. The
// parameter count is estimated as that of the mlp (Dim → hidden… → Latent →
// …hidden → Dim, with biases), which bounds the registered dense nets.
func checkSize(c Config) error {
	if c.Arch.Latent > maxWidth {
		return fmt.Errorf("-latent %d: want ≤ %d", c.Arch.Latent, maxWidth)
	}
	for _, h := range c.Arch.Hidden {
		if h > maxWidth {
			return fmt.Errorf("-hidden %d: want sizes ≤ %d", h, maxWidth)
		}
	}
	sizes := []int{c.Arch.Dim}
	sizes = append(sizes, c.Arch.Hidden...)
	sizes = append(sizes, c.Arch.Latent)
	params := 0.0
	for i := 1; i < len(sizes); i++ {
		params += 2 * float64(sizes[i-1]+1) * float64(sizes[i]) // encoder layer and its mirror
	}
	if params > maxParams {
		return fmt.Errorf("-latent %d, -hidden %s on images of %d pixels: about %.3g parameters, more than the limit of %d (memory); use smaller sizes",
			c.Arch.Latent, joinInts(c.Arch.Hidden), c.Arch.Dim, params, maxParams)
	}
	if v := float64(c.Batch) * float64(c.Arch.Latent) * float64(c.Arch.Dim); v > maxValues {
		return fmt.Errorf("-batch %d × -latent %d × %d pixels = %.3g values, more than the limit of %d (memory); use a smaller -batch or -latent",
			c.Batch, c.Arch.Latent, c.Arch.Dim, v, maxValues)
	}
	return nil
}
