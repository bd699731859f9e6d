// Package par shares work among the cores on long-lived goroutines, so that
// splitting a training step's work allocates nothing.
package par

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Runner is work that can be split: Run(w, workers) does worker w's share.
type Runner interface {
	Run(w, workers int)
}

type task struct {
	r          Runner
	w, workers int
	g          *group
}

// group is one Do call's count of unfinished tasks: left, which the caller
// polls while it spins, and wg, on which it parks after that.
type group struct {
	left atomic.Int32
	wg   sync.WaitGroup
}

var (
	tasks  = make(chan task, 64) // buffered: a sender never waits for a polling worker
	start  sync.Once
	nPool  int
	groups = sync.Pool{New: func() any { return new(group) }}
)

// Workers is the number of workers Do can use: GOMAXPROCS when the pool
// started (at least 1).
func Workers() int {
	start.Do(func() {
		nPool = max(1, runtime.GOMAXPROCS(0)-1)
		for range nPool {
			go work()
		}
	})
	return nPool + 1
}

// spin is how long a worker that has finished a task keeps polling for the
// next before it parks. A parked worker takes tens of microseconds to wake
// (a futex and a context switch on its core), a fifth of a small matrix
// product; the steps of a training run hand out work far more often than
// that, so a worker that waits awake starts at once.
const spin = 50 * time.Microsecond

// work runs tasks for ever: polling for spin after each, then parked.
func work() {
	for {
		t, ok := poll()
		if !ok {
			t = <-tasks
		}
		t.r.Run(t.w, t.workers)
		t.g.left.Add(-1)
		t.g.wg.Done()
	}
}

// poll waits up to spin for a task without parking.
func poll() (task, bool) {
	deadline := time.Now().Add(spin)
	for {
		for range 64 {
			select {
			case t := <-tasks:
				return t, true
			default:
			}
		}
		if time.Now().After(deadline) {
			return task{}, false
		}
	}
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
	g := groups.Get().(*group)
	g.left.Store(int32(workers - 1))
	g.wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		tasks <- task{r, w, workers, g}
	}
	r.Run(0, workers)
	// Wait awake for up to spin, then parked: waking a parked goroutine
	// costs what a small task does.
	for deadline := time.Now().Add(spin); g.left.Load() > 0 && time.Now().Before(deadline); {
		for i := 0; i < 64 && g.left.Load() > 0; i++ {
		}
	}
	g.wg.Wait()
	groups.Put(g)
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
