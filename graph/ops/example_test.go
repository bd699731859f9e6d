package ops_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/aegraph/aegraph/graph/ops"
)

// A dense layer y = ReLU(x·w + b) and its gradients, from the fused ops.
func ExampleMatMul() {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))))
	w := G.NewMatrix(g, tensor.Float64, G.WithShape(3, 2), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(3, 2), tensor.WithBacking([]float64{1, -1, 0, 1, -1, 0}))))
	b := G.NewMatrix(g, tensor.Float64, G.WithShape(1, 2), G.WithName("b"),
		G.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{0.5, -0.5}))))
	xw, _ := ops.MatMul(x, w, false) // x is data: no gradient for it
	a, _ := ops.BiasAdd(xw, b)
	y, _ := ops.ReLU(a)
	cost, _ := G.Sum(y)
	grads, err := G.Grad(cost, w, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("y =", y.Value().Data())
	fmt.Println("∂w =", grads[0].Value().Data())
	fmt.Println("∂b =", grads[1].Value().Data())
	// Output:
	// y = [0 0.5 0 0.5]
	// ∂w = [0 5 0 7 0 9]
	// ∂b = [0 2]
}
