// Package plots draws the pictures a training run writes: image grids,
// original/reconstruction pairs, loss curves, latent-space scatter plots and,
// for tables, the reconstruction error of each column.
//
// Every function encodes a PNG image to an io.Writer, so callers can write
// files atomically or show the bytes inline in a notebook.
//
// Images are grey or RGB pictures of any size. The shape of one image is
// given as (C, H, W), with C = 1 channel (grey) or C = 3 (red, green, blue),
// or as (H, W) for a grey image. A batch of n images is a row-major
// []float32 of shape (n, C, H, W): each image is in CHW layout, its H×W
// row-major channel planes one after another. Values are in [0, 1], where 0
// is black (no intensity) and 1 full intensity; for MNIST, 0 is the black
// background and 1 white ink. Values are drawn as brightness; values outside
// [0, 1] are clamped and NaN is drawn as 0. Grey images are written as 8-bit
// greyscale PNGs, RGB images as opaque 8-bit RGB PNGs.
//
// Latent plots colour codes by class: labels are indices into a list of
// class names, which may be any strings (for MNIST, "0".."9"), and codes
// may also be unlabelled. Tables (rows of D numbers, as from a CSV file)
// have a chart of their own, ColumnErrors, showing which columns the
// autoencoder rebuilds badly.
package plots
