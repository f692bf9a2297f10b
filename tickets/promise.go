package tickets

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets/hours"
)

// Length is a span of time as a person is promised it: whole working days
// ("within 1 working day"), or a duration counted on the priority's clock
// (working hours, or 24x7). The zero Length is no time at all.
type Length struct {
	// Days, when positive, counts working days (hours.Calendar.AddDays)
	// and D is ignored.
	Days int
	D    time.Duration
}

// Zero reports whether l is no time at all.
func (l Length) Zero() bool { return l.Days <= 0 && l.D <= 0 }

// String returns l in the form ParseLength reads: "3d", "2h", "90m".
func (l Length) String() string {
	if l.Days > 0 {
		return strconv.Itoa(l.Days) + "d"
	}
	s := l.D.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// ParseLength reads "3d" (three working days) or a Go duration ("30m",
// "2h", "1h30m"). Negative values are errors.
func ParseLength(s string) (Length, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return Length{}, fmt.Errorf("not a number of working days (e.g. \"1d\"): %q", s)
		}
		return Length{Days: days}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Length{}, fmt.Errorf("not a duration (\"30m\", \"2h\") or working days (\"1d\"): %q", s)
	}
	return Length{D: d}, nil
}

// after returns the instant l after t on cal (nil: 24x7).
func (l Length) after(cal *hours.Calendar, t time.Time) time.Time {
	if l.Days > 0 {
		return cal.AddDays(t, l.Days)
	}
	return cal.Add(t, l.D)
}

// wall is l as wall-clock time, a working day counted as 24 hours.
func (l Length) wall() time.Duration {
	if l.Days > 0 {
		return time.Duration(l.Days) * 24 * time.Hour
	}
	return l.D
}

// Typical is how long a category of fault usually takes to resolve, from
// Min to Max (Min may be zero: "within Max").
type Typical struct{ Min, Max Length }

// ParseTypical reads "30m-2h", "4h-1d" or "1d" (Min zero).
func ParseTypical(s string) (Typical, error) {
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		max, err := ParseLength(lo)
		return Typical{Max: max}, err
	}
	min, err := ParseLength(lo)
	if err != nil {
		return Typical{}, err
	}
	max, err := ParseLength(hi)
	if err != nil {
		return Typical{}, err
	}
	if max.Zero() {
		return Typical{}, fmt.Errorf("the longest typical time must be positive: %q", s)
	}
	return Typical{Min: min, Max: max}, nil
}

// String returns t in the form ParseTypical reads.
func (t Typical) String() string {
	if t.Min.Zero() {
		return t.Max.String()
	}
	return t.Min.String() + "-" + t.Max.String()
}

// DefaultTypical returns the practice's typical resolution times per
// category: account 30m-2h, network 1h-4h, audio/video 2h-8h, feature or
// data error 4h to 1 working day, platform-wide outage hours to days
// (2h-5d), other within 1 working day.
func DefaultTypical() map[string]Typical {
	return map[string]Typical{
		"account": {Min: Length{D: 30 * time.Minute}, Max: Length{D: 2 * time.Hour}},
		"network": {Min: Length{D: time.Hour}, Max: Length{D: 4 * time.Hour}},
		"av":      {Min: Length{D: 2 * time.Hour}, Max: Length{D: 8 * time.Hour}},
		"feature": {Min: Length{D: 4 * time.Hour}, Max: Length{Days: 1}},
		"outage":  {Min: Length{D: 2 * time.Hour}, Max: Length{Days: 5}},
		"other":   {Max: Length{Days: 1}},
	}
}

// responseLength and resolveLength are a target's limits as promised.
func (tg Target) responseLength() Length {
	if tg.ResponseDays > 0 {
		return Length{Days: tg.ResponseDays}
	}
	return Length{D: tg.Response}
}

func (tg Target) resolveLength() Length {
	if tg.ResolveDays > 0 {
		return Length{Days: tg.ResolveDays}
	}
	return Length{D: tg.Resolve}
}

