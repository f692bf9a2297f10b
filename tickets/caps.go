package tickets

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Caps bound the automatic mail the outbox lets out. Flood protection
// tells floods from people: a person's distinct new reports are always
// acknowledged, one by one up to ConfirmBurst an hour and then in one
// summary mail per SummaryEvery; mail that answers our own automatic mail,
// or any other automatic customer mail, keeps the tight PerAddress and
// PerTicket caps, which cut loops (RFC 3834).
type Caps struct {
	// ConfirmBurst is how many confirmations of distinct new reports one
	// address gets individually per hour (config desk.confirm_burst).
	ConfirmBurst int
	// SummaryEvery is how often, at most, a summary mail lists the
	// reports beyond ConfirmBurst (config desk.summary_every).
	SummaryEvery time.Duration
	// PerAddress and PerTicket bound the other automatic customer mail
	// (confirmations of mail that answers ours, progress mail, reminders,
	// status lists) per address and per ticket per hour; 0 disables
	// (config desk.auto_cap_per_address, desk.auto_cap_per_ticket).
	PerAddress int
	PerTicket  int
}

// DefaultCaps returns the caps used when Desk.Caps is nil.
func DefaultCaps() Caps {
	return Caps{ConfirmBurst: 10, SummaryEvery: 10 * time.Minute, PerAddress: 10, PerTicket: 10}
}

func (d *Desk) caps() Caps {
	if d.Caps != nil {
		return *d.Caps
	}
	return DefaultCaps()
}

// maxSummary bounds the reports listed in one summary mail; more go into
// the next summary, SummaryEvery later.
const maxSummary = 100

// failingFor is how long an address that bounced gets no automatic mail.
const failingFor = 30 * 24 * time.Hour

func failingKey(email string) string { return "failing:" + NormalizeEmail(email) }

func summaryKey(email string) string { return "summary:" + NormalizeEmail(email) }

// capWindow is the period automatic-mail caps count over.
const capWindow = time.Hour

// caps counts recent automatic mail per recipient and per ticket. The
// counts live in memory: they guard against loops and floods, which a
// restart does not start, and keeping them out of the database saves a
// write per mail. A rolled-back transaction may leave a count one too
// high, which only errs on the side of sending less. The summaries that
// acknowledge what the counts hold back are durable notices.
type caps struct {
	mu     sync.Mutex
	recent map[string]*capState
	pruned time.Time
	trips  int64 // times a cap tripped since start (under mu)
}

// CapTrips returns how many times an automatic-mail cap tripped since the
// desk started (the first refusal in a window counts), for metrics.
func (d *Desk) CapTrips() int64 {
	c := &d.Outbox().caps
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.trips
}

type capState struct {
	sent    []time.Time
	tripped time.Time
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

// limit is one cap that applies to a notice.
type limit struct {
	key, who, config string
	max              int
	say              Say // what the staff alert says when it trips
}

// admit decides whether automatic customer notice nt about t goes out, in
// tx: it applies the failing-address rule and the caps, folds a person's
// confirmation beyond the burst into a summary, and alerts staff once when
// a cap trips. person says nt confirms a distinct new report from a person
// (its own Message-ID, not an answer to our mail, not automated).
func (o *Outbox) admit(tx Tx, t *Ticket, nt *Notice, person bool) (bool, error) {
	now := o.now()
	if v, err := tx.State(failingKey(nt.To.Email)); err != nil {
		return false, err
	} else if v != nil {
		if at, err := time.Parse(time.RFC3339, string(v)); err == nil && now.Sub(at) < failingFor {
			return false, nil
		}
	}
	c := o.limits()
	if person && nt.Kind == NoticeConfirmation && t != nil {
		l := limit{key: "confirm:" + nt.To.Email, who: "to " + nt.To.Email, config: "desk.confirm_burst", max: c.ConfirmBurst}
		ok, tripped := o.caps.take(l.key, l.max, now)
		if ok {
			return true, nil
		}
		if tripped {
			if err := o.alert(tx, t, l, say("alert_cap_confirm", Str(nt.To.Email), Num(int64(l.max)), Dur(c.SummaryEvery))); err != nil {
				return false, err
			}
		}
		return false, o.summarise(tx, t, nt, now, c.SummaryEvery)
	}
	limits := []limit{{"to:" + nt.To.Email, "to " + nt.To.Email, "desk.auto_cap_per_address", c.PerAddress,
		say("alert_cap_to", Str(nt.To.Email), Num(int64(c.PerAddress)))}}
	if t != nil && t.Number > 0 {
		limits = append(limits, limit{fmt.Sprintf("ticket:%d", t.Number), fmt.Sprintf("about ticket #%d", t.Number), "desk.auto_cap_per_ticket", c.PerTicket,
			say("alert_cap_ticket", Num(t.Number), Num(int64(c.PerTicket)))})
	}
	for _, l := range limits {
		if l.max <= 0 {
			continue
		}
		ok, tripped := o.caps.take(l.key, l.max, now)
		if ok {
			continue
		}
		if tripped {
			if err := o.alert(tx, t, l, l.say); err != nil {
				return false, err
			}
		}
		return false, nil
	}
	return true, nil
}

// alert tells every staff member, once per tripped cap, that l tripped.
func (o *Outbox) alert(tx Tx, t *Ticket, l limit, s Say) error {
	d := o.desk
	o.log().Warn("outbox: automatic mail cap tripped", "who", l.who, "cap", l.config)
	about := t
	if about == nil {
		about = &Ticket{}
	}
	for _, st := range d.Staff {
		alert := &Notice{Kind: NoticeStaffAlert, Ticket: about.Number, To: Address{Name: st.Name, Email: st.Email}, Lang: d.Lang, Auto: true, Event: -1, Says: []Say{s}}
		if err := d.enqueueRaw(tx, t, alert); err != nil {
			return err
		}
	}
	return nil
}

// summarise adds ticket t to the summary mail pending for nt's recipient,
// or queues a new one due every from now (or after the last one, when that
// is full). A summary is only extended while it is not yet due, so the
// sender never holds a copy that misses a ticket.
func (o *Outbox) summarise(tx Tx, t *Ticket, nt *Notice, now time.Time, every time.Duration) error {
	key := summaryKey(nt.To.Email)
	next := now.Add(every)
	if v, err := tx.State(key); err != nil {
		return err
	} else if id, perr := strconv.ParseUint(string(v), 10, 64); v != nil && perr == nil {
		prev, err := tx.Notice(id)
		switch {
		case err == nil && prev.NextAttempt.After(now) && len(prev.Tickets) < maxSummary:
			prev.Tickets = append(prev.Tickets, t.Number)
			return tx.PutNotice(prev)
		case err == nil && prev.NextAttempt.After(now):
			next = prev.NextAttempt.Add(every)
		}
	}
	sum := &Notice{Kind: NoticeSummary, To: nt.To, Lang: nt.Lang, Auto: true, Event: -1, Tickets: []int64{t.Number}, NextAttempt: next}
	if err := o.desk.enqueueRaw(tx, nil, sum); err != nil {
		return err
	}
	return tx.PutState(key, []byte(strconv.FormatUint(sum.ID, 10)))
}
