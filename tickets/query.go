package tickets

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// ResponseBreached reports whether t's first-response target has passed at
// now with nobody having answered the customer. A ticket waiting for the
// customer is not breached: its clock is paused.
func ResponseBreached(t *Ticket, now time.Time) bool {
	if !t.Status.Open() || t.Status == StatusWaiting || t.MergedInto != 0 || !t.FirstResponse.IsZero() {
		return false
	}
	return t.Breached || !t.ResponseDue.IsZero() && t.ResponseDue.Before(now)
}

// Overdue reports whether t is open past its resolution target at now, or
// its first-response target is breached. A ticket waiting for the customer
// is not overdue (its clock is paused), nor is a merged one.
func Overdue(t *Ticket, now time.Time) bool {
	if !t.Status.Open() || t.Status == StatusWaiting || t.MergedInto != 0 {
		return false
	}
	return !t.ResolveDue.IsZero() && t.ResolveDue.Before(now) || ResponseBreached(t, now)
}

// ListFilter selects tickets for Desk.List. The zero ListFilter selects
// every open ticket.
type ListFilter struct {
	// Status is one status (as ParseStatus reads it: "waiting", "待反馈"),
	// "open" (every status but resolved and closed; the default when
	// empty) or "all".
	Status string
	// Overdue keeps only tickets for which Overdue is true.
	Overdue bool
	// Assignee keeps only tickets assigned to this address; "none" keeps
	// the unassigned ones.
	Assignee string
	// Limit bounds the result; 0 means no bound.
	Limit int
}

// Check returns a *Error (CodeInvalid) naming what is wrong with f.
func (f ListFilter) Check() error {
	if _, err := f.status(); err != nil {
		return err
	}
	if f.Limit < 0 {
		return Errorf(CodeInvalid, "limit must not be negative")
	}
	return nil
}

func statusList() string {
	var names []string
	for _, s := range Statuses {
		names = append(names, string(s))
	}
	return strings.Join(names, ", ")
}

// status returns f.Status in canonical form: "open", "all" or a Status.
func (f ListFilter) status() (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(f.Status)); v {
	case "", "open":
		return "open", nil
	case "all":
		return "all", nil
	}
	if s, ok := ParseStatus(f.Status); ok {
		return string(s), nil
	}
	return "", Errorf(CodeInvalid, "unknown status %q: want open, all or one of %s", f.Status, statusList())
}

// match reports whether t passes f (its Status in canonical form) at now.
func (f ListFilter) match(t *Ticket, now time.Time) bool {
	switch f.Status {
	case "open":
		if !t.Status.Open() || t.MergedInto != 0 {
			return false
		}
	case "all":
	default:
		if t.Status != Status(f.Status) {
			return false
		}
	}
	if f.Overdue && !Overdue(t, now) {
		return false
	}
	switch a := NormalizeEmail(f.Assignee); a {
	case "":
	case "none":
		if t.Assignee != "" {
			return false
		}
	default:
		if NormalizeEmail(t.Assignee) != a {
			return false
		}
	}
	return true
}

// List returns the tickets f selects, most urgent first: by priority, then
// by resolution due time, then by number. It reads every ticket in one
// read-only transaction, so it does not hold up intake.
func (d *Desk) List(f ListFilter) ([]*Ticket, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	f.Status, _ = f.status()
	now := d.now()
	var out []*Ticket
	err := d.Scan(func(t *Ticket) bool {
		if f.match(t, now) {
			out = append(out, t)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b *Ticket) int {
		if a.Priority != b.Priority {
			return int(a.Priority - b.Priority)
		}
		if c := dueOrder(a.ResolveDue, b.ResolveDue); c != 0 {
			return c
		}
		return int(a.Number - b.Number)
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, nil
}

// dueOrder orders due times, the zero time (no target) last.
func dueOrder(a, b time.Time) int {
	switch {
	case a.Equal(b):
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// scanChunk is how many tickets Scan reads per read-only transaction: a
// long read transaction would hold up a writer that must grow the file.
const scanChunk = 1000

// Scan calls fn for every ticket, newest first, until fn returns false.
// It reads scanChunk tickets per read-only transaction, so a scan of a
// large desk never holds up intake; a ticket changed meanwhile is seen
// either before or after the change. fn may keep the tickets.
func (d *Desk) Scan(fn func(*Ticket) bool) error {
	var last int64
	if err := d.Store.View(func(tx Tx) (err error) { last, err = tx.LastTicket(); return err }); err != nil {
		return err
	}
	for hi := last; hi > 0; hi -= scanChunk {
		stop := false
		err := d.Store.View(func(tx Tx) error {
			for n := hi; n > max(0, hi-scanChunk); n-- {
				t, err := tx.Ticket(n)
				if errors.Is(err, ErrNotFound) {
					continue
				}
				if err != nil {
					return err
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
