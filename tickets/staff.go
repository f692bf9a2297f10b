package tickets

import "time"

// fromStaff handles mail whose From is a staff address.
func (d *Desk) fromStaff(tx Tx, m *Message, now time.Time) (Outcome, error) {
	t, err := d.thread(tx, m)
	if err != nil || t != nil {
		return Outcome{}, err
	}
	return d.newTicket(tx, m, now, 0)
}

// statusQuery answers a mail asking for the sender's open tickets.
func (d *Desk) statusQuery(tx Tx, m *Message, now time.Time) (Outcome, error) {
	return d.newTicket(tx, m, now, 0)
}
