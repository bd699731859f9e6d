package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Spec says where a data set is and how to read it. A run records it
// (run.Config), so that whatever later reads data for the run's model reads
// it the same way. Its zero value is the bundled MNIST.
type Spec struct {
	// Path is a folder of MNIST-format IDX files or of images (PNG, JPEG),
	// a CSV or TSV file (optionally gzipped), or a NumPy .npy file; "" is
	// the MNIST bundled with the GoMNIST module.
	Path string `json:"path,omitempty"`
	// Test is a test set of its own, in the same format. Without it the
	// format's own is used (the t10k IDX files, a test/ subfolder), and
	// failing that TestFrac of the samples, drawn by the seed, are held out.
	Test     string  `json:"test,omitempty"`
	TestFrac float64 `json:"test_frac,omitempty"` // 0 is DefaultTestFrac
	// Label is a table's label column, by name or by index (from 0);
	// "" is a column named "label", if there is one.
	Label string `json:"label,omitempty"`
	// Labels and TestLabels are .npy files of labels, one per sample, for
	// a .npy Path and Test.
	Labels     string `json:"labels,omitempty"`
	TestLabels string `json:"test_labels,omitempty"`
	// Resize gives image folders' images this width and height.
	Resize []int `json:"resize,omitempty"`
	// Limit keeps the first Limit training samples (0: all).
	Limit int `json:"limit,omitempty"`
	// Classes keeps the training samples of these classes only (names, or
	// indices when no class has the name); the test set keeps every class.
	Classes []string `json:"classes,omitempty"`
	// Scale is the kind of Scale fitted on the training samples: "" is
	// Pixel for images and Standard for tables.
	Scale string `json:"scale,omitempty"`
}

// DefaultTestFrac is the fraction of the samples held out for testing when
// the data has no test set of its own.
const DefaultTestFrac = 0.1

// Data is a data set read by Open: its training and test samples, served
// scaled, and how.
type Data struct {
	Train, Test *Set
	// TestFrom says where the test set came from: "the t10k files", "the
	// test/ subfolder", a file, or "10% of the samples held out (seed 1)".
	TestFrom string
	// Scale is the scale fitted on the training samples (or given to
	// Open), which both sets serve their samples through.
	Scale Scale
	// Skipped counts files that a folder held beside its images (without
	// an image extension), which were not read.
	Skipped int
	// Fingerprint identifies the data as read (before any split, limit or
	// scaling): the number and shape of its samples, and a SHA-256 of the
	// bytes of the files of its training and test parts, taken while they
	// were read, and of its classes: "60000+10000 samples of [1 28 28],
	// sha256 …". The same files give the same fingerprint;
	// CheckFingerprint says what differs.
	Fingerprint string
}

// Name names the data of spec in messages.
func (spec Spec) Name() string {
	if spec.Path == "" {
		return "the bundled MNIST"
	}
	return spec.Path
}

// Check reports a spec that no data can satisfy, before anything is read.
func (spec Spec) Check() error {
	switch {
	case spec.Limit < 0:
		return fmt.Errorf("limit %d: want ≥ 0 (0: all samples)", spec.Limit)
	case !(spec.TestFrac >= 0 && spec.TestFrac < 1):
		return fmt.Errorf("test-frac %v: want a fraction in [0, 1) (0: %v)", spec.TestFrac, DefaultTestFrac)
	case spec.Resize != nil && (len(spec.Resize) != 2 || spec.Resize[0] < 1 || spec.Resize[1] < 1 || spec.Resize[0]*spec.Resize[1] > maxImageDim):
		return fmt.Errorf("resize %v: want a width and a height ≥ 1", spec.Resize)
	}
	if spec.Scale != "" {
		if err := checkKind(spec.Scale); err != nil {
			return fmt.Errorf("scale: %w", err)
		}
	}
	return nil
}

// Open reads the data that spec describes. scale, if not nil, is applied to
// both sets (a model's stored scale); otherwise a Scale of spec's kind is
// fitted on the training samples, after Limit and Classes. seed draws the
// held-out test samples, if any.
func Open(spec Spec, seed uint64, scale *Scale) (*Data, error) {
	if err := spec.Check(); err != nil {
		return nil, err
	}
	d, err := readSource(spec, spec.Path, spec.Labels)
	if err != nil {
		return nil, err
	}
	if spec.Test != "" {
		t, err := readSource(spec, spec.Test, spec.TestLabels)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(t.Train.Shape(), d.Train.Shape()) {
			return nil, fmt.Errorf("test set %s: samples of shape %v, but the training samples of %s have shape %v",
				spec.Test, t.Train.Shape(), spec.Name(), d.Train.Shape())
		}
		d.Test, d.TestFrom = t.Train, spec.Test
		d.Skipped += t.Skipped
		if err := mergeClasses(d.Train, d.Test); err != nil {
			return nil, fmt.Errorf("test set %s: %w", spec.Test, err)
		}
	}
	d.Fingerprint = d.fingerprint()
	if d.Test == nil {
		frac := spec.TestFrac
		if frac == 0 {
			frac = DefaultTestFrac
		}
		if d.Train, d.Test, err = holdOut(d.Train, frac, seed); err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name(), err)
		}
		d.TestFrom = fmt.Sprintf("%g%% of the samples held out (seed %d)", 100*frac, seed)
	}
	if spec.Limit > 0 {
		d.Train = d.Train.Head(spec.Limit)
	}
	if spec.Classes != nil {
		if d.Train, err = d.Train.OfClasses(spec.Classes); err != nil {
			return nil, fmt.Errorf("%s: classes: %w", spec.Name(), err)
		}
	}
	if scale == nil {
		kind := spec.Scale
		if kind == "" {
			kind = Pixel
			if !d.Train.IsImages() {
				kind = Standard
			}
		}
		sc, err := FitScale(kind, d.Train)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name(), err)
		}
		scale = &sc
	}
	if err := scale.check(d.Train.Dim()); err != nil {
		return nil, fmt.Errorf("%s: %w", spec.Name(), err)
	}
	d.Scale = *scale
	for _, s := range []*Set{d.Train, d.Test} {
		if s.table != nil && s.table.scaled {
			continue // shares its table with the training set
		}
		if err := s.SetScale(*scale); err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name(), err)
		}
	}
	return d, nil
}

