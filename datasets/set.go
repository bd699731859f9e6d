package datasets

import (
	"fmt"
	"slices"

	"github.com/aegraph/aegraph/internal/vmath"
)

// Set is n samples of one shape, with optional labels: images, kept as
// their uint8 values (C×H×W each, channels first), or rows of a table, kept
// as float32 values already scaled (D each). Batch serves them as the net's
// float32 inputs: pixel/255 for images unless another Scale was fitted.
// A Set is the graph.Data that models and trainers read.
//
// Sets made by Head, Subset and Split share their samples' storage with the
// set they come from.
type Set struct {
	// Labels holds the class of each sample, an index into Classes; nil
	// when the data has no labels.
	Labels []int
	// Classes are the class names: "0" … "9" for MNIST, the names of a
	// folder's subfolders, or the values of a table's label column.
	Classes []string
	// Columns are a table's column names (its header, or "col1", …),
	// without the label column; nil for images.
	Columns []string

	shape  []int
	pixels []uint8   // images: the storage's samples, Size(shape) each
	table  *table    // tables: the storage's rows, scaled in place
	index  []int     // sample i is storage sample index[i]; nil: the identity
	n      int       // number of samples
	scale  *Scale    // images: how pixels become inputs (nil: pixel/255)
	lut    []float32 // images: the 256 input values of the pixel values
	digest []byte    // a SHA-256 of the files the samples were read from
}

// NewImages returns a Set of the images in pixels, each of shape (c, h, w),
// channels first, with the given labels (nil for none) and class names.
// pixels holds n·c·h·w values; labels, if any, n indices into classes.
func NewImages(pixels []uint8, c, h, w int, labels []int, classes []string) (*Set, error) {
	if c < 1 || h < 1 || w < 1 {
		return nil, fmt.Errorf("image shape %d×%d×%d: want sizes ≥ 1", c, h, w)
	}
	d := c * h * w
	if len(pixels)%d != 0 {
		return nil, fmt.Errorf("%d pixel values are not a whole number of %d×%d×%d images", len(pixels), c, h, w)
	}
	s := &Set{shape: []int{c, h, w}, pixels: pixels, n: len(pixels) / d, Labels: labels, Classes: classes}
	return s, s.checkLabels()
}

// checkLabels reports labels that do not fit the samples or the classes.
func (s *Set) checkLabels() error {
	if s.Labels == nil {
		return nil
	}
	if len(s.Labels) != s.n {
		return fmt.Errorf("%d labels for %d samples", len(s.Labels), s.n)
	}
	for i, l := range s.Labels {
		if l < 0 || l >= len(s.Classes) {
			return fmt.Errorf("label %d of sample %d is not one of the %d classes", l, i, len(s.Classes))
		}
	}
	return nil
}

// Len returns the number of samples n.
func (s *Set) Len() int { return s.n }

// Shape returns the shape of one sample: (C, H, W) for images, (D) for a
// table. The caller must not change it.
func (s *Set) Shape() []int { return s.shape }

// Dim returns the number of values in one sample, e.g. 784 for MNIST.
func (s *Set) Dim() int {
	d := 1
	for _, x := range s.shape {
		d *= x
	}
	return d
}

// IsImages reports whether the samples are images (a table's are rows).
func (s *Set) IsImages() bool { return s.table == nil }

// Batch writes the samples idx[0], idx[1], … into dst as the net's float32
// inputs: dst has shape (len(idx), Dim()), row-major, sample idx[r] at
// dst[r*Dim() : (r+1)*Dim()]. Images become pixel/255 (or what their Scale
// says); a table's rows are copied as they are stored, already scaled.
//
// Batch panics if len(dst) != len(idx)*Dim() or if an index is outside
// [0, Len()).
func (s *Set) Batch(dst []float32, idx []int) {
	d := s.Dim()
	if len(dst) != len(idx)*d {
		panic(fmt.Sprintf("datasets: Batch: len(dst) = %d, want len(idx)*Dim() = %d*%d = %d",
			len(dst), len(idx), d, len(idx)*d))
	}
	for r, i := range idx {
		if i < 0 || i >= s.n {
			panic(fmt.Sprintf("datasets: Batch: idx[%d] = %d out of range [0, %d)", r, i, s.n))
		}
		j := s.at(i)
		row := dst[r*d : (r+1)*d]
		if s.table != nil {
			copy(row, s.table.row(j))
			continue
		}
		px := s.pixels[j*d : (j+1)*d]
		if s.scale == nil || s.scale.Kind == Pixel {
			vmath.BytesOver(row, px, 255) // = pixelScale[p], 16 at a time
			continue
		}
		s.scale.apply(row, px)
	}
}

