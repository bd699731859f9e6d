package train

import (
	"slices"
	"testing"
)

func TestPerm(t *testing.T) {
	for _, tc := range []struct {
		n     int
		seed  uint64
		epoch int
	}{
		{0, 1, 0},
		{1, 1, 0},
		{2, 7, 3},
		{10, 1, 0},
		{1000, 42, 5},
		{60000, 1, -1},
	} {
		p := Perm(tc.n, tc.seed, tc.epoch)
		sorted := slices.Sorted(slices.Values(p))
		for i, v := range sorted {
			if v != i {
				t.Fatalf("Perm(%d, %d, %d) is not a permutation of 0..n-1", tc.n, tc.seed, tc.epoch)
			}
		}
		if len(p) != tc.n {
			t.Fatalf("len(Perm(%d, …)) = %d", tc.n, len(p))
		}
		if q := Perm(tc.n, tc.seed, tc.epoch); !slices.Equal(p, q) {
			t.Errorf("Perm(%d, %d, %d) differs between calls", tc.n, tc.seed, tc.epoch)
		}
		if tc.n < 10 {
			continue
		}
		if q := Perm(tc.n, tc.seed, tc.epoch+1); slices.Equal(p, q) {
			t.Errorf("Perm(%d, %d, %d) equals the next epoch's", tc.n, tc.seed, tc.epoch)
		}
		if q := Perm(tc.n, tc.seed+1, tc.epoch); slices.Equal(p, q) {
			t.Errorf("Perm(%d, %d, %d) equals the next seed's", tc.n, tc.seed, tc.epoch)
		}
		if slices.IsSorted(p) {
			t.Errorf("Perm(%d, %d, %d) is the identity", tc.n, tc.seed, tc.epoch)
		}
	}
}
