package datasets

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/aegraph/aegraph/internal/testhook"
)

// ReadTable reads a CSV or TSV file, gzipped or plain (sniffed from its
// first bytes), as a table Set of raw (unscaled) float32 values.
//
// The separator is a tab for a .tsv file, and for other files a tab if the
// first line holds tabs and no commas, else a comma; fields may be quoted
// as CSV quotes them. The first row is a header when one of its cells is
// not a number in a column whose second row is one. label names the label
// column (a header name, or an index from 0); "" takes a column named
// "label" (in any case) if there is one. Labels may be numbers or strings;
// they become the class names, sorted (by value when all are numbers). Every
// other cell must be a finite number.
//
// The file is read as a stream, row by row, into blocks of float32: memory
// grows with the values actually read. Errors name the file, and the line
// and column where that applies.
func ReadTable(path, label string) (*Set, error) {
	f, err := openSource(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := decompress(f, path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(src, 1<<20)
	sep, err := sniffSeparator(br, path)
	if err != nil {
		return nil, err
	}
	s, err := readFast(path, label, sep, br)
	if err != errQuoted {
		if err != nil {
			return nil, err
		}
		return s, s.hashedFrom(f)
	}
	// Quoted fields: the general reader, from the start.
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if src, err = decompress(f, path); err != nil {
		return nil, err
	}
	br = bufio.NewReaderSize(src, 1<<20)
	r := csv.NewReader(br)
	r.Comma = sep
	r.FieldsPerRecord = -1 // checked here, with a better message
	r.ReuseRecord = true
	t := &tableReader{path: path, r: r}
	if s, err = t.read(label); err != nil {
		return nil, err
	}
	return s, s.hashedFrom(f)
}

// openRegular opens path, which must be a regular file.
func openRegular(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errorsUnwrapPath(err))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if info.Size() == 0 {
		return nil, fmt.Errorf("%s: empty file (zero length)", path)
	}
	f, err := openData(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errorsUnwrapPath(err))
	}
	return f, nil
}

// openData opens the data file at path for reading.
func openData(path string) (*os.File, error) {
	if testhook.BeforeDataRead != nil {
		testhook.BeforeDataRead(path)
	}
	return os.Open(path)
}

// errorsUnwrapPath drops the operation and path of a *fs.PathError.
func errorsUnwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// decompress returns f's content, gunzipped if it starts with gzip's magic.
func decompress(f io.Reader, path string) (io.Reader, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: corrupt gzip header: %w", path, err)
		}
		return &gzipErrReader{zr}, nil
	}
	return br, nil
}

// gzipErrReader marks the errors of a gzip stream, so that a corrupt stream
// is not reported as a malformed table.
type gzipErrReader struct{ *gzip.Reader }

type gzipErr struct{ error }

func (g gzipErr) Unwrap() error { return g.error }

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.Reader.Read(p)
	if err != nil && err != io.EOF {
		err = gzipErr{err}
	}
	return n, err
}

func isGzipErr(err error) bool {
	var g gzipErr
	return errors.As(err, &g)
}

