package hours

import (
	"strings"
	"testing"
	"time"
)

// mustLoad loads a zone from the embedded database.
func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

// at parses "2006-01-02 15:04" in loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("ParseInLocation(%q): %v", s, err)
	}
	return tm
}

// mustWeek parses a schedule or fails the test.
func mustWeek(t testing.TB, s string) [7][]Span {
	t.Helper()
	w, err := ParseWeek(s)
	if err != nil {
		t.Fatalf("ParseWeek(%q): %v", s, err)
	}
	return w
}

// shanghai returns Default with the given holidays and make-up workdays.
func shanghai(holidays, workdays []string) *Calendar {
	c := Default()
	for _, d := range holidays {
		c.Holidays[d] = true
	}
	for _, d := range workdays {
		c.Workdays[d] = true
	}
	return c
}

// nationalDay2025 is the 2025 National Day break: Oct 1-8 off, Sunday
// Sep 28 and Saturday Oct 11 worked in exchange.
func nationalDay2025() *Calendar {
	return shanghai(
		[]string{"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"},
		[]string{"2025-09-28", "2025-10-11"},
	)
}

// lunch is Shanghai with a lunch break.
func lunch(t testing.TB) *Calendar {
	c := Default()
	c.Week = mustWeek(t, "mon-fri 9:00-12:00,13:30-18:00")
	return c
}

func TestDefault(t *testing.T) {
	c := Default()
	if got := c.Loc.String(); got != "Asia/Shanghai" {
		t.Errorf("Default().Loc = %q, want %q", got, "Asia/Shanghai")
	}
	if got, want := FormatWeek(c.Week), "Mon-Fri 09:00-17:30"; got != want {
		t.Errorf("FormatWeek(Default().Week) = %q, want %q", got, want)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
	if c.Holidays == nil || c.Workdays == nil {
		t.Errorf("Default() maps are nil, want empty maps")
	}
}

func TestAdd(t *testing.T) {
	sh := Default().Loc
	ny := mustLoad(t, "America/New_York")
	nyOffice := &Calendar{Loc: ny, Week: mustWeek(t, "Mon-Fri 09:00-17:00")}
	nyAllDay := &Calendar{Loc: ny, Week: mustWeek(t, "Mon-Sun 00:00-24:00")}
	utc := &Calendar{Week: mustWeek(t, "Mon-Fri 08:00-16:00")}
	tests := []struct {
		name string
		cal  *Calendar
		loc  *time.Location
		from string
		d    time.Duration
		want string
	}{
		{"evening arrival", Default(), sh, "2026-03-06 18:00", 2 * time.Hour, "2026-03-09 11:00"},
		{"saturday arrival", Default(), sh, "2026-03-07 10:00", time.Hour, "2026-03-09 10:00"},
		{"sunday midnight", Default(), sh, "2026-03-08 00:00", 30 * time.Minute, "2026-03-09 09:30"},
		{"before opening", Default(), sh, "2026-03-10 07:00", 30 * time.Minute, "2026-03-10 09:30"},
		{"mid span", Default(), sh, "2026-03-10 10:15", 3 * time.Hour, "2026-03-10 13:15"},
		{"ends at closing", Default(), sh, "2026-03-10 16:30", time.Hour, "2026-03-10 17:30"},
		{"carries to next day", Default(), sh, "2026-03-10 16:30", 2 * time.Hour, "2026-03-11 10:00"},
		{"friday carries over weekend", Default(), sh, "2026-03-06 17:00", time.Hour, "2026-03-09 09:30"},
		{"one working week", Default(), sh, "2026-03-09 09:00", 5 * 510 * time.Minute, "2026-03-13 17:30"},
		{"seven working days", Default(), sh, "2026-03-06 18:00", 7 * 510 * time.Minute, "2026-03-17 17:30"},
		{"zero when closed", Default(), sh, "2026-03-06 18:00", 0, "2026-03-09 09:00"},
		{"zero when open", Default(), sh, "2026-03-10 10:00", 0, "2026-03-10 10:00"},
		{"zero at closing", Default(), sh, "2026-03-10 17:30", 0, "2026-03-11 09:00"},
		{"negative is zero", Default(), sh, "2026-03-07 10:00", -time.Hour, "2026-03-09 09:00"},
		{"monday holiday", shanghai([]string{"2026-03-09"}, nil), sh, "2026-03-06 18:00", 2 * time.Hour, "2026-03-10 11:00"},
		{"holiday wins over workday", shanghai([]string{"2026-03-09"}, []string{"2026-03-09"}), sh, "2026-03-06 18:00", 2 * time.Hour, "2026-03-10 11:00"},
		{"make-up sunday", nationalDay2025(), sh, "2025-09-27 10:00", time.Hour, "2025-09-28 10:00"},
		{"into national day", nationalDay2025(), sh, "2025-09-30 17:00", time.Hour, "2025-10-09 09:30"},
		{"make-up saturday", nationalDay2025(), sh, "2025-10-10 17:00", time.Hour, "2025-10-11 09:30"},
		{"lunch break crossed", lunch(t), sh, "2026-03-10 11:00", 2 * time.Hour, "2026-03-10 14:30"},
		{"arrival at lunch", lunch(t), sh, "2026-03-10 12:15", 30 * time.Minute, "2026-03-10 14:00"},
		{"morning ends at noon", lunch(t), sh, "2026-03-10 11:00", time.Hour, "2026-03-10 12:00"},
		{"utc when loc is nil", utc, time.UTC, "2026-03-06 15:00", 2 * time.Hour, "2026-03-09 09:00"},
		{"dst spring forward weekend", nyOffice, ny, "2026-03-06 16:00", 2 * time.Hour, "2026-03-09 10:00"},
		{"dst short sunday", nyAllDay, ny, "2026-03-08 00:00", 24 * time.Hour, "2026-03-09 01:00"},
		{"dst long sunday", nyAllDay, ny, "2026-11-01 00:00", 24 * time.Hour, "2026-11-01 23:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, want := at(t, tt.loc, tt.from), at(t, tt.loc, tt.want)
			got := tt.cal.Add(from, tt.d)
			if !got.Equal(want) {
				t.Errorf("Add(%v, %v) = %v, want %v", from, tt.d, got, want)
			}
			if got.Location() != tt.cal.loc() {
				t.Errorf("Add(%v, %v).Location() = %q, want %q", from, tt.d, got.Location(), tt.cal.loc())
			}
			if tt.d >= 0 {
				if back := tt.cal.Between(from, got); back != tt.d {
					t.Errorf("Between(%v, %v) = %v, want %v", from, got, back, tt.d)
				}
			}
		})
	}
}

