package tickets

import (
	"errors"
	"fmt"
	"time"
)

// Pending is a notice ready to send, with the ticket as it is now (nil for
// notices about no ticket).
type Pending struct {
	Notice *Notice
	Ticket *Ticket
	// List holds the tickets of a status list, in Notice.Tickets order.
	List []*Ticket
	// Mine is the first ticket the recipient requested, which anchors
	// their "my tickets" link (see PurposeMine); 0 if they requested none.
	Mine int64
}

// Due returns up to max notices whose next attempt is due, oldest first.
func (d *Desk) Due(max int) ([]Pending, error) {
	now := d.now()
	var out []Pending
	err := d.Store.View(func(tx Tx) error {
		return tx.PendingNotices(func(nt *Notice) bool {
			if nt.NextAttempt.After(now) {
				return true
			}
			p := Pending{Notice: nt}
			if mine, err := tx.TicketsOf(NormalizeEmail(nt.To.Email)); err == nil && len(mine) > 0 {
				p.Mine = mine[0]
			}
			if nt.Ticket > 0 {
				t, err := tx.Ticket(nt.Ticket)
				if err == nil {
					p.Ticket = t
				}
			}
			for _, n := range nt.Tickets {
				if t, err := tx.Ticket(n); err == nil {
					p.List = append(p.List, t)
				}
			}
			out = append(out, p)
			return len(out) < max
		})
	})
	return out, err
}

// NextDue returns when the earliest deferred notice is due, or the zero
// time if none is waiting.
func (d *Desk) NextDue() (time.Time, error) {
	var next time.Time
	err := d.Store.View(func(tx Tx) error {
		return tx.PendingNotices(func(nt *Notice) bool {
			if next.IsZero() || nt.NextAttempt.Before(next) {
				next = nt.NextAttempt
			}
			return true
		})
	})
	return next, err
}

// Sent removes delivered notices from the outbox, in one transaction.
func (d *Desk) Sent(ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	return d.Store.Update(func(tx Tx) error {
		for _, id := range ids {
			if err := tx.DeleteNotice(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Retry records a temporary failure of notice id and schedules the next
// attempt with exponential backoff (30s doubling to 1h). After maxAttempts
// temporary failures the notice is given up as permanent.
func (d *Desk) Retry(id uint64, cause error) error {
	const maxAttempts = 20
	return d.withNotice(id, func(tx Tx, nt *Notice) error {
		nt.Attempts++
		nt.LastError = cause.Error()
		if nt.Attempts >= maxAttempts {
			return d.giveUp(tx, nt, fmt.Errorf("gave up after %d attempts: %w", nt.Attempts, cause))
		}
		nt.NextAttempt = d.now().Add(Backoff(nt.Attempts))
		return tx.PutNotice(nt)
	})
}

// Backoff returns the wait before retry number attempt (1-based):
// 30s, 1m, 2m, ... capped at 1h.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// Failed records a permanent delivery failure of notice id on its ticket's
// timeline and removes it from the outbox.
func (d *Desk) Failed(id uint64, cause error) error {
	return d.withNotice(id, func(tx Tx, nt *Notice) error { return d.giveUp(tx, nt, cause) })
}

// withNotice runs fn on queued notice id in one transaction; a notice that
// is gone (already sent or given up) is no error.
func (d *Desk) withNotice(id uint64, fn func(Tx, *Notice) error) error {
	return d.Store.Update(func(tx Tx) error {
		nt, err := tx.Notice(id)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(tx, nt)
	})
}

func (d *Desk) giveUp(tx Tx, nt *Notice, cause error) error {
	if err := tx.DeleteNotice(nt.ID); err != nil {
		return err
	}
	d.log().Warn("outbox: delivery failed permanently", "notice", nt.ID, "ticket", nt.Ticket, "kind", nt.Kind, "err", cause)
	if nt.Ticket == 0 {
		return nil
	}
	t, err := tx.Ticket(nt.Ticket)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	s := say("event_delivery_failed", Word("notice."+string(nt.Kind)), Str(nt.To.Email), Str(cause.Error()))
	t.Events = append(t.Events, Event{At: d.now(), Kind: EventDeliveryFailed, Say: &s})
	return tx.PutTicket(t)
}
