package plots

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
)

const (
	// Gap is the width in pixels of the separator drawn between
	// neighbouring cells by Grid and Recon.
	Gap = 2

	// PairGap is the width in pixels of the separator Recon draws between
	// one (originals, reconstructions) pair of rows and the next.
	PairGap = 3 * Gap

	// ReconScale is the factor by which Recon enlarges each pixel.
	ReconScale = 2

	// ReconPerRow is the maximum number of images Recon puts in one row.
	ReconPerRow = 16

	// maxPixels bounds the number of input values and of output bytes
	// (one per grey pixel, four per RGB pixel) of Grid and Recon, so that
	// bad arguments yield an error instead of exhausting memory.
	maxPixels = 1 << 28
)

// GapGrey is the grey level of the separators between cells and of
// blank cells, in grey and RGB pictures alike. It is dark enough not to be
// mistaken for ink and light enough to be told apart from the black
// background.
var GapGrey = color.Gray{Y: 0x60}

// errArg is wrapped by every argument error returned by this package.
var errArg = errors.New("plots: invalid argument")

// Grid draws images as a grid of rows×cols cells, filled row by row, and
// writes it to w as a PNG image.
//
// shape is the shape of one image: (C, H, W) with C = 1 (grey) or C = 3
// (RGB), or (H, W) for a grey image. images is a row-major (m, C*H*W) batch
// with m ≤ rows*cols: image i is images[i*C*H*W:(i+1)*C*H*W], in CHW layout
// (the H×W row-major plane of channel c starts at offset c*H*W; for RGB the
// channels are red, green, blue). Values are drawn as brightness (0 black,
// 1 full intensity); values outside [0, 1] are clamped and NaN is drawn as
// 0. Each pixel is enlarged to scale×scale output pixels, and cells are
// separated by Gap pixels of GapGrey. If m < rows*cols the remaining cells
// are left blank (filled with GapGrey).
//
// The PNG has width cols*W*scale + (cols-1)*Gap and height
// rows*H*scale + (rows-1)*Gap. For C = 1 it is an 8-bit greyscale image
// (image.Gray); for C = 3 an opaque 8-bit RGB image (image.RGBA).
func Grid(w io.Writer, images []float32, shape []int, rows, cols, scale int) error {
	if rows <= 0 || cols <= 0 || scale <= 0 {
		return fmt.Errorf("%w: Grid: rows=%d, cols=%d, scale=%d must all be positive",
			errArg, rows, cols, scale)
	}
	sh, err := parseShape(shape)
	if err != nil {
		return fmt.Errorf("Grid: %w", err)
	}
	pix := sh.size()
	if len(images)%pix != 0 {
		return fmt.Errorf("%w: Grid: len(images)=%d is not a multiple of the image size %d (shape %v)",
			errArg, len(images), pix, shape)
	}
	m := len(images) / pix
	if float64(m) > float64(rows)*float64(cols) {
		return fmt.Errorf("%w: Grid: %d images do not fit in %d×%d cells",
			errArg, m, rows, cols)
	}
	rowGaps := make([]int, rows-1)
	for i := range rowGaps {
		rowGaps[i] = Gap
	}
	img, err := newSheet(sh, rows, cols, scale, rowGaps)
	if err != nil {
		return fmt.Errorf("Grid: %w", err)
	}
	for i := 0; i < m; i++ {
		img.drawCell(i/cols, i%cols, images[i*pix:(i+1)*pix])
	}
	if err := png.Encode(w, img.img); err != nil {
		return fmt.Errorf("plots: Grid: encoding PNG: %w", err)
	}
	return nil
}

