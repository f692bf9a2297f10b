package tickets

import (
	"fmt"
	"sync"
	"time"
)

// failingFor is how long an address that bounced gets no automatic mail.
const failingFor = 30 * 24 * time.Hour

func failingKey(email string) string { return "failing:" + NormalizeEmail(email) }

// capWindow is the period automatic-mail caps count over.
const capWindow = time.Hour

// caps counts recent automatic mail per recipient and per ticket. The
// counts live in memory: they guard against loops and floods, which a
// restart does not start, and keeping them out of the database saves a
// write per mail. A rolled-back transaction may leave a count one too
// high, which only errs on the side of sending less.
type caps struct {
	mu     sync.Mutex
	recent map[string]*capState
	pruned time.Time
	trips  int64 // times a cap tripped since start (under mu)
}

// CapTrips returns how many times an automatic-mail cap tripped since the
// desk started (the first refusal in a window counts), for metrics.
func (d *Desk) CapTrips() int64 {
	c := d.capsOf()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trips
}

type capState struct {
	sent    []time.Time
	tripped time.Time
}

// capsInit guards the lazy creation of Desk.caps, so a Desk stays a plain
// struct that may be built with a literal (and copied before use).
var capsInit sync.Mutex

func (d *Desk) capsOf() *caps {
	capsInit.Lock()
	defer capsInit.Unlock()
	if d.caps == nil {
		d.caps = &caps{}
	}
	return d.caps
}

// take records one automatic mail for key at now if fewer than max were
// sent in the last hour. It reports whether the mail may go, and whether
// the cap has just tripped (first refusal in this window).
func (c *caps) take(key string, max int, now time.Time) (ok, tripped bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recent == nil {
		c.recent = map[string]*capState{}
	}
	if now.Sub(c.pruned) > capWindow {
		for k, s := range c.recent {
			if len(s.sent) == 0 || now.Sub(s.sent[len(s.sent)-1]) > capWindow {
				delete(c.recent, k)
			}
		}
		c.pruned = now
	}
	s := c.recent[key]
	if s == nil {
		s = &capState{}
		c.recent[key] = s
	}
	i := 0
	for i < len(s.sent) && now.Sub(s.sent[i]) >= capWindow {
		i++
	}
	s.sent = s.sent[i:]
	if len(s.sent) >= max {
		if now.Sub(s.tripped) >= capWindow {
			s.tripped = now
			c.trips++
			return false, true
		}
		return false, false
	}
	s.sent = append(s.sent, now)
	return true, false
}

// allowAuto applies the per-recipient and per-ticket caps on automatic
// mail (Policy.AutoCapPerSender, AutoCapPerTicket per hour) and the
// failing-address rule. It reports whether nt may be queued; when a cap
// trips for the first time in a window, staff are alerted once.
func (d *Desk) allowAuto(tx Tx, t *Ticket, nt *Notice) (bool, error) {
	p := d.policy()
	now := d.now()
	if v, err := tx.State(failingKey(nt.To.Email)); err != nil {
		return false, err
	} else if v != nil {
		if at, err := time.Parse(time.RFC3339, string(v)); err == nil && now.Sub(at) < failingFor {
			return false, nil
		}
	}
	type limit struct {
		key, who string
		max      int
		say      Say
	}
	limits := []limit{{"to:" + nt.To.Email, "to " + nt.To.Email, p.AutoCapPerSender, say("alert_cap_to", Str(nt.To.Email), Num(int64(p.AutoCapPerSender)))}}
	if t != nil && t.Number > 0 {
		limits = append(limits, limit{fmt.Sprintf("ticket:%d", t.Number), fmt.Sprintf("about ticket #%d", t.Number), p.AutoCapPerTicket, say("alert_cap_ticket", Num(t.Number), Num(int64(p.AutoCapPerTicket)))})
	}
	for _, l := range limits {
		if l.max <= 0 {
			continue
		}
		ok, tripped := d.capsOf().take(l.key, l.max, now)
		if ok {
			continue
		}
		if tripped {
			d.log().Warn("desk: automatic mail cap tripped", "who", l.who)
			about := t
			if about == nil {
				about = &Ticket{}
			}
			for _, s := range d.Staff {
				alert := &Notice{Kind: NoticeStaffAlert, Ticket: about.Number, To: Address{Name: s.Name, Email: s.Email}, Lang: d.Lang, Auto: true, Event: -1, Says: []Say{l.say}}
				if err := d.enqueueRaw(tx, t, alert); err != nil {
					return false, err
				}
			}
		}
		return false, nil
	}
	return true, nil
}
