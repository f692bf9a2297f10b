package tickets

import (
	"encoding/json"
	"fmt"
	"time"
)

// failingFor is how long an address that bounced gets no automatic mail.
const failingFor = 30 * 24 * time.Hour

func failingKey(email string) string { return "failing:" + NormalizeEmail(email) }

// capWindow is the period automatic-mail caps count over.
const capWindow = time.Hour

// capState is the recent automatic mails to one sender or about one
// ticket, kept in the store's state.
type capState struct {
	Sent    []time.Time `json:"sent"`
	Tripped time.Time   `json:"tripped,omitzero"`
}

// allowAuto applies the per-recipient and per-ticket caps on automatic
// mail (Policy.AutoCapPerSender, AutoCapPerTicket per hour). It reports
// whether nt may be queued; when a cap trips for the first time in a
// window, staff are alerted once.
func (d *Desk) allowAuto(tx Tx, t *Ticket, nt *Notice) (bool, error) {
	p := d.policy()
	keys := []struct {
		key string
		max int
		who string
	}{
		{"cap:to:" + nt.To.Email, p.AutoCapPerSender, "to " + nt.To.Email},
	}
	if t != nil && t.Number > 0 {
		keys = append(keys, struct {
			key string
			max int
			who string
		}{fmt.Sprintf("cap:ticket:%d", t.Number), p.AutoCapPerTicket, fmt.Sprintf("about ticket #%d", t.Number)})
	}
	now := d.now()
	if v, err := tx.State(failingKey(nt.To.Email)); err != nil {
		return false, err
	} else if v != nil {
		if at, err := time.Parse(time.RFC3339, string(v)); err == nil && now.Sub(at) < failingFor {
			return false, nil
		}
	}
	states := make([]capState, len(keys))
	for i, k := range keys {
		if k.max <= 0 {
			continue
		}
		v, err := tx.State(k.key)
		if err != nil {
			return false, err
		}
		if v != nil {
			json.Unmarshal(v, &states[i])
		}
		var recent []time.Time
		for _, at := range states[i].Sent {
			if now.Sub(at) < capWindow {
				recent = append(recent, at)
			}
		}
		states[i].Sent = recent
		if len(recent) >= k.max {
			if now.Sub(states[i].Tripped) >= capWindow {
				states[i].Tripped = now
				if err := d.putCap(tx, k.key, states[i]); err != nil {
					return false, err
				}
				text := fmt.Sprintf("Automatic mail %s stopped: %d in the last hour (cap %d). A mail loop or a flood? Mail %s is still recorded; nothing automatic goes out until the hour has passed.", k.who, len(recent), k.max, k.who)
				d.log().Warn("desk: automatic mail cap tripped", "who", k.who, "count", len(recent))
				if t == nil || t.Number == 0 {
					t = &Ticket{}
				}
				for _, s := range d.Staff {
					alert := &Notice{Kind: NoticeStaffAlert, Ticket: t.Number, To: Address{Name: s.Name, Email: s.Email}, Lang: d.Lang, Auto: true, Event: -1, Text: text}
					if err := d.enqueueRaw(tx, t, alert); err != nil {
						return false, err
					}
				}
			}
			return false, nil
		}
	}
	for i, k := range keys {
		if k.max <= 0 {
			continue
		}
		states[i].Sent = append(states[i].Sent, now)
		if err := d.putCap(tx, k.key, states[i]); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (d *Desk) putCap(tx Tx, key string, s capState) error {
	v, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return tx.PutState(key, v)
}
