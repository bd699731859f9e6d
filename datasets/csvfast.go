package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"unsafe"

	"github.com/aegraph/aegraph/internal/par"
)

// The fast path of ReadTable: a table without quotes (as numeric tables
// are) is cut into chunks of whole lines, which the cores parse at once;
// their rows are appended to the table in file order. A quote anywhere sends
// the file to the general reader (encoding/csv), which ReadTable then uses
// from the start.

// errQuoted says that the fast path met a quote.
var errQuoted = errors.New("quoted fields")

// chunkBytes is the size of the text a worker parses at a time.
const chunkBytes = 1 << 20

// layout is what the first rows decided: the separator, the width, the label
// column and the column names.
type layout struct {
	path   string
	sep    byte
	width  int
	label  int // -1: none
	d      int
	names  []string
	header bool
}

// chunk is whole lines of text, and what parsing them gave.
type chunk struct {
	text      []byte
	firstLine int
	values    []float32
	labels    []string
	rows      int
	lines     int // newlines in text
	err       error
	done      chan struct{}
}

// splitLine cuts a line into its fields (sharing its memory), trimming
// spaces and a final '\r'.
func splitLine(line []byte, sep byte, fields [][]byte) [][]byte {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	fields = fields[:0]
	for {
		i := bytes.IndexByte(line, sep)
		if i < 0 {
			return append(fields, trim(line))
		}
		fields = append(fields, trim(line[:i]))
		line = line[i+1:]
	}
}

func trim(b []byte) []byte {
	if len(b) > 0 && (b[0] == ' ' || b[len(b)-1] == ' ' || b[0] == '\t' || b[len(b)-1] == '\t') {
		return bytes.TrimSpace(b)
	}
	return b
}

// number reads a finite number from b: digits alone directly (exact up to
// 2²⁴), anything else through strconv.
func number(b []byte) (float32, error) {
	if len(b) > 0 && len(b) <= 7 {
		v := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				goto general
			}
			v = v*10 + int(c-'0')
		}
		return float32(v), nil
	}
general:
	if len(b) == 0 {
		return parseNumber("")
	}
	return parseNumber(unsafe.String(&b[0], len(b)))
}

// parse parses the lines of c.
func (l *layout) parse(c *chunk) {
	var fields [][]byte
	text := c.text
	c.values = make([]float32, 0, len(text)/3)
	line := c.firstLine
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		var ln []byte
		if i < 0 {
			ln, text = text, nil
		} else {
			ln, text = text[:i], text[i+1:]
			c.lines++
		}
		if len(bytes.TrimSpace(ln)) == 0 {
			line++
			continue
		}
		if bytes.IndexByte(ln, '"') >= 0 {
			c.err = errQuoted
			return
		}
		fields = splitLine(ln, l.sep, fields)
		if len(fields) != l.width {
			what := "the first row has"
			if l.header {
				what = "the header has"
			}
			c.err = fmt.Errorf("%s: line %d has %d fields, %s %d", l.path, line, len(fields), what, l.width)
			return
		}
		for j, f := range fields {
			if j == l.label {
				if len(f) == 0 {
					c.err = fmt.Errorf("%s: line %d, field %d: an empty label", l.path, line, j+1)
					return
				}
				c.labels = append(c.labels, string(f))
				continue
			}
			v, err := number(f)
			if err != nil {
				c.err = fmt.Errorf("%s: line %d, field %d (%s): %v", l.path, line, j+1, l.names[j], err)
				return
			}
			c.values = append(c.values, v)
		}
		c.rows++
		line++
	}
}

