package tickets

import (
	"runtime"
	"sync"

	"github.com/postdesk/postdesk/tickets/similar"
)

// prepared holds what the desk judges from a mail's text alone: whether it
// asks for the status of tickets, its triage, and its incident features.
// Intake computes it for a batch on every core before its transaction,
// which runs one mail after another; the transaction then only reads it.
type prepared struct {
	query bool
	// subject is the ticket subject cat, prio and vec were computed for;
	// "" when they were not (a mail that names a ticket is most likely a
	// reply and seldom opens one: it is judged in the transaction if so).
	subject string
	cat     string
	prio    Priority
	vec     similar.Vector
}

// prepare fills m.prep for each human mail of msgs, in parallel.
func (d *Desk) prepare(msgs []*Message) {
	work := make(chan *Message)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(msgs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				m.prep = d.judge(m)
			}
		}()
	}
	for _, m := range msgs {
		if m.prep == nil && m.Auto == AutoHuman {
			work <- m
		}
	}
	close(work)
	wg.Wait()
}

// judge computes what prepared holds for m.
func (d *Desk) judge(m *Message) *prepared {
	p := d.policy()
	c := *m // as handle will see it: headers clipped (clipHeaders)
	c.Subject = clipBytes(m.Subject, MaxHeaderBytes)
	pr := &prepared{query: p.isStatusQuery(&c)}
	if SubjectTag(c.Subject, d.TagPrefix) > 0 || len(c.InReplyTo)+len(c.References) > 0 {
		return pr
	}
	pr.subject = ticketSubject(&c)
	pr.cat, pr.prio = p.Classify(pr.subject, c.Text)
	pr.vec = similar.Features(pr.subject, c.Text)
	return pr
}

// isQuery reports whether m asks for the status of the sender's tickets.
func (d *Desk) isQuery(m *Message) bool {
	if m.prep != nil {
		return m.prep.query
	}
	return d.policy().isStatusQuery(m)
}

// classify returns the category and priority of a new ticket with subject
// opened from m.
func (d *Desk) classify(m *Message, subject string) (string, Priority) {
	if m.prep != nil && m.prep.subject == subject {
		return m.prep.cat, m.prep.prio
	}
	return d.policy().Classify(subject, m.Text)
}

// features returns the incident features of a new ticket with subject
// opened from m.
func (d *Desk) features(m *Message, subject string) similar.Vector {
	if m.prep != nil && m.prep.subject == subject {
		return m.prep.vec
	}
	return similar.Features(subject, m.Text)
}
