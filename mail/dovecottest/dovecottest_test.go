package dovecottest_test

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"mime"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"github.com/postdesk/postdesk/mail/dovecottest"
)

const (
	gbkSubject  = "=?gbk?B?suLK1NPKvP6jus7et6i1x8K8?="
	wantSubject = "测试邮件：无法登录"
)

var users = map[string]string{"support": "s3cret", "other": "pa55"}

// message returns a small raw message with the given Subject header value.
func message(n int, subject string) []byte {
	return fmt.Appendf(nil, "From: =?gbk?B?1cXI/Q==?= <zhangsan@example.com>\r\n"+
		"To: support@example.com\r\n"+
		"Subject: %s\r\n"+
		"Message-ID: <%d.dovecottest@example.com>\r\n"+
		"Date: Sat, 21 Nov 2026 10:00:00 +0800\r\n"+
		"MIME-Version: 1.0\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n"+
		"\r\n"+
		"无法登录，请帮忙。\r\n", subject, n)
}

// dial returns a client logged in as user on srv's plain listener, closed
// at the end of the test.
func dial(t *testing.T, srv *dovecottest.Server, user string, opts *imapclient.Options) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(srv.Addr, opts)
	if err != nil {
		t.Fatalf("DialInsecure(%s) = %v", srv.Addr, err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(user, srv.Password(user)).Wait(); err != nil {
		t.Fatalf("Login(%s) = %v", user, err)
	}
	return c
}

func selectBox(t *testing.T, c *imapclient.Client, mailbox string) *imap.SelectData {
	t.Helper()
	data, err := c.Select(mailbox, nil).Wait()
	if err != nil {
		t.Fatalf("Select(%s) = %v", mailbox, err)
	}
	return data
}

// fetchAll returns UID, FLAGS and ENVELOPE of every message in the
// selected mailbox.
func fetchAll(t *testing.T, c *imapclient.Client) []*imapclient.FetchMessageBuffer {
	t.Helper()
	all := imap.SeqSet{{Start: 1, Stop: 0}} // 1:*
	msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatalf("Fetch(1:*) = %v", err)
	}
	return msgs
}

// newMailCounter returns client options whose handler sends every EXISTS
// count received outside SELECT to the returned channel.
func newMailCounter() (*imapclient.Options, <-chan uint32) {
	ch := make(chan uint32, 64)
	return &imapclient.Options{UnilateralDataHandler: &imapclient.UnilateralDataHandler{
		Mailbox: func(data *imapclient.UnilateralDataMailbox) {
			if data.NumMessages != nil {
				select {
				case ch <- *data.NumMessages:
				default:
				}
			}
		},
	}}, ch
}

// waitExists waits until ch reports at least n messages.
func waitExists(ch <-chan uint32, n uint32, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case got := <-ch:
			if got >= n {
				return true
			}
		case <-timer.C:
			return false
		}
	}
}

func TestStartLoginCapabilities(t *testing.T) {
	t.Parallel()
	start := time.Now()
	srv := dovecottest.Start(t, users)
	t.Logf("Start took %v; server in %s", time.Since(start), srv.Dir)

	c, err := imapclient.DialInsecure(srv.Addr, nil)
	if err != nil {
		t.Fatalf("DialInsecure = %v", err)
	}
	defer c.Close()
	pre := c.Caps()
	t.Logf("capabilities before login: %v", keys(pre))
	if !pre.Has(imap.CapStartTLS) {
		t.Errorf("pre-login capabilities lack STARTTLS")
	}
	if pre.Has(imap.CapLoginDisabled) {
		t.Errorf("pre-login capabilities have LOGINDISABLED: plain LOGIN must be allowed")
	}
	failStart := time.Now()
	if err := c.Login("support", "wrong").Wait(); err == nil {
		t.Errorf("Login with a wrong password succeeded")
	} else {
		t.Logf("failed login answered in %v: %v", time.Since(failStart), err)
	}
	if err := c.Login("support", srv.Password("support")).Wait(); err != nil {
		t.Fatalf("Login = %v", err)
	}
	caps := c.Caps()
	t.Logf("capabilities after login: %v", keys(caps))
	for _, want := range []imap.Cap{imap.CapMove, imap.CapUIDPlus, imap.CapIdle, imap.CapCondStore, imap.CapQResync, imap.CapESearch} {
		if !caps.Has(want) {
			t.Errorf("capabilities after login lack %s", want)
		}
	}
	if caps.Has(imap.CapIMAP4rev2) {
		t.Logf("server speaks IMAP4rev2")
	}
	if srv.Password("nobody") != "" {
		t.Errorf(`Password("nobody") = %q, want ""`, srv.Password("nobody"))
	}
}

