package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/mail/memserver"
)

// TestNaiveAutoResponderIsBounded: a responder that answers every mail
// with a fresh subject and none of the robot headers would open a new
// ticket (and get a confirmation) each time; the per-address cap stops the
// exchange and staff are alerted.
func TestNaiveAutoResponderIsBounded(t *testing.T) {
	e := newEnv(t, nil)
	const bot = "bob@school.test"
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		answered := 0
		for i := 0; ; i++ {
			d, _ := e.ms.Wait(100*time.Millisecond, func(d []memserver.Delivered) bool { return len(filterTo(d, bot)) > answered })
			select {
			case <-stop:
				return
			default:
			}
			for ; answered < len(filterTo(d, bot)); answered++ {
				e.ms.Append(demoSupport, "INBOX", []byte(strings.ReplaceAll(report(bot, fmt.Sprintf("bot%d@school.test", answered), fmt.Sprintf("Thanks for your mail %d", answered), "I got your mail."), "\n", "\r\n")))
			}
		}
	}()
	e.deliver(report(bot, "start@school.test", "hello", "hello"))
	time.Sleep(3 * time.Second) // let the exchange run its course
	got := len(filterTo(e.ms.Delivered(), bot))
	if got == 0 || got > 10 {
		t.Errorf("mails to the responder = %d, want 1..10 (the hourly cap)", got)
	}
	alerts := 0
	for _, m := range filterTo(e.ms.Delivered(), demoStaff) {
		if strings.Contains(m.Text, "已暂停") && strings.Contains(m.Text, bot) { // a cap alert (自动邮件 or 逐封确认邮件 已暂停)
			alerts++
		}
	}
	if alerts != 1 {
		t.Errorf("cap alerts to staff = %d, want 1", alerts)
	}
	t.Logf("responder got %d mails before the cap", got)
}

// TestTwoDesksFacingEachOther: desk A's mailbox gets a mail from desk B's
// address and vice versa; each confirmation is automatic mail, which the
// other desk records and never answers.
func TestTwoDesksFacingEachOther(t *testing.T) {
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	for _, u := range []string{"a@desk-a.test", "b@desk-b.test"} {
		ms.AddUser(u, "pw")
	}
	var progs []*Program
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 2)
	for _, addr := range []string{"a@desk-a.test", "b@desk-b.test"} {
		c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "x.db"), "127.0.0.1:0")
		c.Desk.Address, c.IMAP.Username, c.SMTP.Username = addr, addr, addr
		c.IMAP.Password, c.SMTP.Password = "pw", "pw"
		c.Staff = nil
		c.IMAP.PollInterval = Duration{200 * time.Millisecond}
		p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
		if err := p.Open(); err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		progs = append(progs, p)
		go func() { done <- p.Run(ctx) }()
	}
	defer func() { cancel(); <-done; <-done }()
	// Someone at B's address writes to A (e.g. a forwarding rule).
	ms.Append("a@desk-a.test", "INBOX", []byte(strings.ReplaceAll(report("b@desk-b.test", "x1@desk-b.test", "hello A", "hi"), "\n", "\r\n")))
	time.Sleep(2 * time.Second)
	d := ms.Delivered()
	if len(d) != 1 {
		for _, m := range d {
			t.Logf("%s -> %v: %s", m.From, m.To, mail.Parse(m.Data, nil).Subject)
		}
		t.Fatalf("mails exchanged = %d, want 1 (A's confirmation, which B never answers)", len(d))
	}
	recs, err := progs[1].Desk.Records("unmatched", false)
	if err != nil || len(recs) != 1 {
		t.Errorf("B's records = %d, %v; want A's confirmation kept as one record", len(recs), err)
	}
}
