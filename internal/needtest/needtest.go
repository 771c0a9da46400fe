// Package needtest is how a test says it needs something the machine may
// lack (PostgreSQL, Chromium, a command-line tool). Without it the test is
// skipped on a developer's machine, so that the README's `go test ./...`
// passes with Go alone, and fails under CI=true, where .ci/run installs
// everything. A skip is easy to miss, because `go test ./...` prints only
// "ok" for a package that passes: so the first skip of each kind in a test
// binary is also written to the terminal, when there is one.
package needtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	mu     sync.Mutex
	noted  = map[string]bool{}
	notify = toTerminal
)

// Missing fails the test under CI=true, and otherwise skips it. what names
// the missing thing ("PostgreSQL: TIRKEU_TEST_DATABASE_URL is not set"),
// install says how to get it (".ci/install-browser").
func Missing(tb testing.TB, what, install string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s, and CI=true needs it (%s)", what, install)
	}
	mu.Lock()
	first := !noted[what]
	noted[what] = true
	mu.Unlock()
	if first {
		notify(fmt.Sprintf("%s: tests skipped: %s (%s)\n", binary(), what, install))
	}
	tb.Skipf("%s; %s", what, install)
}

// binary names the test binary's package ("store.test" → "store").
func binary() string {
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
}

// toTerminal writes the notice to the controlling terminal, past go test's
// buffering of a passing package's output; without a terminal (CI, an
// editor) the skip is only in the verbose output.
func toTerminal(s string) {
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer tty.Close()
	_, _ = tty.WriteString(s)
}
