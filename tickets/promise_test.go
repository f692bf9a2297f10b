package tickets_test

import (
	"slices"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// holidayWeek2026 is the 2026 National Day break on the default calendar:
// 1-7 October closed, Sunday 27 September and Saturday 10 October worked.
func holidayWeek2026() *hours.Calendar {
	c := hours.Default()
	for d := 1; d <= 7; d++ {
		c.Holidays[time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC).Format(hours.DateLayout)] = true
	}
	c.Workdays["2026-09-27"] = true
	c.Workdays["2026-10-10"] = true
	return c
}

func TestPromise(t *testing.T) {
	const layout = "2006-01-02 15:04"
	fmtT := func(tm time.Time) string {
		if tm.IsZero() {
			return "-"
		}
		return tm.In(shanghai).Format(layout)
	}
	tests := []struct {
		name      string
		opened    string
		prio      tickets.Priority
		category  string
		response  string // promised first answer
		resolve   string // promised resolution, "-" when left out
		closures  []hours.DayRange
		typical   string
		responseL string
	}{
		{"P2 on Friday 17:00 is due Monday 17:00", "2026-12-04 17:00", tickets.P2, "feature", "2026-12-07 17:00", "-", nil, "4h-1d", "1d"},
		{"P2 on Saturday is due at Monday's close", "2026-12-05 11:20", tickets.P2, "other", "2026-12-07 17:30", "-", nil, "1d", "1d"},
		{"P3 on Friday 17:00 is due Wednesday 17:00", "2026-12-04 17:00", tickets.P3, "other", "2026-12-09 17:00", "-", nil, "1d", "3d"},
		{"P2 the day before the holiday week mentions the closure", "2026-09-30 15:00", tickets.P2, "feature", "2026-10-08 15:00", "-", []hours.DayRange{{First: "2026-10-01", Last: "2026-10-07"}}, "4h-1d", "1d"},
		{"P1 audio keeps its resolution: 8 working hours agree with 2-8h", "2026-12-04 17:00", tickets.P1, "av", "2026-12-07 10:30", "2026-12-07 16:30", nil, "2h-8h", "2h"},
		{"P1 account leaves out 8 hours beside 30m-2h", "2026-12-02 10:00", tickets.P1, "account", "2026-12-02 12:00", "-", nil, "30m-2h", "2h"},
		{"P0 on Saturday night runs 24x7, no closure", "2026-10-03 23:00", tickets.P0, "outage", "2026-10-03 23:30", "2026-10-04 03:00", nil, "2h-5d", "30m"},
		{"P1 network the evening before the break", "2026-09-30 18:00", tickets.P1, "network", "2026-10-08 11:00", "-", []hours.DayRange{{First: "2026-10-01", Last: "2026-10-07"}}, "1h-4h", "2h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tickets.DefaultPolicy()
			p.Hours = holidayWeek2026()
			opened, err := time.ParseInLocation(layout, tt.opened, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			tk := &tickets.Ticket{Number: 1, Status: tickets.StatusNew, Priority: tt.prio, Category: tt.category, Created: opened}
			tk.ResponseDue, tk.ResolveDue = p.DueTimes(tt.prio, opened)
			pr := p.Promise(tk, opened)
			if got := fmtT(pr.ResponseDue); got != tt.response {
				t.Errorf("ResponseDue = %s, want %s", got, tt.response)
			}
			if got := fmtT(pr.ResolveDue); got != tt.resolve {
				t.Errorf("ResolveDue = %s, want %s (ticket's target %s)", got, tt.resolve, fmtT(tk.ResolveDue))
			}
			if !slices.Equal(pr.Closures, tt.closures) {
				t.Errorf("Closures = %v, want %v", pr.Closures, tt.closures)
			}
			if got := pr.Typical.String(); !pr.HasTypical || got != tt.typical {
				t.Errorf("Typical = %q (%v), want %q", got, pr.HasTypical, tt.typical)
			}
			if got := pr.Response.String(); got != tt.responseL {
				t.Errorf("Response = %q, want %q", got, tt.responseL)
			}
		})
	}
}

