package run_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aegraph/aegraph/run"
)

// A run trained, saved, and opened again by another program, which gets the
// trained model back.
func Example() {
	dir, _ := os.MkdirTemp("", "aegraph-example")
	defer os.RemoveAll(dir)

	c, _ := run.Defaults("mlp") // the mlp with its own defaults
	c.Train.Epochs, c.Data.Limit = 2, 2000
	data, err := c.LoadData() // the bundled MNIST, first 2,000 training images
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := run.New(filepath.Join(dir, "mlp"), c, data)
	if err != nil {
		fmt.Println(err)
		return
	}
	for r.Trainer.Epoch < c.Train.Epochs {
		m, err := r.Epoch(context.Background(), data.Train, data.Test, nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("epoch %d: test MSE %.3f\n", m.Epoch, m.TestMSE)
		if err := r.Save(); err != nil { // checkpoint.aeg, config.json, metrics.csv
			fmt.Println(err)
			return
		}
	}

	opened, err := run.Open(filepath.Join(dir, "mlp"))
	if err != nil {
		fmt.Println(err)
		return
	}
	x := make([]float32, 2*opened.Model.Dim)
	data.Test.Batch(x, []int{0, 1})
	z, _ := opened.Model.Encode(x) // (2, 784) → (2, 32)
	fmt.Println(opened.Config.Net, opened.Config.Arch.Options, "code values:", len(z), "epochs:", len(opened.History))
	// Output:
	// epoch 1: test MSE 0.077
	// epoch 2: test MSE 0.069
	// mlp map[hidden:[256 64]] code values: 64 epochs: 2
}
