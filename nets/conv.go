package nets

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/train"
)

// Conv is the convolutional autoencoder. For images of C×H×W (1×28×28 for
// MNIST), with c = Channels (16) and k = Latent (8):
//
//	encoder  x (C×H×W) → conv3×3 c ReLU → maxpool2 (c×H/2×W/2)
//	                   → conv3×3 k ReLU → maxpool2 → z (k×H/4×W/4)
//	decoder  z → conv3×3 k ReLU → up2 (k×H/2×W/2) → conv3×3 c ReLU → up2 (c×H×W)
//	           → conv3×3 C → sigmoid → x' (C·H·W)
//
// Every convolution has padding 1, so only pooling and upsampling change the
// image size: H and W must be multiples of 4. Weights are Glorot-uniform,
// and it trains in batches of 64 (Spec.Training); docs/VALIDATION.md says how
// both were chosen.
type Conv struct {
	Input    []int            // (C, H, W)
	Channels int              // channels c of the first stage
	Latent   int              // channels k of the code
	Out      graph.Activation // of the output: sigmoid for values in [0, 1] (Config.Out)
}

// Encoder: x (batch, C·H·W) → z (batch, k, H/4, W/4).
func (n Conv) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	h := b.Reshape(x, b.Batch, n.Input[0], n.Input[1], n.Input[2])
	h = b.MaxPool2(b.Conv2D("enc1", h, n.Channels, 3, 1, graph.ReLU))
	return b.MaxPool2(b.Conv2D("enc2", h, n.Latent, 3, 1, graph.ReLU))
}

// Decoder: z (batch, k, H/4, W/4) → x' (batch, C·H·W), in (0, 1) for a
// sigmoid output.
func (n Conv) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	h := b.Upsample2(b.Conv2D("dec2", z, n.Latent, 3, 1, graph.ReLU))
	h = b.Upsample2(b.Conv2D("dec1", h, n.Channels, 3, 1, graph.ReLU))
	logits := b.Conv2D("recon", h, n.Input[0], 3, 1, graph.Identity)
	// Flatten the logits, not the sigmoid: bce finds the logits of its output.
	return b.Activate(n.Out, b.Reshape(logits, b.Batch, graph.Size(n.Input)))
}

func init() {
	Register(Spec{Name: "conv", Doc: "conv3×3 16, pool, conv3×3 k, pool (code k×H/4×W/4); mirrored with 2× upsampling, sigmoid output", Loss: "bce",
		Latent: 8, Training: train.Config{Batch: 64},
		Options: []Option{{Name: "channels", Default: 16, Doc: "channels of the first convolution (and of the last before the output)", Check: AtLeast(1)}},
		New: func(c Config) (graph.Net, error) {
			if len(c.Input) != 3 {
				return nil, fmt.Errorf("conv takes images (channels, height, width), not samples of shape %v", c.Input)
			}
			if c.Input[1]%4 != 0 || c.Input[2]%4 != 0 {
				return nil, fmt.Errorf("conv: images of %d×%d: height and width must be multiples of 4 (two 2×2 poolings)", c.Input[1], c.Input[2])
			}
			return Conv{Input: c.Input, Channels: c.Options.Int("channels"), Latent: c.Latent, Out: c.Out()}, nil
		}})
}