// Promise is what the desk tells a customer about a ticket's times, decided
// here so that every mail and page says the same: the due times, the
// targets in the words a person reads them in, the working hours they run
// on and the closures they cross.
type Promise struct {
	// ResponseDue is when the first answer is due; zero once staff have
	// answered or when the ticket is no longer open.
	ResponseDue time.Time
	Response    Length
	// ResolveDue is the resolution target as promised to the customer;
	// zero when the ticket is not open, or when the target would
	// contradict the category's typical time (see Policy.Promise).
	ResolveDue time.Time
	Resolve    Length
	// AllHours: the targets run 24x7, not on Hours.
	AllHours bool
	// Hours is the desk's working-hours calendar (nil: 24x7).
	Hours *hours.Calendar
	// Typical is the category's typical resolution time; HasTypical
	// says whether the category has one.
	Typical    Typical
	HasTypical bool
	// Closures are the holidays between now and the latest due time
	// stated, which the customer should hear about.
	Closures []hours.DayRange
}

// Promise returns what a customer of t is told at now. The resolution
// target is kept only if it agrees with the category's typical time: it
// is due no earlier than Typical.Min and no later than Typical.Max after
// the ticket was opened (on the priority's clock). Otherwise a parent
// would read "usually 4 hours to 1 working day" beside a date nine working
// days away, so the customer is told the typical time alone (staff still
// see Ticket.ResolveDue).
func (p *Policy) Promise(t *Ticket, now time.Time) Promise {
	tg := p.Targets[t.Priority]
	cal := p.calendar(t.Priority)
	pr := Promise{Response: tg.responseLength(), Resolve: tg.resolveLength(), AllHours: tg.AllHours, Hours: p.Hours}
	if typ, ok := p.typical(t.Category); ok {
		pr.Typical, pr.HasTypical = typ, true
	}
	if !t.Status.Open() {
		return pr
	}
	if t.FirstResponse.IsZero() {
		pr.ResponseDue = t.ResponseDue
	}
	pr.ResolveDue = t.ResolveDue
	if pr.HasTypical && !pr.ResolveDue.IsZero() {
		lo := pr.Typical.Min.after(cal, t.Created)
		hi := pr.Typical.Max.after(cal, t.Created)
		if pr.ResolveDue.Before(lo) || pr.ResolveDue.After(hi) {
			pr.ResolveDue = time.Time{}
		}
	}
	last := pr.ResponseDue
	if pr.ResolveDue.After(last) {
		last = pr.ResolveDue
	}
	if !last.IsZero() && cal != nil {
		from := now
		if from.Before(t.Created) {
			from = t.Created
		}
		pr.Closures = cal.Closures(from, last)
	}
	return pr
}

// typical returns the typical resolution time of a category.
func (p *Policy) typical(category string) (Typical, bool) {
	if p.Typical == nil {
		return Typical{}, false
	}
	typ, ok := p.Typical[category]
	return typ, ok
}

// AfterHours reports when work on t starts if t arrived outside the working
// hours of its priority (more than a minute before they begin); its
// confirmation then says when work resumes. A nil *Policy is
// DefaultPolicy().
func (p *Policy) AfterHours(t *Ticket) (time.Time, bool) {
	if p == nil {
		p = defaultPolicy
	}
	start := p.WorkStarts(t.Priority, t.Created)
	return start, start.Sub(t.Created) > time.Minute
}

// CategoryInfo returns the display label of category name in lang and its
// typical resolution time (a templates.CategoryInfo); a category the rules
// do not know is shown by its name. A nil *Policy is DefaultPolicy().
func (p *Policy) CategoryInfo(name, lang string) (label, typical string) {
	if p == nil {
		p = defaultPolicy
	}
	if cat, ok := p.rules().Category(name); ok {
		return cat.LabelFor(lang), cat.TypicalFor(lang)
	}
	return name, ""
}
