package mail

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type deskEnv struct {
	desk   *tickets.Desk
	db     *bolt.DB
	ms     *memserver.Server
	clock  *clock
	sender *Sender
}

func newDeskEnv(t *testing.T) *deskEnv {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	ms.AddUser("support@desk.test", "pw")
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	signer := &tickets.Signer{Secret: []byte("0123456789abcdef")}
	desk := &tickets.Desk{Store: db, Signer: signer, Now: clk.Now, Domain: "desk.test", Lang: "en",
		Addresses: []string{"support@desk.test"}}
	set, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	comp := &Composer{Templates: set, Viewer: &templates.Viewer{Set: set}, Signer: signer,
		Desk: tickets.Address{Name: "Desk", Email: "support@desk.test"}, BaseURL: "http://desk.test", LoopID: "loop1"}
	s := &Sender{Outbox: desk.Outbox(), Composer: comp, SMTP: SMTPConfig{Addr: ms.SMTPAddr, TLS: "none", Username: "support@desk.test", Password: "pw", Timeout: 5 * time.Second}}
	return &deskEnv{desk: desk, db: db, ms: ms, clock: clk, sender: s}
}

func (e *deskEnv) newTicket(t *testing.T, from string) int64 {
	t.Helper()
	m := Parse([]byte("From: "+from+"\r\nSubject: help\r\nMessage-ID: <"+from+".1>\r\n\r\nplease\r\n"), nil)
	out, err := e.desk.Intake([]*tickets.Message{m}, nil)
	if err != nil || out[0].Action != tickets.ActionCreated {
		t.Fatalf("Intake = %+v, %v", out, err)
	}
	return out[0].Ticket
}

func TestSenderTemporaryFailureThenSuccess(t *testing.T) {
	e := newDeskEnv(t)
	e.newTicket(t, "alice@school.test")
	tries := 0
	e.ms.SetReject(func(string, []string, []byte) error {
		tries++
		if tries == 1 {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		}
		return nil
	})
	ctx := context.Background()
	if _, err := e.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.ms.Delivered()); n != 0 {
		t.Fatalf("delivered after 451 = %d, want 0", n)
	}
	// Not due again before the backoff.
	if _, err := e.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if tries != 1 {
		t.Fatalf("attempts before backoff elapsed = %d, want 1", tries)
	}
	e.clock.Add(tickets.Backoff(1) + time.Second)
	if _, err := e.sender.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.ms.Delivered()); n != 1 {
		t.Fatalf("delivered = %d, want exactly 1", n)
	}
	e.clock.Add(time.Hour)
	if n, _ := e.sender.Drain(ctx); n != 0 {
		t.Errorf("Drain after success handled %d, want 0 (outbox empty)", n)
	}
	if n := len(e.ms.Delivered()); n != 1 {
		t.Errorf("delivered = %d, want exactly 1", n)
	}
}

func TestSenderPermanentFailure(t *testing.T) {
	e := newDeskEnv(t)
	n := e.newTicket(t, "nobody@school.test")
	tries := 0
	e.ms.SetReject(func(string, []string, []byte) error {
		tries++
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	})
	ctx := context.Background()
	for range 3 {
		e.sender.Drain(ctx)
		e.clock.Add(2 * time.Hour)
	}
	if tries != 1 {
		t.Errorf("attempts = %d, want 1 (no retry of a 5xx)", tries)
	}
	tk, err := e.desk.Get(n)
	if err != nil {
		t.Fatal(err)
	}
	last := tk.Events[len(tk.Events)-1]
	if last.Kind != tickets.EventDeliveryFailed || last.Public {
		t.Fatalf("last event = %+v, want an internal delivery_failed", last)
	}
	if last.Say == nil || !contains(last.Say.String(), "550") || !contains(last.Say.String(), "nobody@school.test") {
		t.Errorf("event = %+v, want the address and the 550 reply", last.Say)
	}
}

