package datasets

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// writeFile puts content in dir/name (creating folders) and returns the path.
func writeFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// rows returns every sample of s as served.
func rows(s *Set) [][]float32 {
	out := make([][]float32, s.Len())
	for i := range out {
		out[i] = make([]float32, s.Dim())
		s.Batch(out[i], []int{i})
	}
	return out
}

// Tables in the forms people keep them: with and without a header, with a
// label column by default name, by name and by index, string and numeric
// labels, TSV, gzipped, quoted fields, CRLF line ends and blank lines.
func TestReadTable(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, file, content, label string
		values                     [][]float32
		columns, classes           []string
		labels                     []int
	}{
		{"header and label", "a.csv", "x,label,y\n1,cat,2\n3,dog,4\n5,cat,6\n", "",
			[][]float32{{1, 2}, {3, 4}, {5, 6}}, []string{"x", "y"}, []string{"cat", "dog"}, []int{0, 1, 0}},
		{"Label in any case", "b.csv", "a,b,Label\n1,2,0\n3,4,1\n", "",
			[][]float32{{1, 2}, {3, 4}}, []string{"a", "b"}, []string{"0", "1"}, []int{0, 1}},
		{"no header, label by index", "c.csv", "1.5,2,10\n3,-4e-1,9\n", "2",
			[][]float32{{1.5, 2}, {3, -0.4}}, []string{"col1", "col2"}, []string{"9", "10"}, []int{1, 0}},
		{"no header, no label", "d.csv", "1,2\n3,4\n", "",
			[][]float32{{1, 2}, {3, 4}}, []string{"col1", "col2"}, nil, nil},
		{"headerless string labels", "e.csv", "1,2,setosa\n3,4,virginica\n", "2",
			[][]float32{{1, 2}, {3, 4}}, []string{"col1", "col2"}, []string{"setosa", "virginica"}, []int{0, 1}},
		{"label by name", "f.csv", "cls,u,v\n2,1,1\n1,0,0\n", "cls",
			[][]float32{{1, 1}, {0, 0}}, []string{"u", "v"}, []string{"1", "2"}, []int{1, 0}},
		{"tsv", "g.tsv", "p\tq\n1\t2\n", "",
			[][]float32{{1, 2}}, []string{"p", "q"}, nil, nil},
		{"tabs in a .txt", "h.txt", "1\t2\n3\t4\n", "",
			[][]float32{{1, 2}, {3, 4}}, []string{"col1", "col2"}, nil, nil},
		{"quoted, CRLF, blank lines, spaces", "i.csv", "\"a, b\",label\r\n\r\n 1 ,\"x y\"\r\n2,z\r\n", "",
			[][]float32{{1}, {2}}, []string{"a, b"}, []string{"x y", "z"}, []int{0, 1}},
		{"gzipped", "j.csv.gz", "", "",
			[][]float32{{7, 8}}, []string{"m", "n"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content := []byte(tc.content)
			if strings.HasSuffix(tc.file, ".gz") {
				content = gz([]byte("m,n\n7,8\n"))
			}
			s, err := ReadTable(writeFile(t, dir, tc.file, content), tc.label)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows(s); !slices.EqualFunc(got, tc.values, slices.Equal) {
				t.Errorf("values %v, want %v", got, tc.values)
			}
			if !slices.Equal(s.Columns, tc.columns) || !slices.Equal(s.Classes, tc.classes) || !slices.Equal(s.Labels, tc.labels) {
				t.Errorf("columns %q classes %q labels %v, want %q %q %v", s.Columns, s.Classes, s.Labels, tc.columns, tc.classes, tc.labels)
			}
		})
	}
}

