package triage

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// labelled is one report of the labelled set with the priority and
// category a support lead gave it.
type labelled struct {
	line          int
	prio          int
	cat           string
	subject, body string
}

// loadSet reads a testdata TSV: priority, category, subject, body, with
// "\n" in the body standing for a line break and "#" starting a comment.
func loadSet(t *testing.T, name string) []labelled {
	t.Helper()
	path := filepath.Join("testdata", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("labelled set: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 || len(cols[0]) != 2 || cols[0][0] != 'P' || cols[0][1] < '0' || cols[0][1] > '3' {
			t.Fatalf("%s:%d: want 4 tab-separated columns starting with P0..P3, got %q", path, n, line)
		}
		out = append(out, labelled{line: n, prio: int(cols[0][1] - '0'), cat: cols[1], subject: cols[2],
			body: strings.ReplaceAll(cols[3], `\n`, "\n")})
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// scores are the figures of one run over a labelled set.
type scores struct {
	n, prioExact, catRight int
	p0TP, p0FN, p0FP       int
	matrix                 [4][4]int // [want][got]
}

func (s scores) pct(k int) float64 { return 100 * float64(k) / float64(max(s.n, 1)) }

func (s scores) p0Recall() float64 {
	return 100 * float64(s.p0TP) / float64(max(s.p0TP+s.p0FN, 1))
}

func (s scores) p0Precision() float64 {
	return 100 * float64(s.p0TP) / float64(max(s.p0TP+s.p0FP, 1))
}

// measure classifies every report of set with r, logging each miss if
// logMisses is set (only for the dev half: the held-out half is measured,
// never read for tuning).
func measure(t *testing.T, r *Rules, set []labelled, logMisses bool) scores {
	t.Helper()
	var s scores
	for _, x := range set {
		cat, prio := r.Classify(x.subject, x.body)
		s.n++
		s.matrix[x.prio][prio]++
		if prio == x.prio {
			s.prioExact++
		}
		if cat == x.cat {
			s.catRight++
		}
		switch {
		case x.prio == 0 && prio == 0:
			s.p0TP++
		case x.prio == 0:
			s.p0FN++
		case prio == 0:
			s.p0FP++
		}
		if logMisses && (prio != x.prio || cat != x.cat) {
			t.Logf("line %d: got P%d %s, want P%d %s %v: %s | %s", x.line, prio, cat, x.prio, x.cat, r.Signals(x.subject, x.body), x.subject, firstRunes(x.body, 60))
		}
	}
	return s
}

func firstRunes(s string, n int) string {
	r := []rune(strings.ReplaceAll(s, "\n", " "))
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return string(r)
}

// report prints the figures and the confusion matrix of s.
func (s scores) report(name string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d reports; priority exact %.1f%%, category %.1f%%, P0 recall %.1f%% (%d/%d), P0 precision %.1f%% (%d/%d)\n",
		name, s.n, s.pct(s.prioExact), s.pct(s.catRight), s.p0Recall(), s.p0TP, s.p0TP+s.p0FN, s.p0Precision(), s.p0TP, s.p0TP+s.p0FP)
	b.WriteString("  want\\got   P0   P1   P2   P3\n")
	for w := range 4 {
		fmt.Fprintf(&b, "  P%d       %4d %4d %4d %4d\n", w, s.matrix[w][0], s.matrix[w][1], s.matrix[w][2], s.matrix[w][3])
	}
	return b.String()
}

// floors are the figures each half must keep, set a little under what the
// rules reach (see BENCHMARKS.md "Triage accuracy"), so a change that
// loses ground fails.
var floors = map[string]struct{ prio, cat, p0Recall, p0Precision float64 }{
	"dev.tsv":     {prio: 97, cat: 93, p0Recall: 97, p0Precision: 97},
	"heldout.tsv": {prio: 95, cat: 88, p0Recall: 95, p0Precision: 94},
	// blind1.tsv was measured once before the second round of rules
	// (figures in its header) and tuned on afterwards: a dev set now.
	"blind1.tsv": {prio: 95, cat: 94, p0Recall: 95, p0Precision: 95},
	// blind2.tsv was written after the second round and measured once:
	// held out, its misses never read; the floors are what it reaches
	// (see BENCHMARKS.md for its figure after each round).
	"blind2.tsv": {prio: 92, cat: 87, p0Recall: 94, p0Precision: 95},
	// blind3.tsv and blind4.tsv were each measured once before a round
	// (figures in their headers) and tuned on afterwards: dev sets now.
	"blind3.tsv": {prio: 96, cat: 92, p0Recall: 95, p0Precision: 95},
	"blind4.tsv": {prio: 96, cat: 87, p0Recall: 95, p0Precision: 95},
	// blind6.tsv, written to break the rules, was measured once before the
	// fourth round and tuned on afterwards: a dev set now.
	"blind6.tsv": {prio: 95, cat: 91, p0Recall: 95, p0Precision: 95},
	// blind8.tsv was measured once before the fifth round and tuned on
	// afterwards: a dev set now.
	"blind8.tsv": {prio: 87, cat: 92, p0Recall: 95, p0Precision: 95},
	// blind5.tsv was written after the third round and measured once:
	// held out, its misses never read; the floors are what it reached.
	"blind5.tsv": {prio: 93, cat: 90, p0Recall: 95, p0Precision: 95},
	// blind7.tsv, written like the batches meant to break the rules, was
	// written after the fourth round and measured once: held out, its
	// misses never read; the floors are what it reaches now (87.1% and
	// P0 recall 75% on first sight).
	"blind7.tsv": {prio: 88, cat: 85, p0Recall: 81, p0Precision: 95},
	// blind9.tsv, the same kind, was written after the fifth and last
	// round and measured once: held out, its misses never read.
	"blind9.tsv": {prio: 86, cat: 88, p0Recall: 87, p0Precision: 95},
	// blind10.tsv, the same kind, was written after the backup P0 routes
	// and measured once: held out, its misses never read.
	"blind10.tsv": {prio: 89, cat: 82, p0Recall: 93, p0Precision: 93},
	// blind11.tsv was measured once before the third round (figures in
	// its header) and tuned on afterwards: a dev set now.
	"blind11.tsv": {prio: 97, cat: 88, p0Recall: 95, p0Precision: 95},
	// blind12.tsv, written like the batches meant to break the rules,
	// was written after the third round and measured once: held out, its
	// misses never read; the floors are what it reached.
	"blind12.tsv": {prio: 87, cat: 90, p0Recall: 95, p0Precision: 93},
}

// tuned are the sets whose misses are printed; the others are measured
// only, never read for tuning.
var tuned = map[string]bool{"dev.tsv": true, "blind1.tsv": true, "blind3.tsv": true, "blind4.tsv": true, "blind6.tsv": true, "blind8.tsv": true, "blind11.tsv": true}

// TestAccuracy measures DefaultRules on every part of the labelled set,
// prints accuracy and the priority confusion matrix, and fails below the
// floors. Run with -v to see every miss.
func TestAccuracy(t *testing.T) {
	r := DefaultRules()
	for _, name := range []string{"dev.tsv", "heldout.tsv", "blind1.tsv", "blind2.tsv", "blind3.tsv", "blind4.tsv", "blind5.tsv", "blind6.tsv", "blind7.tsv", "blind8.tsv", "blind9.tsv", "blind10.tsv", "blind11.tsv", "blind12.tsv"} {
		t.Run(strings.TrimSuffix(name, ".tsv"), func(t *testing.T) {
			s := measure(t, r, loadSet(t, name), tuned[name])
			fmt.Print(s.report(name))
			f := floors[name]
			if s.pct(s.prioExact) < f.prio || s.pct(s.catRight) < f.cat || s.p0Recall() < f.p0Recall || s.p0Precision() < f.p0Precision {
				t.Errorf("%s below the floors: priority %.1f%% (floor %.1f), category %.1f%% (floor %.1f), P0 recall %.1f%% (floor %.1f), P0 precision %.1f%% (floor %.1f)",
					name, s.pct(s.prioExact), f.prio, s.pct(s.catRight), f.cat, s.p0Recall(), f.p0Recall, s.p0Precision(), f.p0Precision)
			}
		})
	}
}