func TestSenderServerDown(t *testing.T) {
	e := newDeskEnv(t)
	e.newTicket(t, "alice@school.test")
	e.sender.SMTP.Addr = "127.0.0.1:1" // nothing listens there
	if _, err := e.sender.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	var nt *tickets.Notice
	e.db.View(func(tx tickets.Tx) error {
		return tx.PendingNotices(func(n *tickets.Notice) bool { nt = n; return false })
	})
	if nt == nil || nt.Attempts != 1 || !nt.NextAttempt.After(e.clock.Now()) {
		t.Fatalf("notice after a connection failure = %+v, want 1 attempt and a later retry", nt)
	}
	if !strings.Contains(nt.LastError, "connect") {
		t.Errorf("LastError = %q, want the connection failure", nt.LastError)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// TestSenderSMTPUTF8NotOffered: a confirmation to a non-ASCII address, to
// a server that does not offer SMTPUTF8 (the test server does not), fails
// once and for good: recorded on the timeline, staff told, never retried.
func TestSenderSMTPUTF8NotOffered(t *testing.T) {
	e := newDeskEnv(t)
	e.desk.Staff = []tickets.Staff{{Email: "li@desk.test", Name: "Li"}}
	m := &tickets.Message{MessageID: "u1@学校.中国", From: tickets.Address{Name: "张老师", Email: "张老师@学校.中国"},
		Subject: "直播课黑屏", Text: "黑屏", Raw: []byte("Subject: x\r\n\r\nx\r\n")}
	out, err := e.desk.Intake([]*tickets.Message{m}, nil)
	if err != nil || out[0].Action != tickets.ActionCreated {
		t.Fatalf("Intake = %+v, %v", out, err)
	}
	ctx := context.Background()
	for range 3 {
		if _, err := e.sender.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(2 * time.Hour)
	}
	tk, err := e.desk.Get(out[0].Ticket)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, ev := range tk.Events {
		if ev.Kind == tickets.EventDeliveryFailed && ev.Say != nil && contains(ev.Say.String(), "SMTPUTF8") {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("delivery failures naming SMTPUTF8 = %d, want 1: %+v", failed, tk.Events)
	}
	told := 0
	for _, d := range e.ms.Delivered() {
		if len(d.To) == 1 && d.To[0] == "li@desk.test" && contains(string(d.Data), "SMTPUTF8") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("staff alerts = %d, want 1", told)
	}
	if due, _ := e.desk.Outbox().NextDue(); !due.IsZero() {
		t.Errorf("outbox still holds a notice due %v: want nothing left to retry", due)
	}
}

// failingSent is an outbox whose Sent fails: the process dies, for the
// outbox, between the server's 250 and the mark.
type failingSent struct{ Outbox }

func (failingSent) Sent([]uint64) error { return errors.New("disk gone") }

// TestSentJournalPreventsResend: mail accepted by the server and
// journaled, but never marked sent in the outbox, is not sent again by the
// next sender (as after a crash): the journal is read back first.
func TestSentJournalPreventsResend(t *testing.T) {
	e := newDeskEnv(t)
	e.newTicket(t, "alice@school.test")
	journal := filepath.Join(t.TempDir(), "pd.db.sent")
	first := *e.sender
	first.Outbox, first.SentLog = failingSent{e.desk.Outbox()}, journal
	ctx := context.Background()
	if _, err := first.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if got := len(e.ms.Delivered()); got != 1 {
		t.Fatalf("delivered = %d, want 1", got)
	}
	if due, _ := e.desk.Outbox().Due(10); len(due) != 1 {
		t.Fatalf("outbox holds %d notices, want the 1 never marked", len(due))
	}
	second := *e.sender
	second.SentLog = journal
	defer second.Close()
	for range 2 {
		if _, err := second.Drain(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(e.ms.Delivered()); got != 1 {
		t.Errorf("delivered = %d after restart, want still 1 (no re-send)", got)
	}
	if due, _ := e.desk.Outbox().Due(10); len(due) != 0 {
		t.Errorf("outbox holds %d notices, want 0", len(due))
	}
}
