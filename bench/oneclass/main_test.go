package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/run"
)

// One class, one seed, one epoch: both detectors tell the ones from the
// other digits, the table and the CSV say so, and the kept run scores the
// test set to the AUROC the benchmark reports.
func TestOneClass(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "oneclass.csv")
	var w bytes.Buffer
	err := mainErr(context.Background(), []string{"-classes", "1", "-seeds", "1", "-epochs", "1",
		"-iforest=false", "-keep", filepath.Join(dir, "runs"), "-o", out}, &w)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.String(), "pca-32") || !strings.Contains(w.String(), "\nmean ") {
		t.Errorf("table:\n%s", w.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("%s: %d rows, %v", out, len(rows), err)
	}
	for _, row := range rows[1:] {
		if auc, _ := strconv.ParseFloat(row[3], 64); auc < 0.9 || row[1] != "1" {
			t.Errorf("%v: want class 1 told apart with AUROC ≥ 0.9", row)
		}
	}

	r, err := run.Open(filepath.Join(dir, "runs", "1-1"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Model.Close()
	test, _, err := r.ReadData(r.Config.Data, "test")
	if err != nil {
		t.Fatal(err)
	}
	errs, err := r.Model.Errors(test, run.EvalBatch)
	if err != nil {
		t.Fatal(err)
	}
	anomalous, err := test.Outside([]string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	auc, err := anomaly.AUROC(errs, anomalous)
	if err != nil {
		t.Fatal(err)
	}
	if got := strconv.FormatFloat(auc, 'f', 6, 64); got != rows[1][3] {
		t.Errorf("the kept run scores AUROC %s, the benchmark said %s", got, rows[1][3])
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-seeds", "0"},
		{"-epochs", "-1"},
		{"-net", "nosuch"},
		{"-classes", "nosuch", "-iforest=false"},
		{"-data", "/nonexistent"},
		{"extra"},
	} {
		if err := mainErr(context.Background(), args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		} else {
			t.Logf("%v: %v", args, err)
		}
	}
}
