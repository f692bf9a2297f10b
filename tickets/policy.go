package tickets

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/postdesk/postdesk/tickets/hours"
	"github.com/postdesk/postdesk/tickets/triage"
)

// Target is the service-level promise for one priority: a duration, or
// whole working days, to the first response and to the resolution.
type Target struct {
	Response time.Duration // first response
	Resolve  time.Duration // resolution
	// ResponseDays and ResolveDays, when positive, count working days
	// instead (hours.Calendar.AddDays): "within 1 working day" is due at
	// the same time on the next working day, which is how people read it.
	// They override Response and Resolve.
	ResponseDays int
	ResolveDays  int
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
	// WarnAt is the share of the first-response target after which the
	// assignee (or every staff member) is warned; 0 disables.
	WarnAt float64
	// EscalateTo receives the escalation mail when a first-response
	// target is breached (staff are told too).
	EscalateTo []Address
	// AutoClose closes a resolved ticket after this quiet period, with a
	// last mail to the customer; 0 disables.
	AutoClose time.Duration
	// Reminders are sent to a customer whose ticket waits for them, each
	// this long after the wait began (e.g. 24h, 48h).
	Reminders []time.Duration
	// WaitOutcome is what happens WaitFinal after the last reminder:
	// StatusResolved or StatusClosed; "" does nothing.
	WaitOutcome Status
	WaitFinal   time.Duration
	// Incident is how platform-wide incidents are proposed and declared
	// (see incident.go).
	Incident IncidentPolicy
	// Typical is how long each category usually takes to resolve; the
	// resolution promise in customer mail must agree with it (see
	// Promise). Nil: no category has a typical time.
	Typical map[string]Typical
	// LearnDurations makes the typical resolution time promised in a new
	// ticket's confirmation the median of the category's recent history
	// once it has LearnMin finished tickets (see learn.go); otherwise the
	// rules' Typical is shown. LearnMin 0 means DefaultLearnMin.
	LearnDurations bool
	LearnMin       int
}

var defaultPolicy = DefaultPolicy()

// DefaultPolicy returns the practice described in the README: P0 30m/4h
// 24x7, P1 2h/8h of business hours, P2 1/3 and P3 3/7 working days;
// typical times per category as DefaultTypical; warning at 80%;
// resolved tickets close after 3 quiet days; waiting customers are
// reminded after 24h and 48h and the ticket is resolved a day later; five
// similar reports from two mail domains within 15 minutes are proposed to
// staff as a platform-wide incident.
func DefaultPolicy() *Policy {
	return &Policy{
		Targets: [4]Target{
			{Response: 30 * time.Minute, Resolve: 4 * time.Hour, AllHours: true},
			{Response: 2 * time.Hour, Resolve: 8 * time.Hour},
			{Response: 24 * time.Hour, Resolve: 72 * time.Hour, ResponseDays: 1, ResolveDays: 3},
			{Response: 72 * time.Hour, Resolve: 7 * 24 * time.Hour, ResponseDays: 3, ResolveDays: 7},
		},
		ReopenWindow: 7 * 24 * time.Hour,
		QueryWords:   []string{"查询", "查询进度", "查询故障处理进度", "进度", "状态", "进度查询", "查询状态", "status", "ticket status", "status of my tickets", "what is the status of my reports"},
		Hours:        hours.Default(),
		Rules:        triage.DefaultRules(),
		WarnAt:       0.8,
		AutoClose:    72 * time.Hour,
		Reminders:    []time.Duration{24 * time.Hour, 48 * time.Hour},
		WaitOutcome:  StatusResolved,
		WaitFinal:    24 * time.Hour,
		Incident:     DefaultIncidentPolicy(),
		Typical:      DefaultTypical(),
	}
}

// Classify infers a category and priority for a new report.
func (p *Policy) Classify(subject, text string) (string, Priority) {
	// A report says what it is about near the top; folding megabytes of
	// it would cost memory for nothing.
	cat, prio := p.rules().Classify(subject, clipBytes(text, 64<<10))
	return cat, Priority(prio)
}

// calendar returns the clock a priority's targets run on (nil: 24x7).
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

// setDueFrom computes the SLA due times counted from start (the ticket's
// creation; a priority change recomputes from there).
func (p *Policy) setDueFrom(t *Ticket, start time.Time) {
	t.ResponseDue, t.ResolveDue = p.DueTimes(t.Priority, start)
	t.Warned, t.Breached = false, false
}