// A table large enough for several chunks of the fast path, and the same
// table quoted (the general path), read the same.
func TestReadTableChunks(t *testing.T) {
	dir := t.TempDir()
	var plain, quoted strings.Builder
	plain.WriteString("label,a,b,c\n")
	quoted.WriteString("\"label\",a,b,c\n")
	const n = 60000
	for i := range n {
		fmt.Fprintf(&plain, "%d,%d,%g,%d\n", i%7, i, float64(i)/3, 255-i%256)
		fmt.Fprintf(&quoted, "\"%d\",%d,%g,%d\n", i%7, i, float64(i)/3, 255-i%256)
	}
	a, err := ReadTable(writeFile(t, dir, "plain.csv", []byte(plain.String())), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadTable(writeFile(t, dir, "quoted.csv", []byte(quoted.String())), "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != n || b.Len() != n || !slices.EqualFunc(rows(a), rows(b), slices.Equal) || !slices.Equal(a.Labels, b.Labels) {
		t.Fatalf("the fast and general readers differ (%d and %d rows)", a.Len(), b.Len())
	}
	row := make([]float32, 3)
	a.Batch(row, []int{n - 1})
	if want := []float32{n - 1, float32(float64(n-1) / 3), float32(255 - (n-1)%256)}; !slices.Equal(row, want) {
		t.Errorf("last row %v, want %v", row, want)
	}
}

// Bad tables: one line, naming the file and where.
func TestReadTableErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, content, label string
		want                 []string
	}{
		{"ragged", "a,b\n1,2\n3\n", "", []string{"line 3 has 1 fields, the header has 2"}},
		{"ragged quoted", "\"a\",b\n1,2\n3,4,5\n", "", []string{"line 3 has 3 fields, the header has 2"}},
		{"not a number", "a,b\n1,2\n3,x\n", "", []string{"line 3, field 2 (b)", `"x" is not a number`}},
		{"NaN", "a,b\n1,NaN\n", "", []string{"line 2, field 2 (b)", "NaN: want a finite number"}},
		{"Inf", "a,b\n1,2\n-Inf,0\n", "", []string{"line 3, field 1 (a)", "-Inf: want a finite number"}},
		{"empty cell", "a,b\n1,\n", "", []string{"line 2, field 2 (b)", "an empty cell"}},
		{"empty file", "", "", []string{"empty file"}},
		{"blank lines only", "\n\n", "", []string{"no rows"}},
		{"header only", "a,b,label\n", "", []string{"a header but no rows"}},
		{"missing label column", "a,b\n1,2\n", "kind", []string{`no label column "kind"`, `"a" "b"`}},
		{"label index out of range", "1,2\n3,4\n", "5", []string{`no label column "5"`, "index (0 to 1)"}},
		{"only a label", "label\n1\n", "", []string{"no feature columns"}},
		{"empty label", "a,label\n1,\n", "", []string{"an empty label"}},
		{"too large", "a\n1e40\n", "", []string{"out of float32's range"}},
		{"bad quotes", "a,b\n\"1,2\n", "", []string{"line"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".csv", []byte(tc.content))
			_, err := ReadTable(path, tc.label)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, path) || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s", msg, path)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
		})
	}
	if _, err := ReadTable(writeFile(t, dir, "bad.csv.gz", gz([]byte("a,b\n1,2\n"))[:15]), ""); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("a truncated gzip: %v", err)
	}
	if _, err := ReadTable(dir, ""); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder as a table: %v", err)
	}
}

// writeNpy writes v (a slice, nested for more dimensions) as a .npy file.
func writeNpy(t *testing.T, dir, name string, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := npyio.Write(&buf, v); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf.Bytes())
}

