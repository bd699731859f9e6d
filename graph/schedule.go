package graph

import (
	"fmt"
	"math"
	"strings"
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
	names := make([]string, len(Schedules))
	for i, s := range Schedules {
		if s.Name == name {
			return s, nil
		}
		names[i] = s.Name
	}
	return Schedule{}, fmt.Errorf("unknown schedule %q (have %s)", name, strings.Join(names, ", "))
}