// readFast reads the table from src. It returns errQuoted if a line holds a
// quote.
func readFast(path, label string, sepRune rune, src io.Reader) (*Set, error) {
	if sepRune > 0x7f {
		return nil, errQuoted
	}
	sep := byte(sepRune)
	buf := make([]byte, chunkBytes)
	n, err := io.ReadFull(src, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, streamError(path, err)
	}
	text := buf[:n]
	eof := n < len(buf)
	// The first two non-empty lines decide the header and the columns.
	var first, second []byte
	lineNo, rest := 0, text
	next := func() []byte {
		for len(rest) > 0 {
			i := bytes.IndexByte(rest, '\n')
			var ln []byte
			if i < 0 {
				if !eof {
					return nil
				}
				ln, rest = rest, nil
			} else {
				ln, rest = rest[:i], rest[i+1:]
			}
			lineNo++
			if len(bytes.TrimSpace(ln)) > 0 {
				return ln
			}
		}
		return nil
	}
	first = next()
	if first == nil {
		if !eof {
			return nil, fmt.Errorf("%s: no line break in the first %d bytes", path, chunkBytes)
		}
		return nil, fmt.Errorf("%s: no rows", path)
	}
	firstLine := lineNo
	if bytes.IndexByte(text, '"') >= 0 {
		return nil, errQuoted
	}
	f1 := cloneFields(splitLine(first, sep, nil))
	secondStart := len(text) - len(rest)
	second = next()
	var f2 []string
	if second != nil {
		f2 = cloneFields(splitLine(second, sep, nil))
	}
	l := &layout{path: path, sep: sep, width: len(f1)}
	if f2 == nil {
		l.header = hasText(f1)
	} else {
		for j, c := range f1 {
			if j < len(f2) && !isNumber(c) && isNumber(f2[j]) {
				l.header = true
			}
		}
	}
	l.names = f1
	if !l.header {
		l.names = defaultColumns(l.width)
	} else if f2 == nil {
		return nil, fmt.Errorf("%s: a header but no rows", path)
	}
	tr := &tableReader{path: path}
	if l.label, err = tr.labelColumn(label, l.names, l.header); err != nil {
		return nil, err
	}
	l.d = l.width
	if l.label >= 0 {
		l.d--
	}
	if l.d < 1 {
		return nil, fmt.Errorf("%s: no feature columns beside the label column", path)
	}
	start, startLine := 0, 1 // where the data rows begin
	if l.header {
		start, startLine = secondStart, firstLine+1
	}

	t := newTable(l.d)
	lb := &labeller{seen: map[string]int{}}
	// Chunks go to the workers and, in order, to the collector below.
	jobs := make(chan *chunk, par.Workers())
	order := make(chan *chunk, par.Workers())
	for range par.Workers() {
		go func() {
			for c := range jobs {
				l.parse(c)
				close(c.done)
			}
		}()
	}
	var readErr error
	var stop atomic.Bool // the collector met an error: read no more
	go func() {
		defer close(order)
		defer close(jobs)
		pending, line := text[start:], startLine
		for {
			cut := len(pending)
			if !eof {
				cut = bytes.LastIndexByte(pending, '\n') + 1
			}
			c := &chunk{text: pending[:cut], firstLine: line, done: make(chan struct{})}
			jobs <- c
			order <- c
			line += bytes.Count(c.text, []byte{'\n'})
			if eof || stop.Load() {
				return
			}
			carry := pending[cut:]
			buf := make([]byte, chunkBytes)
			m := copy(buf, carry)
			k, err := io.ReadFull(src, buf[m:])
			if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
				readErr = streamError(path, err)
				return
			}
			pending, eof = buf[:m+k], m+k < len(buf)
			if !eof && bytes.IndexByte(pending, '\n') < 0 {
				readErr = fmt.Errorf("%s: a line longer than %d bytes", path, chunkBytes)
				return
			}
		}
	}()
	var firstErr error
	for c := range order {
		<-c.done
		if firstErr != nil {
			continue // drain
		}
		if c.err != nil {
			firstErr = c.err
			stop.Store(true)
			continue
		}
		for r := range c.rows {
			copy(t.next(), c.values[r*l.d:(r+1)*l.d])
		}
		for _, v := range c.labels {
			lb.add(v)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if readErr != nil {
		return nil, readErr
	}
	if t.n == 0 {
		return nil, fmt.Errorf("%s: a header but no rows", path)
	}
	t.trim()
	columns := make([]string, 0, l.d)
	for j, name := range l.names {
		if j != l.label {
			columns = append(columns, name)
		}
	}
	s := &Set{shape: []int{l.d}, table: t, n: t.n, Columns: columns}
	if l.label >= 0 {
		s.Classes, s.Labels = lb.classes()
	}
	return s, nil
}

func cloneFields(f [][]byte) []string {
	out := make([]string, len(f))
	for i, b := range f {
		out[i] = string(b)
	}
	return out
}

func hasText(fields []string) bool {
	for _, f := range fields {
		if !isNumber(f) {
			return true
		}
	}
	return false
}

// streamError reports an error of the file's (decompressed) stream.
func streamError(path string, err error) error {
	if isGzipErr(err) {
		return fmt.Errorf("%s: corrupt gzip data: %w", path, errors.Unwrap(err))
	}
	return fmt.Errorf("%s: %w", path, err)
}
