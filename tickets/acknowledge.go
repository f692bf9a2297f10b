package tickets

import "time"

// acknowledge records 已确认 when staff first take up a new ticket (#take,
// #assign, #escalate or a first public reply), so the customer's timeline
// reads 提交 -> 已确认 -> 处理中 as the practice describes. It does nothing
// to a ticket that is past new.
func (d *Desk) acknowledge(tx Tx, t *Ticket, actor string, now time.Time) error {
	if t.Status != StatusNew {
		return nil
	}
	return d.setStatus(tx, t, StatusAcknowledged, actor, "", now, false)
}

// escalate records that staff handed t to the technical team: 已确认 if it
// was new, 处理中, then the public escalation event, which carries no text
// (the customer sees "已转技术团队处理", never the staff member's words).
// What staff wrote after the command stays internal as a note.
func (d *Desk) escalate(tx Tx, t *Ticket, staff Staff, words string, now time.Time) error {
	if err := d.acknowledge(tx, t, staff.Email, now); err != nil {
		return err
	}
	if t.Status != StatusInProgress {
		if err := d.setStatus(tx, t, StatusInProgress, staff.Email, "", now, false); err != nil {
			return err
		}
	}
	if words != "" {
		t.Events = append(t.Events, Event{At: now, Kind: EventNote, Actor: staff.Email, Name: staff.Name, Text: words})
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventEscalated, Actor: staff.Email, Name: staff.Name, Public: true})
	return nil
}
