package testhook

import (
	"io"
	"strings"
	"testing"
)

// Only the stall variable's value 1 sets its hook, and only NAME:N with
// N ≥ 1 the write hook; another value is an error.
func TestInstall(t *testing.T) {
	var stall, write bool
	for _, tc := range []struct {
		env, value string
		hook       *bool
		err        string
	}{
		{StallDataEnv, "", nil, ""},
		{StallDataEnv, "1", &stall, ""},
		{StallDataEnv, "yes", nil, `AEGRAPH_TEST_STALL_DATA="yes": want 1`},
		{HangWriteEnv, "checkpoint.aeg:2", &write, ""},
		{HangWriteEnv, "checkpoint.aeg:0", nil, "want a file name and a write number"},
		{HangWriteEnv, "3", nil, "want a file name and a write number"},
	} {
		BeforeDataRead, BeforeRename = nil, nil
		t.Setenv(StallDataEnv, "")
		t.Setenv(HangWriteEnv, "")
		t.Setenv(tc.env, tc.value)
		err := Install(io.Discard)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s=%q: %v, want %q", tc.env, tc.value, err, tc.err)
		}
		stall, write = BeforeDataRead != nil, BeforeRename != nil
		want := [2]bool{tc.hook == &stall, tc.hook == &write}
		if got := [2]bool{stall, write}; got != want {
			t.Errorf("%s=%q: hooks set %v, want %v", tc.env, tc.value, got, want)
		}
	}
	BeforeDataRead, BeforeRename = nil, nil
}
