package templates

import (
	"fmt"
	htmltemplate "html/template"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// StatusColor is the badge colour of each status: white text on it keeps a
// contrast of at least 4.5:1, in light and in (auto-inverted) dark mode.
// Change the look of a status here, not in the templates.
var StatusColor = map[tickets.Status]string{
	tickets.StatusNew:          "#55657a", // slate: received, nobody has looked yet
	tickets.StatusAcknowledged: "#1a5fb4", // blue: a person has it
	tickets.StatusInProgress:   "#a3520b", // amber: work going on
	tickets.StatusWaiting:      "#7b3fa0", // purple: the customer's turn
	tickets.StatusResolved:     "#1e7b34", // green: fixed, please confirm
	tickets.StatusClosed:       "#5f6368", // grey: finished
}

// Step is one step of the progress stepper shown in customer mail and on
// the tracking page.
type Step struct {
	Number int    // 1-based position
	Label  string // e.g. "处理中"
	State  string // "done", "current" or "todo"
}

// Done reports whether the ticket has passed this step.
func (s Step) Done() bool { return s.State == "done" }

// Current reports whether the ticket is at this step.
func (s Step) Current() bool { return s.State == "current" }

// steps builds the stepper of a ticket in status st: every status of
// tickets.Statuses is a step; the steps before the current one are done.
func (v *Viewer) steps(st tickets.Status, lang string) []Step {
	cur := -1
	for i, s := range tickets.Statuses {
		if s == st {
			cur = i
		}
	}
	out := make([]Step, len(tickets.Statuses))
	for i, s := range tickets.Statuses {
		state := "todo"
		switch {
		case i < cur:
			state = "done"
		case i == cur:
			state = "current"
		}
		out[i] = Step{Number: i + 1, Label: v.Set.word(lang, "step."+string(s)), State: state}
	}
	return out
}

// Zone names the desk's time zone as readers understand it, e.g.
// "Asia/Shanghai (UTC+08:00)"; times on pages and in mail are in it.
func (v *Viewer) Zone() string {
	loc := v.Loc
	if loc == nil {
		loc = time.UTC
	}
	_, off := time.Now().In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	utc := fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
	if loc == time.UTC || loc.String() == "UTC" || loc.String() == "Local" {
		return utc
	}
	return loc.String() + " (" + utc + ")"
}

// nextStep says in plain words what happens next and by when, for a
// ticket in its current status, from the promises the Viewer made
// (TicketView.ResponsePromise and ResolvePromise: a date with weekday and
// relative words, and no resolution date where it would contradict the
// category's typical time). While the desk waits for the customer it
// says nothing. date formats the date inside each promise: as is for
// text, kept on one line for HTML.
func (v *Viewer) nextStep(tv *TicketView, lang string, date func(string) string) string {
	if tv.Status == tickets.StatusWaiting {
		return ""
	}
	phrase := func(promise, due string) string {
		if promise != "" && due != "" {
			promise = strings.Replace(promise, due, date(due), 1)
		}
		return promise
	}
	var parts []string
	if p := phrase(tv.ResponsePromise, tv.ResponseDue); p != "" {
		parts = append(parts, fmt.Sprintf(v.Set.word(lang, "promise.response"), p))
	}
	if p := phrase(tv.ResolvePromise, tv.ResolveDue); p != "" {
		parts = append(parts, fmt.Sprintf(v.Set.word(lang, "promise.resolve"), p))
	}
	return strings.Join(parts, " ")
}

// look fills the presentation fields of a ticket view: colour, stepper,
// zone and promise.
func (v *Viewer) look(tv *TicketView, lang string) {
	tv.Color = StatusColor[tv.Status]
	if tv.Color == "" {
		tv.Color = StatusColor[tickets.StatusNew]
	}
	tv.Steps = v.steps(tv.Status, lang)
	tv.Zone = v.Zone()
	tv.Promise = v.nextStep(tv, lang, func(d string) string { return d })
	// The HTML form escapes the words and keeps each date on one line.
	tv.PromiseHTML = htmltemplate.HTML(v.nextStep(tv, lang, func(d string) string {
		return "\x02" + d + "\x03"
	}))
	tv.PromiseHTML = htmltemplate.HTML(strings.NewReplacer("\x02", `<span style="white-space:nowrap">`, "\x03", "</span>").
		Replace(htmltemplate.HTMLEscapeString(string(tv.PromiseHTML))))
	if tv.Promise == "" {
		tv.Promise, tv.PromiseHTML = tv.StatusMeaning, htmltemplate.HTML(htmltemplate.HTMLEscapeString(tv.StatusMeaning))
	}
}

// LatestReply returns the newest public staff reply of t at or before
// event index upto (all events when upto < 0), or nil if there is none.
func (v *Viewer) LatestReply(t *tickets.Ticket, lang string, upto int) *EventView {
	if upto < 0 || upto >= len(t.Events) {
		upto = len(t.Events) - 1
	}
	for i := upto; i >= 0; i-- {
		e := t.Events[i]
		if e.Kind == tickets.EventStaffReply && e.Public && e.Text != "" {
			ev := v.Event(t, e, v.Set.Lang(lang))
			return &ev
		}
	}
	return nil
}

// Banner returns the public incident banner text of an incident member,
// or "" when t is not part of an incident (or is its lead ticket).
func (v *Viewer) Banner(t *tickets.Ticket, lang string) string {
	if t.Incident == 0 || t.Incident == t.Number {
		return ""
	}
	return fmt.Sprintf(v.Set.word(v.Set.Lang(lang), "incident.note"), t.Incident)
}
