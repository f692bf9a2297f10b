package tickets_test

import (
	"testing"

	"github.com/postdesk/postdesk/tickets"
)

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