// .npy arrays of the three dtypes and shapes, with labels.
func TestReadNpy(t *testing.T) {
	dir := t.TempDir()
	f32 := writeNpy(t, dir, "f32.npy", [][]float32{{1, 2, 3}, {4, 5, 6}})
	f64 := writeNpy(t, dir, "f64.npy", [][]float64{{1.5, 2}, {3, 4}})
	u8 := writeNpy(t, dir, "u8.npy", [][][]uint8{{{0, 255}, {1, 2}}, {{3, 4}, {5, 6}}, {{7, 8}, {9, 10}}})
	rgb := writeNpy(t, dir, "rgb.npy", [][][][]uint8{{{{1}}, {{2}}, {{3}}}})
	labels := writeNpy(t, dir, "labels.npy", []int64{7, 3, 7})
	flabels := writeNpy(t, dir, "flabels.npy", []float64{0.5, 1})

	s, err := ReadNpy(f32, "")
	if err != nil || !slices.Equal(s.Shape(), []int{3}) || !slices.EqualFunc(rows(s), [][]float32{{1, 2, 3}, {4, 5, 6}}, slices.Equal) {
		t.Errorf("float32 N×D: %v %v", s, err)
	}
	s, err = ReadNpy(f64, flabels)
	if err != nil || !slices.EqualFunc(rows(s), [][]float32{{1.5, 2}, {3, 4}}, slices.Equal) || !slices.Equal(s.Classes, []string{"0.5", "1"}) {
		t.Errorf("float64 N×D with float labels: %v %v", s, err)
	}
	s, err = ReadNpy(u8, labels)
	if err != nil || !slices.Equal(s.Shape(), []int{1, 2, 2}) || !slices.Equal(s.Pixels(2), []uint8{7, 8, 9, 10}) ||
		!slices.Equal(s.Classes, []string{"3", "7"}) || !slices.Equal(s.Labels, []int{1, 0, 1}) {
		t.Errorf("uint8 N×H×W: %v %v", s, err)
	}
	got := make([]float32, 4)
	s.Batch(got, []int{0})
	if want := []float32{0, 1, float32(1) / 255, float32(2) / 255}; !slices.Equal(got, want) {
		t.Errorf("uint8 pixels served as %v, want %v", got, want)
	}
	s, err = ReadNpy(rgb, "")
	if err != nil || !slices.Equal(s.Shape(), []int{3, 1, 1}) {
		t.Errorf("uint8 N×C×H×W: %v %v", s, err)
	}
}

// Damaged and unsuitable .npy files: one line naming the file.
func TestReadNpyErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeNpy(t, dir, "good.npy", [][]float32{{1, 2}, {3, 4}})
	b, _ := os.ReadFile(good)
	header := func(h string) []byte {
		h += strings.Repeat(" ", 63-len(h)%64) + "\n"
		out := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), byte(len(h)>>8))
		return append(out, h...)
	}
	for _, tc := range []struct {
		name    string
		content []byte
		labels  string
		want    string
	}{
		{"not npy", []byte("hello, world"), "", "NumPy's magic"},
		{"truncated data", b[:len(b)-3], "", "truncated: its shape [2 2] of <f4 needs 16 bytes of data, the file holds 13"},
		{"trailing data", append(slices.Clone(b), 0, 0), "", "trailing data"},
		{"object dtype", append(header("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), make([]byte, 16)...), "", "object dtype"},
		{"int16 data", append(header("{'descr': '<i2', 'fortran_order': False, 'shape': (2, 1), }"), make([]byte, 4)...), "", `dtype "<i2": want float32, float64 or uint8 samples`},
		{"fortran order", append(header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }"), make([]byte, 8)...), "", "Fortran order"},
		{"bad header", append([]byte("\x93NUMPY\x01\x00\x10\x00"), []byte("{garbage}       ")...), "", "damaged header"},
		{"header without newline", append([]byte("\x93NUMPY\x01\x00\x10\x00"), []byte("{'descr': '<f4',")...), "", "damaged header"},
		{"huge header length", []byte("\x93NUMPY\x02\x00\xff\xff\xff\x7f"), "", "a header of"},
		{"version 9", []byte("\x93NUMPY\x09\x00\x10\x00{}"), "", "format version 9"},
		{"scalar", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"), make([]byte, 4)...), "", "a scalar"},
		{"5-D", append(header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1), }"), make([]byte, 4)...), "", "want N×D"},
		{"empty dimension", header("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }"), "", "empty dimension"},
		{"NaN value", nil, "", "want finite numbers"},
		{"labels of another length", b, writeNpy(t, dir, "l3.npy", []int32{1, 2, 3}), "3 labels for 2 samples"},
		{"labels 2-D", b, writeNpy(t, dir, "l22.npy", [][]int32{{1, 2}, {3, 4}}), "want one label per sample"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var path string
			if tc.content == nil {
				path = writeNpy(t, dir, "nan.npy", [][]float32{{1, float32(math.NaN())}})
			} else {
				path = writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".npy", tc.content)
			}
			_, err := ReadNpy(path, tc.labels)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v: want one line saying %q", err, tc.want)
			}
		})
	}
}

// writeImage writes an image as PNG or JPEG (by the name's ending).
func writeImage(t *testing.T, dir, name string, img image.Image) string {
	t.Helper()
	var buf bytes.Buffer
	var err error
	if strings.HasSuffix(name, ".png") {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 100})
	}
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf.Bytes())
}