// Recon draws n original images above their reconstructions and writes the
// result to w as a PNG image.
//
// shape is the shape of one image, (C, H, W) with C = 1 or 3, or (H, W),
// as for Grid. x and recon are row-major (n, C*H*W) batches of images in
// CHW layout; original i is drawn in a row of originals and reconstruction
// i directly below it in the next row. At most ReconPerRow images go in one
// row: larger n is split into ceil(n/ReconPerRow) blocks of equal width
// (the last may be shorter), each block being an originals row followed by
// its reconstruction row. Pixels are enlarged ReconScale times; cells are
// separated by Gap pixels and blocks by PairGap pixels of GapGrey.
//
// With cols = ceil(n/blocks) images per row, the PNG has width
// cols*W*ReconScale + (cols-1)*Gap and height
// 2*blocks*H*ReconScale + blocks*Gap + (blocks-1)*PairGap. Like Grid's, it
// is greyscale for C = 1 and RGB for C = 3.
func Recon(w io.Writer, x, recon []float32, n int, shape []int) error {
	if n <= 0 {
		return fmt.Errorf("%w: Recon: n=%d must be positive", errArg, n)
	}
	sh, err := parseShape(shape)
	if err != nil {
		return fmt.Errorf("Recon: %w", err)
	}
	pix := sh.size()
	if n > maxPixels/pix {
		return fmt.Errorf("%w: Recon: n=%d images of shape %v is too large", errArg, n, shape)
	}
	if len(x) != n*pix || len(recon) != n*pix {
		return fmt.Errorf("%w: Recon: len(x)=%d and len(recon)=%d, want n*C*H*W=%d",
			errArg, len(x), len(recon), n*pix)
	}
	cols, blocks := reconLayout(n)
	rowGaps := make([]int, 2*blocks-1)
	for i := range rowGaps {
		if i%2 == 0 {
			rowGaps[i] = Gap // between originals and their reconstructions
		} else {
			rowGaps[i] = PairGap // between blocks
		}
	}
	img, err := newSheet(sh, 2*blocks, cols, ReconScale, rowGaps)
	if err != nil {
		return fmt.Errorf("Recon: %w", err)
	}
	for i := 0; i < n; i++ {
		b, c := i/cols, i%cols
		img.drawCell(2*b, c, x[i*pix:(i+1)*pix])
		img.drawCell(2*b+1, c, recon[i*pix:(i+1)*pix])
	}
	if err := png.Encode(w, img.img); err != nil {
		return fmt.Errorf("plots: Recon: encoding PNG: %w", err)
	}
	return nil
}

// reconLayout returns the number of images per row and the number of
// (originals, reconstructions) row pairs Recon uses for n images.
func reconLayout(n int) (cols, blocks int) {
	blocks = (n + ReconPerRow - 1) / ReconPerRow
	cols = (n + blocks - 1) / blocks
	return cols, blocks
}

// imgShape is the shape of one image: c channels (1 or 3) of h×wd pixels.
type imgShape struct{ c, h, wd int }

// size returns the number of values in one image, c*h*wd.
func (s imgShape) size() int { return s.c * s.h * s.wd }

// parseShape checks the shape of one image, (C, H, W) with C = 1 or C = 3,
// or (H, W) meaning (1, H, W), and returns it; the image size C*H*W must not
// be unreasonably large.
func parseShape(shape []int) (imgShape, error) {
	var s imgShape
	switch len(shape) {
	case 2:
		s = imgShape{1, shape[0], shape[1]}
	case 3:
		s = imgShape{shape[0], shape[1], shape[2]}
	default:
		return s, fmt.Errorf("%w: shape %v has %d dimensions, want (C, H, W) or (H, W)",
			errArg, shape, len(shape))
	}
	if s.c <= 0 || s.h <= 0 || s.wd <= 0 {
		return s, fmt.Errorf("%w: shape %v: sizes must all be positive", errArg, shape)
	}
	if s.c != 1 && s.c != 3 {
		return s, fmt.Errorf("%w: shape %v: C=%d channels, want 1 (grey) or 3 (RGB)", errArg, shape, s.c)
	}
	if s.h > maxPixels/s.wd/s.c {
		return s, fmt.Errorf("%w: image size %d×%d×%d is too large", errArg, s.c, s.h, s.wd)
	}
	return s, nil
}