// Read reads the data at spec.Path as one set, served through scale (a
// model's stored scale): a file, or a folder without a split of its own,
// whole; of an IDX folder, or a folder with train/ and test/, the part named
// by part, "test" or "train". It returns where the samples came from.
// Limit, Classes, Test and TestFrac are not used.
func Read(spec Spec, scale Scale, part string) (*Set, string, error) {
	if part != "test" && part != "train" {
		return nil, "", fmt.Errorf("part %q: want test or train", part)
	}
	if err := spec.Check(); err != nil {
		return nil, "", err
	}
	d, err := readSource(spec, spec.Path, spec.Labels)
	if err != nil {
		return nil, "", err
	}
	s, from := d.Train, spec.Name()
	if d.Test != nil {
		from = fmt.Sprintf("the %s part of %s", part, spec.Name())
		if part == "test" {
			s = d.Test
		}
	}
	if err := scale.check(s.Dim()); err != nil {
		return nil, "", fmt.Errorf("%s: %w", spec.Name(), err)
	}
	if err := s.SetScale(scale); err != nil {
		return nil, "", fmt.Errorf("%s: %w", spec.Name(), err)
	}
	return s, from, nil
}

// readSource reads the data at path in its format. The result's Train holds
// all of it, or its training part when the format has a test part of its
// own (Test).
func readSource(spec Spec, path, labels string) (*Data, error) {
	if path == "" {
		return Load("")
	}
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such file or folder", path)
	}
	if err != nil {
		return nil, err
	}
	if labels != "" && !strings.HasSuffix(strings.ToLower(path), ".npy") {
		return nil, fmt.Errorf("%s: a labels file (%s) goes with a .npy file only", path, labels)
	}
	if info.IsDir() {
		if hasIDX(path) {
			return Load(path)
		}
		return readImageFolder(path, spec.Resize)
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	switch {
	case strings.HasSuffix(name, ".csv"), strings.HasSuffix(name, ".tsv"), strings.HasSuffix(name, ".txt"):
		s, err := ReadTable(path, spec.Label)
		if err != nil {
			return nil, err
		}
		return &Data{Train: s}, nil
	case strings.HasSuffix(name, ".npy"):
		s, err := ReadNpy(path, labels)
		if err != nil {
			return nil, err
		}
		return &Data{Train: s}, nil
	}
	return nil, fmt.Errorf("%s: cannot tell its format (want a folder of IDX files or of images, a .csv, .tsv (or .gz) or a .npy file)", path)
}

// hasIDX reports whether dir holds MNIST-format training images.
func hasIDX(dir string) bool {
	for _, name := range []string{"train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}

// holdOut splits s at random (drawn by seed) into the training samples and
// frac of them for testing, each in their order in s.
func holdOut(s *Set, frac float64, seed uint64) (train, test *Set, err error) {
	n := s.Len()
	k := int(math.Round(frac * float64(n)))
	if k < 1 || k >= n {
		return nil, nil, fmt.Errorf("%d samples: too few to hold out %g%% for testing (give a test set)", n, 100*frac)
	}
	rng := rand.New(rand.NewPCG(seed, 0x74657374)) // "test"
	perm := rng.Perm(n)
	held := perm[:k]
	slices.Sort(held)
	inTest := make([]bool, n)
	for _, i := range held {
		inTest[i] = true
	}
	rest := make([]int, 0, n-k)
	for i := range n {
		if !inTest[i] {
			rest = append(rest, i)
		}
	}
	return s.Subset(rest), s.Subset(held), nil
}

// mergeClasses gives test the class list of train, extended by the classes
// that only test has, and relabels test's samples accordingly. Labelled and
// unlabelled sets do not mix.
func mergeClasses(train, test *Set) error {
	if (train.Labels == nil) != (test.Labels == nil) {
		if test.Labels == nil {
			return nil // an unlabelled test set: nothing to merge
		}
		return fmt.Errorf("it has labels but the training set has none")
	}
	if train.Labels == nil {
		return nil
	}
	classes := slices.Clone(train.Classes)
	remap := make([]int, len(test.Classes))
	for k, c := range test.Classes {
		i := slices.Index(classes, c)
		if i < 0 {
			classes = append(classes, c)
			i = len(classes) - 1
		}
		remap[k] = i
	}
	labels := make([]int, len(test.Labels))
	for i, l := range test.Labels {
		labels[i] = remap[l]
	}
	train.Classes, test.Classes, test.Labels = classes, classes, labels
	return nil
}

// Unit reports whether the training samples, as served, lie in [0, 1], so
// that a sigmoid output and cross-entropy fit them: pixel and min-max scales
// put them there, a standard one does not, and unscaled values are looked at.
func (d *Data) Unit() bool {
	switch d.Scale.Kind {
	case Pixel, MinMax:
		return true
	case Standard:
		return false
	}
	s := d.Train
	for i := range s.Len() {
		j := s.at(i)
		if s.table != nil {
			for _, v := range s.table.row(j) {
				if !(v >= 0 && v <= 1) {
					return false
				}
			}
			continue
		}
		for _, p := range s.Pixels(i) {
			if p > 1 {
				return false
			}
		}
	}
	return true
}
