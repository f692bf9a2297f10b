package templates

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// This file turns times and lengths into the words people read them in:
// "12月7日（周一）17:00", "Mon 7 Dec 17:00 (UTC+8, Asia/Shanghai)",
// "1 个工作日", "2 hours". Every word and pattern comes from the language
// files (keys when.*, dur.*, len.*, promise.*, typical.*, hours.*, zone.*,
// weekday.*, month.*).

// loc returns the desk's zone.
func (v *Viewer) loc() *time.Location {
	if v.Loc == nil {
		return time.UTC
	}
	return v.Loc
}

func (v *Viewer) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// When formats t for a person in lang: the date with its weekday and the
// wall-clock time in the desk's zone, with the year only when it is not
// this year, and (where the language's "when.zone" asks for it) the zone:
// "12月7日（周一）17:00", "Mon 7 Dec 17:00 (UTC+8, Asia/Shanghai)". The zero
// time is "".
func (v *Viewer) When(t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	lang = v.Set.Lang(lang)
	t = t.In(v.loc())
	key := "when.date"
	if t.Year() != v.now().In(v.loc()).Year() {
		key = "when.date_year"
	}
	s := v.dateWords(key, t, lang)
	if z := v.Set.word(lang, "when.zone"); z != "" && z != "when.zone" {
		s += fmt.Sprintf(z, v.ZoneName(lang))
	}
	return s
}

// dateWords fills the date pattern key for t: %[1]d year, %[2]d month,
// %[3]d day, %[4]s weekday, %[5]s month name, %[6]s the clock ("17:00").
// Patterns name their arguments by index, so each uses only what it needs.
func (v *Viewer) dateWords(key string, t time.Time, lang string) string {
	return fmt.Sprintf(v.Set.word(lang, key), t.Year(), int(t.Month()), t.Day(),
		v.Set.word(lang, fmt.Sprintf("weekday.%d", t.Weekday())), v.Set.word(lang, fmt.Sprintf("month.%d", int(t.Month()))), t.Format("15:04"))
}

// Day formats a date (hours.DateLayout) without weekday or time:
// "10月1日", "1 Oct".
func (v *Viewer) Day(s, lang string) string {
	t, err := time.ParseInLocation(hours.DateLayout, s, v.loc())
	if err != nil {
		return s
	}
	return v.dateWords("when.day", t, v.Set.Lang(lang))
}

// ZoneName names the desk's zone in lang: the language's "zone.<name>"
// word if it has one ("北京时间"), else "UTC+8, Asia/Shanghai".
func (v *Viewer) ZoneName(lang string) string {
	name := v.loc().String()
	if w, ok := v.Set.words[v.Set.Lang(lang)]["zone."+name]; ok {
		return w
	}
	_, off := v.now().In(v.loc()).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	utc := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		utc += fmt.Sprintf(":%02d", m)
	}
	if name == "UTC" || name == "" {
		return utc
	}
	return utc + ", " + name
}

// Duration says d in words: "2 小时 30 分钟", "15 minutes", "3 days".
// Seconds are dropped (a duration under a minute is "1 minute").
func (v *Viewer) Duration(d time.Duration, lang string) string {
	return v.Set.Duration(lang, d)
}

// Duration says d in words in lang: "2 小时 30 分钟", "15 minutes",
// "1 day 2 hours"; never Go syntax. Under a minute counts as one minute.
func (s *Set) Duration(lang string, d time.Duration) string {
	lang = s.Lang(lang)
	if d < time.Minute {
		d = time.Minute
	}
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	var parts []string
	for _, u := range []struct {
		n   int
		key string
	}{{days, "dur.day"}, {h, "dur.hour"}, {m, "dur.minute"}} {
		if u.n > 0 {
			parts = append(parts, s.count(lang, u.key, u.n))
		}
	}
	return strings.Join(parts, s.word(lang, "dur.join"))
}

// count fills key.one or key.other with n.
func (s *Set) count(lang, key string, n int) string {
	form := key + ".other"
	if n == 1 {
		form = key + ".one"
	}
	return fmt.Sprintf(s.word(lang, form), n)
}

