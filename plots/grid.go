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

	// maxPixels bounds the size of the images Grid and Recon will
	// allocate, so that bad arguments yield an error instead of
	// exhausting memory.
	maxPixels = 1 << 28
)

// GapGrey is the grey level of the separators between cells and of
// blank cells. It is dark enough not to be mistaken for ink and light
// enough to be told apart from the black background.
var GapGrey = color.Gray{Y: 0x60}

// errArg is wrapped by every argument error returned by this package.
var errArg = errors.New("plots: invalid argument")

// Grid draws images as a grid of rows×cols cells, filled row by row, and
// writes it to w as a PNG image.
//
// images is a row-major (m, h*wd) batch with m ≤ rows*cols: image i holds the
// h×wd pixels images[i*h*wd:(i+1)*h*wd], itself row-major. Pixel values are
// drawn as brightness (0 black, 1 white); values outside [0, 1] are clamped.
// Each pixel is enlarged to scale×scale output pixels, and cells are
// separated by Gap pixels of GapGrey. If m < rows*cols the remaining cells are
// left blank (filled with GapGrey).
//
// The PNG is an 8-bit greyscale image of width cols*wd*scale + (cols-1)*Gap
// and height rows*h*scale + (rows-1)*Gap.
func Grid(w io.Writer, images []float32, h, wd, rows, cols, scale int) error {
	if h <= 0 || wd <= 0 || rows <= 0 || cols <= 0 || scale <= 0 {
		return fmt.Errorf("%w: Grid: h=%d, wd=%d, rows=%d, cols=%d, scale=%d must all be positive",
			errArg, h, wd, rows, cols, scale)
	}
	pix, err := imageSize(h, wd)
	if err != nil {
		return fmt.Errorf("Grid: %w", err)
	}
	if len(images)%pix != 0 {
		return fmt.Errorf("%w: Grid: len(images)=%d is not a multiple of h*wd=%d",
			errArg, len(images), pix)
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
	img, err := newSheet(h, wd, rows, cols, scale, rowGaps)
	if err != nil {
		return fmt.Errorf("Grid: %w", err)
	}
	for i := 0; i < m; i++ {
		img.drawCell(i/cols, i%cols, images[i*pix:(i+1)*pix])
	}
	if err := png.Encode(w, img.Gray); err != nil {
		return fmt.Errorf("plots: Grid: encoding PNG: %w", err)
	}
	return nil
}

// Recon draws n original images above their reconstructions and writes the
// result to w as a PNG image.
//
// x and recon are row-major (n, h*wd) batches; original i is drawn in a row of
// originals and reconstruction i directly below it in the next row. At most
// ReconPerRow images go in one row: larger n is split into
// ceil(n/ReconPerRow) blocks of equal width (the last may be shorter), each
// block being an originals row followed by its reconstruction row. Pixels
// are enlarged ReconScale times; cells are separated by Gap pixels and blocks
// by PairGap pixels of GapGrey.
//
// With cols = ceil(n/blocks) images per row, the PNG has width
// cols*wd*ReconScale + (cols-1)*Gap and height
// 2*blocks*h*ReconScale + blocks*Gap + (blocks-1)*PairGap.
func Recon(w io.Writer, x, recon []float32, n, h, wd int) error {
	if n <= 0 || h <= 0 || wd <= 0 {
		return fmt.Errorf("%w: Recon: n=%d, h=%d, wd=%d must all be positive", errArg, n, h, wd)
	}
	pix, err := imageSize(h, wd)
	if err != nil {
		return fmt.Errorf("Recon: %w", err)
	}
	if n > maxPixels/pix {
		return fmt.Errorf("%w: Recon: n=%d images of %d×%d pixels is too large", errArg, n, h, wd)
	}
	if len(x) != n*pix || len(recon) != n*pix {
		return fmt.Errorf("%w: Recon: len(x)=%d and len(recon)=%d, want n*h*wd=%d",
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
	img, err := newSheet(h, wd, 2*blocks, cols, ReconScale, rowGaps)
	if err != nil {
		return fmt.Errorf("Recon: %w", err)
	}
	for i := 0; i < n; i++ {
		b, c := i/cols, i%cols
		img.drawCell(2*b, c, x[i*pix:(i+1)*pix])
		img.drawCell(2*b+1, c, recon[i*pix:(i+1)*pix])
	}
	if err := png.Encode(w, img.Gray); err != nil {
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

// imageSize returns h*wd, or an error if it is unreasonably large.
func imageSize(h, wd int) (int, error) {
	if h > maxPixels/wd {
		return 0, fmt.Errorf("%w: image size %d×%d is too large", errArg, h, wd)
	}
	return h * wd, nil
}

// sheet is a greyscale image divided into cells of h×wd source pixels,
// each enlarged scale times.
type sheet struct {
	*image.Gray
	h, wd, scale int
	rowY         []int // top output row of each cell row
	colX         []int // left output column of each cell column
}

// newSheet returns a sheet of rows×cols cells filled with GapGrey.
// rowGaps[i] is the separator height between cell rows i and i+1;
// columns are separated by Gap.
func newSheet(h, wd, rows, cols, scale int, rowGaps []int) (*sheet, error) {
	// Check the output size in float64 to avoid integer overflow.
	cw := float64(wd) * float64(scale)
	ch := float64(h) * float64(scale)
	width := float64(cols)*cw + float64(cols-1)*Gap
	height := float64(rows) * ch
	for _, g := range rowGaps {
		height += float64(g)
	}
	if width*height > maxPixels || math.IsInf(width*height, 0) {
		return nil, fmt.Errorf("%w: output image of %.0f×%.0f pixels is too large", errArg, width, height)
	}
	s := &sheet{
		Gray:  image.NewGray(image.Rect(0, 0, int(width), int(height))),
		h:     h,
		wd:    wd,
		scale: scale,
		rowY:  make([]int, rows),
		colX:  make([]int, cols),
	}
	for i := range s.Pix {
		s.Pix[i] = GapGrey.Y
	}
	for r := 1; r < rows; r++ {
		s.rowY[r] = s.rowY[r-1] + h*scale + rowGaps[r-1]
	}
	for c := 1; c < cols; c++ {
		s.colX[c] = s.colX[c-1] + wd*scale + Gap
	}
	return s, nil
}

// drawCell draws the row-major h×wd image px into cell (r, c).
func (s *sheet) drawCell(r, c int, px []float32) {
	x0, y0 := s.colX[c], s.rowY[r]
	for i := 0; i < s.h; i++ {
		for j := 0; j < s.wd; j++ {
			v := grey(px[i*s.wd+j])
			for dy := 0; dy < s.scale; dy++ {
				off := s.PixOffset(x0+j*s.scale, y0+i*s.scale+dy)
				row := s.Pix[off : off+s.scale]
				for k := range row {
					row[k] = v
				}
			}
		}
	}
}

// grey maps a pixel value in [0, 1] to an 8-bit grey level, clamping
// values outside the range and mapping NaN to black.
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