func keys(caps imap.CapSet) []imap.Cap {
	var l []imap.Cap
	for c := range caps {
		l = append(l, c)
	}
	slices.Sort(l)
	return l
}

// TestEnvelopeSubjectGBK documents that Dovecot returns ENVELOPE fields as
// they are in the header (RFC 2047 words left encoded) and that go-imap
// decodes a GBK word only with a charset-aware WordDecoder.
func TestEnvelopeSubjectGBK(t *testing.T) {
	t.Parallel()
	srv := dovecottest.Start(t, users)
	srv.Append(t, "support", "INBOX", message(1, gbkSubject))

	tests := []struct {
		name        string
		opts        *imapclient.Options
		wantSubject string
		wantFrom    string
	}{
		{"default decoder", nil, gbkSubject, "=?gbk?B?1cXI/Q==?="},
		{"charset.Reader", &imapclient.Options{WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader}}, wantSubject, "张三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, srv, "support", tt.opts)
			sel := selectBox(t, c, "INBOX")
			if sel.UIDValidity == 0 || sel.NumMessages != 1 {
				t.Fatalf("Select = UIDVALIDITY %d, %d messages; want non-zero, 1", sel.UIDValidity, sel.NumMessages)
			}
			msgs := fetchAll(t, c)
			if len(msgs) != 1 || msgs[0].Envelope == nil {
				t.Fatalf("Fetch = %d messages, want 1 with an envelope", len(msgs))
			}
			env := msgs[0].Envelope
			if env.Subject != tt.wantSubject {
				t.Errorf("Envelope.Subject = %q, want %q", env.Subject, tt.wantSubject)
			}
			if len(env.From) != 1 || env.From[0].Name != tt.wantFrom || env.From[0].Addr() != "zhangsan@example.com" {
				t.Errorf("Envelope.From = %+v, want %q <zhangsan@example.com>", env.From, tt.wantFrom)
			}
		})
	}
}

