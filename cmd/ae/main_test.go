package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image/png"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/plots"
	"github.com/aegraph/aegraph/run"
)

// ae runs the command in-process.
func ae(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = mainRun(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

var (
	runsOnce sync.Once
	runsDir  string
	runsErr  error
)

// runs trains, once per test binary, small runs to use: an mlp on all
// digits, a vae, and an mlp on the digit 3 only.
func runs(t *testing.T) string {
	t.Helper()
	runsOnce.Do(func() {
		runsDir, runsErr = os.MkdirTemp("", "aegraph-ae-test")
		if runsErr != nil {
			return
		}
		for _, r := range []struct {
			name, net string
			classes   []string
		}{{"mlp", "mlp", nil}, {"vae", "vae", nil}, {"three", "mlp", []string{"3"}}} {
			c, err := run.Defaults(r.net)
			if err != nil {
				runsErr = err
				return
			}
			c.Arch.Latent, c.Train.Epochs, c.Train.Batch = 8, 2, 64
			c.Arch.Options["hidden"] = []int{64}
			c.Data.Limit, c.Data.Classes = 1500, r.classes
			data, err := c.LoadData()
			if err != nil {
				runsErr = err
				return
			}
			data.Test = data.Test.Head(500)
			rr, err := run.New(filepath.Join(runsDir, r.name), c, data)
			if err != nil {
				runsErr = err
				return
			}
			for rr.Trainer.Epoch < c.Train.Epochs {
				if _, err := rr.Epoch(context.Background(), data.Train, data.Test, nil); err != nil {
					runsErr = err
					return
				}
			}
			if runsErr = rr.Save(); runsErr != nil {
				return
			}
		}
	})
	if runsErr != nil {
		t.Fatal(runsErr)
	}
	return runsDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{runsDir, binDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func readNpy(t *testing.T, path string) []float32 {
	t.Helper()
	s, err := datasets.ReadNpy(path, "")
	if err != nil {
		t.Fatal(err)
	}
	return s.All()
}

// encode, then decoding the codes through the library, gives what
// reconstruct gives; score's errors are Model.Errors', and average to
// Evaluate's MSE.
func TestRoundTrip(t *testing.T) {
	dir := runs(t)
	out := t.TempDir()
	mlp := filepath.Join(dir, "mlp")
	codes, recon, scores := filepath.Join(out, "codes.npy"), filepath.Join(out, "recon.npy"), filepath.Join(out, "scores.csv")
	for _, args := range [][]string{
		{"encode", "-run", mlp, "-o", codes},
		{"reconstruct", "-run", mlp, "-o", recon},
		{"score", "-run", mlp, "-o", scores},
		{"encode", "-run", mlp, "-o", filepath.Join(out, "codes.csv")},
	} {
		if code, stdout, stderr := ae(t, args...); code != exitOK {
			t.Fatalf("%v: exit %d: %s%s", args, code, stdout, stderr)
		}
	}
	r, err := run.Open(mlp)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Model.Close()
	z := readNpy(t, codes)
	const n = 10000 // the run's test set: MNIST's
	if len(z) != n*r.Model.CodeSize() {
		t.Fatalf("%d code values, want %d×%d", len(z), n, r.Model.CodeSize())
	}
	x, err := r.Decode(z)
	if err != nil {
		t.Fatal(err)
	}
	if got := readNpy(t, recon); !slices.Equal(got, x) {
		t.Error("reconstruct differs from decoding encode's codes")
	}
	test, _, err := r.ReadData(datasets.Spec{}, "test")
	if err != nil {
		t.Fatal(err)
	}
	errs, err := r.Model.Errors(test, run.EvalBatch)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := r.Model.Evaluate(test, run.EvalBatch)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, scores)
	if !slices.Equal(rows[0], []string{"label", "index", "error"}) || len(rows) != n+1 {
		t.Fatalf("scores.csv: header %v, %d rows", rows[0], len(rows))
	}
	var sum float64
	for i, row := range rows[1:] {
		v, _ := strconv.ParseFloat(row[2], 32)
		if float32(v) != float32(errs[i]) || row[0] != test.Classes[test.Labels[i]] || row[1] != strconv.Itoa(i) {
			t.Fatalf("row %d: %v, want label %s, error %v", i, row, test.Classes[test.Labels[i]], float32(errs[i]))
		}
		sum += errs[i]
	}
	if mean := sum / n; math.Abs(mean-ev.MSE) > 1e-12*ev.MSE {
		t.Errorf("mean score %v, Evaluate's MSE %v", mean, ev.MSE)
	}
	if c := readCSV(t, filepath.Join(out, "codes.csv")); len(c) != n+1 || len(c[0]) != 2+r.Model.CodeSize() {
		t.Errorf("codes.csv: %d rows of %d columns", len(c), len(c[0]))
	}
}

// Every command on good input, and what it prints.
func TestCommands(t *testing.T) {
	dir := runs(t)
	out := t.TempDir()
	three, vae := filepath.Join(dir, "three"), filepath.Join(dir, "vae")
	for _, tc := range []struct {
		args []string
		want []string
		file string
	}{
		{[]string{"info", three}, []string{"net      mlp", "trained on the classes [\"3\"] only", "epochs   2 trained"}, ""},
		{[]string{"score", "-run", three, "-o", "s.csv", "-contamination", "0.05"}, []string{"threshold", "flagged", `normal classes ["3"]: AUROC 0.`}, "s.csv"},
		{[]string{"score", "-run", three, "-part", "train", "-features", "-o", "features.csv"}, []string{"the run's training samples", `normal classes ["3"]: no AUROC: 0 anomalous samples`}, "features.csv"},
		{[]string{"score", "-run", three, "-o", "s3.csv", "-anomalies", "anomalies.png", "-histogram", "h.png"}, []string{"the most anomalous and the most normal samples", "the scores of normal and anomalous samples"}, "h.png"},
		{[]string{"score", "-run", three, "-o", "s4.csv", "-contamination", "0.1", "-normal", "3,5", "-histogram", "h2.png"}, []string{`normal classes ["3" "5"]: AUROC`}, "h2.png"},
		{[]string{"score", "-run", vae, "-o", "v.csv", "-score", "loss", "-normal", "1"}, []string{"score: loss", `normal classes ["1"]`}, "v.csv"},
		{[]string{"sample", "-run", vae, "-n", "16", "-o", "samples.png"}, []string{"16 samples"}, "samples.png"},
		{[]string{"encode", "-run", vae, "-logvar", "-o", "lv.csv"}, []string{"8-value codes"}, "lv.csv"},
		{[]string{"sample", "-run", vae, "-n", "5", "-o", "samples.npy"}, []string{"5 samples"}, "samples.npy"},
		{[]string{"interpolate", "-run", vae, "-from", "3", "-to", "7", "-steps", "6", "-o", "interp.png"}, []string{"6 points from sample 3 to 7"}, "interp.png"},
		{[]string{"reconstruct", "-run", three, "-o", "pngs/"}, []string{"reconstructed 10000 samples"}, "pngs/09999.png"},
		{[]string{"reconstruct", "-run", three, "-force", "-o", "pngs/"}, []string{"reconstructed 10000 samples"}, "pngs/09999.png"}, // replaces its own folder
		{[]string{"reconstruct", "-run", three, "-part", "train", "-o", "train.png"}, []string{"the run's training samples"}, "train.png"},
	} {
		for i, a := range tc.args {
			if strings.HasSuffix(a, ".csv") || strings.HasSuffix(a, ".png") || strings.HasSuffix(a, ".npy") || strings.HasSuffix(a, "/") {
				tc.args[i] = filepath.Join(out, a) + map[bool]string{true: "/", false: ""}[strings.HasSuffix(a, "/")]
			}
		}
		code, stdout, stderr := ae(t, tc.args...)
		if code != exitOK {
			t.Errorf("%v: exit %d: %s", tc.args, code, stderr)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("%v: stdout %q does not say %q", tc.args, stdout, w)
			}
		}
		if tc.file != "" {
			if _, err := os.Stat(filepath.Join(out, tc.file)); err != nil {
				t.Errorf("%v: %v", tc.args, err)
			}
		}
	}
	if h := readCSV(t, filepath.Join(out, "lv.csv"))[0]; len(h) != 2+16 || h[2+8] != "logvar1" {
		t.Errorf("-logvar: header %v, want z1…z8 then logvar1…logvar8", h)
	}
	// The picture of 16 samples is a grid of 8 by 2 of 28×28 images.
	b, _ := os.ReadFile(filepath.Join(out, "samples.png"))
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Error("samples.png is not a PNG")
	}
	// -features: a column per pixel, (x − x')², whose mean is the error.
	rows := readCSV(t, filepath.Join(out, "features.csv"))
	if h := rows[0]; len(h) != 3+784 || h[3] != "error_x1" || h[3+783] != "error_x784" {
		t.Fatalf("features.csv: header of %d columns %v…", len(h), h[:min(5, len(h))])
	}
	for _, row := range rows[1:] {
		var sum float64
		for _, v := range row[3:] {
			f, _ := strconv.ParseFloat(v, 64)
			sum += f
		}
		if e, _ := strconv.ParseFloat(row[2], 64); math.Abs(sum/784-e) > 1e-5*e+1e-9 {
			t.Fatalf("features.csv row %s: mean of the per-pixel errors %v, error %v", row[1], sum/784, e)
		}
	}
	// The anomalies: 6 rows (highest-scoring, their reconstructions and
	// errors; then the lowest-scoring) of 8 digits, 2× enlarged.
	if f, err := os.Open(filepath.Join(out, "anomalies.png")); err == nil {
		c, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || c.Width != 8*56+7*plots.Gap || c.Height != 6*56+5*plots.Gap {
			t.Errorf("anomalies.png: %d×%d, %v; want 6 rows of 8 digits", c.Width, c.Height, err)
		}
	}
	if x := readNpy(t, filepath.Join(out, "samples.npy")); len(x) != 5*784 || slices.Max(x) > 255 || slices.Min(x) < 0 {
		t.Errorf("samples.npy: %d values in [%v, %v], want 5×784 pixel values", len(x), slices.Min(x), slices.Max(x))
	}
}

// Bad input: one line, exit 2, nothing written.
func TestBadInput(t *testing.T) {
	dir := runs(t)
	out := t.TempDir()
	mlp, vae := filepath.Join(dir, "mlp"), filepath.Join(dir, "vae")
	damaged := filepath.Join(out, "damaged")
	os.MkdirAll(damaged, 0o755)
	ck, _ := os.ReadFile(filepath.Join(mlp, run.CheckpointFile))
	os.WriteFile(filepath.Join(damaged, run.CheckpointFile), ck[:len(ck)/2], 0o644)
	newer := filepath.Join(out, "newer")
	os.MkdirAll(newer, 0o755)
	nb := bytes.Clone(ck)
	nb[8] = 9 // format version 9
	os.WriteFile(filepath.Join(newer, run.CheckpointFile), nb, 0o644)
	narrow := filepath.Join(out, "narrow.csv")
	var b strings.Builder
	for i := range 64 {
		fmt.Fprintf(&b, "c%d,", i)
	}
	b.WriteString("label\n")
	for range 3 {
		b.WriteString(strings.Repeat("1,", 64) + "x\n")
	}
	os.WriteFile(narrow, []byte(b.String()), 0o644)
	unlabelled := filepath.Join(out, "unlabelled.csv")
	os.WriteFile(unlabelled, []byte(strings.Repeat(strings.Repeat("0,", 783)+"0\n", 3)), 0o644)
	existing := filepath.Join(out, "existing.csv")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	foreign := filepath.Join(out, "foreign")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("keep me"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"encode", "-run", out, "-o", filepath.Join(out, "c.csv")}, "not a run folder"},
		{[]string{"encode", "-run", damaged, "-o", filepath.Join(out, "c.csv")}, "truncated"},
		{[]string{"encode", "-run", newer, "-o", filepath.Join(out, "c.csv")}, "newer"},
		{[]string{"encode", "-run", mlp, "-data", narrow, "-o", filepath.Join(out, "c.csv")}, "the samples have shape [64] (64 values), the model takes [1 28 28] (784 values)"},
		{[]string{"score", "-run", mlp, "-normal", "cat", "-o", filepath.Join(out, "c.csv")}, `-normal cat: no such class in the run`},
		{[]string{"sample", "-run", vae, "-n", "0", "-o", filepath.Join(out, "s.png")}, "-n 0: want 1 to"},
		{[]string{"sample", "-run", mlp, "-o", filepath.Join(out, "s.png")}, "samples need a generative net"},
		{[]string{"score", "-run", mlp, "-contamination", "0.7", "-o", filepath.Join(out, "c.csv")}, "-contamination 0.7: want a share in (0, 0.5]"},
		{[]string{"score", "-run", mlp, "-contamination", "0", "-o", filepath.Join(out, "c.csv")}, "-contamination 0: want a share in (0, 0.5]"},
		{[]string{"encode", "-run", mlp, "-o", filepath.Join(out, "missing", "c.csv")}, "does not exist"},
		{[]string{"encode", "-run", mlp, "-o", existing}, "exists: give -force"},
		{[]string{"reconstruct", "-run", mlp, "-force", "-o", foreign + "/"}, "holds notes.txt, which ae did not write: give a new or empty folder"},
		{[]string{"encode", "-run", mlp, "-o", filepath.Join(out, "c.txt")}, "want a .csv or .npy file"},
		{[]string{"interpolate", "-run", vae, "-from", "0", "-to", "10000", "-o", filepath.Join(out, "i.png")}, "sample 10000: the run's test set"},
		{[]string{"encode", "-o", filepath.Join(out, "c.csv")}, "-run: give the run folder"},
		{[]string{"encode", "-run", mlp}, "-o: give the output file"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"score", "-run", mlp, "-anomalies", filepath.Join(out, "a.jpg"), "-o", filepath.Join(out, "c.csv")}, "-anomalies " + filepath.Join(out, "a.jpg") + ": want a .png file"},
		{[]string{"score", "-run", mlp, "-anomalies", existing, "-o", filepath.Join(out, "c.csv")}, "want a .png file"},
		{[]string{"score", "-run", mlp, "-anomalies", filepath.Join(out, "missing", "a.png"), "-o", filepath.Join(out, "c.csv")}, "does not exist"},
		{[]string{"score", "-run", mlp, "-histogram", filepath.Join(out, "h.png"), "-o", filepath.Join(out, "c.csv")}, "-histogram " + filepath.Join(out, "h.png") + ": which classes are normal? give -normal"},
		{[]string{"score", "-run", mlp, "-normal", "3", "-data", unlabelled, "-histogram", filepath.Join(out, "h.png"), "-o", filepath.Join(out, "c.csv")}, "has no labels to tell normal samples from anomalous ones"},
		{[]string{"score", "-run", mlp, "-normal", "3", "-histogram", filepath.Join(out, "h.svg"), "-o", filepath.Join(out, "c.csv")}, "-histogram " + filepath.Join(out, "h.svg") + ": want a .png file"},
		{[]string{"encode", "-run", mlp, "-logvar", "-o", filepath.Join(out, "c.csv")}, `-logvar: net mlp: the net's encoder has no output "logvar"`},
		{[]string{"serve", "-run", mlp, "-addr", "256.1.1.1:80"}, "-addr"},
	} {
		code, _, stderr := ae(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line saying %q", tc.args, code, stderr, tc.want)
		}
	}
	for _, f := range []string{existing, filepath.Join(foreign, "notes.txt")} {
		if b, _ := os.ReadFile(f); string(b) != "keep me" {
			t.Errorf("an existing file, %s, was overwritten", f)
		}
	}
	left, _ := filepath.Glob(filepath.Join(out, "*"))
	for _, f := range left {
		if base := filepath.Base(f); base != "damaged" && base != "newer" && base != "narrow.csv" && base != "existing.csv" && base != "unlabelled.csv" && base != "foreign" {
			t.Errorf("a refused command left %s", f)
		}
	}
}

