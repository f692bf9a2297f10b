package hours

import (
	"slices"
	"testing"
	"time"
)

func TestAddDays(t *testing.T) {
	sh := mustLoad(t, "Asia/Shanghai")
	tests := []struct {
		name string
		cal  *Calendar
		from string
		n    int
		want string
	}{
		{"Friday 17:00 plus one is Monday 17:00", Default(), "2026-12-04 17:00", 1, "2026-12-07 17:00"},
		{"Friday after closing plus one is Monday closing", Default(), "2026-12-04 18:10", 1, "2026-12-07 17:30"},
		{"Saturday plus one is Monday closing", Default(), "2026-12-05 10:00", 1, "2026-12-07 17:30"},
		{"Sunday night plus one is Monday closing", Default(), "2026-12-06 23:59", 1, "2026-12-07 17:30"},
		{"Monday before opening plus one is Monday closing", Default(), "2026-12-07 08:00", 1, "2026-12-07 17:30"},
		{"Monday at opening plus one is Monday closing", Default(), "2026-12-07 09:00", 1, "2026-12-07 17:30"},
		{"Wednesday 10:00 plus three is Monday 10:00", Default(), "2026-12-02 10:00", 3, "2026-12-07 10:00"},
		{"Saturday plus three is Wednesday closing", Default(), "2026-12-05 10:00", 3, "2026-12-09 17:30"},
		{"zero is the next opening", Default(), "2026-12-05 10:00", 0, "2026-12-07 09:00"},
		{"the day before the National Day break jumps it", nationalDay2025(), "2025-09-30 10:00", 1, "2025-10-09 10:00"},
		{"the make-up Sunday is a working day", nationalDay2025(), "2025-09-26 16:00", 1, "2025-09-28 16:00"},
		{"the make-up Saturday after the break counts", nationalDay2025(), "2025-10-10 11:00", 1, "2025-10-11 11:00"},
		{"during the break plus one is the first day back, closing", nationalDay2025(), "2025-10-03 09:30", 1, "2025-10-09 17:30"},
		{"a lunch break keeps the day: next day, morning close", lunch(t), "2026-12-02 12:30", 1, "2026-12-03 12:00"},
		{"afternoon time on a lunch calendar", lunch(t), "2026-12-04 14:15", 1, "2026-12-07 14:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.AddDays(at(t, sh, tt.from), tt.n).In(sh).Format("2006-01-02 15:04")
			if got != tt.want {
				t.Errorf("AddDays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
	var never *Calendar
	from := at(t, sh, "2026-12-04 17:00")
	if got := never.AddDays(from, 2); !got.Equal(from.AddDate(0, 0, 2)) {
		t.Errorf("nil AddDays = %v, want two calendar days later", got)
	}
}

func TestClosures(t *testing.T) {
	sh := mustLoad(t, "Asia/Shanghai")
	nd := nationalDay2025()
	break2025 := []DayRange{{"2025-10-01", "2025-10-08"}}
	tests := []struct {
		name     string
		from, to string
		want     []DayRange
	}{
		{"across the break", "2025-09-30 10:00", "2025-10-09 10:00", break2025},
		{"ending inside the break reports it whole", "2025-09-30 10:00", "2025-10-02 10:00", break2025},
		{"starting inside the break reports it whole", "2025-10-05 10:00", "2025-10-09 17:30", break2025},
		{"an ordinary week has none", "2025-11-03 10:00", "2025-11-07 10:00", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nd.Closures(at(t, sh, tt.from), at(t, sh, tt.to))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Closures(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
	if got := (*Calendar)(nil).Closures(time.Now(), time.Now().Add(time.Hour)); got != nil {
		t.Errorf("nil Closures = %v, want nil", got)
	}
}
