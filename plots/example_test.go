package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"math"

	"github.com/aegraph/aegraph/plots"
)

// This example draws a 2×3 grid of 28×28 grey images, each a horizontal
// bar whose brightness grows with its index, at twice the size.
func ExampleGrid() {
	const h, w, n = 28, 28, 6
	images := make([]float32, n*h*w) // (n, 1, h, w), row-major
	for i := 0; i < n; i++ {
		for r := 12; r < 16; r++ {
			for c := 4; c < 24; c++ {
				images[i*h*w+r*w+c] = float32(i+1) / n
			}
		}
	}
	var buf bytes.Buffer
	if err := plots.Grid(&buf, images, []int{1, h, w}, 2, 3, 2); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy())
	// Output: 172 × 114
}

// This example draws three 8×8 RGB images, a red, a green and a blue
// square, in a row of four cells; the last cell is blank.
func ExampleGrid_rgb() {
	const h, w, n = 8, 8, 3
	images := make([]float32, n*3*h*w) // (n, 3, h, w), row-major
	for i := 0; i < n; i++ {
		plane := images[(i*3+i)*h*w : (i*3+i+1)*h*w] // channel i of image i
		for p := range plane {
			plane[p] = 1
		}
	}
	var buf bytes.Buffer
	if err := plots.Grid(&buf, images, []int{3, h, w}, 1, 4, 1); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	for cell := 0; cell < 4; cell++ {
		r, g, b, _ := img.At(cell*(w+plots.Gap)+w/2, h/2).RGBA()
		fmt.Printf("cell %d: #%02x%02x%02x\n", cell, r>>8, g>>8, b>>8)
	}
	// Output:
	// cell 0: #ff0000
	// cell 1: #00ff00
	// cell 2: #0000ff
	// cell 3: #606060
}

// This example plots 2-D codes of points labelled with class names.
func ExampleLatent() {
	classes := []string{"cat", "dog", "bird"}
	var z []float32 // (n, 2), row-major
	var labels []int
	for i := 0; i < 300; i++ {
		l := i % len(classes)
		a := float64(i) * 0.1
		z = append(z, float32(3*l)+float32(math.Cos(a)), float32(math.Sin(a)))
		labels = append(labels, l)
	}
	var buf bytes.Buffer
	if err := plots.Latent(&buf, z, 2, labels, classes); err != nil {
		log.Fatal(err)
	}
	// Without labels every point has the same colour.
	var unlabelled bytes.Buffer
	if err := plots.Latent(&unlabelled, z, 2, nil, nil); err != nil {
		log.Fatal(err)
	}
	for _, b := range []*bytes.Buffer{&buf, &unlabelled} {
		img, err := png.Decode(b)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy())
	}
	// Output:
	// 600 × 400
	// 600 × 400
}

// This example charts the reconstruction error of each column of a table.
func ExampleColumnErrors() {
	columns := []string{"age", "income", "rooms", "latitude", "longitude"}
	errs := []float64{0.012, 0.094, 0.020, 0.003, 0.004} // e.g. test MSE per column
	var buf bytes.Buffer
	if err := plots.ColumnErrors(&buf, "Test MSE per column", columns, errs); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy())
	// Output: 600 × 400
}
