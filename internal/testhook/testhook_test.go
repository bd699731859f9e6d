package testhook

import (
	"io"
	"strings"
	"testing"
)

// Only the variable's value 1 sets the hook; another value is an error.
func TestInstall(t *testing.T) {
	for _, tc := range []struct {
		value  string
		hooked bool
		err    string
	}{
		{"", false, ""},
		{"1", true, ""},
		{"yes", false, `AEGRAPH_TEST_STALL_DATA="yes": want 1`},
	} {
		BeforeDataRead = nil
		t.Setenv(StallDataEnv, tc.value)
		err := Install(io.Discard)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: %v, want %q", tc.value, err, tc.err)
		}
		if (BeforeDataRead != nil) != tc.hooked {
			t.Errorf("%q: hook set %v, want %v", tc.value, BeforeDataRead != nil, tc.hooked)
		}
	}
	BeforeDataRead = nil
}
