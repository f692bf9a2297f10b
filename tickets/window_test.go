package tickets_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// recentEntries lists f's detection entries (ticket, then the stored
// bytes), newest first.
func recentEntries(f *fixture) []string {
	f.t.Helper()
	var out []string
	err := f.db.View(func(tx tickets.Tx) error {
		return tx.Recent(time.Unix(0, 0), 1<<20, func(n int64, v []byte) bool {
			out = append(out, fmt.Sprintf("%d:%x", n, v))
			return true
		})
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// TestBatchDetectsAsOneByOne takes the same reports once in batches (one
// transaction each, where detection keeps the window decoded for the
// batch) and once one mail per transaction, at the same times: every
// report joins the same group, the same incident mail goes out, and the
// stored entries are the same. The window is bounded small (MaxRecent 7)
// and the batches come 8 minutes apart, so both the bound and the pruning
// of the 15-minute window are exercised.
func TestBatchDetectsAsOneByOne(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	batched, single := newFixture(t, start), newFixture(t, start)
	for _, f := range []*fixture{batched, single} {
		f.desk.Policy.Incident.MaxRecent = 7
		f.desk.Policy.Incident.MinReporters = 3
	}
	var groups int
	for round := range 4 {
		var ms, ms2 []*tickets.Message
		for i := range max(len(outage), len(busyMorning)) {
			if i < len(outage) {
				o := outage[i]
				from := fmt.Sprintf("r%d.%s", round, o.from)
				ms, ms2 = append(ms, batched.mail(from, o.subject, o.text)), append(ms2, single.mail(from, o.subject, o.text))
			}
			if i < len(busyMorning) {
				b := busyMorning[i]
				from := fmt.Sprintf("r%d.%s", round, b.from)
				ms, ms2 = append(ms, batched.mail(from, b.subject, b.text)), append(ms2, single.mail(from, b.subject, b.text))
			}
		}
		out, err := batched.desk.Intake(ms, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range ms2 {
			if o := single.intake(m); o != out[i] {
				t.Fatalf("round %d mail %d: batched %+v, one by one %+v", round, i, out[i], o)
			}
		}
		if b, s := kinds(batched.drain()), kinds(single.drain()); b != s {
			t.Errorf("round %d notices: batched %s, one by one %s", round, b, s)
		}
		b, s := recentEntries(batched), recentEntries(single)
		if fmt.Sprint(b) != fmt.Sprint(s) {
			t.Errorf("round %d recent entries differ:\nbatched    %v\none by one %v", round, b, s)
		}
		groups += len(b)
		batched.clock.Add(8 * time.Minute)
		single.clock.Add(8 * time.Minute)
	}
	if groups == 0 {
		t.Fatal("no detection entries were stored")
	}
}
