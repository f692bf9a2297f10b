package tickets

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/postdesk/postdesk/tickets/triage"
)

// NoticeDigest is the periodic summary mailed to the desk's leads.
const NoticeDigest NoticeKind = "digest"

// digestKey is where the time of the last digest is kept.
const digestKey = "digest:last"

// Digest is what a periodic summary reports for the period [From, To).
type Digest struct {
	From, To time.Time
	// New, Resolved and Closed count tickets opened, resolved and closed
	// in the period.
	New, Resolved, Closed int
	// Open counts the tickets open at To by status and priority.
	Open map[Status][4]int
	// Overdue lists open tickets past a target, most urgent first.
	Overdue []*Ticket
	// Breached lists tickets whose first-response target fell in the
	// period and was missed.
	Breached []*Ticket
	// Categories counts the new tickets per category, most first.
	Categories []CategoryCount
	// Repeated groups new tickets with similar subjects (two or more).
	Repeated [][]*Ticket
	// Durations are per category, over the tickets resolved in the
	// DurationWindow before To.
	Durations []CategoryDurations
}

// CategoryCount is a number of tickets in one category.
type CategoryCount struct {
	Category string
	Count    int
}

// CategoryDurations are the median times of one category's resolved
// tickets, measured on the wall clock from the first mail.
type CategoryDurations struct {
	Category       string
	Resolved       int
	MedianResponse time.Duration // 0 when no ticket had a first response
	MedianResolve  time.Duration
}

// DurationWindow is how far back Durations and learned typical durations
// look.
const DurationWindow = 30 * 24 * time.Hour

// digestListMax bounds each ticket list of a digest.
const digestListMax = 20

