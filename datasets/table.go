package datasets

import "fmt"

// table holds n rows of d float32 values in blocks of equal size, so that
// reading a table of unknown length grows its memory block by block instead
// of copying everything on every doubling: a table costs one float32 copy
// of its values.
type table struct {
	d, n      int
	blockRows int
	blocks    [][]float32
	scaled    bool // the values have been scaled in place (Set.SetScale)
}

// blockValues is about how many values a block holds.
const blockValues = 1 << 18

func newTable(d int) *table {
	return &table{d: d, blockRows: max(1, blockValues/d)}
}

// row returns row i, sharing the table's memory.
func (t *table) row(i int) []float32 {
	b := t.blocks[i/t.blockRows]
	o := (i % t.blockRows) * t.d
	return b[o : o+t.d : o+t.d]
}

// next returns the storage of a new last row, to be filled by the caller.
func (t *table) next() []float32 {
	if t.n%t.blockRows == 0 {
		t.blocks = append(t.blocks, make([]float32, t.blockRows*t.d))
	}
	t.n++
	return t.row(t.n - 1)
}

// trim drops the unused rows of the last block.
func (t *table) trim() {
	if len(t.blocks) > 0 {
		last := len(t.blocks) - 1
		used := t.n - last*t.blockRows
		t.blocks[last] = append([]float32(nil), t.blocks[last][:used*t.d]...)
	}
}

// NewTable returns a Set of the rows of values, each of d raw (unscaled)
// values, with column names (nil: "col1", …), labels (nil for none) and
// class names. It copies values.
func NewTable(values []float32, d int, columns []string, labels []int, classes []string) (*Set, error) {
	if d < 1 || len(values)%d != 0 {
		return nil, fmt.Errorf("%d values are not a whole number of rows of %d", len(values), d)
	}
	t := newTable(d)
	for i := 0; i < len(values); i += d {
		copy(t.next(), values[i:i+d])
	}
	t.trim()
	if columns == nil {
		columns = defaultColumns(d)
	}
	if len(columns) != d {
		return nil, fmt.Errorf("%d column names for rows of %d", len(columns), d)
	}
	s := &Set{shape: []int{d}, table: t, n: t.n, Labels: labels, Classes: classes, Columns: columns}
	return s, s.checkLabels()
}

// defaultColumns names d columns "col1" … "colD".
func defaultColumns(d int) []string {
	c := make([]string, d)
	for j := range c {
		c[j] = fmt.Sprintf("col%d", j+1)
	}
	return c
}
