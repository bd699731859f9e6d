package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"

	"github.com/aegraph/aegraph/plots"
)

// This example draws a 2×3 grid of 28×28 images, each a horizontal bar
// whose brightness grows with its index, at twice the size.
func ExampleGrid() {
	const h, w, n = 28, 28, 6
	images := make([]float32, n*h*w) // (n, h*w), row-major
	for i := 0; i < n; i++ {
		for r := 12; r < 16; r++ {
			for c := 4; c < 24; c++ {
				images[i*h*w+r*w+c] = float32(i+1) / n
			}
		}
	}
	var buf bytes.Buffer
	if err := plots.Grid(&buf, images, h, w, 2, 3, 2); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy())
	// Output: 172 × 114
}
