package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// DigestView is a tickets.Digest as the digest mail shows it: labels in
// the reader's language, times in the desk's zone, links to the tickets.
type DigestView struct {
	From, To          string
	Weekly            bool
	New, Done, Open   int
	ByStatus          []CountView
	ByPriority        []CountView
	Overdue, Breached []DigestTicketView
	OverdueTotal      int
	BreachedTotal     int
	OverdueMore       int // overdue tickets not listed
	BreachedMore      int
	Categories        []CategoryCountView
	Repeated          []GroupView
	Durations         []DurationView
}

// CountView is a labelled count.
type CountView struct {
	Label string
	Count int
}

// DigestTicketView is one listed ticket.
type DigestTicketView struct {
	Tag, Subject, Priority, Status, Assignee, Due, Track string
}

// CategoryCountView is one category's new tickets.
type CategoryCountView struct {
	Label     string
	New, Open int
}

// GroupView is a repeated problem.
type GroupView struct {
	Subject  string
	Count    int
	Category string
	Tags     string // "#1 #2 #3"
}

// DurationView is one category's handling times against its typical one.
type DurationView struct {
	Label              string
	Answered, Finished int
	Response, Resolve  string // "" when none
	Typical            string
	Verdict            string // in words; "" when unknown
}

// Digest returns the view of d in lang; track gives a ticket's link (nil:
// none).
func (v *Viewer) Digest(d *tickets.Digest, lang string, track func(int64) string) *DigestView {
	lang = v.Set.Lang(lang)
	dv := &DigestView{From: v.Time(d.From), To: v.Time(d.To), Weekly: d.Weekly, New: d.New, Done: d.Done, Open: d.Open,
		OverdueTotal: d.OverdueTotal, BreachedTotal: d.BreachedTotal,
		OverdueMore: d.OverdueTotal - len(d.Overdue), BreachedMore: d.BreachedTotal - len(d.Breached)}
	for _, s := range d.OpenByStatus {
		dv.ByStatus = append(dv.ByStatus, CountView{Label: v.Set.word(lang, "status."+string(s.Status)), Count: s.Count})
	}
	for p, n := range d.OpenByPriority {
		dv.ByPriority = append(dv.ByPriority, CountView{Label: v.Set.word(lang, "priority."+tickets.Priority(p).String()), Count: n})
	}
	list := func(ts []tickets.DigestTicket) []DigestTicketView {
		var out []DigestTicketView
		for _, t := range ts {
			tv := DigestTicketView{Tag: tickets.Tag(v.TagPrefix, t.Number), Subject: OneLine(t.Subject, 80), Priority: t.Priority.String(),
				Status: v.Set.word(lang, "status."+string(t.Status)), Assignee: t.Assignee, Due: v.Time(t.Due)}
			if track != nil {
				tv.Track = track(t.Number)
			}
			out = append(out, tv)
		}
		return out
	}
	dv.Overdue, dv.Breached = list(d.Overdue), list(d.Breached)
	for _, c := range d.Categories {
		dv.Categories = append(dv.Categories, CategoryCountView{Label: v.categoryLabel(c.Category, lang), New: c.New, Open: c.Open})
	}
	for _, g := range d.Repeated {
		var tags []string
		for _, n := range g.Tickets {
			tags = append(tags, fmt.Sprintf("#%d", n))
		}
		if g.Count > len(g.Tickets) {
			tags = append(tags, "…")
		}
		dv.Repeated = append(dv.Repeated, GroupView{Subject: OneLine(g.Subject, 80), Count: g.Count, Category: v.categoryLabel(g.Category, lang), Tags: strings.Join(tags, " ")})
	}
	for _, cd := range d.Durations {
		dur := DurationView{Label: v.categoryLabel(cd.Category, lang), Answered: cd.Answered, Finished: cd.Finished, Typical: cd.Typical}
		if cd.Answered > 0 {
			dur.Response = v.Set.Short(lang, cd.MedianResponse)
		}
		if cd.Finished > 0 {
			dur.Resolve = v.Set.Short(lang, cd.MedianResolve)
		}
		if cd.Verdict != "" {
			dur.Verdict = v.Set.word(lang, "digest.verdict."+cd.Verdict)
		}
		dv.Durations = append(dv.Durations, dur)
	}
	return dv
}

func (v *Viewer) categoryLabel(name, lang string) string {
	if name == "" {
		return "-"
	}
	if v.Category != nil {
		label, _ := v.Category(name, lang)
		return label
	}
	return name
}

// Short formats a duration for staff: "3小时20分" or "3h20m", "2天5小时" or
// "2d5h"; minutes are dropped from a day or more.
func (s *Set) Short(lang string, d time.Duration) string {
	lang = s.Lang(lang)
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	unit := func(n int, key string) string { return fmt.Sprintf("%d%s", n, s.word(lang, key)) }
	switch {
	case days > 0 && hours > 0:
		return unit(days, "unit.day") + unit(hours, "unit.hour")
	case days > 0:
		return unit(days, "unit.day")
	case hours > 0 && mins > 0:
		return unit(hours, "unit.hour") + unit(mins, "unit.minute")
	case hours > 0:
		return unit(hours, "unit.hour")
	}
	return unit(mins, "unit.minute")
}

// About formats a typical duration for a customer, rounded to what a
// promise can say: "约 3 小时" or "about 3 hours" (minutes to the next 5
// under an hour, hours under two days, else days).
func (s *Set) About(lang string, d time.Duration) string {
	lang = s.Lang(lang)
	switch {
	case d < time.Hour:
		m := max(5, int((d+5*time.Minute-1)/(5*time.Minute))*5)
		if m < 60 {
			return fmt.Sprintf(s.word(lang, "about.minutes"), m)
		}
		return s.word(lang, "about.hour")
	case d < 90*time.Minute:
		return s.word(lang, "about.hour")
	case d < 48*time.Hour:
		return fmt.Sprintf(s.word(lang, "about.hours"), int(d.Round(time.Hour)/time.Hour))
	}
	return fmt.Sprintf(s.word(lang, "about.days"), int((d+12*time.Hour)/(24*time.Hour)))
}
