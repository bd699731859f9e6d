// Command csvspeed times how long aegraph takes to read a CSV file into a
// table (datasets.ReadTable), for bench/csv_speed.sh, which times pandas'
// read_csv on the same file in the same run.
//
//	go run ./bench/csvspeed -label label FILE.csv
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/aegraph/aegraph/datasets"
)

func main() {
	label := flag.String("label", "", "the label column (default: a column named label)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: csvspeed [-label COL] FILE.csv")
		os.Exit(2)
	}
	debug.SetGCPercent(50) // as cmd/train
	start := time.Now()
	s, err := datasets.ReadTable(flag.Arg(0), *label)
	if err != nil {
		fmt.Fprintln(os.Stderr, "csvspeed:", err)
		os.Exit(1)
	}
	fmt.Printf("aegraph %d rows × %d columns in %.3f s\n", s.Len(), s.Dim(), time.Since(start).Seconds())
}
