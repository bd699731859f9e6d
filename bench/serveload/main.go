// Command serveload puts `ae serve` under load on loopback: clients
// concurrent clients POST batches of MNIST test images to /encode,
// /reconstruct and /score for a while, and meanwhile every kind of bad
// request is sent and must be answered 400. It prints requests per second,
// latency percentiles, errors, and the server's resident memory over time
// (given its process id).
//
//	go run ./cmd/ae serve -run RUN -addr 127.0.0.1:8080 &
//	go run ./bench/serveload -addr 127.0.0.1:8080 -pid $! -clients 32 -for 60s
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aegraph/aegraph/datasets"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "the server (loopback only)")
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("for", 60*time.Second, "how long")
	batch := flag.Int("batch", 16, "images per request")
	pid := flag.Int("pid", 0, "the server's process id, to sample its resident memory")
	flag.Parse()
	if !strings.HasPrefix(*addr, "127.") && !strings.HasPrefix(*addr, "localhost") {
		fmt.Fprintln(os.Stderr, "serveload: -addr must be a loopback address")
		os.Exit(2)
	}
	if err := load(*addr, *clients, *duration, *batch, *pid); err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
}

func load(addr string, clients int, duration time.Duration, batch, pid int) error {
	m, err := datasets.Load("")
	if err != nil {
		return err
	}
	bodies := make([][]byte, 50)
	for b := range bodies {
		var samples [][]uint8
		for i := range batch {
			samples = append(samples, m.Test.Pixels((b*batch+i)%m.Test.Len()))
		}
		rows := make([][]int, len(samples))
		for i, s := range samples {
			for _, p := range s {
				rows[i] = append(rows[i], int(p))
			}
		}
		bodies[b], _ = json.Marshal(map[string]any{"samples": rows})
	}
	sample := "[" + strings.TrimSuffix(strings.Repeat("0,", 784), ",") + "]"
	bad := []string{
		`{"samples": [[1, 2]]}`, `{"samples": []}`, `{bad`, `{"samples": [` + strings.Replace(sample, "0", "1e39", 1) + `]}`,
		`{"samples": [` + sample + `], "x": 1}`, `{"samples": [` + strings.Repeat(sample+",", 5000) + sample + `]}`,
	}
	url := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second}
	var mu sync.Mutex
	var latencies []time.Duration
	errs, badOK, badWrong := 0, 0, 0
	stop := time.Now().Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths := []string{"/encode", "/reconstruct", "/score"}
			for i := 0; time.Now().Before(stop); i++ {
				start := time.Now()
				resp, err := client.Post(url+paths[(c+i)%3], "application/json", bytes.NewReader(bodies[(c*7+i)%len(bodies)]))
				ok := err == nil && resp.StatusCode == 200
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				latencies = append(latencies, time.Since(start))
				if !ok {
					errs++
				}
				mu.Unlock()
				if c == 0 && i%10 == 0 { // a bad request now and then, during the load
					resp, err := client.Post(url+"/encode", "application/json", strings.NewReader(bad[(i/10)%len(bad)]))
					mu.Lock()
					if err == nil && resp.StatusCode == 400 {
						badOK++
					} else {
						badWrong++
					}
					mu.Unlock()
					if err == nil {
						resp.Body.Close()
					}
				}
			}
		}()
	}
	var rss []string
	if pid > 0 {
		go func() {
			for time.Now().Before(stop) {
				rss = append(rss, residentMiB(pid))
				time.Sleep(duration / 12)
			}
		}()
	}
	wg.Wait()
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	fmt.Printf("%d clients for %v, %d images per request: %d requests, %.0f requests/s (%.0f images/s)\n",
		clients, duration, batch, len(latencies), float64(len(latencies))/duration.Seconds(), float64(len(latencies)*batch)/duration.Seconds())
	fmt.Printf("latency p50 %v, p99 %v, max %v; errors %d\n", pct(0.5).Round(time.Microsecond*100), pct(0.99).Round(time.Microsecond*100), latencies[len(latencies)-1].Round(time.Millisecond), errs)
	fmt.Printf("bad requests during the load: %d answered 400, %d otherwise\n", badOK, badWrong)
	if rss != nil {
		fmt.Printf("server resident memory over the run (MiB): %s\n", strings.Join(rss, " "))
	}
	return nil
}

// residentMiB reads VmRSS from /proc/PID/status.
func residentMiB(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return strconv.Itoa(kb / 1024)
		}
	}
	return "?"
}
