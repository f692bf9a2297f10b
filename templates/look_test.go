package templates

import (
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// luminance is the WCAG 2 relative luminance of "#rrggbb".
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if len(hex) != 7 || hex[0] != '#' || err != nil {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&0xff) + 0.7152*ch(v>>8&0xff) + 0.0722*ch(v&0xff)
}

// TestStatusColorsAreReadable: every status has a badge colour on which
// white text reaches the WCAG AA contrast for normal text (4.5:1).
func TestStatusColorsAreReadable(t *testing.T) {
	for _, st := range tickets.Statuses {
		c, ok := StatusColor[st]
		if !ok {
			t.Errorf("status %s has no colour", st)
			continue
		}
		if ratio := 1.05 / (luminance(t, c) + 0.05); ratio < 4.5 {
			t.Errorf("white on %s (%s): contrast %.2f:1, want >= 4.5:1", c, st, ratio)
		}
	}
}

func TestStepper(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &Viewer{Set: s}
	for i, st := range tickets.Statuses {
		steps := v.steps(st, "zh-CN")
		if len(steps) != len(tickets.Statuses) {
			t.Fatalf("%s: %d steps", st, len(steps))
		}
		for j, step := range steps {
			want := "todo"
			if j < i {
				want = "done"
			} else if j == i {
				want = "current"
			}
			if step.State != want || step.Label == "" || step.Label == "step."+string(tickets.Statuses[j]) {
				t.Errorf("%s: step %d = %+v, want state %s and a label", st, j, step, want)
			}
		}
	}
	if got := v.steps(tickets.StatusInProgress, "zh-CN")[2].Label; got != "处理中" {
		t.Errorf("step 3 label = %q, want 处理中", got)
	}
}

func TestZone(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatalf("tzdata: %v", err)
	}
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{{nil, "UTC+00:00"}, {sh, "Asia/Shanghai (UTC+08:00)"}, {time.FixedZone("X", -(3*3600 + 1800)), "X (UTC-03:30)"}} {
		if got := (&Viewer{Loc: c.loc}).Zone(); got != c.want {
			t.Errorf("Zone(%v) = %q, want %q", c.loc, got, c.want)
		}
	}
}

// TestPromiseKeepsDatesWhole: the HTML promise escapes the words and
// keeps each date on one line; the text one is plain.
func TestPromiseKeepsDatesWhole(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &Viewer{Set: s}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	tk := &tickets.Ticket{Number: 1, Status: tickets.StatusNew, ResponseDue: now.Add(2 * time.Hour), ResolveDue: now.Add(8 * time.Hour)}
	tv := v.Ticket(tk, "en")
	promise := func(d1, d2 string) string {
		return fmt.Sprintf(s.Word("en", "promise.response"), d1) + " " + fmt.Sprintf(s.Word("en", "promise.resolve"), d2)
	}
	// The promises are those of the Viewer (ResponsePromise,
	// ResolvePromise): "by <date>" here, with no policy to say more.
	d1, d2 := tv.ResponseDue, tv.ResolveDue
	if d1 != "Mon 30 Nov 11:00 (UTC+0)" || d2 != "Mon 30 Nov 17:00 (UTC+0)" {
		t.Fatalf("due times %q, %q", d1, d2)
	}
	if want := promise("by "+d1, "by "+d2); tv.Promise != want {
		t.Errorf("Promise = %q, want %q", tv.Promise, want)
	}
	span := func(d string) string { return `<span style="white-space:nowrap">` + d + `</span>` }
	if want := promise("by "+span(d1), "by "+span(d2)); string(tv.PromiseHTML) != want {
		t.Errorf("PromiseHTML = %q, want %q", tv.PromiseHTML, want)
	}
	tk.Status = tickets.StatusWaiting
	if tv := v.Ticket(tk, "en"); tv.Promise != tv.StatusMeaning {
		t.Errorf("waiting: Promise = %q, want the status meaning", tv.Promise)
	}
}
