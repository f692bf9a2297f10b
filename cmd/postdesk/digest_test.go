package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestDigestMail: with [digest], the leads get the digest over SMTP at
// digest.at, in the desk's language, listing the period's new ticket.
func TestDigestMail(t *testing.T) {
	e := newEnv(t, nil)
	loc := hours.Default().Loc
	clk := &testClock{t: time.Date(2026, 11, 23, 8, 0, 0, 0, loc)} // Monday
	e.cfg.Digest = DigestConfig{To: []string{"Lead@Desk.test"}, At: "08:30"}
	e.restart(func(p *Program) { p.Desk.Now = clk.Now })
	if e.p.Digester == nil {
		t.Fatal("no digester with digest.to set")
	}
	e.deliver(report("张老师 <alice@school.test>", "d1@school.test", "学生账号无法登录", "全班学生都登录不了"))
	e.mailsTo("alice@school.test", 1)
	clk.Set(time.Date(2026, 11, 23, 8, 30, 0, 0, loc))
	m := e.mailsTo("lead@desk.test", 1)[0]
	for _, want := range []string{"每日汇总", "新增 1", "未结 1"} {
		if !strings.Contains(m.Subject+"\n"+m.Text, want) {
			t.Errorf("digest lacks %q:\n%s\n%s", want, m.Subject, m.Text)
		}
	}
	if !strings.Contains(m.Text, "2026-11-22 08:30 至 2026-11-23 08:30") {
		t.Errorf("digest period:\n%s", m.Text)
	}
}

func TestDigestConfig(t *testing.T) {
	tests := []struct {
		name string
		d    DigestConfig
		key  string
	}{
		{"bad address", DigestConfig{To: []string{"lead"}, At: "08:30"}, "digest.to[0]"},
		{"bad time", DigestConfig{To: []string{"lead@desk.test"}, At: "8.30"}, "digest.at"},
		{"default time", DigestConfig{To: []string{"lead@desk.test"}}, ""},
		{"bad weekday", DigestConfig{To: []string{"lead@desk.test"}, At: "08:30", Weekly: "someday"}, "digest.weekly"},
		{"weekly", DigestConfig{To: []string{"lead@desk.test"}, At: "17:00", Weekly: "friday"}, ""},
		{"off", DigestConfig{At: "whenever"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig(exampleConfig, nil)
			if err != nil {
				t.Fatal(err)
			}
			c.Digest = tt.d
			err = c.Validate()
			switch {
			case tt.key == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.key != "" && (err == nil || !strings.Contains(err.Error(), tt.key)):
				t.Errorf("Validate = %v, want an error naming %s", err, tt.key)
			}
		})
	}
}

// TestLearnedDurationInConfirmation: with triage.learn_durations, once the
// category has enough finished tickets, the confirmation promises their
// median instead of the built-in range.
func TestLearnedDurationInConfirmation(t *testing.T) {
	e := newEnv(t, nil)
	loc := hours.Default().Loc
	clk := &testClock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, loc)}
	e.cfg.Triage.LearnDurations = true
	e.restart(func(p *Program) {
		p.Desk.Now = clk.Now
		p.Desk.Policy.LearnMin = 2 // tickets.DefaultLearnMin in production
	})
	d := e.p.Desk
	for i, took := range []time.Duration{time.Hour, 3 * time.Hour} {
		id := fmt.Sprintf("learn%d@school.test", i)
		out, err := d.Intake([]*tickets.Message{{MessageID: id, From: tickets.Address{Email: "bob@school.test"}, Subject: "忘记密码", Text: "学生账号密码忘记了", Raw: []byte("x")}}, nil)
		if err != nil || out[0].Action != tickets.ActionCreated {
			t.Fatalf("intake: %v %+v", err, out)
		}
		n := out[0].Ticket
		clk.Set(clk.Now().Add(took))
		staff := &tickets.Message{MessageID: "s" + id, From: tickets.Address{Email: demoStaff}, Subject: fmt.Sprintf("Re: [#%d]", n), Text: "#resolve",
			InReplyTo: []string{e.staffRef(n)}, Raw: []byte("y")}
		if out, err := d.Intake([]*tickets.Message{staff}, nil); err != nil || out[0].Action != tickets.ActionStaff {
			t.Fatalf("resolve: %v %+v", err, out)
		}
	}
	e.deliver(report("张老师 <alice@school.test>", "learn3@school.test", "账号密码忘记了", "学生忘记密码"))
	m := e.mailsTo("alice@school.test", 1)[0]
	if !strings.Contains(m.Text, "通常处理时长：约 2 小时") {
		t.Errorf("confirmation does not promise the learned median (2h):\n%s", m.Text)
	}
}