// All returns every sample as Batch serves them, (Len, Dim) row-major.
func (s *Set) All() []float32 {
	idx := make([]int, s.n)
	for i := range idx {
		idx[i] = i
	}
	x := make([]float32, s.n*s.Dim())
	s.Batch(x, idx)
	return x
}

// at is the storage index of sample i.
func (s *Set) at(i int) int {
	if s.index == nil {
		return i
	}
	return s.index[i]
}

// Pixels returns the uint8 values of image i, (C, H, W) row-major, sharing
// the Set's memory; nil for a table.
func (s *Set) Pixels(i int) []uint8 {
	if s.table != nil {
		return nil
	}
	d := s.Dim()
	j := s.at(i)
	return s.pixels[j*d : (j+1)*d]
}

// pixelScale maps a pixel value p to float32(p)/255.
var pixelScale = func() (t [256]float32) {
	for p := range t {
		t[p] = float32(p) / 255
	}
	return t
}()

// Head returns a Set holding the first n samples of s, sharing its memory.
// If n >= Len(), Head returns s itself; n == 0 gives an empty Set of the
// same shape.
//
// Head panics if n < 0.
func (s *Set) Head(n int) *Set {
	if n < 0 {
		panic(fmt.Sprintf("datasets: Head: negative n = %d", n))
	}
	if n >= s.Len() {
		return s
	}
	h := *s
	h.n = n
	if s.index != nil {
		h.index = s.index[:n:n]
	} else if s.table == nil {
		d := s.Dim()
		h.pixels = s.pixels[: n*d : n*d]
	}
	if s.Labels != nil {
		h.Labels = s.Labels[:n:n]
	}
	return &h
}

// Subset returns the Set of the samples idx of s, in that order, sharing
// its memory.
func (s *Set) Subset(idx []int) *Set {
	sub := *s
	sub.n = len(idx)
	sub.index = make([]int, len(idx))
	for k, i := range idx {
		if i < 0 || i >= s.n {
			panic(fmt.Sprintf("datasets: Subset: idx[%d] = %d out of range [0, %d)", k, i, s.n))
		}
		sub.index[k] = s.at(i)
	}
	if s.Labels != nil {
		sub.Labels = make([]int, len(idx))
		for k, i := range idx {
			sub.Labels[k] = s.Labels[i]
		}
	}
	return &sub
}

// OfClasses returns the samples of s whose class is one of classes, each a
// class name or, when no class has that name, a class's index; the error
// names a class that s does not have or that has no samples.
func (s *Set) OfClasses(classes []string) (*Set, error) {
	want, err := s.classMask(classes)
	if err != nil {
		return nil, err
	}
	var idx []int
	count := make([]int, len(s.Classes))
	for i, l := range s.Labels {
		if want[l] {
			idx = append(idx, i)
			count[l]++
		}
	}
	for k, w := range want {
		if w && count[k] == 0 {
			return nil, fmt.Errorf("class %q has no samples", s.Classes[k])
		}
	}
	return s.Subset(idx), nil
}

// Outside marks the samples of s whose class is not one of classes (names,
// or indices as for OfClasses): the anomalies, when classes are the normal
// ones. It has one entry per sample.
func (s *Set) Outside(classes []string) ([]bool, error) {
	want, err := s.classMask(classes)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(s.Labels))
	for i, l := range s.Labels {
		out[i] = !want[l]
	}
	return out, nil
}

// classMask marks the classes of s named in classes, each a class name or,
// when no class has that name, a class's index.
func (s *Set) classMask(classes []string) ([]bool, error) {
	if s.Labels == nil {
		return nil, fmt.Errorf("the data has no labels, so no classes to choose from")
	}
	want := make([]bool, len(s.Classes))
	for _, c := range classes {
		k := slices.Index(s.Classes, c)
		if k < 0 {
			if i, ok := classIndex(c, len(s.Classes)); ok {
				k = i
			}
		}
		if k < 0 {
			return nil, fmt.Errorf("no class %q (the classes are %s)", c, listClasses(s.Classes))
		}
		want[k] = true
	}
	return want, nil
}

// classIndex reads c as the index of one of n classes.
func classIndex(c string, n int) (int, bool) {
	var i int
	if _, err := fmt.Sscanf(c, "%d", &i); err != nil || fmt.Sprint(i) != c || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

// listClasses lists class names for messages, at most 20 of them.
func listClasses(classes []string) string {
	if len(classes) > 20 {
		return fmt.Sprintf("%q … (%d in all)", classes[:20], len(classes))
	}
	return fmt.Sprintf("%q", classes)
}
