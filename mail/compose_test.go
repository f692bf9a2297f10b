package mail

import (
	"bufio"
	"bytes"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// TestNoHeaderInjection: CR/LF in subjects, names and addresses, raw or
// RFC 2047-encoded, never adds a header to our mail.
func TestNoHeaderInjection(t *testing.T) {
	e := newDeskEnv(t)
	hostile := []string{
		"From: \"x\r\nBcc: victim@evil.test\" <a@school.test>\r\nSubject: hi\r\nMessage-ID: <h1@x>\r\n\r\nbody\r\n",
		"From: =?utf-8?q?Eve=0D=0ABcc=3A_victim=40evil=2Etest?= <b@school.test>\r\nSubject: =?utf-8?q?hi=0D=0ABcc=3A_victim=40evil=2Etest?=\r\nMessage-ID: <h2@x>\r\n\r\nbody\r\n",
		"From: c@school.test\r\nSubject: =?utf-8?b?aGkNCkJjYzogdmljdGltQGV2aWwudGVzdA0KDQo8c2NyaXB0Pg==?=\r\nMessage-ID: <h3@x>\r\n\r\nbody\r\n",
	}
	answerable := 0
	for _, raw := range hostile {
		m := Parse([]byte(raw), nil)
		if m.From.Email != "" {
			answerable++ // the first From breaks apart: no address, no mail
		}
		out, err := e.desk.Intake([]*tickets.Message{m}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if out[0].Action != tickets.ActionCreated {
			t.Fatalf("Intake = %+v", out[0])
		}
	}
	due, err := e.desk.Outbox().Due(100)
	if err != nil || len(due) != answerable {
		t.Fatalf("due = %d, %v; want %d", len(due), err, answerable)
	}
	for _, p := range due {
		out, err := e.sender.Composer.Compose(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		r := textproto.NewReader(bufio.NewReader(bytes.NewReader(out.Data)))
		h, err := r.ReadMIMEHeader()
		if err != nil {
			t.Fatalf("our mail does not parse: %v\n%s", err, out.Data)
		}
		if _, ok := h["Bcc"]; ok {
			t.Errorf("injected Bcc header:\n%s", out.Data)
		}
		for k, vs := range h {
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n") {
					t.Errorf("header %s has a line break: %q", k, v)
				}
			}
		}
		if len(out.To) != 1 || strings.Contains(out.To[0], "evil") {
			t.Errorf("envelope recipients = %v", out.To)
		}
	}
}

// TestComposeHeaders: threading and robot headers of a confirmation.
func TestComposeHeaders(t *testing.T) {
	e := newDeskEnv(t)
	e.newTicket(t, "alice@school.test")
	due, _ := e.desk.Outbox().Due(10)
	out, err := e.sender.Composer.Compose(due[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	m := Parse(out.Data, nil)
	if m.Subject != "[#1] help" || len(m.InReplyTo) != 1 || m.InReplyTo[0] != "alice@school.test.1" {
		t.Errorf("Subject %q, In-Reply-To %v", m.Subject, m.InReplyTo)
	}
	for _, h := range []string{"Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All", LoopHeader + ": loop1", "Content-Type: multipart/alternative"} {
		if !bytes.Contains(out.Data, []byte(h)) {
			t.Errorf("missing %q", h)
		}
	}
	if !strings.Contains(m.Text, "http://desk.test/t/1-") {
		t.Errorf("no tracking link:\n%s", m.Text)
	}
	// Our own mail coming back is recognised as a loop.
	back := Parse(out.Data, &ParseOptions{LoopID: "loop1"})
	if !back.Loop || back.Auto != tickets.AutoReply {
		t.Errorf("our confirmation read back: Loop %v, Auto %v; want a loop and an auto-reply", back.Loop, back.Auto)
	}
}

// TestAfterHoursConfirmation: a report outside working hours is told when
// work resumes.
func TestAfterHoursConfirmation(t *testing.T) {
	e := newDeskEnv(t)
	e.newTicket(t, "alice@school.test")
	due, _ := e.desk.Outbox().Due(10)
	// Open one minute a day at midnight UTC: a report at 10:00 waits 14 hours.
	night := tickets.DefaultPolicy()
	night.Hours = &hours.Calendar{}
	for d := range night.Hours.Week {
		night.Hours.Week[d] = []hours.Span{{Start: 0, End: 1}}
	}
	e.sender.Composer.Policy = night
	if h := e.clock.Now().Hour(); h != 10 {
		t.Fatalf("test clock at %d:00, want 10:00", h)
	}
	out, err := e.sender.Composer.Compose(due[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	m := Parse(out.Data, nil)
	if !strings.Contains(m.Text, "outside working hours") || !strings.Contains(m.Text, e.sender.Composer.Viewer.When(e.clock.Now().Add(14*time.Hour), "en")) {
		t.Errorf("confirmation does not say when work resumes:\n%s", m.Text)
	}
	always := tickets.DefaultPolicy()
	always.Hours = nil // 24x7
	e.sender.Composer.Policy = always
	out, _ = e.sender.Composer.Compose(due[0], nil)
	if strings.Contains(Parse(out.Data, nil).Text, "outside working hours") {
		t.Error("in-hours confirmation speaks of working hours")
	}
}
