// Package corpustest locates the corpus of real mail that the tests of
// mail, mail/reply and mail/auto read, and makes sure a test that cannot
// run without it never passes in silence: under CI (CI=true) a missing
// corpus fails the test; elsewhere the test is skipped and the package's
// TestMain prints one line naming the skipped tests and why.
//
// The corpus lives in the shared/corpus directory beside the repository
// (../shared/corpus from the repository root); POSTDESK_CORPUS names
// another place. Only tests import this package.
package corpustest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Env is the environment variable that names the corpus directory.
const Env = "POSTDESK_CORPUS"

// Dir returns the corpus directory: $POSTDESK_CORPUS, else shared/corpus
// beside the repository. It does no I/O; see Require.
func Dir() string {
	if d := os.Getenv(Env); d != "" {
		return d
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return filepath.Join("..", "shared", "corpus")
	}
	// file is <repo>/internal/corpustest/corpustest.go.
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus")
}

var (
	mu      sync.Mutex
	skipped []string
	reason  string
)

// Require returns the corpus directory if it exists. If it does not, it
// fails tb when CI is set (a CI run must test everything), and otherwise
// skips tb and remembers its name for Main's summary line.
func Require(tb testing.TB) string {
	tb.Helper()
	dir := Dir()
	if _, err := os.Stat(dir); err != nil {
		why := fmt.Sprintf("no corpus at %s (clone it there or set %s; see README \"Tests\")", dir, Env)
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s: %s, and CI is set", tb.Name(), why)
		}
		mu.Lock()
		skipped, reason = append(skipped, tb.Name()), why
		mu.Unlock()
		tb.Skip(why)
	}
	return dir
}

// Available reports whether the corpus exists, for optional use (fuzz
// seeds) that runs either way.
func Available() bool {
	_, err := os.Stat(Dir())
	return err == nil
}

// Main runs the tests of m and exits; before exiting it prints one line
// to stderr naming the tests Require skipped, if any. Call it from the
// package's TestMain. (go test shows it with -v, when run in the package
// directory, or when the package fails; ./test.sh also says it.)
func Main(m *testing.M) {
	code := m.Run()
	mu.Lock()
	names := slices.Compact(slices.Sorted(slices.Values(skipped)))
	mu.Unlock()
	if len(names) > 0 {
		fmt.Fprintf(os.Stderr, "SKIPPED %d corpus test(s): %s: %s\n", len(names), strings.Join(names, ", "), reason)
	}
	os.Exit(code)
}
