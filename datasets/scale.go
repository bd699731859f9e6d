package datasets

import (
	"fmt"
	"math"
)

// Kinds of Scale.
const (
	Pixel    = "pixel"    // x/255: uint8 pixels into [0, 1]
	Standard = "standard" // (x − mean)/sd per feature
	MinMax   = "minmax"   // (x − min)/(max − min) per feature: [0, 1] on the training data
	None     = "none"     // x as it is
)

// Scales lists the kinds of Scale.
var Scales = []string{Pixel, Standard, MinMax, None}

// Scale maps a sample's raw values to the net's inputs, feature by feature:
// x' = (x − Shift[j])·Mult[j] (Pixel: x' = x/255, in float32). It is fitted
// on the training data only (FitScale), stored with a run, and applied to
// every set read for that model. A feature that is constant in the training
// data gets Mult 1, so it maps to 0, not to NaN.
type Scale struct {
	Kind  string    `json:"kind"`
	Shift []float64 `json:"shift,omitempty"`
	Mult  []float64 `json:"mult,omitempty"`
}

// Unit reports whether the scaled training values lie in [0, 1], so that a
// sigmoid output and cross-entropy fit them.
func (s Scale) Unit() bool { return s.Kind == Pixel || s.Kind == MinMax }

// checkKind reports an unknown kind.
func checkKind(kind string) error {
	for _, k := range Scales {
		if k == kind {
			return nil
		}
	}
	return fmt.Errorf("unknown scale %q (have pixel, standard, minmax, none)", kind)
}

// FitScale fits a Scale of the given kind to the raw values of s: the
// pixels of images, the unscaled values of a table. It must be called
// before a table is scaled (Set.Scale).
func FitScale(kind string, s *Set) (Scale, error) {
	if err := checkKind(kind); err != nil {
		return Scale{}, err
	}
	if kind == Pixel || kind == None {
		return Scale{Kind: kind}, nil
	}
	if s.Len() == 0 {
		return Scale{}, fmt.Errorf("no samples to fit the %s scale on", kind)
	}
	d := s.Dim()
	a, b := make([]float64, d), make([]float64, d) // sum and sum of squares, or min and max
	if kind == MinMax {
		for j := range d {
			a[j], b[j] = math.Inf(1), math.Inf(-1)
		}
	}
	row := make([]float64, d)
	for i := range s.Len() {
		s.raw(row, i)
		for j, x := range row {
			if kind == MinMax {
				a[j], b[j] = min(a[j], x), max(b[j], x)
			} else {
				a[j] += x
				b[j] += float64(x * x) // float64(…): rounded, never fused (canon)
			}
		}
	}
	sc := Scale{Kind: kind, Shift: make([]float64, d), Mult: make([]float64, d)}
	n := float64(s.Len())
	for j := range d {
		var spread float64
		if kind == MinMax {
			sc.Shift[j], spread = a[j], b[j]-a[j]
		} else {
			mean := a[j] / n
			sc.Shift[j], spread = mean, math.Sqrt(max(0, b[j]/n-float64(mean*mean)))
		}
		sc.Mult[j] = 1
		if spread > 1e-12*max(1, math.Abs(sc.Shift[j])) {
			sc.Mult[j] = 1 / spread
		}
	}
	return sc, nil
}

// raw writes the unscaled values of sample i into dst.
func (s *Set) raw(dst []float64, i int) {
	j := s.at(i)
	if s.table != nil {
		for k, v := range s.table.row(j) {
			dst[k] = float64(v)
		}
		return
	}
	d := s.Dim()
	for k, p := range s.pixels[j*d : (j+1)*d] {
		dst[k] = float64(p)
	}
}

// check reports a Scale that does not fit samples of d values.
func (sc Scale) check(d int) error {
	if err := checkKind(sc.Kind); err != nil {
		return err
	}
	if sc.Kind == Standard || sc.Kind == MinMax {
		if len(sc.Shift) != d || len(sc.Mult) != d {
			return fmt.Errorf("the %s scale has %d and %d values for samples of %d", sc.Kind, len(sc.Shift), len(sc.Mult), d)
		}
	}
	return nil
}

// SetScale makes s serve its samples through sc. A table is scaled in place,
// once: it must hold raw values. The scale must have been fitted on data of
// the same shape.
func (s *Set) SetScale(sc Scale) error {
	if err := sc.check(s.Dim()); err != nil {
		return err
	}
	if s.table == nil {
		s.scale = &sc
		return nil
	}
	if s.table.scaled {
		return fmt.Errorf("the table is scaled already")
	}
	s.table.scaled = true
	if sc.Kind == None {
		return nil
	}
	for i := range s.table.n {
		sc.applyFloat(s.table.row(i))
	}
	return nil
}

// apply writes the scaled values of the pixels px into dst.
func (sc *Scale) apply(dst []float32, px []uint8) {
	switch sc.Kind {
	case Pixel:
		for k, p := range px {
			dst[k] = pixelScale[p]
		}
	case None:
		for k, p := range px {
			dst[k] = float32(p)
		}
	default:
		for k, p := range px {
			dst[k] = float32((float64(p) - sc.Shift[k]) * sc.Mult[k])
		}
	}
}

// Apply maps raw values, in the data's own units, to the net's inputs, in
// place: v holds whole samples.
func (sc Scale) Apply(v []float32) { sc.applyFloat(v) }

// applyFloat scales the raw values of row in place.
func (sc *Scale) applyFloat(row []float32) {
	switch sc.Kind {
	case Pixel:
		for k, x := range row {
			row[k] = x / 255
		}
	case None:
	default:
		d := len(sc.Shift)
		for k, x := range row {
			row[k] = float32((float64(x) - sc.Shift[k%d]) * sc.Mult[k%d])
		}
	}
}

// Invert maps scaled values back to the data's own units, in place: the
// inverse of the scale, for reconstructions and samples.
func (sc Scale) Invert(v []float32) {
	d := len(sc.Mult)
	for k, y := range v {
		switch sc.Kind {
		case Pixel:
			v[k] = y * 255
		case Standard, MinMax:
			v[k] = float32(float64(y)/sc.Mult[k%d] + sc.Shift[k%d])
		}
	}
}
