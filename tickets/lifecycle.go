package tickets

import (
	"fmt"
	"strings"
	"time"
)

// transitions lists the statuses each status may move to. Reopening
// (resolved/closed -> in_progress) is allowed; closed is final otherwise.
var transitions = map[Status][]Status{
	StatusNew:          {StatusAcknowledged, StatusInProgress, StatusWaiting, StatusResolved, StatusClosed},
	StatusAcknowledged: {StatusInProgress, StatusWaiting, StatusResolved, StatusClosed},
	StatusInProgress:   {StatusAcknowledged, StatusWaiting, StatusResolved, StatusClosed},
	StatusWaiting:      {StatusInProgress, StatusAcknowledged, StatusResolved, StatusClosed},
	StatusResolved:     {StatusInProgress, StatusClosed},
	StatusClosed:       {StatusInProgress},
}

// CanMove reports whether a ticket may go from one status to another.
func CanMove(from, to Status) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// setStatus moves t to status to, records the event (actor may be empty
// for the system) and, when notify is set, queues a progress mail to the
// customer saying what the new status means. It also keeps the SLA
// bookkeeping: time spent waiting for the customer does not count.
func (d *Desk) setStatus(tx Tx, t *Ticket, to Status, actor, note string, now time.Time, notify bool) error {
	if t.Status == to {
		return nil
	}
	if !CanMove(t.Status, to) {
		err := Errorf(CodeInvalid, "cannot move ticket #%d from %s to %s", t.Number, t.Status, to)
		s := say("err_move", Num(t.Number), Word("status."+string(t.Status)), Word("status."+string(to)))
		err.Say = &s
		return err
	}
	from := t.Status
	d.policy().onStatus(t, from, to, now)
	t.Status = to
	t.Updated = now
	name := ""
	if s, ok := d.StaffByEmail(actor); ok {
		name = s.Name
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventStatus, Actor: actor, Name: name, Public: true, Status: to, Text: note})
	ev := len(t.Events) - 1
	if (to == StatusResolved || to == StatusClosed) && t.Resolved.IsZero() && t.Closed.IsZero() && actor != "" {
		if err := d.learnDuration(tx, t, now); err != nil {
			return err
		}
	}
	switch to {
	case StatusResolved:
		t.Resolved = now
	case StatusClosed:
		t.Closed = now
	}
	if err := d.policy().scheduleTimers(tx, t, now); err != nil {
		return fmt.Errorf("schedule timers: %w", err)
	}
	if !notify {
		return nil
	}
	return d.notifyCustomers(tx, t, ev, note, Address{Email: actor, Name: name})
}

// notifyCustomers queues one progress mail per customer recipient of t
// reporting event ev (its status and meaning), with optional text.
func (d *Desk) notifyCustomers(tx Tx, t *Ticket, ev int, text string, actor Address) error {
	for _, to := range t.CustomerRecipients() {
		nt := d.customerNotice(t, NoticeProgress, to, nil)
		nt.Event = ev
		nt.Text = text
		nt.Actor = actor
		if err := d.enqueue(tx, t, nt); err != nil {
			return err
		}
	}
	return nil
}

// CustomerCan reports whether the customer action purpose (PurposeClose or
// PurposeReopen) applies to a ticket in status s.
func CustomerCan(purpose string, s Status) bool {
	switch purpose {
	case PurposeClose:
		return s == StatusResolved || s == StatusWaiting
	case PurposeReopen:
		return s == StatusResolved || s == StatusClosed
	}
	return false
}

// CustomerAction applies a one-click action from the customer's resolved
// mail or tracking page: PurposeClose closes a resolved ticket ("it
// works", or a ticket waiting for the customer whose problem went away),
// PurposeReopen takes a resolved or closed ticket back to in progress
// ("still broken") and tells staff; text, if any, is what the customer
// says still fails and lands on the ticket as their reply. It reports
// whether anything changed; an action that does not fit the ticket's status
// changes nothing. The caller has checked the action token.
func (d *Desk) CustomerAction(n int64, purpose, text string) (bool, error) {
	return d.customerChange(n, func(tx Tx, t *Ticket, now time.Time) (bool, error) {
		actor := t.Requester.Email
		switch {
		case purpose == PurposeClose && CustomerCan(purpose, t.Status):
			return true, d.setStatus(tx, t, StatusClosed, actor, "", now, true)
		case purpose == PurposeReopen && CustomerCan(purpose, t.Status):
			body := "" // what the customer says still fails, if anything
			if text = strings.TrimSpace(text); text != "" {
				t.Events = append(t.Events, Event{At: now, Kind: EventCustomerReply, Actor: actor, Name: t.Requester.Name, Public: true, Text: clip(text)})
				body = clip(text)
			}
			if err := d.setStatus(tx, t, StatusInProgress, actor, "", now, true); err != nil {
				return false, err
			}
			return true, d.alertStaff(tx, t, d.replyRecipients(t), body, say("alert_reopened"))
		}
		return false, nil
	})
}

// customerChange applies change, a customer's action from a web page, to
// ticket n (following merges) in one transaction, stores the ticket if it
// changed and wakes the sender. It reports whether anything changed.
func (d *Desk) customerChange(n int64, change func(tx Tx, t *Ticket, now time.Time) (bool, error)) (bool, error) {
	changed := false
	err := d.Store.Update(func(tx Tx) error {
		t, err := d.follow(tx, n)
		if err != nil {
			return err
		}
		if changed, err = change(tx, t, d.now()); err != nil || !changed {
			return err
		}
		return tx.PutTicket(t)
	})
	if err != nil {
		return false, err
	}
	if changed {
		d.queued()
	}
	return changed, nil
}

// Get returns ticket n as stored.
func (d *Desk) Get(n int64) (*Ticket, error) {
	var t *Ticket
	err := d.Store.View(func(tx Tx) error {
		var err error
		t, err = tx.Ticket(n)
		return err
	})
	return t, err
}
