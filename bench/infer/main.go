// Command infer times encoding MNIST's 10,000 test images with a net's
// encoder, from the input as the user has it to the codes: samples per
// second and the encoder's GFLOP/s. bench/infer.sh runs it beside PyTorch
// (bench/torch_infer.py) on the same nets and weight shapes.
//
// The input is the uint8 images (-input images), the same as a float32 table
// of pixel/255, as a CSV of them would give (-input table), or a float32
// table of the same size in which no value is zero (-input dense:
// (pixel+0.5)/256). Four pixels in five of a digit are zero, and our matrix
// product skips zeros (internal/sgemm): dense shows the speed on data
// without zeros. GFLOP/s counts the dense product's operations either way.
//
//	go run ./bench/infer -net mlp [-input table|dense]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/run"
)

// encoderFLOPs is the multiply-adds (×2) of one sample through each net's
// encoder, for MNIST and the nets' default sizes.
var encoderFLOPs = map[string]float64{
	"mlp":  2 * (784*256 + 256*64 + 64*32),
	"conv": 2 * (28*28*16*1*9 + 14*14*8*16*9),
}

func main() {
	net := flag.String("net", "mlp", "mlp or conv")
	rounds := flag.Int("rounds", 20, "timed passes; the best is reported")
	input := flag.String("input", "images", "images (the uint8 images), table (float32 values pixel/255) or dense (float32 values (pixel+0.5)/256, none zero)")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the timed passes to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "infer:", err)
			os.Exit(1)
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if err := infer(*net, *input, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "infer:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func infer(net, input string, rounds int) error {
	flops, ok := encoderFLOPs[net]
	if !ok {
		return fmt.Errorf("-net %s: want mlp or conv", net)
	}
	values, ok := map[string][2]float32{"images": {}, "table": {0, 255}, "dense": {0.5, 256}}[input]
	offset, scale := values[0], values[1]
	if !ok {
		return fmt.Errorf("-input %s: want images, table or dense", input)
	}
	c, err := run.Defaults(net)
	if err != nil {
		return err
	}
	data, err := c.LoadData()
	if err != nil {
		return err
	}
	if input != "images" {
		if net != "mlp" {
			return fmt.Errorf("-input %s: for the mlp only (conv reads images)", input)
		}
		test := data.Test
		values := make([]float32, 0, test.Len()*test.Dim())
		for i := range test.Len() {
			for _, p := range test.Pixels(i) {
				values = append(values, (float32(p)+offset)/scale)
			}
		}
		table, err := datasets.NewTable(values, test.Dim(), nil, nil, nil)
		if err != nil {
			return err
		}
		data = &datasets.Data{Train: table, Test: table, Scale: datasets.Scale{Kind: datasets.None}}
	}
	t, err := c.Build(data)
	if err != nil {
		return err
	}
	m, test := t.Model, data.Test
	nonzero := 0
	for _, v := range test.All() {
		if v != 0 {
			nonzero++
		}
	}
	best := time.Duration(1 << 62)
	for range rounds {
		start := time.Now()
		z, err := m.EncodeSet(test, test.Len())
		if err != nil {
			return err
		}
		best = min(best, time.Since(start))
		_ = z
	}
	n := float64(test.Len())
	fmt.Printf("aegraph %-4s encoder, %-6s (%2.0f%% nonzero): %d images in %.1f ms (best of %d): %.0f images/s, %.1f GFLOP/s\n",
		net, input, 100*float64(nonzero)/float64(test.Len()*test.Dim()), test.Len(), best.Seconds()*1e3, rounds, n/best.Seconds(), flops*n/best.Seconds()/1e9)
	return nil
}
