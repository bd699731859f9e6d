package datasets

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/image/draw"

	"github.com/aegraph/aegraph/internal/par"
)

// errNoImages is the error of a folder without images.
var errNoImages = errors.New("no images (.png, .jpg, .jpeg) found")

// imageExts are the file name endings read as images.
var imageExts = []string{".png", ".jpg", ".jpeg"}

func isImage(name string) bool {
	return slices.Contains(imageExts, strings.ToLower(filepath.Ext(name)))
}

// readImageFolder reads a folder of images: its train/ and test/ subfolders
// when it has both, else the folder itself.
func readImageFolder(dir string, resize []int) (*Data, error) {
	train, test := filepath.Join(dir, "train"), filepath.Join(dir, "test")
	if isDir(train) && isDir(test) {
		tr, skipped, err := ReadImages(train, resize)
		if err != nil {
			return nil, err
		}
		te, skipped2, err := ReadImages(test, resize)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(tr.Shape(), te.Shape()) {
			return nil, fmt.Errorf("%s: images of %s, but %s holds images of %s (give -resize WxH)", train, shapeText(tr.Shape()), test, shapeText(te.Shape()))
		}
		if err := mergeClasses(tr, te); err != nil {
			return nil, fmt.Errorf("%s: %w", test, err)
		}
		return &Data{Train: tr, Test: te, TestFrom: "the test/ subfolder", Skipped: skipped + skipped2}, nil
	}
	s, skipped, err := ReadImages(dir, resize)
	if errors.Is(err, errNoImages) {
		return nil, fmt.Errorf("%s: neither MNIST-format IDX files (train-images-idx3-ubyte[.gz], …) nor images (.png, .jpg, .jpeg) found", dir)
	}
	if err != nil {
		return nil, err
	}
	return &Data{Train: s, Skipped: skipped}, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// shapeText writes (C, H, W) as "28×28 grey" or "32×32 RGB".
func shapeText(shape []int) string {
	if len(shape) != 3 {
		return fmt.Sprint(shape)
	}
	kind := "grey"
	if shape[0] == 3 {
		kind = "RGB"
	}
	return fmt.Sprintf("%d×%d %s", shape[2], shape[1], kind)
}

// imageFile is one image of a folder, with what its header says.
type imageFile struct {
	path  string
	label int
	w, h  int
	grey  bool
}

// ReadImages reads the PNG and JPEG images in dir as a Set of uint8 pixels,
// channels first: grey (one channel) when every image is grey, else RGB.
// Subfolders are classes, named after them (sorted), and give the labels; a
// folder without subfolders is unlabelled. Images are taken in the order of
// their file names. Every image must have the same size, unless resize
// gives a width and height to scale each to. Files without an image ending
// are skipped and counted; one with an image ending that does not decode is
// an error naming it.
func ReadImages(dir string, resize []int) (*Set, int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", dir, errorsUnwrapPath(err))
	}
	var files []imageFile
	var classes []string
	skipped := 0
	var loose []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		switch {
		case e.IsDir():
			sub, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				return nil, 0, fmt.Errorf("%s: %w", filepath.Join(dir, name), errorsUnwrapPath(err))
			}
			label := len(classes)
			classes = append(classes, name)
			for _, f := range sub {
				if f.Type().IsRegular() && isImage(f.Name()) && !strings.HasPrefix(f.Name(), ".") {
					files = append(files, imageFile{path: filepath.Join(dir, name, f.Name()), label: label})
				} else if !strings.HasPrefix(f.Name(), ".") {
					skipped++
				}
			}
		case e.Type().IsRegular() && isImage(name):
			loose = append(loose, name)
			files = append(files, imageFile{path: filepath.Join(dir, name), label: -1})
		default:
			skipped++
		}
	}
	if classes != nil && loose != nil {
		return nil, 0, fmt.Errorf("%s: holds both images (%s, …) and class folders (%s, …): put every image in a class folder, or none", dir, loose[0], classes[0])
	}
	if len(files) == 0 {
		return nil, 0, fmt.Errorf("%s: %w", dir, errNoImages)
	}
	// Each class folder's files are in name order already (os.ReadDir sorts).
	if err := readHeaders(files, resize); err != nil {
		return nil, 0, err
	}
	w, h := files[0].w, files[0].h
	if resize != nil {
		w, h = resize[0], resize[1]
	}
	c := 1
	if slices.ContainsFunc(files, func(f imageFile) bool { return !f.grey }) {
		c = 3
	}
	if int64(len(files))*int64(c*w*h) > 1<<36 {
		return nil, 0, fmt.Errorf("%s: %d images of %d×%d×%d are too many to hold in memory", dir, len(files), c, h, w)
	}
	pixels := make([]uint8, len(files)*c*w*h)
	digests := make([][]byte, len(files))
	errs := make([]error, par.Workers())
	par.Range(len(files), func(worker, lo, hi int) {
		for i := lo; i < hi && errs[worker] == nil; i++ {
			digests[i], errs[worker] = decodeInto(pixels[i*c*w*h:(i+1)*c*w*h], files[i].path, c, w, h)
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	var labels []int
	if classes != nil {
		labels = make([]int, len(files))
		for i, f := range files {
			labels[i] = f.label
		}
	}
	s, err := NewImages(pixels, c, h, w, labels, classes)
	if err != nil {
		return nil, 0, err
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i], _ = filepath.Rel(dir, f.path)
	}
	s.digest = digestOf(names, digests)
	return s, skipped, nil
}

// readHeaders reads every file's size and colour model, and checks that the
// sizes agree unless the images are to be resized.
func readHeaders(files []imageFile, resize []int) error {
	errs := make([]error, par.Workers())
	par.Range(len(files), func(worker, lo, hi int) {
		for i := lo; i < hi && errs[worker] == nil; i++ {
			errs[worker] = readHeader(&files[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if resize != nil {
		return nil
	}
	first := files[0]
	for _, f := range files[1:] {
		if f.w != first.w || f.h != first.h {
			return fmt.Errorf("images of mixed sizes: %s is %d×%d but %s is %d×%d (give -resize WxH)", first.path, first.w, first.h, f.path, f.w, f.h)
		}
	}
	return nil
}

func readHeader(f *imageFile) error {
	file, err := openRegular(f.path)
	if err != nil {
		return err
	}
	defer file.Close()
	var cfg image.Config
	if strings.EqualFold(filepath.Ext(f.path), ".png") {
		cfg, err = png.DecodeConfig(file)
	} else {
		cfg, err = jpeg.DecodeConfig(file)
	}
	if err != nil {
		return fmt.Errorf("%s: not a valid %s image: %v", f.path, strings.ToUpper(strings.TrimPrefix(filepath.Ext(f.path), ".")), err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width*cfg.Height > maxImageDim {
		return fmt.Errorf("%s: image of %d×%d pixels: too large or empty", f.path, cfg.Width, cfg.Height)
	}
	f.w, f.h, f.grey = cfg.Width, cfg.Height, isGreyModel(cfg.ColorModel)
	return nil
}

// isGreyModel reports whether a colour model holds grey values only.
func isGreyModel(m color.Model) bool {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return true
	}
	if p, ok := m.(color.Palette); ok {
		for _, c := range p {
			r, g, b, _ := c.RGBA()
			if r != g || g != b {
				return false
			}
		}
		return true
	}
	return false
}

// decodeInto decodes the image at path into dst, c×h×w, channels first,
// scaling it to w×h if its size differs, and returns the file's SHA-256.
func decodeInto(dst []uint8, path string, c, w, h int) ([]byte, error) {
	file, err := openSource(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if err := decodeImage(dst, file, path, c, w, h); err != nil {
		return nil, err
	}
	return file.sum()
}

// decodeImage decodes the image in r, from path, into dst, c×h×w, channels
// first, scaling it to w×h if its size differs.
func decodeImage(dst []uint8, file io.Reader, path string, c, w, h int) error {
	var img image.Image
	var err error
	if strings.EqualFold(filepath.Ext(path), ".png") {
		img, err = png.Decode(file)
	} else {
		img, err = jpeg.Decode(file)
	}
	if err != nil {
		return fmt.Errorf("%s: not a valid %s image: %v", path, strings.ToUpper(strings.TrimPrefix(filepath.Ext(path), ".")), err)
	}
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		scaled := image.NewNRGBA(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(scaled, scaled.Bounds(), img, b, draw.Src, nil)
		img, b = scaled, scaled.Bounds()
	}
	if g, ok := img.(*image.Gray); ok && c == 1 {
		for y := 0; y < h; y++ {
			o := g.PixOffset(b.Min.X, b.Min.Y+y)
			copy(dst[y*w:(y+1)*w], g.Pix[o:o+w])
		}
		return nil
	}
	plane := w * h
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			px := img.At(b.Min.X+x, b.Min.Y+y)
			if c == 1 {
				dst[y*w+x] = color.GrayModel.Convert(px).(color.Gray).Y
				continue
			}
			r, g, bl, _ := px.RGBA()
			dst[y*w+x] = uint8(r >> 8)
			dst[plane+y*w+x] = uint8(g >> 8)
			dst[2*plane+y*w+x] = uint8(bl >> 8)
		}
	}
	return nil
}
