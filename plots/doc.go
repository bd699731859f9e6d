// Package plots draws the pictures a training run writes: image grids,
// original/reconstruction pairs, loss curves and latent-space scatter plots.
//
// Every function encodes a PNG image to an io.Writer, so callers can write
// files atomically or show the bytes inline in a notebook.
//
// Images follow the MNIST convention used throughout aegraph: a batch of n
// images of h×w pixels is a row-major []float32 of shape (n, h*w) with values
// in [0, 1], where 0 is the black background and 1 is white ink. Pixel values
// are drawn as brightness; values outside [0, 1] are clamped and NaN is drawn
// as black.
package plots
