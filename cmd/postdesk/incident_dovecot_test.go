package main

import (
	"encoding/base64"
	"fmt"
	"html"
	"mime"
	"mime/quotedprintable"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestIncidentDovecot runs the incident scenarios with the support mailbox
// on a real Dovecot, the mail appended there as an MTA would deliver it,
// and the IMAP settings a deployment runs with (IDLE on, the default
// 30-second poll interval): new mail reaches postdesk through Dovecot's
// IDLE, as it would for a support lead. What postdesk sends goes to the
// in-process SMTP server. The outage is also reported in the encodings
// of QQ Mail (GBK), Outlook and Gmail. The candidate alert's delay after the fifth
// report is logged, not asserted.
//
// Without the dovecot binary the test is skipped with a message, or fails
// when the CI environment variable is set (see mail/dovecottest).
func TestIncidentDovecot(t *testing.T) {
	deployed := func(t *testing.T, configure func(*Config)) *testEnv {
		return dovecotEnv(t, func(c *Config) {
			def := defaultConfig().IMAP
			c.IMAP.IDLE, c.IMAP.PollInterval = def.IDLE, def.PollInterval
			if configure != nil {
				configure(c)
			}
		})
	}
	for _, c := range []struct {
		name  string
		check func(*testing.T, envMaker)
	}{
		{"busy morning makes no candidate", checkNoIncidentOnABusyMorning},
		{"outage proposed, declared, updated, resolved", checkIncidentEndToEnd},
		{"outage in mail clients' encodings", checkOutageInClientEncodings},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, deployed) })
	}
}

// clientReport is r as a mail client sends it: "qq" in GBK with a base64
// body (QQ Mail, Foxmail), "outlook" in UTF-8 quoted-printable, "gmail" as
// multipart/alternative with an HTML part; the subject is an RFC 2047
// word, which Dovecot keeps encoded in ENVELOPE.
func clientReport(t *testing.T, client, from, id, subject, body string) string {
	t.Helper()
	head := fmt.Sprintf("From: %s\nTo: support@desk.test\nMessage-ID: <%s>\nDate: Sat, 21 Nov 2026 10:00:00 +0800\nMIME-Version: 1.0\n", from, id)
	switch client {
	case "qq":
		gbk := func(s string) []byte {
			b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
			if err != nil {
				t.Fatalf("GBK %q: %v", s, err)
			}
			return b
		}
		return head + "Subject: =?gbk?B?" + base64.StdEncoding.EncodeToString(gbk(subject)) + "?=\n" +
			"Content-Type: text/plain; charset=\"gbk\"\nContent-Transfer-Encoding: base64\n\n" +
			base64.StdEncoding.EncodeToString(gbk(body)) + "\n"
	case "outlook":
		var qp strings.Builder
		w := quotedprintable.NewWriter(&qp)
		w.Write([]byte(body))
		w.Close()
		return head + "Subject: " + mime.BEncoding.Encode("utf-8", subject) + "\n" +
			"Content-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n" + qp.String() + "\n"
	case "gmail":
		return head + "Subject: " + mime.QEncoding.Encode("UTF-8", subject) + "\n" +
			"Content-Type: multipart/alternative; boundary=\"b1\"\n\n" +
			"--b1\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n\n" +
			base64.StdEncoding.EncodeToString([]byte(body)) + "\n" +
			"--b1\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div dir=\"ltr\">" + html.EscapeString(body) + "</div>\n--b1--\n"
	}
	t.Fatalf("clientReport: unknown client %q", client)
	return ""
}

// checkOutageInClientEncodings: the six outage reports, encoded as QQ
// Mail, Outlook and Gmail send them, make one candidate alert that lists
// the first five with their subjects decoded.
func checkOutageInClientEncodings(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	clients := []string{"qq", "gmail", "outlook", "qq", "gmail", "outlook"}
	for i, r := range outageReports {
		e.deliver(clientReport(t, clients[i], r.from, fmt.Sprintf("enc%d@x.test", i), r.subject, r.body))
		delivered := time.Now()
		if conf := e.mailsTo(addrOf(r.from), 1)[0]; !strings.Contains(conf.Subject, r.subject) {
			t.Errorf("%s (%s): confirmation subject %q, want it to carry %q", addrOf(r.from), clients[i], conf.Subject, r.subject)
		}
		if i == 4 {
			e.mailsWhere(1, "candidate alert", isCandidateAlert)
			t.Logf("candidate alert accepted by SMTP %v after the fifth report was delivered", e.firstAt(isCandidateAlert).Sub(delivered).Round(time.Millisecond))
		}
	}
	e.mailsTo(demoStaff, 7) // six new-ticket notifications and the alert
	time.Sleep(300 * time.Millisecond)
	alerts := e.mailsWhere(1, "candidate alert", isCandidateAlert)
	if len(alerts) != 1 {
		t.Fatalf("candidate alerts = %d, want 1", len(alerts))
	}
	for i, r := range outageReports[:5] {
		if !strings.Contains(alerts[0].Text, addrOf(r.from)) || !strings.Contains(alerts[0].Text, r.subject) {
			t.Errorf("alert does not list %s (%s) with the subject %q:\n%s", addrOf(r.from), clients[i], r.subject, alerts[0].Text)
		}
	}
}
