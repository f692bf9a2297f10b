package tickets

import (
	"encoding/json"
	"fmt"
	"time"
)

// burst is the recent reports of one category, kept in the store's state
// under "incident:<category>".
type burst struct {
	Times   []time.Time `json:"times"`
	Tickets []int64     `json:"tickets"`        // the reports of Times, same order
	Lead    int64       `json:"lead,omitempty"` // lead ticket of the active incident
	Active  time.Time   `json:"active,omitzero"`
}

// incident notices a platform-wide incident: IncidentThreshold reports in
// one category within IncidentWindow. The first report of the burst
// becomes the lead ticket; every report from then on (until the window
// passes quietly) is linked to it, its customer is told in the
// confirmation, and staff are alerted once when the incident starts.
// It returns the lead ticket number, or 0.
func (d *Desk) incident(tx Tx, t *Ticket, now time.Time) (int64, error) {
	p := d.policy()
	if p.IncidentThreshold <= 0 || t.Category == "" {
		return 0, nil
	}
	key := "incident:" + t.Category
	var b burst
	if v, err := tx.State(key); err != nil {
		return 0, err
	} else if v != nil {
		json.Unmarshal(v, &b)
	}
	var recent []time.Time
	var recentT []int64
	for i, at := range b.Times {
		if now.Sub(at) <= p.IncidentWindow && i < len(b.Tickets) {
			recent = append(recent, at)
			recentT = append(recentT, b.Tickets[i])
		}
	}
	if len(recent) == 0 {
		b.Lead, b.Active = 0, time.Time{}
	}
	b.Times = append(recent, now)
	b.Tickets = append(recentT, t.Number)
	if len(b.Times) > p.IncidentThreshold*2 {
		b.Times = b.Times[len(b.Times)-p.IncidentThreshold*2:]
		b.Tickets = b.Tickets[len(b.Tickets)-p.IncidentThreshold*2:]
	}
	if b.Lead == 0 && len(b.Times) == 1 {
		b.Lead = t.Number // remember the first of a possible burst
	}
	lead := int64(0)
	if len(b.Times) >= p.IncidentThreshold || !b.Active.IsZero() {
		lead = b.Lead
		if b.Active.IsZero() {
			b.Active = now
			if err := d.startIncident(tx, b.Lead, t, now); err != nil {
				return 0, err
			}
			// The reports of the burst before this one join too.
			for _, n := range b.Tickets {
				if n == b.Lead || n == t.Number {
					continue
				}
				if err := d.joinIncident(tx, n, b.Lead, now); err != nil {
					return 0, err
				}
			}
		}
	}
	v, _ := json.Marshal(b)
	if err := tx.PutState(key, v); err != nil {
		return 0, err
	}
	if lead != 0 && lead != t.Number {
		t.Incident = lead
		t.Events = append(t.Events, Event{At: now, Kind: EventIncident, Public: true, Text: fmt.Sprintf("#%d", lead)})
		if err := d.addIncidentMember(tx, lead, t.Number); err != nil {
			return 0, err
		}
	}
	return lead, nil
}

// joinIncident links an earlier report n to the incident led by lead.
func (d *Desk) joinIncident(tx Tx, n, lead int64, now time.Time) error {
	m, err := tx.Ticket(n)
	if err != nil || m.Incident != 0 {
		return nil
	}
	m.Incident = lead
	m.Events = append(m.Events, Event{At: now, Kind: EventIncident, Public: true, Text: fmt.Sprintf("#%d", lead)})
	if err := tx.PutTicket(m); err != nil {
		return err
	}
	return d.addIncidentMember(tx, lead, n)
}

// maxIncidentMembers caps the reports a lead ticket remembers.
const maxIncidentMembers = 5000

func (d *Desk) addIncidentMember(tx Tx, lead, n int64) error {
	lt, err := tx.Ticket(lead)
	if err != nil {
		return err
	}
	if len(lt.IncidentMembers) >= maxIncidentMembers {
		return nil
	}
	lt.IncidentMembers = append(lt.IncidentMembers, n)
	return tx.PutTicket(lt)
}

// resolveIncident resolves the open reports linked to lead ticket t when t
// is resolved, each customer told by a progress mail, so that everyone hit
// by a platform-wide outage hears that it is over.
func (d *Desk) resolveIncident(tx Tx, t *Ticket, actor string, now time.Time) error {
	for _, n := range t.IncidentMembers {
		m, err := tx.Ticket(n)
		if err != nil {
			continue
		}
		if !m.Status.Open() || m.MergedInto != 0 || m.Incident != t.Number {
			continue
		}
		m.Events = append(m.Events, Event{At: now, Kind: EventIncident, Public: true, Text: fmt.Sprintf("#%d", t.Number)})
		if err := d.setStatus(tx, m, StatusResolved, actor, "", now, true); err != nil {
			return err
		}
		if err := tx.PutTicket(m); err != nil {
			return err
		}
	}
	return nil
}

// startIncident marks the lead ticket and alerts staff once.
func (d *Desk) startIncident(tx Tx, lead int64, t *Ticket, now time.Time) error {
	s := say("alert_incident", Num(int64(d.policy().IncidentThreshold)), Cat(t.Category), Dur(d.policy().IncidentWindow), Num(lead))
	leadT := t
	if lead != t.Number {
		var err error
		if leadT, err = tx.Ticket(lead); err != nil {
			return err
		}
		if leadT.Priority > P0 {
			leadT.Priority = P0
			d.policy().setDueFrom(leadT, leadT.Created)
		}
		leadT.Incident = lead
		leadT.Events = append(leadT.Events, Event{At: now, Kind: EventIncident, Say: &s})
		if err := tx.PutTicket(leadT); err != nil {
			return err
		}
	}
	return d.alertStaff(tx, leadT, d.Staff, "", s)
}
