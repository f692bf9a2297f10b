package tickets

import (
	"fmt"
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
		return Errorf("invalid", "cannot move ticket #%d from %s to %s", t.Number, t.Status, to)
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
	for _, to := range t.CustomerRecipients() {
		nt := d.customerNotice(t, NoticeProgress, to, nil)
		nt.Event = ev
		nt.Text = note
		nt.Actor = Address{Email: actor, Name: name}
		if err := d.enqueue(tx, t, nt); err != nil {
			return err
		}
	}
	return nil
}
