package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"

	"github.com/aegraph/aegraph/graph"
	"github.com/aegraph/aegraph/nets"
	"github.com/aegraph/aegraph/run"
)

// testWide is a net as a newcomer adds one: this type and its init function
// are the whole of what would be nets/wide.go. Its option "width" becomes
// the flag -width, is recorded in the run's config.json and is checked.

// testWide is x → one ReLU layer of Width → z → one of Width → x'.
type testWide struct{ Dim, Width, Latent int }

// Encoder: x (batch, Dim) → h (batch, Width) → z (batch, Latent).
func (n testWide) Encoder(b *graph.Builder, x *G.Node) *G.Node {
	return b.Dense("code", b.Dense("enc", x, n.Width, graph.ReLU), n.Latent, graph.Identity)
}

// Decoder: z (batch, Latent) → h (batch, Width) → x' (batch, Dim) in (0, 1).
func (n testWide) Decoder(b *graph.Builder, z *G.Node) *G.Node {
	return b.Dense("recon", b.Dense("dec", z, n.Width, graph.ReLU), n.Dim, graph.Sigmoid)
}

func init() {
	nets.Register(nets.Spec{Name: "test-wide", Doc: "test only: one hidden layer of -width each way", Loss: "bce",
		Options: []nets.Option{{Name: "width", Default: 48, Doc: "units of the hidden layers", Check: nets.AtLeast(2)}},
		New: func(c nets.Config) (graph.Net, error) {
			return testWide{graph.Size(c.Input), c.Options.Int("width"), c.Latent}, nil
		}})
}

// A net with an option of its own trains through cmd/train with its flag,
// which -h lists, the run records and resuming keeps; a bad value, or the
// flag given to a net without the option, is one line and exit 2.
func TestNetWithItsOwnOption(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "wide")
	code, _, stderr := runTrain(t, "-net", "test-wide", "-width", "20", "-limit", "256", "-batch", "64", "-epochs", "1", "-out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, run.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	var c run.Config
	if err := json.Unmarshal(b, &c); err != nil || c.Arch.Options["width"] != 20.0 {
		t.Errorf("config.json options %v (%v), want width 20", c.Arch.Options, err)
	}
	r, err := run.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if w := r.Model.Params.Get("enc.w"); w == nil || w.Shape()[1] != 20 {
		t.Errorf("the opened model's enc.w is %v, want 20 columns", w)
	}
	if code, _, e := runTrain(t, "-resume", out, "-epochs", "2"); code != exitOK {
		t.Errorf("resume: exit %d: %s", code, e)
	}

	_, _, help := runTrain(t, "-h")
	if !strings.Contains(help, "-width") || !strings.Contains(help, "test-wide: units of the hidden layers (default 48)") {
		t.Errorf("-h does not list -width with its default:\n%s", help)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-net", "test-wide", "-width", "1"}, "-width 1: want ≥ 2"},
		{[]string{"-net", "test-wide", "-width", "many"}, `-width "many": want an integer`},
		{[]string{"-net", "mlp", "-width", "20"}, "-width: the mlp net has no such option (its options: hidden)"},
		{[]string{"-net", "test-wide", "-hidden", "20"}, "-hidden: the test-wide net has no such option (its options: width)"},
	} {
		rejected := filepath.Join(dir, "rejected")
		code, _, stderr := runTrain(t, append(tc.args, "-limit", "256", "-out", rejected)...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		checkOneLine(t, stderr, tc.want)
		if _, err := os.Stat(rejected); err == nil {
			t.Errorf("%v created %s", tc.args, rejected)
		}
	}
}
