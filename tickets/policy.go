package tickets

import (
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets/hours"
	"github.com/postdesk/postdesk/tickets/triage"
)

// Target is the service-level promise for one priority.
type Target struct {
	Response time.Duration // first response
	Resolve  time.Duration // resolution
	// AllHours counts the clock 24x7; otherwise only business hours count.
	AllHours bool
}

// Policy is the desk's service-level practice. Build one with
// DefaultPolicy and change fields before use; do not change it afterwards.
type Policy struct {
	Targets [4]Target
	// ReopenWindow: a customer reply to a ticket closed longer ago than
	// this opens a new ticket that links the old one. Negative: never.
	ReopenWindow time.Duration
	// QueryWords are subjects or short bodies that ask for status.
	QueryWords []string
	// Hours is the business-hours calendar; nil means 24x7.
	Hours *hours.Calendar
	// Rules infer category and priority at intake; nil means
	// triage.DefaultRules().
	Rules *triage.Rules
}

var defaultPolicy = DefaultPolicy()

// DefaultPolicy returns the practice described in the README: P0 30m/4h
// 24x7, P1 2h/8h, P2 24h/3d, P3 72h/7d on business hours.
func DefaultPolicy() *Policy {
	return &Policy{
		Targets: [4]Target{
			{Response: 30 * time.Minute, Resolve: 4 * time.Hour, AllHours: true},
			{Response: 2 * time.Hour, Resolve: 8 * time.Hour},
			{Response: 24 * time.Hour, Resolve: 72 * time.Hour},
			{Response: 72 * time.Hour, Resolve: 7 * 24 * time.Hour},
		},
		ReopenWindow: 7 * 24 * time.Hour,
		Hours:        hours.Default(),
		Rules:        triage.DefaultRules(),
		QueryWords:   []string{"查询", "查询进度", "查询故障处理进度", "进度", "状态", "进度查询", "查询状态", "status", "ticket status", "status of my tickets", "what is the status of my reports"},
	}
}

// Classify infers a category and priority for a new report.
func (p *Policy) Classify(subject, text string) (string, Priority) {
	r := p.Rules
	if r == nil {
		r = triage.DefaultRules()
	}
	cat, prio := r.Classify(subject, text)
	return cat, Priority(prio)
}

// calendar returns the clock a priority's targets run on.
func (p *Policy) calendar(prio Priority) *hours.Calendar {
	if p.Targets[prio].AllHours {
		return nil
	}
	return p.Hours
}

// WorkStarts returns when work on a report of priority prio that arrived
// at now starts: now during working hours (or for 24x7 priorities), else
// the next opening.
func (p *Policy) WorkStarts(prio Priority, now time.Time) time.Time {
	return p.calendar(prio).NextOpen(now)
}

// setDue computes the SLA due times of a new ticket.
func (p *Policy) setDue(t *Ticket, now time.Time) { p.setDueFrom(t, now) }

// setDueFrom computes the SLA due times counted from start (the ticket's
// creation; a priority change recomputes from there).
func (p *Policy) setDueFrom(t *Ticket, now time.Time) {
	tg := p.Targets[t.Priority]
	cal := p.calendar(t.Priority)
	t.ResponseDue = cal.Add(now, tg.Response)
	t.ResolveDue = cal.Add(now, tg.Resolve)
}

// onStatus keeps SLA bookkeeping when a ticket changes status.
func (p *Policy) onStatus(t *Ticket, from, to Status, now time.Time) {}

// scheduleTimers adds the timers t needs in its current state.
func (p *Policy) scheduleTimers(tx Tx, t *Ticket, now time.Time) error { return nil }

// isStatusQuery reports whether a mail that names no ticket asks for the
// status of the sender's tickets.
func (p *Policy) isStatusQuery(m *Message) bool {
	subj := StripReplyPrefixes(m.Subject)
	// A subject that still has our tag in it is about that ticket; drop
	// the tag to see what is left.
	if i := strings.LastIndexAny(subj, "]】"); i >= 0 && SubjectTag(subj, "") > 0 || strings.Contains(subj, "#") {
		subj = subj[i+1:]
	}
	body := m.NewText
	if body == "" {
		body = m.Text
	}
	return p.isQueryWord(subj) && (strings.TrimSpace(body) == "" || len([]rune(body)) < 200) || p.isQueryWord(body)
}

func (p *Policy) isQueryWord(s string) bool {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(foldWidth(s)), "?？!！.。 "))
	if s == "" {
		return false
	}
	for _, w := range p.QueryWords {
		if s == strings.ToLower(w) {
			return true
		}
	}
	return false
}

func (p *Policy) rules() *triage.Rules {
	if p.Rules != nil {
		return p.Rules
	}
	return triage.DefaultRules()
}

func (p *Policy) knownCategory(name string) bool {
	_, ok := p.rules().Category(name)
	return ok
}

func (p *Policy) categoryNames() []string {
	var out []string
	for _, c := range p.rules().Categories {
		out = append(out, c.Name)
	}
	return out
}
