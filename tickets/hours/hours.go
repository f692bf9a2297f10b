// Package hours is a business-hours calendar: weekly working spans,
// holidays and make-up workdays (Chinese 调休) in one time zone. The tickets
// package uses it to turn "respond within 4 working hours" into a due time
// and to measure how much working time a ticket has waited.
//
// Every computation walks the calendar a day at a time, never a minute at a
// time, and builds each day's instants with time.Date in the calendar's
// location. Days made 23 or 25 hours long by daylight saving therefore count
// the time that really elapses in them, and a span's wall-clock times
// (09:00, 17:30) hold on both sides of a clock change.
//
// A nil *Calendar is open around the clock (24x7): IsOpen is always true,
// NextOpen(t) is t, Add(t, d) is t.Add(d) and Between(a, b) is b.Sub(a).
package hours

import (
	"errors"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // Default needs Asia/Shanghai on hosts without zoneinfo files.
)

// MinutesPerDay is the largest valid Span.End: 24:00, the end of the day.
const MinutesPerDay = 24 * 60

// searchDays bounds every forward search: after this many consecutive days
// without working time, NextOpen and Add give up and return their argument.
const searchDays = 400

// DateLayout is the layout of the keys of Calendar.Holidays and
// Calendar.Workdays: a date in the calendar's location, e.g. "2026-10-01".
const DateLayout = "2006-01-02"

// Span is a daily working interval in minutes since local midnight,
// [Start, End). A valid span has 0 <= Start < End <= MinutesPerDay, so
// {540, 1050} is 09:00-17:30 and {0, 1440} is the whole day. Spans never
// cross midnight; split a night shift into two days.
type Span struct{ Start, End int }

// String returns the span as "09:00-17:30", the form ParseWeek reads.
func (s Span) String() string {
	return clock(s.Start) + "-" + clock(s.End)
}

// clock formats minutes since midnight as "HH:MM".
func clock(m int) string {
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// Calendar says when a desk is working. The zero Calendar is in UTC and is
// never open; a nil *Calendar is always open (see the package comment).
//
// A Calendar is safe for concurrent use as long as nobody modifies its
// fields (or the maps and slices they hold) at the same time.
type Calendar struct {
	// Loc is the time zone of Week, Holidays and Workdays; nil means UTC.
	Loc *time.Location
	// Week holds the working spans of each day, indexed by time.Weekday
	// (0 = Sunday). An empty day is closed all day. Spans should be sorted
	// and disjoint, as ParseWeek returns them; other spans are clamped to
	// the day, sorted and merged before use (see Validate).
	Week [7][]Span
	// Holidays are dates (DateLayout, in Loc) that are closed all day.
	// A holiday wins over a Workdays entry for the same date.
	Holidays map[string]bool
	// Workdays are extra working dates (DateLayout, in Loc), such as a
	// Saturday worked in exchange for a holiday; they use the Monday
	// schedule, Week[time.Monday].
	Workdays map[string]bool
}

// Default returns the desk's default calendar: Asia/Shanghai, Monday to
// Friday 09:00-17:30, no holidays and no make-up workdays. The maps are
// allocated and empty, ready for entries. If the zone cannot be loaded
// (it is embedded, so this should not happen) Default uses a fixed +08:00
// zone of the same name; China has no daylight saving, so nothing changes.
func Default() *Calendar {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("Asia/Shanghai", 8*60*60)
	}
	c := &Calendar{
		Loc:      loc,
		Holidays: map[string]bool{},
		Workdays: map[string]bool{},
	}
	workday := []Span{{Start: 9 * 60, End: 17*60 + 30}}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = workday
	}
	return c
}

// Validate reports the first problem in c, or nil: a span outside
// 00:00-24:00, empty, out of order or overlapping another; a Holidays or
// Workdays key that is not a DateLayout date; or a week with no working
// time at all. The other methods tolerate all of these, but a calendar
// read from configuration should be checked once with Validate. A nil
// *Calendar is valid.
func (c *Calendar) Validate() error {
	if c == nil {
		return nil
	}
	open := false
	for wd, spans := range c.Week {
		prev := -1
		for _, s := range spans {
			if s.Start < 0 || s.End > MinutesPerDay || s.Start >= s.End {
				return fmt.Errorf("hours: %s: invalid span %d-%d", time.Weekday(wd), s.Start, s.End)
			}
			if s.Start < prev {
				return fmt.Errorf("hours: %s: span %s overlaps or precedes the one before", time.Weekday(wd), s)
			}
			prev = s.End
			open = true
		}
	}
	if !open {
		return errors.New("hours: the week has no working time")
	}
	for _, m := range []map[string]bool{c.Holidays, c.Workdays} {
		for k := range m {
			if _, err := time.Parse(DateLayout, k); err != nil {
				return fmt.Errorf("hours: date %q: want YYYY-MM-DD", k)
			}
		}
	}
	return nil
}

// IsOpen reports whether t is inside working time. A span includes its
// start and excludes its end: with 09:00-17:30, 17:30 is closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c == nil {
		return true
	}
	loc := c.loc()
	d := dateOf(t, loc)
	for _, s := range c.spans(d) {
		if start, end := d.at(s.Start, loc), d.at(s.End, loc); !t.Before(start) && t.Before(end) {
			return true
		}
	}
	return false
}

// NextOpen returns t if c is open at t, and otherwise the start of the next
// working period. The result is in c.Loc. If there is no working time at
// all, or none within 400 days of t, NextOpen returns t unchanged.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c == nil {
		return t
	}
	if u, ok := c.add(t, 0); ok {
		return u
	}
	return t
}

