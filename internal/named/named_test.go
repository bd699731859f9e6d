package named

import "testing"

func TestFind(t *testing.T) {
	entries := []string{"adam", "sgd"}
	id := func(s string) string { return s }
	if got, err := Find("solver", "sgd", entries, id); err != nil || got != "sgd" {
		t.Errorf("Find(sgd) = %q, %v", got, err)
	}
	_, err := Find("solver", "adm", entries, id)
	if err == nil || err.Error() != `unknown solver "adm" (have adam, sgd)` {
		t.Errorf("Find(adm): %v", err)
	}
}
