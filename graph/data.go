package graph

import "fmt"

// Data is what a Model evaluates and a Trainer trains on: Len samples of one
// shape, such as (1, 28, 28) for a grey 28×28 image or (d) for a row of d
// features, read in batches as float32 values already scaled for the net
// (datasets.Set serves MNIST's pixels as pixel/255).
type Data interface {
	Len() int
	Shape() []int
	// Batch writes the samples idx[0], idx[1], … into dst, which holds
	// len(idx) rows of Size(Shape()) values, row-major.
	Batch(dst []float32, idx []int)
}

// Size is the number of values in a tensor of the given shape: the product
// of its dimensions (1 for no dimensions).
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Check reports data whose samples the model cannot take: samples of another
// size than the model's input. (The shape may differ: the net sees each
// sample as a row of Dim values.)
func (m *Model) Check(data Data) error {
	if shape := data.Shape(); Size(shape) != m.Dim {
		return fmt.Errorf("the samples have shape %v (%d values), the model takes %v (%d values)", shape, Size(shape), m.Shape, m.Dim)
	}
	return nil
}
