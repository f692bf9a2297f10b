package tickets

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// NoticeSummary is a mail to a customer acknowledging, in one list, the
// reports that came beyond Caps.ConfirmBurst in an hour.
const NoticeSummary NoticeKind = "summary"

// Pending is a notice ready to send, with the ticket as it is now (nil for
// notices about no ticket).
type Pending struct {
	Notice *Notice
	Ticket *Ticket
	// List holds the tickets of a status list or summary, in
	// Notice.Tickets order.
	List []*Ticket
	// Mine is the first ticket the recipient requested, which anchors
	// their "my tickets" link (see PurposeMine); 0 if they requested none.
	Mine int64
}

// Outbox is the queue of outgoing notices: it admits automatic mail under
// the caps (Caps), hands due notices to the sender, and records them as
// sent, to be retried with backoff, or given up. Get a desk's outbox with
// Desk.Outbox; it is safe for concurrent use.
//
// Minting a queued notice's Message-ID stays with the Desk (enqueueRaw),
// which the outbox calls.
type Outbox struct {
	desk *Desk
	caps caps
}

// MaxAttempts is how many temporary failures a notice survives before it
// is given up as permanent.
const MaxAttempts = 20

// Outbox returns the desk's outbox (created on first use).
func (d *Desk) Outbox() *Outbox {
	outboxInit.Lock()
	defer outboxInit.Unlock()
	if d.outbox == nil {
		d.outbox = &Outbox{desk: d}
	}
	return d.outbox
}

// outboxInit guards the lazy creation of Desk.outbox, so a Desk stays a
// plain struct that may be built with a literal.
var outboxInit sync.Mutex

func (o *Outbox) now() time.Time                 { return o.desk.now() }
func (o *Outbox) log() *slog.Logger              { return o.desk.log() }
func (o *Outbox) store() Store                   { return o.desk.Store }
func (o *Outbox) limits() Caps                   { return o.desk.caps() }
func (o *Outbox) update(fn func(Tx) error) error { return o.store().Update(fn) }

// Due returns up to max notices whose next attempt is due, oldest first.
func (o *Outbox) Due(max int) ([]Pending, error) {
	now := o.now()
	var out []Pending
	err := o.store().View(func(tx Tx) error {
		return tx.PendingNotices(func(nt *Notice) bool {
			if nt.NextAttempt.After(now) {
				return true
			}
			p := Pending{Notice: nt}
			if mine, err := tx.FirstTicketOf(NormalizeEmail(nt.To.Email)); err == nil {
				p.Mine = mine
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
func (o *Outbox) NextDue() (time.Time, error) {
	var next time.Time
	err := o.store().View(func(tx Tx) error {
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
func (o *Outbox) Sent(ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	return o.update(func(tx Tx) error {
		for _, id := range ids {
			if err := tx.DeleteNotice(id); err != nil {
				return err
			}
		}
		return nil
	})
}

// Retry records a temporary failure of notice id and schedules the next
// attempt with exponential backoff (30s doubling to 1h). After MaxAttempts
// temporary failures the notice is given up as permanent.
func (o *Outbox) Retry(id uint64, cause error) error {
	return o.withNotice(id, func(tx Tx, nt *Notice) error {
		nt.Attempts++
		nt.LastError = cause.Error()
		if nt.Attempts >= MaxAttempts {
			return o.giveUp(tx, nt, fmt.Errorf("gave up after %d attempts: %w", nt.Attempts, cause))
		}
		nt.NextAttempt = o.now().Add(Backoff(nt.Attempts))
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
// timeline, tells staff when a customer's mail failed, and removes the
// notice from the outbox.
func (o *Outbox) Failed(id uint64, cause error) error {
	return o.withNotice(id, func(tx Tx, nt *Notice) error { return o.giveUp(tx, nt, cause) })
}

// withNotice runs fn on queued notice id in one transaction; a notice that
// is gone (already sent or given up) is no error.
func (o *Outbox) withNotice(id uint64, fn func(Tx, *Notice) error) error {
	return o.update(func(tx Tx) error {
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

func (o *Outbox) giveUp(tx Tx, nt *Notice, cause error) error {
	if err := tx.DeleteNotice(nt.ID); err != nil {
		return err
	}
	o.log().Warn("outbox: delivery failed permanently", "notice", nt.ID, "ticket", nt.Ticket, "kind", nt.Kind, "err", cause)
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
	t.Events = append(t.Events, Event{At: o.now(), Kind: EventDeliveryFailed, Say: &s})
	if isCustomerNotice(nt.Kind) {
		// The customer was not answered: a person must know. (A failed
		// staff mail alerts nobody: the alert would go the same way.)
		d := o.desk
		if err := d.alertStaff(tx, t, d.replyRecipients(t), "", say("alert_delivery_failed", Word("notice."+string(nt.Kind)), Str(nt.To.Email), Str(cause.Error()))); err != nil {
			return err
		}
	}
	return tx.PutTicket(t)
}