// TestIdleAndStore documents that IDLE reports a message appended by
// another connection, also right after Idle returns, and that UID STORE
// +FLAGS \Seen sticks.
func TestIdleAndStore(t *testing.T) {
	t.Parallel()
	srv := dovecottest.Start(t, users)
	srv.Append(t, "support", "INBOX", message(1, "first"))

	opts, exists := newMailCounter()
	c := dial(t, srv, "support", opts)
	n := selectBox(t, c, "INBOX").NumMessages

	// Another connection appends right after IDLE is acknowledged. go-imap's
	// in-memory server misses some of these; Dovecot starts watching the
	// mailbox before it answers "+ idling" and checks it once more after.
	// It reports a change about 0.5 s after it (it waits for more), and
	// seconds later under load, so each round costs that:
	// DOVECOTTEST_IDLE_ROUNDS=300 for a long run.
	other := dial(t, srv, "support", nil)
	rounds := 4
	if n, err := strconv.Atoi(os.Getenv("DOVECOTTEST_IDLE_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	var total time.Duration
	var worst time.Duration
	for i := range rounds {
		idle, err := c.Idle()
		if err != nil {
			t.Fatalf("Idle = %v", err)
		}
		start := time.Now()
		raw := message(100+i, "idle")
		cmd := other.Append("INBOX", int64(len(raw)), nil)
		cmd.Write(raw)
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("Append = %v", err)
		}
		n++
		if !waitExists(exists, n, 10*time.Second) {
			t.Fatalf("round %d: IDLE did not report %d messages within 10s", i, n)
		}
		worst = max(worst, time.Since(start))
		total += time.Since(start)
		if err := idle.Close(); err != nil {
			t.Fatalf("IdleCommand.Close = %v", err)
		}
		if err := idle.Wait(); err != nil {
			t.Fatalf("IdleCommand.Wait = %v", err)
		}
	}
	t.Logf("IDLE: %d of %d appends reported; after APPEND was sent: mean %v, slowest %v",
		rounds, rounds, total/time.Duration(rounds), worst)

	// UID STORE +FLAGS \Seen on the first message.
	msgs := fetchAll(t, c)
	uid := msgs[0].UID
	if slices.Contains(msgs[0].Flags, imap.FlagSeen) {
		t.Fatalf("new message already has \\Seen: %v", msgs[0].Flags)
	}
	store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
	if err := c.Store(imap.UIDSetNum(uid), store, nil).Close(); err != nil {
		t.Fatalf("UID STORE %d +FLAGS.SILENT (\\Seen) = %v", uid, err)
	}
	c2 := dial(t, srv, "support", nil)
	selectBox(t, c2, "INBOX")
	got, err := c2.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(got) != 1 {
		t.Fatalf("UID FETCH %d FLAGS = %d messages, %v", uid, len(got), err)
	}
	if !slices.Contains(got[0].Flags, imap.FlagSeen) {
		t.Errorf("flags of UID %d on another connection = %v, want \\Seen", uid, got[0].Flags)
	}
}

// TestRestart documents that a restart cuts open connections and keeps
// messages, flags and UIDVALIDITY.
func TestRestart(t *testing.T) {
	t.Parallel()
	srv := dovecottest.Start(t, users)
	srv.Append(t, "support", "INBOX", message(1, "one"))
	srv.Append(t, "support", "INBOX", message(2, "two"))

	c := dial(t, srv, "support", nil)
	before := selectBox(t, c, "INBOX")
	if err := c.Store(imap.UIDSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatalf("UID STORE = %v", err)
	}
	idle, err := c.Idle()
	if err != nil {
		t.Fatalf("Idle = %v", err)
	}

	start := time.Now()
	srv.Restart(t)
	t.Logf("Restart took %v", time.Since(start))

	select {
	case <-c.Closed():
	case <-time.After(2 * time.Second):
		t.Errorf("connection still open 2s after the restart")
	}
	idle.Close()
	if err := idle.Wait(); err == nil {
		t.Errorf("IDLE ended without error across a restart")
	}

	c2 := dial(t, srv, "support", nil)
	after := selectBox(t, c2, "INBOX")
	if after.NumMessages != 2 || after.UIDValidity != before.UIDValidity {
		t.Errorf("after restart: %d messages, UIDVALIDITY %d; want 2, %d", after.NumMessages, after.UIDValidity, before.UIDValidity)
	}
	msgs := fetchAll(t, c2)
	if len(msgs) != 2 || msgs[0].UID != 1 || !slices.Contains(msgs[0].Flags, imap.FlagSeen) {
		t.Errorf("after restart: messages %+v, want UID 1 with \\Seen", msgs)
	}
}

// TestRecreateMailbox documents what a client sees when a mailbox gets a new
// UIDVALIDITY: its connection closed, then new UIDs from 1 with flags kept.
func TestRecreateMailbox(t *testing.T) {
	t.Parallel()
	srv := dovecottest.Start(t, users)
	for i := 1; i <= 3; i++ {
		srv.Append(t, "support", "INBOX", message(i, fmt.Sprint("msg ", i)))
	}
	srv.Append(t, "support", "Archive.2026", message(9, "archived")) // TRYCREATE path

	c := dial(t, srv, "support", nil)
	before := selectBox(t, c, "INBOX")
	// Leave UIDs 2 and 3, with \Seen on 3.
	if err := c.Store(imap.UIDSetNum(1), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		t.Fatalf("STORE \\Deleted = %v", err)
	}
	if err := c.Expunge().Close(); err != nil {
		t.Fatalf("EXPUNGE = %v", err)
	}
	if err := c.Store(imap.UIDSetNum(3), &imap.StoreFlags{Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close(); err != nil {
		t.Fatalf("STORE \\Seen = %v", err)
	}
	statusOpts := &imap.StatusOptions{UIDValidity: true, NumMessages: true}
	arch, err := c.Status("Archive.2026", statusOpts).Wait()
	if err != nil {
		t.Fatalf("STATUS = %v", err)
	}

	start := time.Now()
	srv.RecreateMailbox(t, "support", "INBOX")
	t.Logf("RecreateMailbox took %v", time.Since(start))
	if err := c.Noop().Wait(); err == nil {
		t.Errorf("NOOP on a connection opened before RecreateMailbox succeeded")
	}

	c2 := dial(t, srv, "support", nil)
	after := selectBox(t, c2, "INBOX")
	t.Logf("UIDVALIDITY %d -> %d, UIDNEXT %d -> %d", before.UIDValidity, after.UIDValidity, before.UIDNext, after.UIDNext)
	if after.UIDValidity <= before.UIDValidity {
		t.Errorf("UIDVALIDITY after = %d, want > %d", after.UIDValidity, before.UIDValidity)
	}
	msgs := fetchAll(t, c2)
	if len(msgs) != 2 {
		t.Fatalf("after recreate: %d messages, want 2", len(msgs))
	}
	for i, want := range []struct {
		uid     imap.UID
		subject string
		seen    bool
	}{{1, "msg 2", false}, {2, "msg 3", true}} {
		m := msgs[i]
		if m.UID != want.uid || m.Envelope.Subject != want.subject || slices.Contains(m.Flags, imap.FlagSeen) != want.seen {
			t.Errorf("message %d = UID %d %q flags %v; want UID %d %q seen=%v", i+1, m.UID, m.Envelope.Subject, m.Flags, want.uid, want.subject, want.seen)
		}
	}

	// Other mailboxes keep their UIDVALIDITY; any mailbox can be recreated.
	if st, err := c2.Status("Archive.2026", statusOpts).Wait(); err != nil || st.UIDValidity != arch.UIDValidity {
		t.Errorf("STATUS Archive.2026 after recreating INBOX = %+v, %v; want UIDVALIDITY %d", st, err, arch.UIDValidity)
	}
	srv.RecreateMailbox(t, "support", "Archive.2026")
	c3 := dial(t, srv, "support", nil)
	st, err := c3.Status("Archive.2026", statusOpts).Wait()
	if err != nil {
		t.Fatalf("STATUS = %v", err)
	}
	if *st.NumMessages != 1 || st.UIDValidity == arch.UIDValidity {
		t.Errorf("STATUS Archive.2026 after recreate = %d messages, UIDVALIDITY %d; want 1, not %d", *st.NumMessages, st.UIDValidity, arch.UIDValidity)
	}
}

func TestTLS(t *testing.T) {
	t.Parallel()
	srv := dovecottest.Start(t, users)
	pem, err := os.ReadFile(srv.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatalf("no certificate in %s", srv.CAFile)
	}
	opts := &imapclient.Options{TLSConfig: &tls.Config{RootCAs: pool}}

	for _, tt := range []struct {
		name string
		dial func() (*imapclient.Client, error)
	}{
		{"implicit", func() (*imapclient.Client, error) { return imapclient.DialTLS(srv.TLSAddr, opts) }},
		{"starttls", func() (*imapclient.Client, error) { return imapclient.DialStartTLS(srv.Addr, opts) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.dial()
			if err != nil {
				t.Fatalf("dial = %v", err)
			}
			defer c.Close()
			if err := c.Login("other", srv.Password("other")).Wait(); err != nil {
				t.Fatalf("Login = %v", err)
			}
		})
	}

	// Without the CA the certificate is rejected.
	c, err := imapclient.DialTLS(srv.TLSAddr, nil)
	if err == nil {
		err = c.Noop().Wait()
		c.Close()
	}
	if err == nil {
		t.Errorf("TLS with the system roots succeeded, want a certificate error")
	}
}
