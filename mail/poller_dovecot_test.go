package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/postdesk/postdesk/mail/dovecottest"
	"github.com/postdesk/postdesk/tickets"
)

// gbkSubject is "测试邮件：无法登录" encoded in GBK, as a Chinese mailer
// writes it.
var gbkSubject = func() string {
	b, err := simplifiedchinese.GBK.NewEncoder().String("测试邮件：无法登录")
	if err != nil {
		panic(err)
	}
	return "=?gbk?B?" + base64.StdEncoding.EncodeToString([]byte(b)) + "?="
}()

func dovecotMail(i int, subject string) []byte {
	return fmt.Appendf(nil, "From: user%d@school.test\r\nTo: support@desk.test\r\nSubject: %s\r\nMessage-ID: <dc%d@school.test>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0800\r\n\r\nbody %d\r\n", i, subject, i, i)
}

type dovecotEnv struct {
	*deskEnv
	dc     *dovecottest.Server
	poller *Poller
	cancel context.CancelFunc
	done   chan error
}

func newDovecotEnv(t *testing.T, cfg func(*IMAPConfig)) *dovecotEnv {
	t.Helper()
	dc := dovecottest.Start(t, map[string]string{"support": "pw"})
	e := &dovecotEnv{deskEnv: newDeskEnv(t), dc: dc}
	c := IMAPConfig{Addr: dc.Addr, TLS: "none", Username: "support", Password: "pw", IDLE: true, PollInterval: time.Hour}
	if cfg != nil {
		cfg(&c)
	}
	e.poller = &Poller{Config: c, Desk: e.desk}
	e.start(t)
	return e
}

func (e *dovecotEnv) start(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel, e.done = cancel, make(chan error, 1)
	go func() { e.done <- e.poller.Run(ctx) }()
	t.Cleanup(e.stop)
}

func (e *dovecotEnv) stop() {
	if e.cancel != nil {
		e.cancel()
		<-e.done
		e.cancel = nil
	}
}

