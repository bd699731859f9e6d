package datasets

import "fmt"

// Set holds n images of Rows×Cols uint8 pixels, row-major, and their labels.
type Set struct {
	Pixels     []uint8 // n*Rows*Cols, image i at [i*Dim(), (i+1)*Dim())
	Labels     []uint8 // n, in 0..9
	Rows, Cols int
}

// Len returns the number of images n in s.
func (s *Set) Len() int { return len(s.Labels) }

// Shape returns the shape of one image, (1, Rows, Cols): one grey channel.
func (s *Set) Shape() []int { return []int{1, s.Rows, s.Cols} }

// Dim returns the number of pixels in one image, Rows*Cols (784 for MNIST).
func (s *Set) Dim() int { return s.Rows * s.Cols }

// pixelScale maps a pixel value p to float32(p)/255.
var pixelScale = func() (t [256]float32) {
	for p := range t {
		t[p] = float32(p) / 255
	}
	return t
}()

// Batch writes the images idx[0], idx[1], … into dst as float32 values in
// [0,1] (pixel/255). dst has shape (len(idx), Dim()), row-major: image idx[r]
// goes to dst[r*Dim() : (r+1)*Dim()].
//
// Batch panics if len(dst) != len(idx)*Dim() or if an index is outside
// [0, Len()).
func (s *Set) Batch(dst []float32, idx []int) {
	d := s.Dim()
	if len(dst) != len(idx)*d {
		panic(fmt.Sprintf("datasets: Batch: len(dst) = %d, want len(idx)*Dim() = %d*%d = %d",
			len(dst), len(idx), d, len(idx)*d))
	}
	n := s.Len()
	for r, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("datasets: Batch: idx[%d] = %d out of range [0, %d)", r, i, n))
		}
		row := dst[r*d : (r+1)*d]
		for k, p := range s.Pixels[i*d : (i+1)*d] {
			row[k] = pixelScale[p]
		}
	}
}

// Head returns a Set holding the first n images of s. The result shares
// memory with s. If n >= Len(), Head returns s itself; n == 0 gives an empty
// Set with the same Rows and Cols.
//
// Head panics if n < 0.
func (s *Set) Head(n int) *Set {
	if n < 0 {
		panic(fmt.Sprintf("datasets: Head: negative n = %d", n))
	}
	if n >= s.Len() {
		return s
	}
	d := s.Dim()
	return &Set{
		Pixels: s.Pixels[: n*d : n*d],
		Labels: s.Labels[:n:n],
		Rows:   s.Rows,
		Cols:   s.Cols,
	}
}
