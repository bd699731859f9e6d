package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A record's files hold what lockstep.json says they hold, and a second run
// into the same folder is refused without touching the first.
func TestRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	if err := record([]string{"-net", "vae", "-limit", "512", "-batch", "128", "-epochs", "2", "-out", dir}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "lockstep.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	params := 0
	for _, p := range m.Params {
		n := 1
		for _, d := range p.Shape {
			n *= d
		}
		params += n
	}
	steps := m.Epochs * m.StepsPerEpoch
	if m.Batch != 128 || m.StepsPerEpoch != 4 || len(m.Noise) != 1 || m.Noise[0].Shape[1] != 20 || len(m.EpochLoss) != 2 || m.OursSampled == nil {
		t.Fatalf("manifest %s: want 4 steps per epoch, one noise input ε of 20 per image, 2 epoch losses, a sampled test loss", raw)
	}
	for file, want := range map[string]int{
		"init.f32":  4 * params,
		"final.f32": 4 * params,
		"perm.i32":  4 * m.Epochs * m.Train,
		"noise.f32": 4 * steps * m.Batch * 20,
		"loss.f64":  8 * steps,
	} {
		fi, err := os.Stat(filepath.Join(dir, file))
		if err != nil || fi.Size() != int64(want) {
			t.Errorf("%s: %v bytes (%v), want %d", file, fi, err, want)
		}
	}
	first, _ := os.ReadFile(filepath.Join(dir, "init.f32"))
	final, _ := os.ReadFile(filepath.Join(dir, "final.f32"))
	if string(first) == string(final) {
		t.Error("final.f32 = init.f32: training changed nothing")
	}

	err = record([]string{"-net", "vae", "-limit", "512", "-out", dir})
	if err == nil || !strings.Contains(err.Error(), "already holds a record") {
		t.Errorf("second run into %s: %v, want a refusal", dir, err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "lockstep.json")); string(again) != string(raw) {
		t.Error("the refused run changed lockstep.json")
	}
	for _, args := range [][]string{{"-net", "vae"}, {"-out", dir + "2", "-net", "nosuch"}, {"-out", dir + "3", "-epochs", "0"}, {"-out", dir + "4", "-batch", "-1"}} {
		if err := record(args); err == nil {
			t.Errorf("lockstep %v: no error", args)
		}
	}
}
