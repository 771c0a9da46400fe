package needtest

import (
	"strings"
	"testing"
)

// TestMissing: outside CI a missing need skips the test and is announced
// once per kind; under CI=true it fails the test.
func TestMissing(t *testing.T) {
	var got []string
	notify = func(s string) { got = append(got, s) }
	t.Cleanup(func() { notify = toTerminal })

	t.Setenv("CI", "")
	for range 2 {
		t.Run("skip", func(t *testing.T) {
			Missing(t, "no Chromium at /x", ".ci/install-browser")
			t.Error("Missing returned")
		})
	}
	if len(got) != 1 || !strings.Contains(got[0], "no Chromium at /x") || !strings.Contains(got[0], ".ci/install-browser") {
		t.Fatalf("notices %q, want one naming the need and its install", got)
	}

	t.Setenv("CI", "true")
	ft := &fakeTB{TB: t}
	func() {
		defer func() { _ = recover() }()
		Missing(ft, "PostgreSQL", "set TIRKEU_TEST_DATABASE_URL")
	}()
	if !ft.failed || ft.skipped {
		t.Fatalf("under CI=true: failed %v, skipped %v; want a failure", ft.failed, ft.skipped)
	}
}

// fakeTB records Fatalf and Skipf instead of ending the goroutine.
type fakeTB struct {
	testing.TB
	failed, skipped bool
}

func (f *fakeTB) Helper()               {}
func (f *fakeTB) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
func (f *fakeTB) Skipf(string, ...any)  { f.skipped = true; panic("skip") }