// Add returns the instant at which d of working time has elapsed after t,
// counting only open time; the result is in c.Loc. Add(t, 0) is
// NextOpen(t), and a negative d counts as 0. When the working time runs out
// exactly at the end of a span, Add returns that end (a due time of 17:30,
// not 09:00 the next working day). Add walks day by day, so a week of
// working time costs a few dozen time.Date calls. If the calendar has no
// working time, or 400 consecutive days without any, Add returns t.
func (c *Calendar) Add(t time.Time, d time.Duration) time.Time {
	if c == nil {
		return t.Add(d)
	}
	if u, ok := c.add(t, max(d, 0)); ok {
		return u
	}
	return t
}

// add is Add and NextOpen: it reports false when the search gives up.
func (c *Calendar) add(t time.Time, d time.Duration) (time.Time, bool) {
	if c.neverOpen() {
		return time.Time{}, false
	}
	loc := c.loc()
	t = t.In(loc)
	day := dateOf(t, loc)
	for closed := 0; closed < searchDays; day = day.next() {
		spans := c.spans(day)
		if len(spans) == 0 {
			closed++
			continue
		}
		closed = 0
		for _, s := range spans {
			start, end := day.at(s.Start, loc), day.at(s.End, loc)
			if !end.After(t) || !end.After(start) {
				continue
			}
			if start.Before(t) {
				start = t
			}
			avail := end.Sub(start)
			if d <= avail {
				return start.Add(d), true
			}
			d -= avail
		}
	}
	return time.Time{}, false
}

// Between returns the working time elapsed from a to b: 0 if b is not after
// a. For a nil *Calendar it is b.Sub(a), also never negative.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	if c == nil {
		return b.Sub(a)
	}
	if c.neverOpen() {
		return 0
	}
	loc := c.loc()
	var sum time.Duration
	last := dateOf(b, loc)
	for day := dateOf(a, loc); !last.before(day); day = day.next() {
		for _, s := range c.spans(day) {
			start, end := day.at(s.Start, loc), day.at(s.End, loc)
			if start.Before(a) {
				start = a
			}
			if end.After(b) {
				end = b
			}
			if end.After(start) {
				sum += end.Sub(start)
			}
		}
	}
	return sum
}

// loc returns c.Loc, or UTC when it is nil.
func (c *Calendar) loc() *time.Location {
	if c.Loc == nil {
		return time.UTC
	}
	return c.Loc
}

// neverOpen reports whether no weekday has working time. Make-up workdays
// use the Monday schedule, so they cannot open such a calendar either.
func (c *Calendar) neverOpen() bool {
	for _, spans := range c.Week {
		if len(normalize(spans)) > 0 {
			return false
		}
	}
	return true
}

// spans returns the sorted, disjoint working spans of day d.
func (c *Calendar) spans(d date) []Span {
	if len(c.Holidays) > 0 || len(c.Workdays) > 0 {
		var buf [len(DateLayout)]byte
		key := d.appendKey(buf[:0])
		if c.Holidays[string(key)] {
			return nil
		}
		if c.Workdays[string(key)] {
			return normalize(c.Week[time.Monday])
		}
	}
	return normalize(c.Week[d.weekday()])
}

// normalize returns spans if they are valid, sorted and disjoint (the
// usual case, which does not allocate), and otherwise a copy clamped to the
// day, without empty spans, sorted and with overlapping spans merged.
func normalize(spans []Span) []Span {
	prev := 0
	clean := true
	for _, s := range spans {
		if s.Start < prev || s.Start >= s.End || s.End > MinutesPerDay {
			clean = false
			break
		}
		prev = s.End
	}
	if clean {
		return spans
	}
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.Start, s.End = max(s.Start, 0), min(s.End, MinutesPerDay)
		if s.Start < s.End {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b Span) int { return a.Start - b.Start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			merged[n-1].End = max(merged[n-1].End, s.End)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// date is a calendar day, without a time zone.
type date struct {
	y int
	m time.Month
	d int
}

// dateOf returns the day of t in loc.
func dateOf(t time.Time, loc *time.Location) date {
	y, m, d := t.In(loc).Date()
	return date{y, m, d}
}

// next returns the following day. The arithmetic is done in UTC, which has
// no clock changes.
func (d date) next() date {
	if d.d < 28 {
		return date{d.y, d.m, d.d + 1}
	}
	y, m, dd := time.Date(d.y, d.m, d.d+1, 0, 0, 0, 0, time.UTC).Date()
	return date{y, m, dd}
}

// before reports whether d is an earlier day than e.
func (d date) before(e date) bool {
	if d.y != e.y {
		return d.y < e.y
	}
	if d.m != e.m {
		return d.m < e.m
	}
	return d.d < e.d
}

// weekday returns the day of the week of d.
func (d date) weekday() time.Weekday {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC).Weekday()
}

// at returns the instant of wall-clock minute m of d in loc; m may be
// MinutesPerDay, giving the next midnight. time.Date resolves wall times
// that a clock change skips or repeats.
func (d date) at(m int, loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, m/60, m%60, 0, 0, loc)
}

// appendKey appends d in DateLayout to b without allocating.
func (d date) appendKey(b []byte) []byte {
	b = appendDigits(b, d.y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.m), 2)
	b = append(b, '-')
	return appendDigits(b, d.d, 2)
}

// appendDigits appends the last width decimal digits of n, zero-padded.
func appendDigits(b []byte, n, width int) []byte {
	var buf [4]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[:width]...)
}
