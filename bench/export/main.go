// Command export writes an MNIST-format IDX data set (the bundled MNIST by
// default, or Fashion-MNIST, …) in the other formats that -data reads, so
// that they can be compared and tried:
//
//	go run ./bench/export -format png -out /tmp/mnist-png          # train/ and test/, a folder per class
//	go run ./bench/export -format png-flat -out /tmp/mnist-flat    # train/ and test/, 00000.png … in IDX order
//	go run ./bench/export -format csv -out /tmp/mnist-csv          # train.csv, test.csv: label,p1,…,p784 (0–255)
//	go run ./bench/export -format npy -out /tmp/mnist-npy          # train.npy (N×28×28 uint8), train_labels.npy, test…
//
// Fashion-MNIST (Debian's dataset-fashion-mnist) as class folders named after its classes:
//
//	go run ./bench/export -data /usr/share/datasets/fashion-mnist -format png -out /tmp/fashion \
//		-names t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot
//
// Trained with the same seed and flags, each trains bit for bit as the IDX
// files do (the CSV with -scale pixel): see README.md, "Your own data".
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aegraph/aegraph/datasets"
)

func main() {
	if err := export(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(2)
	}
}

func export(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := fs.String("data", "", "folder of MNIST-format IDX files (default: the bundled MNIST)")
	format := fs.String("format", "png", "png, png-flat, csv or npy")
	out := fs.String("out", "", "folder to write (created; must not exist)")
	limit := fs.Int("limit", 0, "export the first N training and test images only (0: all)")
	names := fs.String("names", "", "class names for the labels 0, 1, …, comma-separated (default: the digits)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 || *limit < 0 {
		return errors.New("usage: export -out DIR [-format png|png-flat|csv|npy] [-data DIR] [-limit N]")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("%s exists: give a new -out", *out)
	}
	m, err := datasets.Load(*data)
	if err != nil {
		return err
	}
	if *names != "" {
		classes := strings.Split(*names, ",")
		if len(classes) != len(m.Train.Classes) {
			return fmt.Errorf("-names: %d names for %d classes", len(classes), len(m.Train.Classes))
		}
		m.Train.Classes, m.Test.Classes = classes, classes
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	for _, part := range []struct {
		name string
		set  *datasets.Set
	}{{"train", m.Train}, {"test", m.Test}} {
		s := part.set
		if *limit > 0 {
			s = s.Head(*limit)
		}
		var err error
		switch *format {
		case "png", "png-flat":
			err = writePNGs(filepath.Join(*out, part.name), s, *format == "png")
		case "csv":
			err = writeCSV(filepath.Join(*out, part.name+".csv"), s)
		case "npy":
			err = writeNpy(*out, part.name, s)
		default:
			return fmt.Errorf("-format %q: want png, png-flat, csv or npy", *format)
		}
		if err != nil {
			return err
		}
		fmt.Printf("%s: %d images\n", part.name, s.Len())
	}
	return nil
}

// writePNGs writes every image of s as a PNG, named by its index
// (zero-padded, so that name order is the IDX order), in a subfolder per
// class when byClass.
func writePNGs(dir string, s *datasets.Set, byClass bool) error {
	for i := range s.Len() {
		folder := dir
		if byClass {
			folder = filepath.Join(dir, s.Classes[s.Labels[i]])
		}
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return err
		}
		if err := datasets.WritePNG(filepath.Join(folder, fmt.Sprintf("%05d.png", i)), s.Pixels(i), s.Shape()); err != nil {
			return err
		}
	}
	return nil
}

// writeCSV writes a header (label,p1,…) and a row per image: its label and
// its pixel values 0–255.
func writeCSV(path string, s *datasets.Set) error {
	columns := make([]string, s.Dim())
	for j := range columns {
		columns[j] = fmt.Sprintf("p%d", j+1)
	}
	values := make([]float32, 0, s.Len()*s.Dim())
	labels := make([]string, s.Len())
	for i := range s.Len() {
		for _, p := range s.Pixels(i) {
			values = append(values, float32(p))
		}
		labels[i] = s.Classes[s.Labels[i]]
	}
	return datasets.WriteCSV(path, columns, values, labels)
}

// writeNpy writes NAME.npy, the images as uint8 N×H×W (N×C×H×W for colour),
// and NAME_labels.npy, their labels as uint8.
func writeNpy(dir, name string, s *datasets.Set) error {
	pixels := make([]uint8, 0, s.Len()*s.Dim())
	labels := make([]uint8, s.Len())
	for i := range s.Len() {
		pixels = append(pixels, s.Pixels(i)...)
		labels[i] = uint8(s.Labels[i])
	}
	shape := append([]int{s.Len()}, s.Shape()...)
	if shape[1] == 1 {
		shape = append(shape[:1], shape[2:]...)
	}
	if err := datasets.WriteNpy(filepath.Join(dir, name+".npy"), pixels, shape); err != nil {
		return err
	}
	return datasets.WriteNpy(filepath.Join(dir, name+"_labels.npy"), labels, []int{s.Len()})
}
