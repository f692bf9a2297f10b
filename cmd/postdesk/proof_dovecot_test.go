package main

import (
	"testing"

	"github.com/postdesk/postdesk/mail/dovecottest"
)

// dovecotEnv runs postdesk with its mailbox on a real Dovecot server (mail
// is appended there as an MTA would deliver it) and the in-memory SMTP
// server for what it sends.
func dovecotEnv(t *testing.T, configure func(*Config)) *testEnv {
	t.Helper()
	dc := dovecottest.Start(t, map[string]string{"support": "pw"})
	e := newEnvConfig(t, func(c *Config) {
		c.IMAP.Addr, c.IMAP.TLS, c.IMAP.Username, c.IMAP.Password = dc.Addr, "none", "support", dc.Password("support")
		if configure != nil {
			configure(c)
		}
	}, nil)
	e.appendMail = func(raw []byte) error {
		dc.Append(t, "support", "INBOX", raw)
		return nil
	}
	return e
}

// TestStaffProofDovecot runs the staff-proof attacks with the mail fetched
// from Dovecot: a message/rfc822 forward, a folded 1,000-address Cc and
// Authentication-Results headers as a real server stores and returns them.
func TestStaffProofDovecot(t *testing.T) {
	for _, c := range []struct {
		name  string
		check func(*testing.T, envMaker)
	}{
		{"forwarded notification", checkForwardedNotification},
		{"reply-all", checkReplyAll},
		{"Cc flood", checkCcFlood},
		{"Authentication-Results", checkAuthResults},
		{"merge and an invalid command", checkMergeInvalid},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, dovecotEnv) })
	}
}
