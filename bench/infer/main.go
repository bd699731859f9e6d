// Command infer times encoding MNIST's 10,000 test images with a net's
// encoder, from the uint8 images as the user has them to the codes: samples
// per second and the encoder's GFLOP/s. bench/infer.sh runs it beside
// PyTorch (bench/torch_infer.py) on the same nets and weight shapes.
//
//	go run ./bench/infer -net mlp
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"time"

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
	if err := infer(*net, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "infer:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func infer(net string, rounds int) error {
	flops, ok := encoderFLOPs[net]
	if !ok {
		return fmt.Errorf("-net %s: want mlp or conv", net)
	}
	c, err := run.Defaults(net)
	if err != nil {
		return err
	}
	data, err := c.LoadData()
	if err != nil {
		return err
	}
	t, err := c.Build(data)
	if err != nil {
		return err
	}
	m, test := t.Model, data.Test
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
	fmt.Printf("aegraph %-4s encoder: %d images in %.1f ms (best of %d): %.0f images/s, %.1f GFLOP/s\n",
		net, test.Len(), best.Seconds()*1e3, rounds, n/best.Seconds(), flops*n/best.Seconds()/1e9)
	return nil
}
