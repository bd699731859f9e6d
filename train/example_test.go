package train_test

import (
	"context"
	"fmt"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/train"
)

func ExamplePerm() {
	for epoch := range 3 {
		fmt.Println(train.Perm(8, 1, epoch))
	}
	fmt.Println(train.Perm(8, 1, 0)) // the same as epoch 0 above
	// Output:
	// [5 3 1 2 6 7 0 4]
	// [6 3 2 1 4 5 0 7]
	// [1 2 5 0 3 7 4 6]
	// [5 3 1 2 6 7 0 4]
}

// A trainer fits a model; its loss falls, and a checkpoint restores the
// run into another trainer, which then takes the very same steps.
func ExampleNew() {
	spec, _ := nets.Lookup("mlp")
	c := spec.Config([]int{1, 28, 28})
	c.Latent = 8
	net, _ := spec.New(c)
	model, _ := graph.NewModel(net, graph.MSE, c.Input, 1)
	t, err := train.New(model, train.Config{Batch: 64, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := datasets.Load("")
	if err != nil {
		fmt.Println(err)
		return
	}
	images := data.Train.Head(1024)
	first, _ := t.RunEpoch(context.Background(), images, nil)
	ck, _ := t.Checkpoint(nil)
	second, _ := t.RunEpoch(context.Background(), images, nil)
	fmt.Println("epochs:", t.Epoch, "steps each:", t.StepsPerEpoch(images.Len()), "loss falls:", second < first)

	model2, _ := graph.NewModel(net, graph.MSE, c.Input, 99) // other initial weights
	t2, _ := train.New(model2, train.Config{Batch: 64, Seed: 99})
	if err := t2.Restore(ck); err != nil {
		fmt.Println(err)
		return
	}
	again, _ := t2.RunEpoch(context.Background(), images, nil)
	fmt.Println("restored epoch repeats the loss exactly:", again == second)

	_, err = train.New(model, train.Config{Schedule: "cosine"})
	fmt.Println(err)
	// Output:
	// epochs: 2 steps each: 16 loss falls: true
	// restored epoch repeats the loss exactly: true
	// epochs 0: the cosine schedule needs the run's length
}
