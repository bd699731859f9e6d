package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"time"

	"github.com/aegraph/aegraph/anomaly"
	"github.com/aegraph/aegraph/datasets"
	"github.com/aegraph/aegraph/internal/isa"
	"github.com/aegraph/aegraph/run"
)

// The HTTP API. Every request body and answer is JSON; samples are in the
// data's own units (pixel values 0–255 for images), each a flat array of the
// model's input size:
//
//	POST /encode       {"samples": [[…], …]}  → {"codes": [[…], …]}
//	POST /reconstruct  {"samples": [[…], …]}  → {"reconstructions": [[…], …]}
//	POST /score        {"samples": [[…], …]}  → {"scores": […], "anomalous": […]} (with a threshold)
//	GET  /info                                 → the model: net, input shape, code size, scale, classes
//	GET  /healthz                              → {"ok": true}
//
// A bad request (malformed JSON, an empty batch, a sample of the wrong
// length, a value that is not finite, a body over the limit) is answered
// 400 with {"error": "…"}; the server goes on serving.

// server answers requests from one model, loaded once: it keeps answering
// if the run folder goes away.
type server struct {
	r          *run.Run
	info       map[string]any
	threshold  float64 // NaN: none
	maxBody    int64
	maxSamples int
}

type request struct {
	Samples [][]float64 `json:"samples"`
}

func runServe(ctx context.Context, e *env, args []string) error {
	f := newFlags("serve", e, false, false)
	addr := f.String("addr", "127.0.0.1:8080", "the address to listen on")
	maxBody := f.Int64("max-body", 8<<20, "the largest request body, in bytes")
	maxSamples := f.Int("max-samples", 4096, "the most samples in one request")
	contamination := f.Float64("contamination", 0, "flag the samples scoring above the (1 − p) quantile of the training samples' scores, p in (0, 0.5]")
	threshold := f.Float64("threshold", math.NaN(), "flag the samples scoring above this")
	headerTimeout := f.Duration("header-timeout", 5*time.Second, "how long a client may take to send its request's headers")
	if err := f.parse(args, false); err != nil {
		return err
	}
	switch {
	case *maxBody < 1 || *maxSamples < 1:
		return usageError{fmt.Errorf("-max-body and -max-samples: want ≥ 1")}
	case *headerTimeout <= 0:
		return usageError{fmt.Errorf("-header-timeout %v: want > 0", *headerTimeout)}
	case f.isSet("contamination") && !(*contamination > 0 && *contamination <= 0.5):
		return usageError{fmt.Errorf("-contamination %v: want a share in (0, 0.5]", *contamination)}
	}
	r, err := f.open()
	if err != nil {
		return err
	}
	defer r.Model.Close()
	s := &server{r: r, threshold: *threshold, maxBody: *maxBody, maxSamples: *maxSamples}
	if f.isSet("contamination") {
		train, _, err := r.ReadData(datasets.Spec{}, "train")
		if err != nil {
			return fmt.Errorf("the run's training samples, for -contamination: %w", err)
		}
		scores, err := r.Model.Errors(train, run.EvalBatch)
		if err != nil {
			return err
		}
		if s.threshold, err = anomaly.Threshold(scores, *contamination); err != nil {
			return usageError{err}
		}
	}
	s.info = map[string]any{
		"net": r.Config.Net, "input": r.Model.Shape, "input_size": r.Model.Dim,
		"code": r.Model.Code, "code_size": r.Model.CodeSize(), "scale": r.Scale().Kind,
		"classes": r.Config.Classes, "epochs": len(r.History), "run": r.Dir,
		"kernels": string(isa.Current()),
	}
	if !math.IsNaN(s.threshold) {
		s.info["threshold"] = s.threshold
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageError{fmt.Errorf("-addr %s: %w", *addr, err)}
	}
	srv := &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: *headerTimeout,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	fmt.Fprintf(e.stdout, "serving %s (%s, input %v, code %v) on http://%s\n", r.Dir, r.Config.Net, r.Model.Shape, r.Model.Code, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// SIGINT or SIGTERM: finish the requests under way, then stop.
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintln(e.stdout, "stopped")
	return nil
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, map[string]any{"ok": true})
	})
	mux.HandleFunc("GET /info", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, http.StatusOK, s.info)
	})
	mux.HandleFunc("POST /encode", s.handle(func(x []float32) (any, error) {
		z, err := s.r.Encode(x)
		return map[string]any{"codes": rowsOf(z, s.r.Model.CodeSize())}, err
	}))
	mux.HandleFunc("POST /reconstruct", s.handle(func(x []float32) (any, error) {
		xr, err := s.r.Reconstruct(x)
		return map[string]any{"reconstructions": rowsOf(xr, s.r.Model.Dim)}, err
	}))
	mux.HandleFunc("POST /score", s.handle(func(x []float32) (any, error) {
		scores, err := s.r.Scores(x)
		out := map[string]any{"scores": scores}
		if !math.IsNaN(s.threshold) {
			flags := make([]bool, len(scores))
			for i, v := range scores {
				flags[i] = v > s.threshold
			}
			out["anomalous"], out["threshold"] = flags, s.threshold
		}
		return out, err
	}))
	return mux
}

// handle decodes and checks a request's samples, then answers with what f
// makes of them.
func (s *server) handle(f func(x []float32) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		body := http.MaxBytesReader(w, req.Body, s.maxBody)
		dec := json.NewDecoder(body)
		dec.DisallowUnknownFields()
		var in request
		if err := dec.Decode(&in); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				fail(w, fmt.Sprintf("the request body is larger than %d bytes", s.maxBody))
				return
			}
			fail(w, "malformed JSON: "+err.Error())
			return
		}
		if dec.More() {
			fail(w, "malformed JSON: more than one value in the body")
			return
		}
		d := s.r.Model.Dim
		switch {
		case len(in.Samples) == 0:
			fail(w, `no samples: send {"samples": [[…], …]}`)
			return
		case len(in.Samples) > s.maxSamples:
			fail(w, fmt.Sprintf("%d samples: at most %d in one request", len(in.Samples), s.maxSamples))
			return
		}
		x := make([]float32, 0, len(in.Samples)*d)
		for i, row := range in.Samples {
			if len(row) != d {
				fail(w, fmt.Sprintf("sample %d has %d values, the model takes %d", i, len(row), d))
				return
			}
			for j, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.MaxFloat32 {
					fail(w, fmt.Sprintf("sample %d, value %d: want a finite number", i, j))
					return
				}
				x = append(x, float32(v))
			}
		}
		out, err := f(x)
		if err != nil {
			reply(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		reply(w, http.StatusOK, out)
	}
}

func fail(w http.ResponseWriter, msg string) {
	reply(w, http.StatusBadRequest, map[string]string{"error": msg})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// rowsOf cuts v into rows of n values.
func rowsOf(v []float32, n int) [][]float32 {
	out := make([][]float32, len(v)/n)
	for i := range out {
		out[i] = v[i*n : (i+1)*n]
	}
	return out
}