// Length says a promised length: "1 个工作日", "3 working days", "2 小时";
// a duration on working hours (workTime) says so: "工作时间 2 小时".
func (v *Viewer) Length(l tickets.Length, workTime bool, lang string) string {
	lang = v.Set.Lang(lang)
	if l.Days > 0 {
		return v.Set.count(lang, "len.workday", l.Days)
	}
	d := v.Set.Duration(lang, l.D)
	if workTime {
		return fmt.Sprintf(v.Set.word(lang, "len.worktime"), d)
	}
	return d
}

// typicalWords says a category's typical time: "4 小时至 1 个工作日",
// "within 1 working day".
func (v *Viewer) typicalWords(typ tickets.Typical, lang string) string {
	if typ.Min.Zero() {
		return fmt.Sprintf(v.Set.word(lang, "typical.within"), v.Length(typ.Max, false, lang))
	}
	return fmt.Sprintf(v.Set.word(lang, "typical.range"), v.Length(typ.Min, false, lang), v.Length(typ.Max, false, lang))
}

// WorkingHours says the desk's working hours once, with their zone:
// "周一至周五 09:00-17:30（北京时间）", "Mon-Fri 09:00-17:30 (UTC+8,
// Asia/Shanghai)". A nil calendar is "" (the desk works 24x7).
func (v *Viewer) WorkingHours(cal *hours.Calendar, lang string) string {
	if cal == nil {
		return ""
	}
	lang = v.Set.Lang(lang)
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	var parts []string
	for i := 0; i < len(order); {
		spans := cal.Week[order[i]]
		j := i + 1
		for j < len(order) && slices.Equal(cal.Week[order[j]], spans) {
			j++
		}
		if len(spans) > 0 {
			days := v.Set.word(lang, fmt.Sprintf("weekday.%d", order[i]))
			if j-i > 1 {
				days = fmt.Sprintf(v.Set.word(lang, "hours.days"), days, v.Set.word(lang, fmt.Sprintf("weekday.%d", order[j-1])))
			}
			items := make([]string, len(spans))
			for k, sp := range spans {
				items[k] = sp.String()
			}
			parts = append(parts, days+" "+strings.Join(items, v.Set.word(lang, "hours.and")))
		}
		i = j
	}
	return fmt.Sprintf(v.Set.word(lang, "hours.line"), strings.Join(parts, v.Set.word(lang, "hours.sep")), v.ZoneName(lang))
}

// promise fills the promise fields of tv from the policy.
func (v *Viewer) promise(tv *TicketView, t *tickets.Ticket, lang string) {
	if v.Policy == nil {
		by := func(s string) string {
			if s == "" {
				return ""
			}
			return fmt.Sprintf(v.Set.word(lang, "promise.by"), s)
		}
		tv.ResponsePromise, tv.ResolvePromise = by(tv.ResponseDue), by(tv.ResolveDue)
		return
	}
	pr := v.Policy.Promise(t, v.now())
	workTime := !pr.AllHours && pr.Hours != nil
	due := func(at time.Time, l tickets.Length) string {
		if at.IsZero() {
			return ""
		}
		return fmt.Sprintf(v.Set.word(lang, "promise.due"), v.When(at, lang), v.Length(l, workTime, lang))
	}
	tv.ResponsePromise = due(pr.ResponseDue, pr.Response)
	tv.ResolvePromise = due(pr.ResolveDue, pr.Resolve)
	tv.AllHours = pr.AllHours
	tv.WorkingHours = v.WorkingHours(pr.Hours, lang)
	if pr.HasTypical && t.Typical == 0 { // a learned typical time (t.Typical) wins
		tv.Typical = v.typicalWords(pr.Typical, lang)
	}
	for _, c := range pr.Closures {
		s := v.Day(c.First, lang)
		if c.Last != c.First {
			s = fmt.Sprintf(v.Set.word(lang, "hours.days"), s, v.Day(c.Last, lang))
		}
		tv.Closures = append(tv.Closures, s)
	}
}
