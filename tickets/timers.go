package tickets

import (
	"errors"
	"time"
)

// Tick fires every timer that is due, each in its own transaction with the
// notices it queues, and deletes it in that same transaction: a timer fires
// once, also across restarts. It returns how many fired.
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
			ok, err := d.policy().fire(d, tx, t, tm, now)
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
func (p *Policy) fire(d *Desk, tx Tx, t *Ticket, tm *Timer, now time.Time) (bool, error) {
	return false, nil
}
