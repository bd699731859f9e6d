// Package par shares work among the cores on long-lived goroutines, so that
// splitting a training step's work allocates nothing.
package par

import (
	"runtime"
	"sync"
)

// Runner is work that can be split: Run(w, workers) does worker w's share.
type Runner interface {
	Run(w, workers int)
}

type task struct {
	r          Runner
	w, workers int
	wg         *sync.WaitGroup
}

var (
	tasks  = make(chan task)
	start  sync.Once
	nPool  int
	groups = sync.Pool{New: func() any { return new(sync.WaitGroup) }}
)

// Workers is the number of workers Do can use: GOMAXPROCS when the pool
// started (at least 1).
func Workers() int {
	start.Do(func() {
		nPool = max(1, runtime.GOMAXPROCS(0)-1)
		for range nPool {
			go func() {
				for t := range tasks {
					t.r.Run(t.w, t.workers)
					t.wg.Done()
				}
			}()
		}
	})
	return nPool + 1
}

// Do runs r.Run(w, workers) for every w in [0, workers) at once — w = 0 on
// the calling goroutine — and waits for all of them. workers is capped at
// Workers().
func Do(r Runner, workers int) {
	workers = min(workers, Workers())
	if workers <= 1 {
		r.Run(0, 1)
		return
	}
	wg := groups.Get().(*sync.WaitGroup)
	wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		tasks <- task{r, w, workers, wg}
	}
	r.Run(0, workers)
	wg.Wait()
	groups.Put(wg)
}

// Range splits [0, n) into min(n, Workers()) ranges of about equal length,
// [w·n/workers, (w+1)·n/workers), and runs f(w, lo, hi) for each at once.
// The split depends only on n and the number of cores; n = 0 calls f not at
// all.
func Range(n int, f func(worker, lo, hi int)) {
	if n > 0 {
		Do(rangeJob{n, f}, n)
	}
}

type rangeJob struct {
	n int
	f func(worker, lo, hi int)
}

func (j rangeJob) Run(w, workers int) { j.f(w, w*j.n/workers, (w+1)*j.n/workers) }