func TestPromiseAfterAnswer(t *testing.T) {
	p := tickets.DefaultPolicy()
	opened := time.Date(2026, 12, 2, 10, 0, 0, 0, shanghai)
	tk := &tickets.Ticket{Status: tickets.StatusInProgress, Priority: tickets.P1, Category: "av", Created: opened, FirstResponse: opened.Add(time.Hour)}
	tk.ResponseDue, tk.ResolveDue = p.DueTimes(tk.Priority, opened)
	if pr := p.Promise(tk, opened.Add(2*time.Hour)); !pr.ResponseDue.IsZero() || pr.ResolveDue.IsZero() {
		t.Errorf("answered ticket: ResponseDue = %v, ResolveDue = %v; want no response due and a resolution", pr.ResponseDue, pr.ResolveDue)
	}
	tk.Status = tickets.StatusResolved
	if pr := p.Promise(tk, opened.Add(2*time.Hour)); !pr.ResponseDue.IsZero() || !pr.ResolveDue.IsZero() {
		t.Errorf("resolved ticket promises %v / %v, want nothing", pr.ResponseDue, pr.ResolveDue)
	}
}

func TestParseTypical(t *testing.T) {
	for _, s := range []string{"30m-2h", "4h-1d", "1d", "2h-5d", "1h30m-3h"} {
		typ, err := tickets.ParseTypical(s)
		if err != nil {
			t.Errorf("ParseTypical(%q) error %v", s, err)
			continue
		}
		if got := typ.String(); got != s {
			t.Errorf("ParseTypical(%q).String() = %q", s, got)
		}
	}
	for _, s := range []string{"", "x", "2h-", "-1h", "0d", "1w"} {
		if _, err := tickets.ParseTypical(s); err == nil {
			t.Errorf("ParseTypical(%q) = nil error, want one", s)
		}
	}
}

// A report outside working hours is told when work starts; one inside is
// not; P0 runs 24x7 and is never told to wait.
func TestAfterHours(t *testing.T) {
	p := tickets.DefaultPolicy() // Asia/Shanghai, Mon-Fri 09:00-17:30
	for _, c := range []struct {
		name    string
		created string
		prio    tickets.Priority
		want    string // "" = not after hours
	}{
		{"friday evening", "2026-11-20 19:00", tickets.P2, "2026-11-23 09:00"},
		{"monday morning in hours", "2026-11-23 10:00", tickets.P2, ""},
		{"a minute before opening", "2026-11-23 08:59", tickets.P2, ""},
		{"saturday, urgent", "2026-11-21 23:00", tickets.P0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			tk := &tickets.Ticket{Created: at(c.created), Priority: c.prio}
			start, ok := p.AfterHours(tk)
			got := ""
			if ok {
				got = start.In(at(c.created).Location()).Format("2006-01-02 15:04")
			}
			if got != c.want {
				t.Errorf("AfterHours(%s %s) = %q, want %q", c.created, c.prio, got, c.want)
			}
		})
	}
}

func TestCategoryInfo(t *testing.T) {
	p := tickets.DefaultPolicy()
	if label, _ := p.CategoryInfo("av", "zh-CN"); label == "av" || label == "" {
		t.Errorf("CategoryInfo(av, zh-CN) label = %q, want the Chinese label", label)
	}
	if label, typical := p.CategoryInfo("no-such", "en"); label != "no-such" || typical != "" {
		t.Errorf("CategoryInfo(no-such) = %q, %q; want the name and no typical time", label, typical)
	}
	var nilPolicy *tickets.Policy
	if got, _ := nilPolicy.CategoryInfo("av", "en"); got == "av" {
		t.Errorf("nil policy CategoryInfo(av) = %q, want the default rules' label", got)
	}
}
