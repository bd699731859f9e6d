package run

import (
	"fmt"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
)

// Size limits. A net far too large for memory would end the program with
// the Go runtime's "out of memory" crash, which cannot be caught, so such
// configurations are refused up front. The limits are far above any sensible MNIST
// net (the mlp has 0.44 M parameters).
const (
	maxWidth  = 1 << 20 // -latent and each -hidden size
	maxParams = 1 << 28 // estimated parameters: 1 GiB of float32, several GiB with gradients and solver state
	maxValues = 1 << 31 // batch × latent × pixels: bounds the activations of conv-like nets
)

// checkSize refuses a configuration whose net would not fit in memory. The
// parameter count is estimated as that of the mlp (Dim → hidden… → Latent →
// …hidden → Dim, with biases), which bounds the registered dense nets; it
// and the activations are checked once the input's size is known.
func (c *Config) checkSize() error {
	var hidden []int
	if _, ok := c.Arch.Options["hidden"]; ok {
		hidden = c.Arch.Options.Ints("hidden")
	}
	if c.Arch.Latent > maxWidth {
		return fieldErr("latent %d: want ≤ %d", c.Arch.Latent, maxWidth)
	}
	for _, h := range hidden {
		if h > maxWidth {
			return fieldErr("hidden %d: want sizes ≤ %d", h, maxWidth)
		}
	}
	if len(c.Arch.Input) == 0 {
		return nil // the rest is checked once the data gives the input's size
	}
	dim := graph.Size(c.Arch.Input)
	sizes := []int{dim}
	sizes = append(sizes, hidden...)
	sizes = append(sizes, c.Arch.Latent)
	params := 0.0
	for i := 1; i < len(sizes); i++ {
		params += 2 * float64(sizes[i-1]+1) * float64(sizes[i]) // encoder layer and its mirror
	}
	if params > maxParams {
		sizes := fmt.Sprintf("latent %d", c.Arch.Latent)
		if hidden != nil {
			sizes = fmt.Sprintf("hidden %s with latent %d", nets.Format(hidden), c.Arch.Latent)
		}
		return fieldErr("%s on samples of %d values: about %.3g parameters, more than the limit of %d (memory); use smaller sizes",
			sizes, dim, params, maxParams)
	}
	if v := float64(c.Train.Batch) * float64(c.Arch.Latent) * float64(dim); v > maxValues {
		return fieldErr("batch %d × latent %d × %d values = %.3g values, more than the limit of %d (memory); use a smaller batch or latent",
			c.Train.Batch, c.Arch.Latent, dim, v, maxValues)
	}
	return nil
}
