package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/tickets"
)

// digestProgram is an opened (not running) program on a settable clock.
func digestProgram(t *testing.T, c Config) (*Program, *clockT) {
	t.Helper()
	clk := &clockT{t: time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai(t))} // a Monday
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clk.Now}
	if err := p.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, clk
}

type clockT struct{ t time.Time }

func (c *clockT) Now() time.Time { return c.t }

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func (p *Program) testIntake(t *testing.T, id, from, subject, text string) int64 {
	t.Helper()
	out, err := p.Desk.Intake([]*tickets.Message{{MessageID: id, From: tickets.Address{Email: from}, Subject: subject, Text: text, Raw: []byte("Subject: x")}}, nil)
	if err != nil || out[0].Ticket == 0 {
		t.Fatalf("intake %q: %v %+v", subject, err, out)
	}
	return out[0].Ticket
}

func (p *Program) testChange(t *testing.T, n int64, fn func(*tickets.Ticket)) {
	t.Helper()
	err := p.DB.Update(func(tx tickets.Tx) error {
		tk, err := tx.Ticket(n)
		if err != nil {
			return err
		}
		fn(tk)
		return tx.PutTicket(tk)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDigest(t *testing.T) {
	_, c := checkEnv(t)
	c.Desk.Language = "en"
	c.Digest = DigestConfig{To: []string{"lead@school.edu.cn"}, At: "08:30"}
	p, clk := digestProgram(t, c)

	// Monday 09:00: three reports of one problem, an outage, a how-to.
	for i, s := range []string{"作业上传失败", "学生作业上传一直失败", "Re: 作业上传失败了"} {
		p.testIntake(t, fmt.Sprintf("h%d@x", i), fmt.Sprintf("s%d@school.test", i), s, "上传作业时报错。")
	}
	outage := p.testIntake(t, "o@x", "t@school.test", "紧急：直播中断", "正在上课，直播中断了！")
	howto := p.testIntake(t, "q@x", "q@school.test", "How do I export grades?", "Where is the export button?")
	// The how-to is answered in 10 minutes and resolved in 2 hours.
	p.testChange(t, howto, func(tk *tickets.Ticket) {
		tk.FirstResponse = tk.Created.Add(10 * time.Minute)
		tk.Resolved, tk.Status = tk.Created.Add(2*time.Hour), tickets.StatusResolved
	})

	// Monday 20:00: the first digest goes at once (Monday 08:30 has
	// passed), covering the day before that slot and Monday so far.
	clk.t = time.Date(2026, 11, 23, 20, 0, 0, 0, shanghai(t))
	if sent, err := p.digestStep(); err != nil || !sent {
		t.Fatalf("first digestStep = %v, %v; want sent", sent, err)
	}
	// Tuesday 08:31: the daily digest, once.
	clk.t = time.Date(2026, 11, 24, 8, 31, 0, 0, shanghai(t))
	sent, err := p.digestStep()
	if err != nil || !sent {
		t.Fatalf("digestStep at 08:31 = %v, %v; want sent", sent, err)
	}
	if again, _ := p.digestStep(); again {
		t.Error("second digest at the same slot")
	}
	due, err := p.Desk.Due(100)
	if err != nil {
		t.Fatal(err)
	}
	var digests []tickets.Pending
	for _, d := range due {
		if d.Notice.Kind == tickets.NoticeDigest {
			digests = append(digests, d)
		}
	}
	if len(digests) != 2 || digests[1].Notice.To.Email != "lead@school.edu.cn" {
		t.Fatalf("digests queued: %d, want 2 (Monday's first, Tuesday's) to the lead", len(digests))
	}
	out, err := p.Composer.Compose(digests[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	m := mail.Parse(out.Data, nil)
	text := "Subject: " + m.Subject + "\n" + m.Text
	t.Logf("digest mail:\n%s", text)
	for _, want := range []string{
		"Subject: [Digest] Daily digest for 2026-11-24",
		"New: 0   Resolved: 0   Closed: 0   (since 2026-11-23 20:00)", // Monday's digest covered Monday
		"Overdue now (1):",
		fmt.Sprintf("#%d ", outage),
		p.Composer.TrackURL(outage),
		"Last 30 days per category",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q", want)
		}
	}
	first, err := p.Composer.Compose(digests[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"New: 5   Resolved: 1", "3 reports: 作业上传失败", "First-response target missed in this period (1):", "10 minutes / 2.0 hours (1)"} {
		if ft := mail.Parse(first.Data, nil).Text; !strings.Contains(ft, want) {
			t.Errorf("first digest lacks %q:\n%s", want, ft)
		}
	}
}

func TestDigestSlots(t *testing.T) {
	loc := shanghai(t)
	at := func(d, hm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", d+" "+hm, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	for _, tc := range []struct {
		name string
		dc   DigestConfig
		now  time.Time
		want time.Time
	}{
		{"daily before the hour", DigestConfig{At: "08:30"}, at("2026-11-25", "08:00"), at("2026-11-24", "08:30")},
		{"daily after the hour", DigestConfig{At: "08:30"}, at("2026-11-25", "09:00"), at("2026-11-25", "08:30")},
		{"weekly on Monday", DigestConfig{At: "08:30", Weekly: "Mon"}, at("2026-11-26", "09:00"), at("2026-11-23", "08:30")},
		{"default time", DigestConfig{}, at("2026-11-25", "12:00"), at("2026-11-25", "08:30")},
	} {
		if got := tc.dc.lastSlot(tc.now, loc); !got.Equal(tc.want) {
			t.Errorf("%s: lastSlot = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, bad := range []DigestConfig{{At: "8.30"}, {Weekly: "Funday"}, {To: []string{"lead"}}} {
		c := Config{Digest: bad}
		if err := c.validateDigest(); err == nil {
			t.Errorf("validateDigest(%+v) accepted", bad)
		}
	}
}

func TestLearnDurations(t *testing.T) {
	_, c := checkEnv(t)
	c.Desk.Language = "en"
	c.Triage.LearnDurations = true
	p, clk := digestProgram(t, c)
	label, promised := p.Composer.Viewer.Category("account", "en")
	var last int64
	for i := range learnMinResolved {
		last = p.testIntake(t, fmt.Sprintf("a%d@x", i), fmt.Sprintf("u%d@school.test", i), "学生账号登录不了", "密码正确但是登录不了。")
		p.testChange(t, last, func(tk *tickets.Ticket) {
			if tk.Category != "account" {
				t.Fatalf("category = %q, want account", tk.Category)
			}
			tk.Resolved, tk.Status = tk.Created.Add(3*time.Hour), tickets.StatusResolved
		})
	}
	clk.t = clk.t.Add(4 * time.Hour)
	if err := p.learnDurations(); err != nil {
		t.Fatal(err)
	}
	gotLabel, typical := p.Composer.Viewer.Category("account", "en")
	if gotLabel != label || typical == promised || !strings.Contains(typical, "3.0 hours") || !strings.Contains(typical, "20 resolved") {
		t.Errorf("learned typical = %q (label %q), promised %q", typical, gotLabel, promised)
	}
	if _, other := p.Composer.Viewer.Category("video", "en"); strings.Contains(other, "resolved reports") {
		t.Errorf("a category without history shows a learned duration: %q", other)
	}
	// The confirmation a customer gets shows it.
	pend, _ := p.Desk.Due(1000)
	found := false
	for _, pd := range pend {
		if pd.Notice.Kind == tickets.NoticeConfirmation && pd.Notice.Ticket == last {
			found = true
			out, err := p.Composer.Compose(pd, nil)
			if err != nil {
				t.Fatal(err)
			}
			if ct := mail.Parse(out.Data, nil).Text; !strings.Contains(ct, "3.0 hours") {
				t.Errorf("confirmation lacks the learned duration:\n%s", ct)
			}
		}
	}
	if !found {
		t.Errorf("no confirmation of ticket #%d in the outbox", last)
	}
}