// sheet is a greyscale (one channel) or RGBA (three channels) image divided
// into cells of h×wd source pixels, each enlarged scale times.
type sheet struct {
	img    image.Image // *image.Gray or *image.RGBA, for encoding
	pix    []uint8     // the pixels of img
	stride int         // bytes between vertically adjacent pixels of pix
	bpp    int         // bytes per pixel: 1 (grey) or 4 (RGBA)
	shape  imgShape
	scale  int
	rowY   []int // top output row of each cell row
	colX   []int // left output column of each cell column
}

// newSheet returns a sheet of rows×cols cells of the given shape, filled
// with GapGrey. rowGaps[i] is the separator height between cell rows i and
// i+1; columns are separated by Gap.
func newSheet(sh imgShape, rows, cols, scale int, rowGaps []int) (*sheet, error) {
	bpp := 1
	if sh.c == 3 {
		bpp = 4
	}
	// Check the output size in float64 to avoid integer overflow.
	cw := float64(sh.wd) * float64(scale)
	ch := float64(sh.h) * float64(scale)
	width := float64(cols)*cw + float64(cols-1)*Gap
	height := float64(rows) * ch
	for _, g := range rowGaps {
		height += float64(g)
	}
	if size := width * height * float64(bpp); size > maxPixels || math.IsInf(size, 0) {
		return nil, fmt.Errorf("%w: output image of %.0f×%.0f pixels is too large", errArg, width, height)
	}
	s := &sheet{
		bpp:   bpp,
		shape: sh,
		scale: scale,
		rowY:  make([]int, rows),
		colX:  make([]int, cols),
	}
	r := image.Rect(0, 0, int(width), int(height))
	if bpp == 1 {
		g := image.NewGray(r)
		s.img, s.pix, s.stride = g, g.Pix, g.Stride
		for i := range s.pix {
			s.pix[i] = GapGrey.Y
		}
	} else {
		c := image.NewRGBA(r)
		s.img, s.pix, s.stride = c, c.Pix, c.Stride
		for i := 0; i < len(s.pix); i += 4 {
			s.pix[i], s.pix[i+1], s.pix[i+2], s.pix[i+3] = GapGrey.Y, GapGrey.Y, GapGrey.Y, 0xff
		}
	}
	for r := 1; r < rows; r++ {
		s.rowY[r] = s.rowY[r-1] + sh.h*scale + rowGaps[r-1]
	}
	for c := 1; c < cols; c++ {
		s.colX[c] = s.colX[c-1] + sh.wd*scale + Gap
	}
	return s, nil
}

// drawCell draws the image px, of the sheet's shape in CHW layout, into
// cell (r, c).
func (s *sheet) drawCell(r, c int, px []float32) {
	x0, y0 := s.colX[c], s.rowY[r]
	h, wd, plane := s.shape.h, s.shape.wd, s.shape.h*s.shape.wd
	var v [4]uint8 // the output pixel's bytes: grey, or R, G, B, A
	for i := 0; i < h; i++ {
		for j := 0; j < wd; j++ {
			if s.bpp == 1 {
				v[0] = grey(px[i*wd+j])
			} else {
				for ch := 0; ch < 3; ch++ {
					v[ch] = grey(px[ch*plane+i*wd+j])
				}
				v[3] = 0xff
			}
			for dy := 0; dy < s.scale; dy++ {
				off := (y0+i*s.scale+dy)*s.stride + (x0+j*s.scale)*s.bpp
				row := s.pix[off : off+s.scale*s.bpp]
				for k := 0; k < len(row); k += s.bpp {
					copy(row[k:k+s.bpp], v[:s.bpp])
				}
			}
		}
	}
}

// grey maps a pixel value in [0, 1] to an 8-bit level, clamping values
// outside the range and mapping NaN to 0.
func grey(v float32) uint8 {
	switch {
	case !(v > 0): // also NaN
		return 0
	case v >= 1:
		return 255
	default:
		return uint8(v*255 + 0.5)
	}
}
