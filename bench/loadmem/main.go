// Command loadmem measures the memory that reading a data set takes, against
// the size of the data once decoded: the peak resident memory of the process
// while datasets.Open reads the data (VmHWM of /proc/self/status, above what
// the process held before), with cmd/train's collector setting.
//
//	go run ./bench/loadmem                         # the bundled MNIST (gzipped IDX)
//	go run ./bench/loadmem -data /tmp/mnist-csv/train.csv -test /tmp/mnist-csv/test.csv
//
// The decoded size is what the sets hold: a byte per pixel for images, four
// per value for a table. Reading is bounded by design to about twice that
// (docs/HARDENING.md, "Data").
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aegraph/aegraph/datasets"
)

func main() {
	data := flag.String("data", "", "the data, as -data of cmd/train (default: the bundled MNIST)")
	test := flag.String("test", "", "a test set of its own, as -test of cmd/train")
	labels := flag.String("labels", "", "a .npy file of labels, as -labels of cmd/train")
	testLabels := flag.String("test-labels", "", "the test set's .npy labels")
	flag.Parse()
	debug.SetGCPercent(50) // as cmd/train
	runtime.GC()
	before, err := hwm()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadmem:", err)
		os.Exit(1)
	}
	start := time.Now()
	d, err := datasets.Open(datasets.Spec{Path: *data, Test: *test, Labels: *labels, TestLabels: *testLabels}, 1, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadmem:", err)
		os.Exit(1)
	}
	secs := time.Since(start).Seconds()
	after, _ := hwm()
	n := d.Train.Len() + d.Test.Len()
	per := int64(d.Train.Dim())
	kind := "pixels of a byte"
	if !d.Train.IsImages() {
		per *= 4
		kind = "float32 values"
	}
	decoded := int64(n) * per
	peak := after - before
	name := *data
	if name == "" {
		name = "the bundled MNIST"
	}
	fmt.Printf("%s: %d samples of %v, %s: %.1f MiB decoded; read in %.2f s\n", name, n, d.Train.Shape(), kind, mib(decoded), secs)
	fmt.Printf("peak resident memory while reading: %.1f MiB above the %.1f MiB before, %.2f× the decoded data\n",
		mib(peak), mib(before), float64(peak)/float64(decoded))
	runtime.KeepAlive(d)
}

// hwm is the process's peak resident memory so far, in bytes.
func hwm() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/self/status")
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