func greyImage(w, h int, v uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = v + uint8(i)
	}
	return g
}

// Folders of pictures: class subfolders give the labels, a flat folder has
// none, files without an image ending are skipped and counted, colour makes
// three channels, -resize scales, train/ and test/ split.
func TestReadImages(t *testing.T) {
	dir := t.TempDir()
	classes := filepath.Join(dir, "classes")
	writeImage(t, classes, "cat/b.png", greyImage(3, 2, 10))
	writeImage(t, classes, "cat/a.png", greyImage(3, 2, 20))
	writeImage(t, classes, "dog/c.png", greyImage(3, 2, 30))
	writeFile(t, classes, "dog/notes.txt", []byte("not an image"))
	writeFile(t, classes, "README", []byte("about"))
	s, skipped, err := ReadImages(classes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Shape(), []int{1, 2, 3}) || !slices.Equal(s.Classes, []string{"cat", "dog"}) ||
		!slices.Equal(s.Labels, []int{0, 0, 1}) || skipped != 2 {
		t.Errorf("shape %v classes %q labels %v skipped %d", s.Shape(), s.Classes, s.Labels, skipped)
	}
	if got := s.Pixels(0); got[0] != 20 { // a.png before b.png
		t.Errorf("first image starts with %d, want 20 (a.png)", got[0])
	}

	flat := filepath.Join(dir, "flat")
	rgb := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	rgb.Set(1, 0, color.NRGBA{R: 200, G: 100, B: 50, A: 255})
	writeImage(t, flat, "1.png", rgb)
	writeImage(t, flat, "2.png", greyImage(2, 2, 0))
	s, _, err = ReadImages(flat, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Shape(), []int{3, 2, 2}) || s.Labels != nil {
		t.Errorf("colour: shape %v labels %v", s.Shape(), s.Labels)
	}
	if got := s.Pixels(0); got[1] != 200 || got[4+1] != 100 || got[8+1] != 50 {
		t.Errorf("the coloured pixel's channels are %d %d %d, want 200 100 50", got[1], got[5], got[9])
	}
	if got := s.Pixels(1); got[0] != 0 || got[4] != 0 || got[8] != 0 || got[1] != 1 || got[5] != 1 {
		t.Errorf("a grey image among colour ones: %v", got)
	}

	jpegs := filepath.Join(dir, "jpegs")
	writeImage(t, jpegs, "a.jpg", greyImage(8, 8, 0))
	writeImage(t, jpegs, "b.JPEG", greyImage(16, 12, 0))
	if _, _, err := ReadImages(jpegs, nil); err == nil || !strings.Contains(err.Error(), "mixed sizes") || !strings.Contains(err.Error(), "-resize") {
		t.Errorf("mixed sizes: %v", err)
	}
	s, _, err = ReadImages(jpegs, []int{4, 6})
	if err != nil || !slices.Equal(s.Shape(), []int{1, 6, 4}) || s.Len() != 2 {
		t.Errorf("resized: %v %v", s, err)
	}

	split := filepath.Join(dir, "split")
	writeImage(t, split, "train/0/a.png", greyImage(2, 2, 0))
	writeImage(t, split, "train/1/a.png", greyImage(2, 2, 0))
	writeImage(t, split, "test/1/a.png", greyImage(2, 2, 0))
	writeImage(t, split, "test/2/a.png", greyImage(2, 2, 0))
	d, err := Open(Spec{Path: split}, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.TestFrom != "the test/ subfolder" || d.Train.Len() != 2 || d.Test.Len() != 2 ||
		!slices.Equal(d.Test.Classes, []string{"0", "1", "2"}) || !slices.Equal(d.Test.Labels, []int{1, 2}) {
		t.Errorf("split: %s, %d + %d, test classes %q labels %v", d.TestFrom, d.Train.Len(), d.Test.Len(), d.Test.Classes, d.Test.Labels)
	}
}

// Bad pictures: one line naming the file.
func TestReadImagesErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	writeImage(t, bad, "a.png", greyImage(2, 2, 0))
	writeFile(t, bad, "b.png", []byte("\x89PNG\r\n\x1a\nbroken"))
	jpg := filepath.Join(dir, "jpg")
	writeImage(t, jpg, "a.png", greyImage(2, 2, 0))
	writeFile(t, jpg, "c.jpg", []byte("not a jpeg"))
	truncated := filepath.Join(dir, "truncated")
	var buf bytes.Buffer
	png.Encode(&buf, greyImage(50, 50, 0))
	writeFile(t, truncated, "a.png", buf.Bytes()[:buf.Len()/2])
	mixed := filepath.Join(dir, "mixed")
	writeImage(t, mixed, "a.png", greyImage(2, 2, 0))
	writeImage(t, mixed, "cls/b.png", greyImage(2, 2, 0))
	for _, tc := range []struct{ dir, want string }{
		{bad, "b.png: not a valid PNG image"},
		{jpg, "c.jpg: not a valid JPG image"},
		{truncated, "a.png: not a valid PNG image"},
		{mixed, "holds both images"},
		{filepath.Join(dir, "empty-does-not-exist"), "no such file"},
	} {
		_, _, err := ReadImages(tc.dir, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line saying %q", tc.dir, err, tc.want)
		}
	}
}

