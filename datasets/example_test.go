package datasets_test

import (
	"fmt"
	"slices"

	"github.com/aegraph/aegraph/datasets"
)

func ExampleLoad() {
	m, err := datasets.Load("") // the MNIST files bundled with GoMNIST
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Train.Len(), m.Test.Len(), m.Train.Dim())

	x := make([]float32, 2*m.Train.Dim()) // (2, 784) row-major
	m.Train.Batch(x, []int{0, 1})
	fmt.Println("labels", m.Train.Labels[:2], "pixels in", slices.Min(x), "..", slices.Max(x))
	// Output:
	// 60000 10000 784
	// labels [5 0] pixels in 0 .. 1
}
