package tickets

import (
	"slices"
	"time"
)

// walkChunk is how many tickets one read transaction of Walk covers, so a
// walk over a large database does not hold one long transaction open.
const walkChunk = 1000

// Walk calls fn for every ticket, newest first, until fn returns false.
// It reads in short transactions: a ticket changed during the walk may be
// seen before or after the change.
func (d *Desk) Walk(fn func(*Ticket) bool) error {
	var last int64
	if err := d.Store.View(func(tx Tx) error {
		var err error
		last, err = tx.LastTicket()
		return err
	}); err != nil {
		return err
	}
	for hi := last; hi > 0; hi -= walkChunk {
		stop := false
		err := d.Store.View(func(tx Tx) error {
			for n := hi; n > max(0, hi-walkChunk); n-- {
				t, err := tx.Ticket(n)
				if err != nil {
					continue // a number never used (aborted transaction)
				}
				if !fn(t) {
					stop = true
					return nil
				}
			}
			return nil
		})
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Overdue reports whether open ticket t has missed a target at now: no
// first response by ResponseDue, or not resolved by ResolveDue. A ticket
// waiting for the customer is not overdue (its clock is paused).
func Overdue(t *Ticket, now time.Time) bool {
	if !t.Status.Open() || t.Status == StatusWaiting || t.MergedInto != 0 {
		return false
	}
	if t.FirstResponse.IsZero() && !t.ResponseDue.IsZero() && now.After(t.ResponseDue) {
		return true
	}
	return !t.ResolveDue.IsZero() && now.After(t.ResolveDue)
}

// Query selects tickets for a list. The zero Query selects every open
// ticket.
type Query struct {
	// Status selects these statuses; empty means every open status.
	Status []Status
	// Overdue keeps only tickets that missed a target (see Overdue).
	Overdue bool
	// Assignee keeps only tickets assigned to this staff address; "-"
	// keeps unassigned tickets.
	Assignee string
	// Limit bounds the result (0: no bound).
	Limit int
}

// Match reports whether t is selected by q at now.
func (q Query) Match(t *Ticket, now time.Time) bool {
	if t.MergedInto != 0 && !slices.Contains(q.Status, StatusClosed) {
		return false
	}
	if len(q.Status) == 0 {
		if !t.Status.Open() {
			return false
		}
	} else if !slices.Contains(q.Status, t.Status) {
		return false
	}
	switch {
	case q.Assignee == "-":
		if t.Assignee != "" {
			return false
		}
	case q.Assignee != "":
		if t.Assignee != NormalizeEmail(q.Assignee) {
			return false
		}
	}
	return !q.Overdue || Overdue(t, now)
}

// List returns the tickets q selects, most urgent first: overdue before
// the rest, then by priority, then by the earlier due time, then oldest.
func (d *Desk) List(q Query) ([]*Ticket, error) {
	now := d.now()
	var out []*Ticket
	err := d.Walk(func(t *Ticket) bool {
		if q.Match(t, now) {
			t.Events = nil // a list needs no timeline; keep memory small
			out = append(out, t)
		}
		return true
	})
	slices.SortStableFunc(out, func(a, b *Ticket) int {
		if oa, ob := Overdue(a, now), Overdue(b, now); oa != ob {
			if oa {
				return -1
			}
			return 1
		}
		if a.Priority != b.Priority {
			return int(a.Priority - b.Priority)
		}
		if c := dueOf(a).Compare(dueOf(b)); c != 0 {
			return c
		}
		return a.Created.Compare(b.Created)
	})
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, err
}

// dueOf is the next target of t: the response target until the first
// response, then the resolve target; far in the future when none.
func dueOf(t *Ticket) time.Time {
	if t.FirstResponse.IsZero() && !t.ResponseDue.IsZero() {
		return t.ResponseDue
	}
	if !t.ResolveDue.IsZero() {
		return t.ResolveDue
	}
	return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
}

// Counts is the number of tickets per status, and of open tickets that
// are overdue.
type Counts struct {
	ByStatus map[Status]int
	Overdue  int
}

// Count counts every ticket by status (a Walk: its cost grows with the
// number of tickets, so callers cache it).
func (d *Desk) Count() (Counts, error) {
	now := d.now()
	c := Counts{ByStatus: map[Status]int{}}
	err := d.Walk(func(t *Ticket) bool {
		c.ByStatus[t.Status]++
		if Overdue(t, now) {
			c.Overdue++
		}
		return true
	})
	return c, err
}
