package similar_test

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets/similar"
)

type report struct{ subject, body string }

type group struct {
	name    string
	same    bool // one fault; else each report is its own matter
	reports []report
}

// loadGroups reads testdata/groups.txt (format described in the file).
func loadGroups(t *testing.T, path string) []group {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("labelled set: %v", err)
	}
	defer f.Close()
	var out []group
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			name, kind, _ := strings.Cut(strings.TrimPrefix(line, "["), "]")
			out = append(out, group{name: name, same: strings.TrimSpace(kind) == "same"})
		default:
			if len(out) == 0 {
				t.Fatalf("report before any group: %q", line)
			}
			subj, body, _ := strings.Cut(line, "|")
			out[len(out)-1].reports = append(out[len(out)-1].reports, report{strings.TrimSpace(subj), strings.ReplaceAll(strings.TrimSpace(body), `\n`, "\n")})
		}
	}
	return out
}

type item struct {
	g, i int
	v    similar.Vector
}

func items(gs []group) []item {
	var out []item
	for g, gr := range gs {
		for i, r := range gr.reports {
			out = append(out, item{g, i, similar.Features(r.subject, r.body)})
		}
	}
	return out
}

// sameFault is the label of a pair.
func sameFault(gs []group, a, b item) bool { return a.g == b.g && gs[a.g].same }

// labelledSets are the files of testdata, in the order they were written.
var labelledSets = []string{"groups.txt", "groups2.txt", "groups3.txt", "groups4.txt", "heldout.txt", "blind1.txt", "blind2.txt"}

// TestPairs measures, over every pair of labelled reports, how well Same
// tells one fault from two: precision (pairs called the same that are)
// and recall (pairs of one fault that are called the same), on the set
// the concept table was tuned on and on a set held out from tuning.
func TestPairs(t *testing.T) {
	for _, set := range []struct {
		file              string
		precision, recall float64 // floors, from what was reached, with a margin
	}{
		{"groups.txt", 0.97, 0.95}, {"groups2.txt", 0.97, 0.95}, {"groups3.txt", 0.97, 0.95}, {"groups4.txt", 0.97, 0.85},
		{"heldout.txt", 0.95, 0.85}, {"blind1.txt", 0.97, 0.9},
		// Held out: written after the last change, measured once (0.969,
		// 0.684); never tune on it.
		{"blind2.txt", 0.95, 0.65},
	} {
		t.Run(set.file, func(t *testing.T) {
			testPairs(t, "testdata/"+set.file, set.precision, set.recall)
		})
	}
}

