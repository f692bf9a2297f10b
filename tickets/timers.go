package tickets

import (
	"errors"
	"time"
)

// Tick fires every timer that is due, each in its own transaction with the
// notices it queues, and deletes it in that same transaction: a timer fires
// once, also across restarts. Stale timers (the ticket moved on) are
// deleted without effect. It returns how many fired.
func (d *Desk) Tick() (int, error) {
	now := d.now()
	var due []Timer
	err := d.Store.View(func(tx Tx) error {
		return tx.DueTimers(now, func(tm *Timer) bool {
			due = append(due, *tm)
			return len(due) < 1000
		})
	})
	if err != nil {
		return 0, err
	}
	fired := 0
	defer func() {
		if fired > 0 {
			d.queued()
		}
	}()
	for i := range due {
		tm := &due[i]
		err := d.Store.Update(func(tx Tx) error {
			if err := tx.DeleteTimer(tm); err != nil {
				return err
			}
			t, err := tx.Ticket(tm.Ticket)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			if tm.Gen != d.policy().gen(t, tm.Kind) {
				return nil // stale
			}
			ok, err := d.fire(tx, t, tm, now)
			if err != nil || !ok {
				return err
			}
			fired++
			return tx.PutTicket(t)
		})
		if err != nil {
			return fired, err
		}
	}
	return fired, nil
}

// fire applies timer tm to t; it reports whether t changed.
func (d *Desk) fire(tx Tx, t *Ticket, tm *Timer, now time.Time) (bool, error) {
	p := d.policy()
	switch tm.Kind {
	case TimerWarn:
		if !t.Status.Open() || t.Status == StatusWaiting || !t.FirstResponse.IsZero() || t.Warned {
			return false, nil
		}
		t.Warned = true
		s := say("alert_warn", Num(int64(p.WarnAt*100)), Str(t.Priority.String()), At(t.ResponseDue))
		t.Events = append(t.Events, Event{At: now, Kind: EventNote, Say: &s})
		return true, d.alertStaff(tx, t, d.replyRecipients(t), "", s)
	case TimerBreach:
		if !t.Status.Open() || t.Status == StatusWaiting || !t.FirstResponse.IsZero() || t.Breached {
			return false, nil
		}
		t.Breached = true
		s := say("alert_breach", Str(t.Priority.String()), At(t.ResponseDue))
		t.Events = append(t.Events, Event{At: now, Kind: EventEscalated, Say: &s})
		to := append([]Staff(nil), d.Staff...)
		for _, a := range p.EscalateTo {
			if _, isStaff := d.StaffByEmail(a.Email); !isStaff {
				to = append(to, Staff{Email: a.Email, Name: a.Name})
			}
		}
		return true, d.alertStaff(tx, t, to, "", s)
	case TimerRemind:
		if t.Status != StatusWaiting {
			return false, nil
		}
		t.Reminders++
		for _, to := range t.CustomerRecipients() {
			nt := d.customerNotice(t, NoticeReminder, to, nil)
			if err := d.enqueue(tx, t, nt); err != nil {
				return false, err
			}
		}
		s := say("event_reminder", Num(int64(t.Reminders)))
		t.Events = append(t.Events, Event{At: now, Kind: EventNote, Say: &s})
		return true, nil
	case TimerWaitDone:
		if t.Status != StatusWaiting || p.WaitOutcome == "" {
			return false, nil
		}
		return true, d.setStatus(tx, t, p.WaitOutcome, "", "", now, true)
	case TimerAutoClose:
		if t.Status != StatusResolved {
			return false, nil
		}
		return true, d.setStatus(tx, t, StatusClosed, "", "", now, true)
	}
	return false, nil
}

// alertStaff queues a staff alert about t (and its latest event) to each
// of to: the sentences says, then text (a note's body, or "").
func (d *Desk) alertStaff(tx Tx, t *Ticket, to []Staff, text string, says ...Say) error {
	for _, s := range to {
		nt := d.staffNotice(t, NoticeStaffAlert, s)
		nt.Text = text
		nt.Says = says
		nt.Event = len(t.Events) - 1
		if err := d.enqueue(tx, t, nt); err != nil {
			return err
		}
	}
	return nil
}