func TestNextOpenAndIsOpen(t *testing.T) {
	sh := Default().Loc
	tests := []struct {
		name string
		cal  *Calendar
		at   string
		open bool
		next string
	}{
		{"open mid morning", Default(), "2026-03-10 10:00", true, "2026-03-10 10:00"},
		{"opening minute is open", Default(), "2026-03-10 09:00", true, "2026-03-10 09:00"},
		{"closing minute is closed", Default(), "2026-03-10 17:30", false, "2026-03-11 09:00"},
		{"last minute is open", Default(), "2026-03-10 17:29", true, "2026-03-10 17:29"},
		{"friday night", Default(), "2026-03-06 23:59", false, "2026-03-09 09:00"},
		{"saturday", Default(), "2026-03-07 12:00", false, "2026-03-09 09:00"},
		{"holiday", shanghai([]string{"2026-03-10"}, nil), "2026-03-10 10:00", false, "2026-03-11 09:00"},
		{"make-up workday", nationalDay2025(), "2025-09-28 10:00", true, "2025-09-28 10:00"},
		{"lunch", lunch(t), "2026-03-10 12:00", false, "2026-03-10 13:30"},
		{"before lunch", lunch(t), "2026-03-10 11:59", true, "2026-03-10 11:59"},
		{"after lunch", lunch(t), "2026-03-10 13:30", true, "2026-03-10 13:30"},
		{"never open", &Calendar{Loc: sh}, "2026-03-10 10:00", false, "2026-03-10 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm, next := at(t, sh, tt.at), at(t, sh, tt.next)
			if got := tt.cal.IsOpen(tm); got != tt.open {
				t.Errorf("IsOpen(%v) = %v, want %v", tm, got, tt.open)
			}
			if got := tt.cal.NextOpen(tm); !got.Equal(next) {
				t.Errorf("NextOpen(%v) = %v, want %v", tm, got, next)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	sh := Default().Loc
	ny := mustLoad(t, "America/New_York")
	nyAllDay := &Calendar{Loc: ny, Week: mustWeek(t, "Mon-Sun 00:00-24:00")}
	tests := []struct {
		name string
		cal  *Calendar
		loc  *time.Location
		a, b string
		want time.Duration
	}{
		{"across a weekend", Default(), sh, "2026-03-06 17:00", "2026-03-09 10:00", 90 * time.Minute},
		{"inside one span", Default(), sh, "2026-03-10 10:00", "2026-03-10 11:30", 90 * time.Minute},
		{"both closed same night", Default(), sh, "2026-03-10 18:00", "2026-03-10 23:00", 0},
		{"whole week", Default(), sh, "2026-03-09 00:00", "2026-03-16 00:00", 5 * 510 * time.Minute},
		{"week with monday holiday", shanghai([]string{"2026-03-09"}, nil), sh, "2026-03-09 00:00", "2026-03-16 00:00", 4 * 510 * time.Minute},
		{"make-up sunday counts", nationalDay2025(), sh, "2025-09-27 00:00", "2025-09-29 00:00", 510 * time.Minute},
		{"national day", nationalDay2025(), sh, "2025-09-30 17:00", "2025-10-09 09:30", time.Hour},
		{"lunch not counted", lunch(t), sh, "2026-03-10 11:00", "2026-03-10 14:00", 90 * time.Minute},
		{"b before a", Default(), sh, "2026-03-10 11:00", "2026-03-10 10:00", 0},
		{"b equals a", Default(), sh, "2026-03-10 11:00", "2026-03-10 11:00", 0},
		{"never open", &Calendar{}, sh, "2026-03-10 00:00", "2026-04-10 00:00", 0},
		{"dst 23 hour day", nyAllDay, ny, "2026-03-08 00:00", "2026-03-09 00:00", 23 * time.Hour},
		{"dst 25 hour day", nyAllDay, ny, "2026-11-01 00:00", "2026-11-02 00:00", 25 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := at(t, tt.loc, tt.a), at(t, tt.loc, tt.b)
			if got := tt.cal.Between(a, b); got != tt.want {
				t.Errorf("Between(%v, %v) = %v, want %v", a, b, got, tt.want)
			}
		})
	}
}

func TestNilCalendar(t *testing.T) {
	var c *Calendar
	a := time.Date(2026, 3, 7, 23, 0, 0, 0, time.UTC) // a Saturday night
	b := a.Add(36 * time.Hour)
	if !c.IsOpen(a) {
		t.Errorf("IsOpen(%v) = false, want true", a)
	}
	if got := c.NextOpen(a); !got.Equal(a) {
		t.Errorf("NextOpen(%v) = %v, want %v", a, got, a)
	}
	if got := c.Add(a, 36*time.Hour); !got.Equal(b) {
		t.Errorf("Add(%v, 36h) = %v, want %v", a, got, b)
	}
	if got := c.Add(b, -36*time.Hour); !got.Equal(a) {
		t.Errorf("Add(%v, -36h) = %v, want %v", b, got, a)
	}
	if got := c.Between(a, b); got != 36*time.Hour {
		t.Errorf("Between(%v, %v) = %v, want %v", a, b, got, 36*time.Hour)
	}
	if got := c.Between(b, a); got != 0 {
		t.Errorf("Between(%v, %v) = %v, want 0", b, a, got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil", err)
	}
}

func TestSearchGivesUp(t *testing.T) {
	// Only Mondays work, and every Monday for two years is a holiday.
	c := &Calendar{Week: mustWeek(t, "Mon 09:00-17:00"), Holidays: map[string]bool{}}
	for d := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 7) {
		c.Holidays[d.Format(DateLayout)] = true
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.NextOpen(from); !got.Equal(from) {
		t.Errorf("NextOpen(%v) = %v, want %v", from, got, from)
	}
	if got := c.Add(from, time.Hour); !got.Equal(from) {
		t.Errorf("Add(%v, 1h) = %v, want %v", from, got, from)
	}
	want := time.Date(2028, 1, 3, 10, 0, 0, 0, time.UTC)
	if got := c.Add(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), time.Hour); !got.Equal(want) {
		t.Errorf("Add(2027-06-01, 1h) = %v, want %v", got, want)
	}
}

func TestUntidySpans(t *testing.T) {
	// Spans set by hand out of order, overlapping and past midnight are
	// sorted, merged and clamped before use.
	c := &Calendar{}
	c.Week[time.Monday] = []Span{{13 * 60, 18 * 60}, {9 * 60, 12 * 60}, {11 * 60, 12*60 + 30}, {23 * 60, 30 * 60}, {5, 5}}
	mon := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	want := (3*60 + 30 + 5*60 + 60) * time.Minute
	if got := c.Between(mon, mon.AddDate(0, 0, 1)); got != want {
		t.Errorf("Between(Monday) = %v, want %v", got, want)
	}
	if c.Validate() == nil {
		t.Errorf("Validate() = nil, want an error for untidy spans")
	}
}

func TestParseWeek(t *testing.T) {
	tests := []struct {
		in   string
		want string // FormatWeek of the result
	}{
		{"Mon-Fri 09:00-17:30; Sat 10:00-12:00", "Mon-Fri 09:00-17:30; Sat 10:00-12:00"},
		{"mon-fri 9:00-12:00,13:00-17:30", "Mon-Fri 09:00-12:00,13:00-17:30"},
		{"MON-FRI 9:00-12:00, 13:00 - 17:30 ;", "Mon-Fri 09:00-12:00,13:00-17:30"},
		{"Monday 13:00-14:00,09:00-12:00", "Mon 09:00-12:00,13:00-14:00"},
		{"Mon 09:00-12:00,12:00-13:00", "Mon 09:00-13:00"},
		{"Mon,Wed,Fri 08:00-12:00", "Mon 08:00-12:00; Wed 08:00-12:00; Fri 08:00-12:00"},
		{"Sat-Mon 10:00-16:00", "Mon 10:00-16:00; Sat-Sun 10:00-16:00"},
		{"Mon-Sun 00:00-24:00; Sun closed", "Mon-Sat 00:00-24:00"},
		{"Tue-Thu 09:00-17:00; wed off; Wed 14:00-15:00", "Tue 09:00-17:00; Wed 14:00-15:00; Thu 09:00-17:00"},
		{"sun closed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseWeek(tt.in)
			if err != nil {
				t.Fatalf("ParseWeek(%q) error: %v", tt.in, err)
			}
			if got := FormatWeek(w); got != tt.want {
				t.Errorf("FormatWeek(ParseWeek(%q)) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.want == "" {
				return
			}
			again, err := ParseWeek(FormatWeek(w))
			if err != nil {
				t.Fatalf("ParseWeek(FormatWeek(%q)) error: %v", tt.in, err)
			}
			if got, want := FormatWeek(again), FormatWeek(w); got != want {
				t.Errorf("FormatWeek after a round trip = %q, want %q", got, want)
			}
		})
	}
}

func TestParseWeekSpans(t *testing.T) {
	w, err := ParseWeek("mon-fri 9:00-12:00,13:00-17:30")
	if err != nil {
		t.Fatalf("ParseWeek error: %v", err)
	}
	want := []Span{{540, 720}, {780, 1050}}
	for d := time.Sunday; d <= time.Saturday; d++ {
		var wantDay []Span
		if d >= time.Monday && d <= time.Friday {
			wantDay = want
		}
		if got := w[d]; len(got) != len(wantDay) || (len(got) > 0 && (got[0] != wantDay[0] || got[1] != wantDay[1])) {
			t.Errorf("ParseWeek()[%v] = %v, want %v", d, got, wantDay)
		}
	}
	w[time.Monday][0].Start = 0
	if w[time.Tuesday][0].Start != 540 {
		t.Errorf("ParseWeek() days share a slice: changing Monday changed Tuesday")
	}
}

func TestParseWeekErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // a substring of the error
	}{
		{"", "empty schedule"},
		{" ; ;", "empty schedule"},
		{"Mon-Fry 09:00-17:30", `unknown day "Fry"`},
		{"Mon-Fri 09:00-17:30; Satur 10:00-12:00", `part "Satur 10:00-12:00"`},
		{"Mon-Fri", "want days, a space"},
		{"Mon-Fri 9-17", `span "9-17"`},
		{"Mon-Fri 09:00", `span "09:00"`},
		{"Mon-Fri 17:30-09:00", "start is not before end"},
		{"Mon-Fri 09:00-09:00", "start is not before end"},
		{"Mon-Fri 09:00-12:00,11:00-13:00", "overlap"},
		{"Mon-Fri 24:30-25:00", `bad time "24:30"`},
		{"Mon-Fri 09:60-10:00", `bad time "09:60"`},
		{"Mon-Fri 9:5-10:00", `bad time "9:5"`},
		{"Mon-Fri -1:00-10:00", "span"},
		{"Mon-Fri 09:00-17:30,", `span ""`},
		{"Mon- 09:00-17:30", `unknown day ""`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseWeek(tt.in)
			if err == nil {
				t.Fatalf("ParseWeek(%q) error = nil, want one containing %q", tt.in, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseWeek(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cal  *Calendar
		want string // substring of the error; "" for nil
	}{
		{"default", Default(), ""},
		{"nil", nil, ""},
		{"holidays", nationalDay2025(), ""},
		{"no working time", &Calendar{}, "no working time"},
		{"bad span", &Calendar{Week: [7][]Span{1: {{600, 500}}}}, "Monday: invalid span"},
		{"past midnight", &Calendar{Week: [7][]Span{1: {{600, 1500}}}}, "invalid span"},
		{"overlap", &Calendar{Week: [7][]Span{2: {{600, 700}, {650, 800}}}}, "Tuesday: span 10:50-13:20 overlaps"},
		{"bad holiday", &Calendar{Week: Default().Week, Holidays: map[string]bool{"2026-1-1": true}}, `date "2026-1-1"`},
		{"bad workday", &Calendar{Week: Default().Week, Workdays: map[string]bool{"Oct 11": true}}, `date "Oct 11"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cal.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && err == nil:
				t.Errorf("Validate() = nil, want an error containing %q", tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("Validate() = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestAddBetweenInverse checks Between(t, Add(t, d)) == d over a grid of
// start times and durations, in a zone with daylight saving.
func TestAddBetweenInverse(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	cals := map[string]*Calendar{
		"shanghai":  nationalDay2025(),
		"lunch":     lunch(t),
		"new york":  {Loc: ny, Week: mustWeek(t, "Mon-Fri 08:00-18:00; Sun 01:00-03:30")},
		"all hours": {Loc: ny, Week: mustWeek(t, "Mon-Sun 00:00-24:00")},
	}
	durations := []time.Duration{0, time.Minute, 90 * time.Minute, 8 * time.Hour, 40 * time.Hour, 300 * time.Hour}
	for name, c := range cals {
		t.Run(name, func(t *testing.T) {
			start := time.Date(2025, 9, 20, 0, 0, 0, 0, c.loc())
			for from := start; from.Before(start.AddDate(0, 0, 60)); from = from.Add(7*time.Hour + 13*time.Minute) {
				for _, d := range durations {
					to := c.Add(from, d)
					if got := c.Between(from, to); got != d {
						t.Fatalf("Between(%v, Add(%v, %v) = %v) = %v, want %v", from, from, d, to, got, d)
					}
					if d > 0 && !c.IsOpen(to.Add(-time.Nanosecond)) {
						t.Fatalf("IsOpen(Add(%v, %v) - 1ns = %v) = false, want true", from, d, to)
					}
				}
			}
		})
	}
}

func BenchmarkAdd(b *testing.B) {
	c := nationalDay2025()
	from := time.Date(2025, 9, 26, 18, 0, 0, 0, c.Loc)
	d := 7 * 510 * time.Minute // seven working days, across the holiday
	want := time.Date(2025, 10, 13, 17, 30, 0, 0, c.Loc)
	if got := c.Add(from, d); !got.Equal(want) {
		b.Fatalf("Add(%v, %v) = %v, want %v", from, d, got, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Add(from, d)
	}
}

func BenchmarkBetween(b *testing.B) {
	c := nationalDay2025()
	from := time.Date(2025, 9, 1, 10, 0, 0, 0, c.Loc)
	to := from.AddDate(0, 3, 0)
	b.ReportAllocs()
	for b.Loop() {
		c.Between(from, to)
	}
}