func testPairs(t *testing.T, file string, minPrecision, minRecall float64) {
	gs := loadGroups(t, file)
	all := items(gs)
	var tp, fp, fn, tn int
	for x := range all {
		for y := x + 1; y < len(all); y++ {
			a, b := all[x], all[y]
			got, want := similar.Same(a.v, b.v), sameFault(gs, a, b)
			switch {
			case got && want:
				tp++
			case got && !want:
				fp++
				if testing.Verbose() {
					t.Logf("false same (%.2f): %q / %q", similar.Similarity(a.v, b.v), gs[a.g].reports[a.i].subject, gs[b.g].reports[b.i].subject)
				}
			case !got && want:
				fn++
			default:
				tn++
			}
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("pairs: %d same-fault, %d other; precision %.3f, recall %.3f (tp %d, fp %d, fn %d, tn %d)", tp+fn, fp+tn, precision, recall, tp, fp, fn, tn)
	// Precision matters more: a false pair can make a false alert; a
	// missed pair is usually made up by the report's other pairs.
	if precision < minPrecision || recall < minRecall {
		t.Errorf("precision %.3f (floor %.2f), recall %.3f (floor %.2f)", precision, minPrecision, recall, minRecall)
	}
}

// cluster runs the online grouping the desk does at intake (similar.Group
// against the groups formed so far) over reports in order, and returns
// the groups as indexes into order.
func cluster(order []item) [][]int {
	var groups [][]similar.Vector
	var members [][]int
	for k, it := range order {
		g := similar.Group(it.v, groups)
		if g < 0 {
			groups = append(groups, nil)
			members = append(members, nil)
			g = len(groups) - 1
		}
		groups[g] = append(groups[g], it.v)
		members[g] = append(members[g], k)
	}
	return members
}

// TestCandidates: each fault, its reports interleaved with a busy
// morning of unrelated mail, must form one group of at least five
// reports of that fault (a candidate), and no group of five or more may
// hold reports of different matters. A busy morning alone forms none.
func TestCandidates(t *testing.T) {
	// missed: how many faults of the set may go undetected (floors from
	// what is reached, with a margin where a fault has only five reports:
	// one lost to the grouping leaves it below five).
	for _, set := range []struct {
		file   string
		missed int
	}{{"groups.txt", 0}, {"groups2.txt", 0}, {"groups3.txt", 0}, {"groups4.txt", 1}, {"heldout.txt", 1}, {"blind1.txt", 1}, {"blind2.txt", 4}} {
		t.Run(set.file, func(t *testing.T) { testCandidates(t, "testdata/"+set.file, set.missed) })
	}
}

func testCandidates(t *testing.T, file string, missed int) {
	gs := loadGroups(t, file)
	all := items(gs)
	var noise []item
	for _, it := range all {
		if !gs[it.g].same {
			noise = append(noise, it)
		}
	}
	const minReporters = 5
	detected, faults, falseAlerts := 0, 0, 0
	check := func(name string, order []item, want int) {
		for _, ms := range cluster(order) {
			if len(ms) < minReporters {
				continue
			}
			count := map[int]int{}
			for _, k := range ms {
				if gs[order[k].g].same {
					count[order[k].g]++
				}
			}
			top := 0
			for g, c := range count {
				if c > top && (want < 0 || g == want) {
					top = c
				}
			}
			if top >= minReporters && want >= 0 {
				detected++
				want = -2 // counted once
			}
			if top < len(ms)/2+1 || top < minReporters {
				falseAlerts++
				var subj []string
				for _, k := range ms {
					subj = append(subj, gs[order[k].g].reports[order[k].i].subject)
				}
				t.Logf("%s: false candidate of %d: %q", name, len(ms), subj)
			}
		}
	}
	for g, gr := range gs {
		if !gr.same || len(gr.reports) < minReporters {
			continue
		}
		faults++
		var order []item
		var own []item
		for _, it := range all {
			if it.g == g {
				own = append(own, it)
			}
		}
		// Interleave: a fault report after every two unrelated ones.
		n := 0
		for _, it := range noise {
			order = append(order, it)
			if n++; n%2 == 0 && len(own) > 0 {
				order, own = append(order, own[0]), own[1:]
			}
		}
		order = append(order, own...)
		check(gr.name, order, g)
	}
	check("busy morning", noise, -1)
	t.Logf("candidates: %d of %d faults detected; %d false candidates", detected, faults, falseAlerts)
	if detected < faults-missed || falseAlerts > 0 {
		t.Errorf("detected %d of %d faults (floor %d), %d false candidates (want 0)", detected, faults, faults-missed, falseAlerts)
	}
}

// TestBusyMornings pools the unrelated reports of every labelled set
// into one long morning, in file order: however many requests of one
// kind (passwords, locked accounts, codes, phones) it holds, the
// grouping must form no candidate. (A few reports of different sets do
// describe one fault, an echo in the live class say, and may pair.)
func TestBusyMornings(t *testing.T) {
	var order []item
	var subjects []string
	for _, file := range labelledSets {
		gs := loadGroups(t, "testdata/"+file)
		for _, it := range items(gs) {
			if !gs[it.g].same {
				order = append(order, it)
				subjects = append(subjects, gs[it.g].reports[it.i].subject)
			}
		}
	}
	largest := 0
	for _, ms := range cluster(order) {
		largest = max(largest, len(ms))
		var subj []string
		for _, k := range ms {
			subj = append(subj, subjects[k])
		}
		if len(ms) >= 5 {
			t.Errorf("false candidate of %d unrelated reports: %q", len(ms), subj)
		} else if len(ms) > 1 && testing.Verbose() {
			t.Logf("group of %d: %q", len(ms), subj)
		}
	}
	t.Logf("%d unrelated reports; largest group %d", len(order), largest)
}

func ExampleSimilarity() {
	a := similar.Features("直播课进不去", "学生都进不去直播课，一直转圈。")
	b := similar.Features("Live lesson not starting", "The live lesson is not starting for my class.")
	c := similar.Features("忘记密码", "我忘记密码了，怎么找回？")
	fmt.Println(similar.Same(a, b), similar.Same(a, c))
	// Output: true false
}