// Digest computes the summary of [from, to) by walking every ticket (its
// cost grows with the number of tickets).
func (d *Desk) Digest(from, to time.Time) (*Digest, error) {
	g := &Digest{From: from, To: to, Open: map[Status][4]int{}}
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	cats := map[string]int{}
	var fresh []*Ticket
	var resolved []*Ticket
	err := d.Walk(func(t *Ticket) bool {
		if t.MergedInto != 0 {
			return true
		}
		t.Events = nil
		if in(t.Created) {
			g.New++
			cats[t.Category]++
			fresh = append(fresh, t)
		}
		if in(t.Resolved) {
			g.Resolved++
		}
		if in(t.Closed) {
			g.Closed++
		}
		if t.Status.Open() {
			row := g.Open[t.Status]
			if t.Priority >= P0 && t.Priority <= P3 {
				row[t.Priority]++
			}
			g.Open[t.Status] = row
			if Overdue(t, to) {
				g.Overdue = append(g.Overdue, t)
			}
		}
		if in(t.ResponseDue) && (t.FirstResponse.IsZero() && to.After(t.ResponseDue) || t.FirstResponse.After(t.ResponseDue)) {
			g.Breached = append(g.Breached, t)
		}
		if done := resolvedAt(t); !done.IsZero() && !done.Before(to.Add(-DurationWindow)) && done.Before(to) {
			resolved = append(resolved, t)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(g.Overdue, func(a, b *Ticket) int {
		return cmp.Or(cmp.Compare(a.Priority, b.Priority), dueOf(a).Compare(dueOf(b)))
	})
	g.Overdue = g.Overdue[:min(len(g.Overdue), digestListMax)]
	slices.SortStableFunc(g.Breached, func(a, b *Ticket) int { return a.ResponseDue.Compare(b.ResponseDue) })
	g.Breached = g.Breached[:min(len(g.Breached), digestListMax)]
	for c, n := range cats {
		g.Categories = append(g.Categories, CategoryCount{c, n})
	}
	slices.SortFunc(g.Categories, func(a, b CategoryCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Category, b.Category))
	})
	// Oldest first, so each group is named by its first report.
	slices.SortFunc(fresh, func(a, b *Ticket) int { return cmp.Compare(a.Number, b.Number) })
	if len(fresh) > 2000 {
		fresh = fresh[len(fresh)-2000:]
	}
	subjects := make([]string, len(fresh))
	for i, t := range fresh {
		subjects[i] = t.Subject
	}
	for _, idx := range triage.Group(subjects) {
		var grp []*Ticket
		for _, i := range idx {
			grp = append(grp, fresh[i])
		}
		g.Repeated = append(g.Repeated, grp)
	}
	slices.SortStableFunc(g.Repeated, func(a, b []*Ticket) int { return cmp.Compare(len(b), len(a)) })
	g.Repeated = g.Repeated[:min(len(g.Repeated), 10)]
	g.Durations = durations(resolved)
	return g, nil
}

// resolvedAt is when t was resolved (or closed, if it skipped resolved).
func resolvedAt(t *Ticket) time.Time {
	if !t.Resolved.IsZero() {
		return t.Resolved
	}
	return t.Closed
}

// durations computes the medians per category of resolved tickets.
func durations(ts []*Ticket) []CategoryDurations {
	resp, res := map[string][]time.Duration{}, map[string][]time.Duration{}
	for _, t := range ts {
		res[t.Category] = append(res[t.Category], resolvedAt(t).Sub(t.Created))
		if !t.FirstResponse.IsZero() {
			resp[t.Category] = append(resp[t.Category], t.FirstResponse.Sub(t.Created))
		}
	}
	var out []CategoryDurations
	for c, r := range res {
		out = append(out, CategoryDurations{Category: c, Resolved: len(r), MedianResponse: median(resp[c]), MedianResolve: median(r)})
	}
	slices.SortFunc(out, func(a, b CategoryDurations) int {
		return cmp.Or(cmp.Compare(b.Resolved, a.Resolved), cmp.Compare(a.Category, b.Category))
	})
	return out
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// LearnedDurations returns, per category with at least minResolved tickets
// resolved in the DurationWindow before now, their median resolution time
// and how many it is over: the history that may replace a category's
// promised typical duration.
func (d *Desk) LearnedDurations(minResolved int) (map[string]CategoryDurations, error) {
	now := d.now()
	var resolved []*Ticket
	err := d.Walk(func(t *Ticket) bool {
		if done := resolvedAt(t); t.MergedInto == 0 && !done.IsZero() && !done.Before(now.Add(-DurationWindow)) && !done.After(now) {
			t.Events = nil
			resolved = append(resolved, t)
		}
		return true
	})
	out := map[string]CategoryDurations{}
	for _, c := range durations(resolved) {
		if c.Resolved >= minResolved {
			out[c.Category] = c
		}
	}
	return out, err
}

// LastDigest returns when the last digest was queued (zero: never).
func (d *Desk) LastDigest() (time.Time, error) {
	var at time.Time
	err := d.Store.View(func(tx Tx) error {
		v, err := tx.State(digestKey)
		if err != nil || v == nil {
			return err
		}
		return at.UnmarshalText(v)
	})
	return at, err
}

// QueueDigest queues a digest to each of to, with a headline (the
// subject) and its lines, and records at as the time of the last digest,
// in one transaction: a restart neither loses nor repeats it.
func (d *Desk) QueueDigest(to []Address, headline string, lines []string, at time.Time) error {
	err := d.Store.Update(func(tx Tx) error {
		for _, a := range to {
			nt := &Notice{Kind: NoticeDigest, To: a, Lang: d.Lang, Auto: true, Event: -1, Text: headline, Lines: lines}
			if err := d.enqueueRaw(tx, nil, nt); err != nil {
				return err
			}
		}
		v, err := at.MarshalText()
		if err != nil {
			return fmt.Errorf("digest time: %w", err)
		}
		return tx.PutState(digestKey, v)
	})
	if err == nil {
		d.queued()
	}
	return err
}
