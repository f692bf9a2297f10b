package dovecottest_test

import (
	"mime"
	"testing"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-message/charset"

	"github.com/postdesk/postdesk/mail/dovecottest"
)

// A test of IMAP code runs it against a private Dovecot. (The example only
// shows the body of such a test: it needs the test's *testing.T to run.)
func Example() {
	testPoller := func(t *testing.T) {
		srv := dovecottest.Start(t, map[string]string{"support": "secret"})
		srv.Append(t, "support", "INBOX", []byte("Subject: =?gbk?B?suLK1NPKvP6jus7et6i1x8K8?=\r\n\r\nhello\r\n"))

		c, err := imapclient.DialInsecure(srv.Addr, &imapclient.Options{
			// Dovecot sends ENVELOPE fields still RFC 2047-encoded.
			WordDecoder: &mime.WordDecoder{CharsetReader: charset.Reader},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if err := c.Login("support", srv.Password("support")).Wait(); err != nil {
			t.Fatal(err)
		}
		sel, err := c.Select("INBOX", nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		_ = sel.UIDValidity // store it with the last UID seen

		srv.Restart(t)                             // c gets "* BYE Shutting down"
		srv.RecreateMailbox(t, "support", "INBOX") // new UIDVALIDITY, UIDs from 1
		_ = imap.UID(1)
	}
	_ = testPoller
}