// sniffSeparator chooses the field separator from the file's name and first
// line.
func sniffSeparator(br *bufio.Reader, path string) (rune, error) {
	name := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	if strings.HasSuffix(name, ".tsv") {
		return '\t', nil
	}
	line, err := br.Peek(1 << 16)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		if isGzipErr(err) {
			return 0, fmt.Errorf("%s: corrupt gzip data: %w", path, errors.Unwrap(err))
		}
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	if i := slices.Index(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if slices.Contains(line, '\t') && !slices.Contains(line, ',') {
		return '\t', nil
	}
	return ',', nil
}

// tableReader reads the rows of one file.
type tableReader struct {
	path string
	r    *csv.Reader
}

// errAt is an error at the field of the current record.
func (t *tableReader) errAt(field int, format string, a ...any) error {
	line, col := t.r.FieldPos(field)
	return fmt.Errorf("%s: line %d, column %d: %s", t.path, line, col, fmt.Sprintf(format, a...))
}

func (t *tableReader) next() ([]string, error) {
	rec, err := t.r.Read()
	if err == nil {
		for i, f := range rec {
			rec[i] = strings.TrimSpace(f)
		}
		return rec, nil
	}
	if err == io.EOF {
		return nil, err
	}
	if isGzipErr(err) {
		return nil, fmt.Errorf("%s: corrupt gzip data: %w", t.path, errors.Unwrap(err))
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("%s: line %d, column %d: %v", t.path, pe.Line, pe.Column, pe.Err)
	}
	return nil, fmt.Errorf("%s: %w", t.path, err)
}

// parseNumber reads a finite number.
func parseNumber(s string) (float32, error) {
	v, err := strconv.ParseFloat(s, 32)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of float32's range", s)
		}
		if s == "" {
			return 0, fmt.Errorf("an empty cell")
		}
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s: want a finite number", s)
	}
	return float32(v), nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func (t *tableReader) read(label string) (*Set, error) {
	first, err := t.next()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: no rows", t.path)
	}
	if err != nil {
		return nil, err
	}
	first = slices.Clone(first)
	firstLine, _ := t.r.FieldPos(0)
	second, err := t.next()
	if err != nil && err != io.EOF {
		return nil, err
	}
	header := false
	if second == nil {
		header = slices.ContainsFunc(first, func(s string) bool { return !isNumber(s) })
	} else {
		for j, c := range first {
			if j < len(second) && !isNumber(c) && isNumber(second[j]) {
				header = true
			}
		}
	}
	width := len(first)
	var names []string
	if header {
		names = first
		if second == nil {
			return nil, fmt.Errorf("%s: a header but no rows", t.path)
		}
	} else {
		names = defaultColumns(width)
	}
	lab, err := t.labelColumn(label, names, header)
	if err != nil {
		return nil, err
	}
	d := width
	if lab >= 0 {
		d--
	}
	if d < 1 {
		return nil, fmt.Errorf("%s: no feature columns beside the label column", t.path)
	}
	columns := make([]string, 0, d)
	for j, n := range names {
		if j != lab {
			columns = append(columns, n)
		}
	}
	tab := newTable(d)
	lb := &labeller{seen: map[string]int{}}
	add := func(rec []string, line int) error {
		if len(rec) != width {
			what := "the first row has"
			if header {
				what = "the header has"
			}
			return fmt.Errorf("%s: line %d has %d fields, %s %d", t.path, line, len(rec), what, width)
		}
		row := tab.next()
		k := 0
		for j, c := range rec {
			if j == lab {
				if c == "" {
					return t.errAt(j, "an empty label")
				}
				lb.add(c)
				continue
			}
			v, err := parseNumber(c)
			if err != nil {
				return t.errAt(j, "(%s) %v", names[j], err)
			}
			row[k] = v
			k++
		}
		return nil
	}
	if !header {
		// first was read before the second record: its position is gone.
		if err := t.addFirst(first, lab, names, tab, lb, firstLine); err != nil {
			return nil, err
		}
	}
	for rec := second; rec != nil; {
		line, _ := t.r.FieldPos(0)
		if err := add(rec, line); err != nil {
			return nil, err
		}
		rec, err = t.next()
		if err != nil && err != io.EOF {
			return nil, err
		}
	}
	tab.trim()
	s := &Set{shape: []int{d}, table: tab, n: tab.n, Columns: columns}
	if lab >= 0 {
		s.Classes, s.Labels = lb.classes()
	}
	return s, nil
}

// addFirst adds the first record, whose field positions the csv.Reader no
// longer knows, reporting errors by column number.
func (t *tableReader) addFirst(rec []string, lab int, names []string, tab *table, lb *labeller, line int) error {
	row := tab.next()
	k := 0
	for j, c := range rec {
		if j == lab {
			if c == "" {
				return fmt.Errorf("%s: line %d, field %d: an empty label", t.path, line, j+1)
			}
			lb.add(c)
			continue
		}
		v, err := parseNumber(c)
		if err != nil {
			return fmt.Errorf("%s: line %d, field %d (%s): %v", t.path, line, j+1, names[j], err)
		}
		row[k] = v
		k++
	}
	return nil
}

// labelColumn finds the label column: by name, by index, or "label".
func (t *tableReader) labelColumn(label string, names []string, header bool) (int, error) {
	if label == "" {
		if header {
			for j, n := range names {
				if strings.EqualFold(n, "label") {
					return j, nil
				}
			}
		}
		return -1, nil
	}
	if header {
		if j := slices.Index(names, label); j >= 0 {
			return j, nil
		}
	}
	if j, err := strconv.Atoi(label); err == nil && j >= 0 && j < len(names) {
		return j, nil
	}
	if header {
		return -1, fmt.Errorf("%s: no label column %q (the columns are %s)", t.path, label, listClasses(names))
	}
	return -1, fmt.Errorf("%s: no label column %q: the file has no header, so give the column's index (0 to %d)", t.path, label, len(names)-1)
}

// labeller collects label values: each sample's label as the index of its
// value in order of appearance, each distinct value kept once (a copy, so
// that no row's text is kept alive).
type labeller struct {
	seen   map[string]int
	values []string
	ids    []int
}

func (lb *labeller) add(v string) {
	id, ok := lb.seen[v]
	if !ok {
		v = strings.Clone(v)
		id = len(lb.values)
		lb.seen[v] = id
		lb.values = append(lb.values, v)
	}
	lb.ids = append(lb.ids, id)
}

// classes returns the class names, sorted (by value when all are numbers),
// and each sample's index into them.
func (lb *labeller) classes() ([]string, []int) {
	classes := slices.Clone(lb.values)
	numeric := !slices.ContainsFunc(classes, func(v string) bool { return !isNumber(v) })
	if numeric {
		slices.SortFunc(classes, func(a, b string) int {
			x, _ := strconv.ParseFloat(a, 64)
			y, _ := strconv.ParseFloat(b, 64)
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return strings.Compare(a, b)
		})
	} else {
		slices.Sort(classes)
	}
	rank := make([]int, len(lb.values))
	for i, c := range classes {
		rank[lb.seen[c]] = i
	}
	labels := make([]int, len(lb.ids))
	for i, id := range lb.ids {
		labels[i] = rank[id]
	}
	return classes, labels
}
