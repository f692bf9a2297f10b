package hours

import (
	"time"
)

// AddDays returns the due time of "within n working days" counted from t,
// the way people read it: a report that arrives during a working day is due
// at the same wall-clock time on the n-th following working day (Friday
// 17:00 plus one working day is Monday 17:00); a report that arrives before
// a working day starts, or on a closed day, is due at the close of the n-th
// working day counting the day work starts on (Saturday plus one working
// day is Monday at closing time). A wall-clock time the target day does not
// have (a shorter Friday) becomes that day's closing time, or its opening
// time when the day starts later.
//
// n <= 0 is NextOpen(t). The result is in c.Loc. A nil *Calendar counts
// calendar days: t plus n*24 hours. If the calendar has no working time,
// or none within 400 days, AddDays returns t.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	if c == nil {
		return t.AddDate(0, 0, max(n, 0))
	}
	start, ok := c.add(t, 0)
	if !ok {
		return t
	}
	if n <= 0 {
		return start
	}
	loc := c.loc()
	t = t.In(loc)
	day := dateOf(start, loc)
	spans := c.spans(day)
	first := day.at(spans[0].Start, loc)
	if day != dateOf(t, loc) || !t.After(first) {
		// Work starts at an opening: the n-th working day is due whole.
		for i := 1; i < n; i++ {
			if day, ok = c.nextWorkday(day); !ok {
				return t
			}
		}
		sp := c.spans(day)
		return day.at(sp[len(sp)-1].End, loc)
	}
	minute := t.Hour()*60 + t.Minute()
	for i := 0; i < n; i++ {
		if day, ok = c.nextWorkday(day); !ok {
			return t
		}
	}
	return c.clampTo(day, minute, t, loc)
}

// clampTo returns wall-clock minute m (with the seconds of like) on working
// day d, moved into the day's working time: to the end of the last span
// that ends before m, or to the first opening if m is before it.
func (c *Calendar) clampTo(d date, m int, like time.Time, loc *time.Location) time.Time {
	spans := c.spans(d)
	if m < spans[0].Start {
		return d.at(spans[0].Start, loc)
	}
	best := spans[0].End
	for _, s := range spans {
		if m >= s.Start && m < s.End {
			return d.at(m, loc).Add(time.Duration(like.Second())*time.Second + time.Duration(like.Nanosecond()))
		}
		if s.End <= m {
			best = s.End
		}
	}
	return d.at(best, loc)
}

// nextWorkday returns the first day after d with working time.
func (c *Calendar) nextWorkday(d date) (date, bool) {
	for range searchDays {
		d = d.next()
		if len(c.spans(d)) > 0 {
			return d, true
		}
	}
	return d, false
}

// DayRange is a run of consecutive dates, in DateLayout, First <= Last.
type DayRange struct{ First, Last string }

// Closures returns the runs of Holidays dates (in c.Loc) from the day of a
// to the day of b, oldest first: the closures a promise that spans a and b
// should mention ("closed 1-7 October"). Weekends are not closures; a
// weekend inside a run of holidays is part of it when it is listed there.
// A nil *Calendar has none.
func (c *Calendar) Closures(a, b time.Time) []DayRange {
	if c == nil || len(c.Holidays) == 0 || b.Before(a) {
		return nil
	}
	loc := c.loc()
	var out []DayRange
	last := dateOf(b, loc)
	open := false
	for day, i := dateOf(a, loc), 0; !last.before(day) && i < searchDays; day, i = day.next(), i+1 {
		key := string(day.appendKey(nil))
		if !c.Holidays[key] {
			open = false
			continue
		}
		if open {
			out[len(out)-1].Last = key
		} else {
			out = append(out, DayRange{First: key, Last: key})
			open = true
		}
	}
	// A run that began before a or reaches past b is reported whole.
	if len(out) > 0 && out[0].First == string(dateOf(a, loc).appendKey(nil)) {
		day := dateOf(a, loc)
		for i := 0; i < searchDays; i++ {
			day = day.prev()
			key := string(day.appendKey(nil))
			if !c.Holidays[key] {
				break
			}
			out[0].First = key
		}
	}
	if n := len(out); n > 0 && out[n-1].Last == string(last.appendKey(nil)) {
		for day, i := last.next(), 0; c.Holidays[string(day.appendKey(nil))] && i < searchDays; day, i = day.next(), i+1 {
			out[n-1].Last = string(day.appendKey(nil))
		}
	}
	return out
}

// prev returns the day before d.
func (d date) prev() date {
	y, m, dd := time.Date(d.y, d.m, d.d-1, 0, 0, 0, 0, time.UTC).Date()
	return date{y, m, dd}
}