// DueTimes returns when the first response and the resolution of a
// ticket of priority prio opened at start are due.
func (p *Policy) DueTimes(prio Priority, start time.Time) (response, resolve time.Time) {
	tg := p.Targets[prio]
	cal := p.calendar(prio)
	return tg.responseLength().after(cal, start), tg.resolveLength().after(cal, start)
}

// onStatus keeps SLA bookkeeping when a ticket changes status: time spent
// waiting for the customer moves the due times out by the same working
// time, so the clock pauses.
func (p *Policy) onStatus(t *Ticket, from, to Status, now time.Time) {
	if from == StatusWaiting && !t.WaitingSince.IsZero() {
		cal := p.calendar(t.Priority)
		paused := cal.Between(t.WaitingSince, now)
		if t.FirstResponse.IsZero() && !t.ResponseDue.IsZero() {
			t.ResponseDue = cal.Add(t.ResponseDue, paused)
		}
		if !t.ResolveDue.IsZero() {
			t.ResolveDue = cal.Add(t.ResolveDue, paused)
		}
		t.WaitingSince = time.Time{}
	}
	if to == StatusWaiting {
		t.WaitingSince = now
		t.Reminders = 0
	}
}

// Timer kinds.
const (
	TimerWarn      = "warn"      // share WarnAt of the response target used
	TimerBreach    = "breach"    // response target passed without an answer
	TimerRemind    = "remind"    // remind a waiting customer
	TimerWaitDone  = "wait_done" // the wait ran out: apply WaitOutcome
	TimerAutoClose = "autoclose" // close a resolved ticket after the quiet period
)

// gen identifies the state a timer was scheduled for; a timer whose gen no
// longer matches is stale and is dropped when it comes due.
func (p *Policy) gen(t *Ticket, kind string) string {
	switch kind {
	case TimerWarn, TimerBreach:
		return "resp:" + t.ResponseDue.UTC().Format(time.RFC3339Nano)
	case TimerRemind, TimerWaitDone:
		return "wait:" + t.WaitingSince.UTC().Format(time.RFC3339Nano)
	case TimerAutoClose:
		return "res:" + t.Resolved.UTC().Format(time.RFC3339Nano)
	}
	return ""
}

// scheduleTimers adds the timers t needs in its current state.
func (p *Policy) scheduleTimers(tx Tx, t *Ticket, now time.Time) error {
	add := func(kind string, due time.Time) error {
		if due.IsZero() {
			return nil
		}
		return tx.AddTimer(&Timer{Due: due, Ticket: t.Number, Kind: kind, Gen: p.gen(t, kind)})
	}
	switch {
	case t.Number == 0:
		return nil
	case t.Status == StatusWaiting:
		for _, d := range p.Reminders {
			if err := add(TimerRemind, t.WaitingSince.Add(d)); err != nil {
				return err
			}
		}
		if p.WaitOutcome != "" {
			last := time.Duration(0)
			if n := len(p.Reminders); n > 0 {
				last = p.Reminders[n-1]
			}
			if err := add(TimerWaitDone, t.WaitingSince.Add(last+p.WaitFinal)); err != nil {
				return err
			}
		}
	case t.Status == StatusResolved:
		if p.AutoClose > 0 {
			return add(TimerAutoClose, t.Resolved.Add(p.AutoClose))
		}
	case t.Status.Open() && t.FirstResponse.IsZero() && !t.ResponseDue.IsZero():
		if p.WarnAt > 0 && !t.Warned {
			cal := p.calendar(t.Priority)
			total := cal.Between(t.Created, t.ResponseDue)
			if err := add(TimerWarn, cal.Add(t.Created, time.Duration(float64(total)*p.WarnAt))); err != nil {
				return err
			}
		}
		if !t.Breached {
			return add(TimerBreach, t.ResponseDue)
		}
	}
	return nil
}

// isStatusQuery reports whether a mail asks for the status of the sender's
// tickets: its subject (without our tag) is a query word and its text is
// short, or its text is a query word, or it asks how things are going
// ("请问进度", "处理到哪了", "any update?") and names no fault
// (triage.IsStatusQuery).
func (p *Policy) isStatusQuery(m *Message) bool {
	subj := lenticular.Replace(StripReplyPrefixes(m.Subject))
	if i := strings.LastIndexByte(subj, ']'); i >= 0 {
		subj = subj[i+1:]
	}
	body := m.NewText
	if body == "" {
		body = m.Text
	}
	// A status query is a short mail: a long body (hostile or not) is
	// neither measured in runes nor folded whole.
	if len(body) > 4<<10 {
		return false
	}
	return p.isQueryWord(subj) && utf8.RuneCountInString(body) < 200 || p.isQueryWord(body) || triage.IsStatusQuery(p.rules(), subj, body)
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