// The server answers good requests, refuses bad ones with 400 and a
// message, and keeps serving, under concurrent clients.
func TestServer(t *testing.T) {
	dir := runs(t)
	r, err := run.Open(filepath.Join(dir, "mlp"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Model.Close()
	s := &server{r: r, threshold: 0.05, maxBody: 512 << 10, maxSamples: 100, info: map[string]any{"net": "mlp"}}
	ts := httptest.NewServer(s.routes())
	defer ts.Close()
	post := func(path, body string) (int, map[string]any) {
		resp, err := http.Post(ts.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	sample := "[" + strings.TrimSuffix(strings.Repeat("128,", 784), ",") + "]"
	good := `{"samples": [` + sample + `,` + sample + `]}`
	bad := []struct{ body, want string }{
		{`{"samples": [[1, 2]]}`, "sample 0 has 2 values, the model takes 784"},
		{`{"samples": []}`, "no samples"},
		{`{"samples": [` + sample + `], "extra": 1}`, "malformed JSON"},
		{`{"samples": `, "malformed JSON"},
		{`not json`, "malformed JSON"},
		{`{"samples": [` + strings.Replace(sample, "128", "1e39", 1) + `]}`, "want a finite number"},
		{`{"samples": [` + strings.Repeat(sample+",", 100) + sample + `]}`, "101 samples: at most 100"},
		{`{"samples": [` + strings.Repeat("["+strings.Repeat("1,", 2000)+"1],", 200) + `[1]]}`, "larger than 524288 bytes"},
		{`{} {}`, "more than one value"},
	}
	var wg sync.WaitGroup
	failures := make(chan string, 100)
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				path := []string{"/encode", "/reconstruct", "/score"}[(c+i)%3]
				code, out := post(path, good)
				if code != 200 || len(out) == 0 {
					failures <- fmt.Sprintf("%s: %d %v", path, code, out)
				}
				b := bad[(c*10+i)%len(bad)]
				code, out = post("/encode", b.body)
				if msg, _ := out["error"].(string); code != 400 || !strings.Contains(msg, b.want) {
					failures <- fmt.Sprintf("bad request %.40q: %d %v, want 400 saying %q", b.body, code, out, b.want)
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	code, out := post("/score", good)
	if code != 200 || len(out["scores"].([]any)) != 2 || out["anomalous"] == nil {
		t.Errorf("/score: %d %v", code, out)
	}
	code, out = post("/encode", good)
	codes := out["codes"].([]any)
	z, _ := r.Encode(append(make([]float32, 0, 1568), slices.Repeat([]float32{128}, 1568)...))
	if code != 200 || len(codes) != 2 || float32(codes[1].([]any)[0].(float64)) != z[r.Model.CodeSize()] {
		t.Errorf("/encode: %d, codes differ from the library's", code)
	}
	if resp, _ := http.Get(ts.URL + "/encode"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /encode: %d", resp.StatusCode)
	}
	if resp, _ := http.Get(ts.URL + "/healthz"); resp.StatusCode != 200 {
		t.Errorf("/healthz: %d", resp.StatusCode)
	}
}

// A client that sends its headers slowly is cut off, others are served
// meanwhile, and SIGTERM (a cancelled context) stops the server gracefully.
func TestServeSlowClientAndShutdown(t *testing.T) {
	dir := runs(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// The server works from a copy of the run, which is removed once it
	// serves: it goes on answering from memory.
	folder := filepath.Join(t.TempDir(), "copy")
	os.MkdirAll(folder, 0o755)
	for _, name := range []string{run.CheckpointFile, run.ConfigFile} {
		b, _ := os.ReadFile(filepath.Join(dir, "mlp", name))
		os.WriteFile(filepath.Join(folder, name), b, 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr bytes.Buffer
	done := make(chan int)
	go func() {
		done <- mainRun(ctx, []string{"serve", "-run", folder, "-addr", addr, "-header-timeout", "300ms"}, &stdout, &stderr)
	}()
	var conn net.Conn
	for range 100 {
		if conn, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(folder)
	sample := "[" + strings.TrimSuffix(strings.Repeat("7,", 784), ",") + "]"
	if resp, err := http.Post("http://"+addr+"/encode", "application/json", strings.NewReader(`{"samples": [`+sample+`]}`)); err != nil || resp.StatusCode != 200 {
		t.Errorf("with its run folder gone the server answers %v %v", resp, err)
	}
	fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n") // and never the end of the headers
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a second client: %v %v", resp, err)
	}
	// The server closes the connection (after its 300 ms); the deadline only
	// keeps a server that never does from hanging the test.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	_, err = bufio.NewReader(conn).ReadString('\n')
	if ne, ok := err.(net.Error); err == nil || (ok && ne.Timeout()) {
		t.Errorf("the slow client was not cut off by the server: %v", err)
	}
	conn.Close()
	cancel()
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(stdout.String(), "stopped") {
			t.Errorf("shutdown: exit %d, %s %s", code, stdout.String(), stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
}
