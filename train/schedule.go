package train

import (
	"math"

	"github.com/aegraph/aegraph/internal/named"
)

// Schedule scales the learning rate over a run. Factor(done) multiplies the
// base rate for the step taken when the fraction done ∈ [0, 1) of the run's
// steps is behind; it depends on nothing else, so a resumed run follows the
// same rates as an uninterrupted one.
type Schedule struct {
	Name   string
	Doc    string
	Factor func(done float64) float64
}

// Schedules lists the available learning-rate schedules.
var Schedules = []Schedule{
	{"cosine", "from the rate down to 0 along half a cosine over the run's steps (Loshchilov & Hutter 2017; PyTorch's CosineAnnealingLR)",
		func(done float64) float64 { return 0.5 * (1 + math.Cos(math.Pi*done)) }},
	{"constant", "the rate as given, throughout", func(float64) float64 { return 1 }},
}

// ScheduleByName returns the named schedule.
func ScheduleByName(name string) (Schedule, error) {
	return named.Find("schedule", name, Schedules, func(s Schedule) string { return s.Name })
}

// Rate is the learning rate of the step taken when done of the run's total
// steps are behind: lr·Factor(done/total), held at its end value past the end.
func (s Schedule) Rate(lr float64, done, total int) float64 {
	return lr * s.Factor(min(float64(done)/float64(total), 1))
}

// Constant reports whether s keeps the rate as given throughout.
func (s Schedule) Constant() bool { return s.Name == "constant" }
