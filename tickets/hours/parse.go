package hours

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// dayNames maps the lower-cased day names ParseWeek accepts to weekdays.
var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// ParseWeek parses a weekly schedule such as
//
//	Mon-Fri 09:00-17:30; Sat 10:00-12:00
//	mon-fri 9:00-12:00,13:00-17:30; sun closed
//
// into a value for Calendar.Week. The schedule is a list of parts separated
// by semicolons. Each part is a set of days, white space, then either a
// comma-separated list of spans or the word "closed" (or "off").
//
// Days are English names, abbreviated to three letters or spelled out, in
// any case; a set is a comma-separated list of days and ranges ("Mon-Fri",
// "Mon,Wed,Fri-Sat"), and a range may wrap past Saturday ("Sat-Sun"). A span
// is H:MM-H:MM, where 24:00 ends the day; spans of one part must not
// overlap, and touching spans are merged. A later part replaces what an
// earlier one said about the same day, so "Mon-Sun 08:00-20:00; Sun closed"
// works. Days no part names are closed. An empty schedule is an error; the
// error names the part and the piece of it that is wrong.
func ParseWeek(s string) ([7][]Span, error) {
	var week [7][]Span
	parts := 0
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		parts++
		days, spans, err := parsePart(part)
		if err != nil {
			return [7][]Span{}, fmt.Errorf("hours: schedule part %q: %w", part, err)
		}
		for d, ok := range days {
			if ok {
				week[d] = slices.Clone(spans)
			}
		}
	}
	if parts == 0 {
		return [7][]Span{}, errors.New("hours: empty schedule")
	}
	return week, nil
}

// parsePart parses one "days spans" part of a schedule.
func parsePart(part string) (days [7]bool, spans []Span, err error) {
	i := strings.IndexFunc(part, unicode.IsSpace)
	if i < 0 {
		return days, nil, errors.New("want days, a space, then spans or \"closed\"")
	}
	days, err = parseDays(part[:i])
	if err != nil {
		return days, nil, err
	}
	rest := strings.TrimSpace(part[i:])
	switch strings.ToLower(rest) {
	case "closed", "off":
		return days, nil, nil
	}
	for item := range strings.SplitSeq(rest, ",") {
		sp, err := parseSpan(strings.TrimSpace(item))
		if err != nil {
			return days, nil, err
		}
		spans = append(spans, sp)
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	merged := spans[:0]
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp.Start <= merged[n-1].End {
			if sp.Start < merged[n-1].End {
				return days, nil, fmt.Errorf("spans %s and %s overlap", merged[n-1], sp)
			}
			merged[n-1].End = sp.End
			continue
		}
		merged = append(merged, sp)
	}
	return days, merged, nil
}

// parseDays parses "Mon-Fri", "sat", "Mon,Wed,Fri-Sun".
func parseDays(s string) (days [7]bool, err error) {
	for item := range strings.SplitSeq(s, ",") {
		from, to, isRange := strings.Cut(item, "-")
		first, err := parseDay(from)
		if err != nil {
			return days, err
		}
		last := first
		if isRange {
			if last, err = parseDay(to); err != nil {
				return days, err
			}
		}
		for d := first; ; d = (d + 1) % 7 {
			days[d] = true
			if d == last {
				break
			}
		}
	}
	return days, nil
}

// parseDay parses one day name.
func parseDay(s string) (time.Weekday, error) {
	d, ok := dayNames[strings.ToLower(strings.TrimSpace(s))]
	if !ok {
		return 0, fmt.Errorf("unknown day %q (want Mon, Tue, ... Sun)", s)
	}
	return d, nil
}

// parseSpan parses "9:00-17:30".
func parseSpan(s string) (Span, error) {
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("span %q: want H:MM-H:MM", s)
	}
	start, err := parseClock(from)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	end, err := parseClock(to)
	if err != nil {
		return Span{}, fmt.Errorf("span %q: %w", s, err)
	}
	if start >= end {
		return Span{}, fmt.Errorf("span %q: start is not before end", s)
	}
	return Span{Start: start, End: end}, nil
}

// parseClock parses "9:00", "09:00" or "24:00" into minutes since midnight.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, fmt.Errorf("bad time %q: want H:MM", s)
	}
	h, err1 := strconv.ParseUint(hh, 10, 8)
	m, err2 := strconv.ParseUint(mm, 10, 8)
	if err1 != nil || err2 != nil || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("bad time %q: want 00:00 to 24:00", s)
	}
	return int(h*60 + m), nil
}

// FormatWeek formats week in the syntax ParseWeek reads, starting with
// Monday and joining consecutive days that share a schedule:
// "Mon-Fri 09:00-17:30; Sat 10:00-12:00". Closed days are left out, so a
// week with no working time formats as "". Spans are written as given;
// ParseWeek(FormatWeek(w)) returns w when w's spans are sorted and disjoint.
func FormatWeek(week [7][]Span) string {
	order := [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var parts []string
	for i := 0; i < len(order); {
		spans := week[order[i]]
		j := i + 1
		for j < len(order) && slices.Equal(week[order[j]], spans) {
			j++
		}
		if len(spans) > 0 {
			days := order[i].String()[:3]
			if j-i > 1 {
				days += "-" + order[j-1].String()[:3]
			}
			items := make([]string, len(spans))
			for k, sp := range spans {
				items[k] = sp.String()
			}
			parts = append(parts, days+" "+strings.Join(items, ","))
		}
		i = j
	}
	return strings.Join(parts, "; ")
}