// Open: the held-out split is drawn by the seed and keeps the order,
// classes choose training samples, scales are fitted on the training
// samples (constant columns give 0, not NaN), a stored scale is reapplied,
// and a test set must have the training set's shape.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,const,label\n")
	for i := range 100 {
		fmt.Fprintf(&b, "%d,5,%s\n", i, []string{"x", "y"}[i%2])
	}
	table := writeFile(t, dir, "t.csv", []byte(b.String()))
	d, err := Open(Spec{Path: table, TestFrac: 0.2}, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Len() != 80 || d.Test.Len() != 20 || d.TestFrom != "20% of the samples held out (seed 3)" || d.Scale.Kind != Standard || d.Unit() {
		t.Errorf("split %d + %d (%s), scale %s, unit %v", d.Train.Len(), d.Test.Len(), d.TestFrom, d.Scale.Kind, d.Unit())
	}
	var sum, sq float64
	for _, r := range rows(d.Train) {
		sum += float64(r[0])
		sq += float64(r[0]) * float64(r[0])
		if r[1] != 0 {
			t.Fatalf("a constant column serves %v, want 0", r[1])
		}
	}
	if mean, v := sum/80, sq/80-(sum/80)*(sum/80); math.Abs(mean) > 1e-5 || math.Abs(v-1) > 1e-4 {
		t.Errorf("standardised training column: mean %v, variance %v", mean, v)
	}
	again, _ := Open(Spec{Path: table, TestFrac: 0.2}, 3, nil)
	other, _ := Open(Spec{Path: table, TestFrac: 0.2}, 4, nil)
	if !slices.EqualFunc(rows(again.Test), rows(d.Test), slices.Equal) || slices.EqualFunc(rows(other.Test), rows(d.Test), slices.Equal) {
		t.Error("the held-out samples do not follow the seed")
	}

	mm, err := Open(Spec{Path: table, Scale: MinMax, Classes: []string{"y"}}, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := float32(1), float32(0)
	for i, r := range rows(mm.Train) {
		lo, hi = min(lo, r[0]), max(hi, r[0])
		if mm.Train.Classes[mm.Train.Labels[i]] != "y" {
			t.Fatalf("a training sample of class %s", mm.Train.Classes[mm.Train.Labels[i]])
		}
	}
	if lo != 0 || hi != 1 || !mm.Unit() || !slices.ContainsFunc(mm.Test.Labels, func(l int) bool { return mm.Test.Classes[l] == "x" }) {
		t.Errorf("minmax of class y: [%v, %v], unit %v; the test set keeps class x", lo, hi, mm.Unit())
	}

	// A stored scale is applied as it is, not fitted again.
	stored := Scale{Kind: Standard, Shift: []float64{10, 0}, Mult: []float64{0.5, 1}}
	s, err := Open(Spec{Path: table}, 3, &stored)
	if err != nil {
		t.Fatal(err)
	}
	r := make([]float32, 2)
	s.Train.Batch(r, []int{0})
	if r[0] != float32((0-10)*0.5) || r[1] != 5 {
		t.Errorf("with a stored scale the first row is %v, want [-5 5]", r)
	}

	narrow := writeFile(t, dir, "narrow.csv", []byte("a,label\n1,x\n2,y\n"))
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{Path: table, Test: narrow}, "test set " + narrow + ": samples of shape [1], but the training samples of " + table + " have shape [2]"},
		{Spec{Path: table, Classes: []string{"z"}}, `classes: no class "z"`},
		{Spec{Path: table, Classes: []string{"5"}}, `no class "5"`},
		{Spec{Path: narrow}, "too few to hold out"},
		{Spec{Path: table, Scale: "log"}, `unknown scale "log"`},
		{Spec{Path: table, TestFrac: 1}, "test-frac 1"},
		{Spec{Path: filepath.Join(dir, "missing.csv")}, "no such file or folder"},
		{Spec{Path: writeFile(t, dir, "x.parquet", []byte("PAR1"))}, "cannot tell its format"},
		{Spec{Path: table, Labels: narrow}, "a labels file"},
		{Spec{Path: table, Scale: Standard}, ""},
	} {
		_, err := Open(tc.spec, 1, nil)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.spec, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", tc.spec, err, tc.want)
		}
	}
	// A class of the data with no training samples left after -limit.
	if _, err := Open(Spec{Path: table, Limit: 1, Classes: []string{"y"}}, 1, nil); err == nil || !strings.Contains(err.Error(), `class "y" has no samples`) {
		t.Errorf("a class without samples: %v", err)
	}
}

// A labels file that does not fit the samples is refused from the headers,
// before the samples' body is read (nothing of its 8 MB is allocated).
func TestNpyLabelsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	// an 8192×1024 uint8 array, its header written by hand (npyio's
	// reflection over [][]uint8 is slow)
	header := "{'descr': '|u1', 'fortran_order': False, 'shape': (8192, 1024), }"
	header += strings.Repeat(" ", 63-(10+len(header))%64) + "\n"
	file := append([]byte("\x93NUMPY\x01\x00"), byte(len(header)), byte(len(header)>>8))
	file = append(append(file, header...), make([]byte, 8192*1024)...)
	data := writeFile(t, dir, "x.npy", file)
	labels := writeNpy(t, dir, "y.npy", make([]int64, 8191))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadNpy(data, labels)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "8191 labels for 8192 samples") {
		t.Fatalf("error %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 { // the readers' buffers, no body
		t.Errorf("allocated %d bytes before refusing the labels", alloc)
	}
}
