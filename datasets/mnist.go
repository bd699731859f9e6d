package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// digits are the class names of MNIST-format labels.
var digits = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

// File name stems of the four IDX files; each is looked for with a .gz
// suffix first, then without.
const (
	trainStem = "train"
	testStem  = "t10k"
)

// Load reads the four IDX files train-images-idx3-ubyte,
// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte
// from dir, each gzipped with a .gz suffix or plain. dir == "" means the data
// bundled with the GoMNIST module, as found by DefaultDir.
//
// The images may have any size, but training and test images must have the
// same size, every label must be in 0..9, and each images file must hold as
// many images as its labels file holds labels. Load checks the headers of
// all four files before reading any payload, and memory grows with the data
// actually present, so a corrupt header cannot trigger a huge allocation.
//
// The sets serve their pixels as pixel/255 and have the classes "0" … "9".
func Load(dir string) (*Data, error) {
	if dir == "" {
		d, err := DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("reading MNIST from %s: missing folder: %w", dir, fs.ErrNotExist)
	case err != nil:
		return nil, fmt.Errorf("reading MNIST from %s: %w", dir, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("reading MNIST from %s: not a folder", dir)
	}

	train, err := openSplit(dir, trainStem)
	if err != nil {
		return nil, err
	}
	defer train.close()
	test, err := openSplit(dir, testStem)
	if err != nil {
		return nil, err
	}
	defer test.close()
	if train.rows != test.rows || train.cols != test.cols {
		return nil, fmt.Errorf("reading MNIST from %s: image size mismatch: %s holds %d×%d images but %s holds %d×%d",
			dir, train.images.path, train.rows, train.cols, test.images.path, test.rows, test.cols)
	}

	m := Data{TestFrom: "the t10k files", Scale: Scale{Kind: Pixel}}
	if m.Train, err = train.read(); err != nil {
		return nil, err
	}
	if m.Test, err = test.read(); err != nil {
		return nil, err
	}
	return &m, nil
}

// split is an images file and a labels file whose headers have been read
// and checked against each other.
type split struct {
	images, labels *idxFile
	n, rows, cols  int64
}

// openSplit opens stem-images-idx3-ubyte[.gz] and stem-labels-idx1-ubyte[.gz]
// in dir and reads their headers.
func openSplit(dir, stem string) (_ *split, err error) {
	var s split
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.images, err = openIDX(dir, stem+"-images-idx3-ubyte"); err != nil {
		return nil, err
	}
	if s.labels, err = openIDX(dir, stem+"-labels-idx1-ubyte"); err != nil {
		return nil, err
	}

	idims, err := s.images.header(imageMagic)
	if err != nil {
		return nil, err
	}
	s.n, s.rows, s.cols = idims[0], idims[1], idims[2]
	switch {
	case s.n == 0:
		return nil, fmt.Errorf("reading %s: header says 0 images, want at least one", s.images.path)
	case s.rows == 0 || s.cols == 0:
		return nil, fmt.Errorf("reading %s: empty image size %d×%d in header", s.images.path, s.rows, s.cols)
	case s.rows*s.cols > maxImageDim:
		return nil, fmt.Errorf("reading %s: image size %d×%d in header too large", s.images.path, s.rows, s.cols)
	}

	ldims, err := s.labels.header(labelMagic)
	if err != nil {
		return nil, err
	}
	if ldims[0] != s.n {
		return nil, fmt.Errorf("count mismatch: %s holds %d images but %s holds %d labels",
			s.images.path, s.n, s.labels.path, ldims[0])
	}
	return &s, nil
}

// read reads the payloads of both files of s.
func (s *split) read() (*Set, error) {
	labels, err := s.labels.payload(s.n, fmt.Sprintf("%d labels", s.n))
	if err != nil {
		return nil, err
	}
	for i, l := range labels {
		if l > 9 {
			return nil, fmt.Errorf("reading %s: label %d at index %d out of range 0..9", s.labels.path, l, i)
		}
	}
	pixels, err := s.images.payload(s.n*s.rows*s.cols, fmt.Sprintf("%d images of %d×%d", s.n, s.rows, s.cols))
	if err != nil {
		return nil, err
	}
	ints := make([]int, len(labels))
	for i, l := range labels {
		ints[i] = int(l)
	}
	set, err := NewImages(pixels, 1, int(s.rows), int(s.cols), ints, digits)
	if err != nil {
		return nil, err
	}
	di, err := s.images.f.sum()
	if err != nil {
		return nil, err
	}
	dl, err := s.labels.f.sum()
	if err != nil {
		return nil, err
	}
	set.digest = digestOf([]string{"images", "labels"}, [][]byte{di, dl})
	return set, nil
}

func (s *split) close() {
	if s.images != nil {
		s.images.Close()
	}
	if s.labels != nil {
		s.labels.Close()
	}
}