// waitTickets waits until the desk has n tickets.
func (e *dovecotEnv) waitTickets(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var got int64
		e.db.View(func(tx tickets.Tx) error { got, _ = tx.LastTicket(); return nil })
		if got == n {
			return
		}
		if got > n || time.Now().After(deadline) {
			t.Fatalf("tickets = %d, want %d (poller: %+v)", got, n, e.poller.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// flags returns the flags of every message in mailbox, by UID.
func (e *dovecotEnv) flags(t *testing.T, mailbox string) map[imap.UID][]imap.Flag {
	t.Helper()
	c, err := imapclient.DialInsecure(e.dc.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("support", "pw").Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[imap.UID][]imap.Flag{}
	if sel.NumMessages == 0 {
		return out
	}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out[m.UID] = m.Flags
	}
	return out
}

func hasFlag(fs []imap.Flag, f imap.Flag) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// TestPollerDovecot covers fetch, the GBK-encoded subject a real server
// returns, IDLE pick-up (the safety-net poll is an hour, so only IDLE can
// find the second mail), and \Seen after commit.
func TestPollerDovecot(t *testing.T) {
	e := newDovecotEnv(t, nil)
	e.dc.Append(t, "support", "INBOX", dovecotMail(1, gbkSubject))
	// The first mail may arrive before or after the first sync; either
	// way it must be picked up without the hourly poll.
	e.waitTickets(t, 1)
	tk, err := e.desk.Get(1)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Subject != "测试邮件：无法登录" {
		t.Errorf("Subject = %q, want %q", tk.Subject, "测试邮件：无法登录")
	}
	time.Sleep(200 * time.Millisecond) // let the poller enter IDLE
	e.dc.Append(t, "support", "INBOX", dovecotMail(2, "second"))
	e.waitTickets(t, 2)
	deadline := time.Now().Add(5 * time.Second)
	for {
		fl := e.flags(t, "INBOX")
		if len(fl) == 2 && hasFlag(fl[1], imap.FlagSeen) && hasFlag(fl[2], imap.FlagSeen) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("flags = %v, want both \\Seen", fl)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPollerDovecotMoveRestartAndUIDValidity: handled mail is moved to the
// processed mailbox; a server restart mid-session is survived; a recreated
// mailbox (new UIDVALIDITY, same mail) is rescanned without duplicates.
func TestPollerDovecotMoveRestartAndUIDValidity(t *testing.T) {
	e := newDovecotEnv(t, func(c *IMAPConfig) {
		c.ProcessedMailbox = "Processed"
		c.PollInterval = 300 * time.Millisecond
	})
	for i := range 3 {
		e.dc.Append(t, "support", "INBOX", dovecotMail(10+i, "move me"))
	}
	e.waitTickets(t, 3)
	deadline := time.Now().Add(5 * time.Second)
	for len(e.flags(t, "Processed")) != 3 {
		if time.Now().After(deadline) {
			t.Fatalf("Processed has %d mails, want 3; INBOX %v", len(e.flags(t, "Processed")), e.flags(t, "INBOX"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(e.flags(t, "INBOX")); n != 0 {
		t.Errorf("INBOX still has %d mails", n)
	}

	e.dc.Restart(t)
	e.dc.Append(t, "support", "INBOX", dovecotMail(20, "after restart"))
	e.waitTickets(t, 4)

	// Put the same mails back into a recreated INBOX: a new UIDVALIDITY.
	e.stop()
	for i := range 3 {
		e.dc.Append(t, "support", "INBOX", dovecotMail(10+i, "move me"))
	}
	e.dc.RecreateMailbox(t, "support", "INBOX")
	e.dc.Append(t, "support", "INBOX", dovecotMail(21, "new after recreate"))
	e.start(t)
	e.waitTickets(t, 5)
	time.Sleep(500 * time.Millisecond)
	e.waitTickets(t, 5) // still 5: the old mails were recognised
}

// TestPollerDovecotTLS connects over implicit TLS, verifying the server
// against the CA given, and refuses a server it cannot verify.
func TestPollerDovecotTLS(t *testing.T) {
	dc := dovecottest.Start(t, map[string]string{"support": "pw"})
	pem, err := os.ReadFile(dc.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	de := newDeskEnv(t)
	dc.Append(t, "support", "INBOX", dovecotMail(1, "tls"))
	p := &Poller{Config: IMAPConfig{Addr: dc.TLSAddr, TLS: "implicit", Username: "support", Password: "pw", PollInterval: time.Hour,
		TLSConfig: &tls.Config{RootCAs: pool}}, Desk: de.desk}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go p.Run(ctx)
	for {
		var n int64
		de.db.View(func(tx tickets.Tx) error { n, _ = tx.LastTicket(); return nil })
		if n == 1 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("no ticket over TLS: %+v", p.Status())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()

	bad := &Poller{Config: IMAPConfig{Addr: dc.TLSAddr, TLS: "implicit", Username: "support", Password: "pw"}, Desk: de.desk}
	if err := bad.session(context.Background()); err == nil {
		t.Error("connected to a server with an unknown CA")
	}
}

// TestPollerDovecotRestartDuringBurst restarts the server while a burst is
// being fetched and committed: every mail ends as exactly one ticket.
func TestPollerDovecotRestartDuringBurst(t *testing.T) {
	e := newDovecotEnv(t, func(c *IMAPConfig) { c.PollInterval = 300 * time.Millisecond })
	e.poller.Batch = 20
	const n = 300
	e.stop()
	for i := range n {
		e.dc.Append(t, "support", "INBOX", dovecotMail(100+i, fmt.Sprintf("burst %d", i)))
	}
	e.start(t)
	var got int64
	for got == 0 { // wait until the burst is being fetched and committed
		time.Sleep(time.Millisecond)
		e.db.View(func(tx tickets.Tx) error { got, _ = tx.LastTicket(); return nil })
	}
	e.dc.Restart(t)
	t.Logf("server restarted after %d of %d mails", got, n)
	e.waitTickets(t, n)
	seen := 0
	time.Sleep(600 * time.Millisecond) // two more polls: nothing more may appear
	e.waitTickets(t, n)
	deadline := time.Now().Add(10 * time.Second)
	for {
		seen = 0
		for _, fl := range e.flags(t, "INBOX") {
			if hasFlag(fl, imap.FlagSeen) {
				seen++
			}
		}
		if seen == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d flagged \\Seen", seen, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
