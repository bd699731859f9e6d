package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts a CPU profile into cpu (if not "") and returns a
// function that stops it and writes a heap profile into heap (if not "").
// Read them with `go tool pprof`.
func startProfiles(cpu, heap string) (stop func() error, err error) {
	var f *os.File
	if cpu != "" {
		if f, err = os.Create(cpu); err != nil {
			return nil, usageError{fmt.Errorf("-cpuprofile: %w", err)}
		}
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, fmt.Errorf("-cpuprofile: %w", err)
		}
	}
	return func() error {
		if f != nil {
			pprof.StopCPUProfile()
			if err := f.Close(); err != nil {
				return fmt.Errorf("-cpuprofile: %w", err)
			}
		}
		if heap == "" {
			return nil
		}
		h, err := os.Create(heap)
		if err != nil {
			return fmt.Errorf("-memprofile: %w", err)
		}
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(h, 0); err != nil {
			h.Close()
			return fmt.Errorf("-memprofile: %w", err)
		}
		return h.Close()
	}, nil
}
