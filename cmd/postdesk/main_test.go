package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

// testEnv is postdesk running in-process against the embedded mail server.
type testEnv struct {
	t      *testing.T
	ms     *memserver.Server
	cfg    Config
	p      *Program
	cancel context.CancelFunc
	done   chan error
	// hooks applied to each (re)started program
	setup func(p *Program)
	// appendMail, if set, delivers to the support mailbox instead of the
	// in-memory server's (e.g. to a Dovecot server).
	appendMail func(raw []byte) error
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func newEnv(t *testing.T, setup func(p *Program)) *testEnv {
	t.Helper()
	return newEnvConfig(t, nil, setup)
}

// newEnvConfig is newEnv with configure applied to the Config before the
// program is built (as a config file would set it).
func newEnvConfig(t *testing.T, configure func(c *Config), setup func(p *Program)) *testEnv {
	t.Helper()
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	for _, u := range []string{demoSupport, demoCustomer, demoStaff, "bob@school.test", "eve@evil.test", "wang@desk.test"} {
		ms.AddUser(u, demoPassword)
	}
	cfg := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	cfg.Desk.Secret = "test-secret-0123456789"
	cfg.IMAP.PollInterval = Duration{300 * time.Millisecond}
	cfg.Staff = []StaffConfig{{Email: demoStaff, Name: "李工"}, {Email: "wang@desk.test", Name: "王工"}}
	if configure != nil {
		configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, ms: ms, cfg: cfg, setup: setup}
	e.start()
	t.Cleanup(e.stop)
	return e
}

func (e *testEnv) start() {
	e.t.Helper()
	p := &Program{Config: e.cfg, Logger: slog.New(slog.NewTextHandler(testWriter{e.t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := p.Open(); err != nil {
		e.t.Fatal(err)
	}
	p.Composer.BaseURL = "http://" + p.WebAddr
	if e.setup != nil {
		e.setup(p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.p, e.cancel, e.done = p, cancel, make(chan error, 1)
	go func() { e.done <- p.Run(ctx) }()
}

func (e *testEnv) stop() {
	if e.p == nil {
		return
	}
	e.cancel()
	select {
	case err := <-e.done:
		if err != nil {
			e.t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		e.t.Error("Run did not stop within 10s")
	}
	e.p.Close()
	e.p = nil
}

// abandon drops the running program as a kill would, closing only what
// the OS would close: a goroutine blocked in a crash hook would keep Run
// from returning.
func (e *testEnv) abandon() {
	e.cancel()
	e.p.DB.Close()
	e.p.ln.Close()
	if e.p.ctl != nil {
		e.p.ctl.Close()
	}
	e.p = nil
}

func (e *testEnv) restart(setup func(p *Program)) {
	e.stop()
	e.setup = setup
	e.start()
}

// deliver puts a mail into the support mailbox, as the MTA would.
func (e *testEnv) deliver(raw string) {
	e.t.Helper()
	data := []byte(strings.ReplaceAll(raw, "\n", "\r\n"))
	if e.appendMail != nil {
		if err := e.appendMail(data); err != nil {
			e.t.Fatal(err)
		}
		return
	}
	if err := e.ms.Append(demoSupport, "INBOX", data); err != nil {
		e.t.Fatal(err)
	}
}

// mailsTo waits until n mails to addr were delivered and returns them.
func (e *testEnv) mailsTo(addr string, n int) []*tickets.Message {
	e.t.Helper()
	d, ok := e.ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return len(filterTo(d, addr)) >= n })
	got := filterTo(d, addr)
	if !ok {
		e.t.Fatalf("mails to %s: got %d, want %d", addr, len(got), n)
	}
	return got
}

func filterTo(d []memserver.Delivered, addr string) []*tickets.Message {
	var out []*tickets.Message
	for _, m := range d {
		for _, t := range m.To {
			if strings.EqualFold(t, addr) {
				out = append(out, mail.Parse(m.Data, nil))
			}
		}
	}
	return out
}

func (e *testEnv) ticket(n int64) *tickets.Ticket {
	e.t.Helper()
	t, err := e.p.Desk.Get(n)
	if err != nil {
		e.t.Fatalf("ticket %d: %v", n, err)
	}
	return t
}

func (e *testEnv) ticketCount() int64 {
	var n int64
	e.p.DB.View(func(tx tickets.Tx) error {
		n, _ = tx.LastTicket()
		return nil
	})
	return n
}

var linkRe = regexp.MustCompile(`http://[^\s]+/t/[0-9]+-[a-z2-7]+`)

func report(from, id, subject, body string) string {
	return fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: %s\nMessage-ID: <%s>\nDate: Sat, 21 Nov 2026 10:00:00 +0800\nContent-Type: text/plain; charset=utf-8\n\n%s\n", from, subject, id, body)
}

func TestEndToEnd(t *testing.T) {
	e := newEnv(t, nil)
	e.deliver(report("张老师 <alice@school.test>", "r1@school.test", "=?utf-8?B?55u05pKt6K++6buR5bGP?=", "学生端黑屏，只有声音。"))

	conf := e.mailsTo(demoCustomer, 1)[0]
	if !strings.HasPrefix(conf.Subject, "[#1] ") || !strings.Contains(conf.Subject, "直播课黑屏") {
		t.Errorf("confirmation Subject = %q, want [#1] 直播课黑屏", conf.Subject)
	}
	if len(conf.InReplyTo) != 1 || conf.InReplyTo[0] != "r1@school.test" {
		t.Errorf("confirmation In-Reply-To = %v, want r1@school.test", conf.InReplyTo)
	}
	raw := string(conf.Raw)
	for _, h := range []string{"Auto-Submitted: auto-replied", mail.LoopHeader + ":", "X-Auto-Response-Suppress: All"} {
		if !strings.Contains(raw, h) {
			t.Errorf("confirmation lacks header %q", h)
		}
	}
	if conf.From.Email != demoSupport {
		t.Errorf("confirmation From = %q, want %q", conf.From.Email, demoSupport)
	}
	link := linkRe.FindString(conf.Text)
	if link == "" {
		t.Fatalf("no tracking link in confirmation:\n%s", conf.Text)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "直播课黑屏") || !strings.Contains(string(page), "待处理") {
		t.Errorf("tracking page: status %d, page lacks subject or status:\n%s", resp.StatusCode, page)
	}
	// A tampered link is a plain 404.
	resp, err = http.Get(link[:len(link)-1] + "a")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("tampered link: status %d, want 404", resp.StatusCode)
	}

	// Staff were told.
	staff := e.mailsTo(demoStaff, 1)[0]
	if !strings.HasPrefix(staff.Subject, "[#1] ") {
		t.Errorf("staff notification Subject = %q", staff.Subject)
	}

	// The customer replies to the confirmation: same ticket.
	e.deliver(fmt.Sprintf("From: alice@school.test\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <r2@school.test>\nIn-Reply-To: <%s>\nReferences: <r1@school.test> <%s>\n\n补充：用的是 Chrome 浏览器。\n\n> 原文\n", conf.Subject, conf.MessageID, conf.MessageID))
	e.mailsTo(demoStaff, 2)
	tk := e.ticket(1)
	if tk.Messages != 2 || tk.Events[len(tk.Events)-1].Kind != tickets.EventCustomerReply {
		t.Errorf("ticket 1 after reply: %d messages, last event %q; want 2, customer_reply", tk.Messages, tk.Events[len(tk.Events)-1].Kind)
	}
	if got := tk.Events[len(tk.Events)-1].Text; got != "补充：用的是 Chrome 浏览器。" {
		t.Errorf("reply text = %q, want the new text only", got)
	}

	// A stranger writing with the ticket's tag opens a new ticket.
	e.deliver(report("eve@evil.test", "x1@evil.test", "Re: [#1] 我也是", "let me in"))
	eve := e.mailsTo("eve@evil.test", 1)[0]
	if !strings.HasPrefix(eve.Subject, "[#2] ") {
		t.Errorf("stranger's confirmation Subject = %q, want [#2] ...", eve.Subject)
	}
	if tk := e.ticket(1); tk.Messages != 2 {
		t.Errorf("ticket 1 has %d messages after the stranger's mail, want 2", tk.Messages)
	}
	if n := e.ticketCount(); n != 2 {
		t.Errorf("tickets = %d, want 2", n)
	}
	if got := len(filterTo(e.ms.Delivered(), demoCustomer)); got != 1 {
		t.Errorf("mails to the customer = %d, want 1 (no mail about the stranger)", got)
	}
}

// seenFlagsAll returns the \Seen state of every message in the support INBOX.
func seenFlagsAll(t *testing.T, addr string) []bool {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(demoSupport, demoPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	var out []bool
	for _, m := range msgs {
		seen := false
		for _, f := range m.Flags {
			if f == imap.FlagSeen {
				seen = true
			}
		}
		out = append(out, seen)
	}
	return out
}

func TestCrashBetweenCommitAndFlag(t *testing.T) {
	crashed := make(chan struct{})
	var once sync.Once
	e := newEnv(t, func(p *Program) {
		p.Poller.BeforeFlag = func([]imap.UID) error {
			once.Do(func() { close(crashed) })
			// Die here: the batch is committed, the mail is not flagged.
			select {}
		}
		p.Sender.Outbox = idleOutbox{p.Desk.Outbox()} // this process dies before it sends anything
	})
	e.deliver(report("alice@school.test", "c1@school.test", "camera fails", "the camera does not open"))
	select {
	case <-crashed:
	case <-time.After(10 * time.Second):
		t.Fatal("batch never committed")
	}
	if got := seenFlagsAll(t, e.ms.IMAPAddr); len(got) != 1 || got[0] {
		t.Fatalf("\\Seen flags before restart = %v, want [false]", got)
	}
	e.abandon()

	e.restart(nil)
	e.mailsTo(demoCustomer, 1)
	time.Sleep(500 * time.Millisecond) // time for a duplicate to show up, if there were one
	if got := len(filterTo(e.ms.Delivered(), demoCustomer)); got != 1 {
		t.Errorf("confirmations = %d, want 1", got)
	}
	if n := e.ticketCount(); n != 1 {
		t.Errorf("tickets = %d, want 1", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := seenFlagsAll(t, e.ms.IMAPAddr)
		if len(got) == 1 && got[0] {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("\\Seen flags after restart = %v, want [true]", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCrashBetweenAcceptAndMarkSent(t *testing.T) {
	var once sync.Once
	crashed := make(chan struct{})
	e := newEnv(t, func(p *Program) {
		p.Sender.AfterAccept = func(*tickets.Notice) error {
			once.Do(func() { close(crashed) })
			select {} // die here: accepted by the server, not marked sent
		}
	})
	e.deliver(report("alice@school.test", "k1@school.test", "login fails", "cannot log in"))
	select {
	case <-crashed:
	case <-time.After(10 * time.Second):
		t.Fatal("no mail was sent")
	}
	e.abandon()
	e.restart(nil)
	confs := e.mailsTo(demoCustomer, 2)
	if confs[0].MessageID != confs[1].MessageID {
		t.Errorf("resent confirmation has Message-ID %q, first had %q: want the same (recognisably one mail)", confs[1].MessageID, confs[0].MessageID)
	}
	time.Sleep(300 * time.Millisecond)
	if got := len(filterTo(e.ms.Delivered(), demoCustomer)); got != 2 {
		t.Errorf("confirmations = %d, want exactly 2 (the interrupted one resent once)", got)
	}
	if n := e.ticketCount(); n != 1 {
		t.Errorf("tickets = %d, want 1", n)
	}
}

// idleOutbox never has anything due: a sender that has not got to work yet.
type idleOutbox struct{ mail.Outbox }

func (idleOutbox) Due(int) ([]tickets.Pending, error) { return nil, nil }
