package auto

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message/textproto"
)

// msg joins header lines and a body into a message with LF line endings.
func msg(body string, header ...string) []byte {
	return []byte(strings.Join(header, "\n") + "\n\n" + body)
}

// headerOf reads the top-level header of a raw message as Classify does.
func headerOf(raw []byte) textproto.Header {
	h, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(trimLeading(raw))))
	return h
}

// dsnWithOriginal is a Postfix-style DSN returning a message postdesk sent.
const dsnWithOriginal = `From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: support@desk.test
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-Id: <20260101000000.ABC@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="B1"

--B1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<customer@example.com>: host mx.example.com said: 550 5.1.1 User unknown

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; customer@example.com
Original-Recipient: rfc822;Customer@Example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <customer@example.com>:
    Recipient address rejected: User unknown

--B1
Content-Type: message/rfc822

From: Support <support@desk.test>
To: customer@example.com
Subject: [#1] Your request
Message-ID: <postdesk.1.2@desk.test>

Hello.
--B1--
`

// dsn builds a multipart/report whose delivery-status part holds fields.
func dsn(reportType, fields string) []byte {
	return msg("--B\nContent-Type: text/plain\n\nReport.\n\n--B\nContent-Type: message/"+reportType+"\n\n"+fields+"\n--B--\n",
		"From: <postmaster@mx.example.net>",
		"To: support@desk.test",
		"Subject: Report",
		"Content-Type: multipart/report; report-type="+reportType+"; boundary=B")
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name       string
		raw        []byte
		kind       Kind
		reason     string      // checked when not empty
		recipients []Recipient // checked when not nil
		temporary  bool
		refs       []string // checked when not nil
	}{
		{
			name: "human",
			raw:  msg("Hi, my printer is broken.\n", "From: Alice <alice@example.com>", "To: support@desk.test", "Subject: Printer"),
			kind: Human,
		},
		{
			name:   "Chinese 自动回复 subject, UTF-8 encoded word",
			raw:    msg("我不在办公室。\n", "From: 王 <wang@example.cn>", "Subject: =?UTF-8?B?6Ieq5Yqo5Zue5aSN77ya5oiR5LiN5Zyo5Yqe5YWs5a6k?="),
			kind:   AutoReply,
			reason: "Subject: 自动回复",
		},
		{
			name:   "Chinese 自动回复 subject, GB2312 encoded word",
			raw:    msg("...\n", "From: 王 <wang@example.cn>", "Subject: =?gb2312?B?19S2r7vYuLSjus7SsrvU2rDsuavK0g==?="),
			kind:   AutoReply,
			reason: "Subject: 自动回复",
		},
		{
			name:   "Chinese 自动回复 subject, raw GBK bytes in the header",
			raw:    msg("...\n", "From: wang@example.cn", "Subject: \xd7\xd4\xb6\xaf\xbb\xd8\xb8\xb4: \xce\xd2"),
			kind:   AutoReply,
			reason: "Subject: 自动回复",
		},
		{
			name:   "Chinese 自动回复 subject, raw UTF-8 with a full-width colon",
			raw:    msg("...\n", "From: wang@example.cn", "Subject: 自动回复：我不在办公室"),
			kind:   AutoReply,
			reason: "Subject: 自动回复",
		},
		{
			name:   "Polish subject in windows-1250",
			raw:    msg("...\n", "From: jan@example.pl", "Subject: =?windows-1250?Q?Automatyczna_odpowied=9F:_Pytanie?="),
			kind:   AutoReply,
			reason: "Subject: Automatyczna odpowiedź",
		},
		{
			name:   "Exchange out-of-office with a null Return-Path",
			raw:    msg("I am out of the office.\n", "Return-Path: <>", "From: Bob <bob@example.com>", "Subject: Automatic reply: Printer", "X-Auto-Response-Suppress: All"),
			kind:   AutoReply,
			reason: "Subject: Automatic reply",
		},
		{
			name: "Auto-Submitted: no is a person",
			raw:  msg("Thanks!\n", "From: Alice <alice@example.com>", "Subject: Re: Printer", "Auto-Submitted: no"),
			kind: Human,
		},
		{
			name:   "Auto-Submitted: auto-replied with Refs from In-Reply-To",
			raw:    msg("Away until Monday.\n", "From: bob@example.com", "Subject: Away", "Auto-Submitted: auto-replied; owner-email=bob@example.com", "In-Reply-To: <postdesk.7.1@desk.test>", "References: <a@x> <postdesk.7.1@desk.test>"),
			kind:   AutoReply,
			reason: "Auto-Submitted: auto-replied",
			refs:   []string{"postdesk.7.1@desk.test", "a@x"},
		},
		{
			name:   "X-Autoreply",
			raw:    msg("...\n", "From: bob@example.com", "Subject: Re: Printer", "X-Autoreply: yes"),
			kind:   AutoReply,
			reason: "X-Autoreply",
		},
		{
			name:   "Auto-Submitted: auto-generated",
			raw:    msg("Incident INC1 assigned.\n", "From: it@service.example", "Subject: Incident INC1", "Auto-Submitted: auto-generated"),
			kind:   Automatic,
			reason: "Auto-Submitted: auto-generated",
		},
		{
			name:   "Auto-Submitted with invalid UTF-8",
			raw:    msg("...\n", "From: it@service.example", "Auto-Submitted: auto-\xff(x)"),
			kind:   Automatic,
			reason: "Auto-Submitted: auto-\ufffd", // ToLower replaces the bad byte
		},
		{
			name:   "empty Return-Path",
			raw:    msg("...\n", "Return-Path: <>", "From: Robot <robot@example.com>", "Subject: Your invoice"),
			kind:   Automatic,
			reason: "Return-Path: <>",
		},
		{
			name:   "List-Unsubscribe only",
			raw:    msg("Our news.\n", "From: News <news@shop.example>", "Subject: Spring sale", "List-Unsubscribe: <mailto:unsub@shop.example>"),
			kind:   Automatic,
			reason: "List-Unsubscribe",
		},
		{
			name:   "Precedence: bulk",
			raw:    msg("...\n", "From: list@example.org", "Subject: Digest", "Precedence: Bulk"),
			kind:   Automatic,
			reason: "Precedence: bulk",
		},
		{
			name:   "noreply sender",
			raw:    msg("Your order shipped.\n", "From: Shop <noreply@shop.example>", "Subject: Order 42"),
			kind:   Automatic,
			reason: "sender: no-reply",
		},
		{
			name:   "do-not-reply sender",
			raw:    msg("...\n", "From: <do-not-reply+x@bank.example>", "Subject: Statement"),
			kind:   Automatic,
			reason: "sender: no-reply",
		},
		{
			name: "a person forwarding a bounce",
			raw:  msg("Why did this bounce?\n", "From: Alice <alice@example.com>", "Subject: Fwd: Undelivered Mail Returned to Sender"),
			kind: Human,
		},
		{
			name: "a person writing about out-of-office",
			raw:  msg("...\n", "From: Alice <alice@example.com>", "Subject: Re: Out of office policy"),
			kind: Human,
		},
		{
			name:   "DSN with the returned message, Auto-Submitted: auto-replied",
			raw:    []byte(dsnWithOriginal),
			kind:   Bounce,
			reason: "multipart/report delivery-status",
			recipients: []Recipient{{
				Email:      "customer@example.com",
				Action:     "failed",
				Status:     "5.1.1",
				Diagnostic: "550 5.1.1 <customer@example.com>: Recipient address rejected: User unknown",
			}},
			refs: []string{"postdesk.1.2@desk.test"},
		},
		{
			name:   "DSN with CRLF line endings",
			raw:    []byte(strings.ReplaceAll(dsnWithOriginal, "\n", "\r\n")),
			kind:   Bounce,
			reason: "multipart/report delivery-status",
			refs:   []string{"postdesk.1.2@desk.test"},
		},
		{
			name:       "delayed DSN",
			raw:        dsn("delivery-status", "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.1\nWill-Retry-Until: Sat, 3 Jan 2026 00:00:00 +0000\n"),
			kind:       Bounce,
			recipients: []Recipient{{Email: "a@example.com", Action: "delayed", Status: "4.4.1"}},
			temporary:  true,
		},
		{
			name: "DSN with one delayed and one failed recipient",
			raw: dsn("delivery-status", "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.1\n\n"+
				"Final-Recipient: rfc822; b@example.com\nAction: failed\nStatus: 5.1.1\n"),
			kind: Bounce,
			recipients: []Recipient{
				{Email: "a@example.com", Action: "delayed", Status: "4.4.1"},
				{Email: "b@example.com", Action: "failed", Status: "5.1.1"},
			},
			temporary: false,
		},
		{
			name:   "DSN that only reports delivery",
			raw:    dsn("delivery-status", "Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; a@example.com\nAction: delivered\nStatus: 2.0.0\n"),
			kind:   Automatic,
			reason: "delivery-status: delivered",
		},
		{
			name:   "MDN is Automatic even when auto-replied",
			raw:    append([]byte("Auto-Submitted: auto-replied\n"), dsn("disposition-notification", "Final-Recipient: rfc822; bob@example.com\nOriginal-Message-ID: <postdesk.3.4@desk.test>\nDisposition: manual-action/MDN-sent-manually; displayed\n")...),
			kind:   Automatic,
			reason: "multipart/report disposition-notification",
			refs:   []string{"postdesk.3.4@desk.test"},
		},
		{
			name: "Exim bounce with X-Failed-Recipients",
			raw: msg("This message was created automatically by mail delivery software.\n\n"+
				"A message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n"+
				"  customer@example.com\n    host mx.example.com [192.0.2.1]\n    SMTP error from remote mail server after RCPT TO:<customer@example.com>:\n    550 5.1.1 User unknown\n\n"+
				"------ This is a copy of the message, including all the headers. ------\n\n"+
				"From: support@desk.test\nTo: customer@example.com\nMessage-ID: <postdesk.5.6@desk.test>\n\nHello\n",
				"From: Mail Delivery System <Mailer-Daemon@mx.example.net>",
				"To: support@desk.test",
				"Subject: Mail delivery failed: returning message to sender",
				"X-Failed-Recipients: customer@example.com",
				"Auto-Submitted: auto-replied"),
			kind:       Bounce,
			reason:     "X-Failed-Recipients",
			recipients: []Recipient{{Email: "customer@example.com", Action: "failed", Status: "5.1.1", Diagnostic: "550 5.1.1 User unknown"}},
			refs:       []string{"postdesk.5.6@desk.test"},
		},
		{
			name: "Chinese 系统退信 from postmaster, GB2312 subject",
			raw: msg("抱歉，您的邮件无法投递到 user@example.cn ：收件人不存在。\n",
				"From: postmaster@mail.example.cn",
				"To: support@desk.test",
				"Subject: =?gb2312?B?z7XNs83L0MU=?="),
			kind:       Bounce,
			reason:     "Subject: 退信 from mailer-daemon",
			recipients: []Recipient{{Email: "user@example.cn", Action: "failed"}},
		},
		{
			name: "bounce text from a mailer daemon with an unusual subject",
			raw: msg("Your message could not be delivered to the following recipient:\n\n  gone@example.org\n",
				"From: MAILER-DAEMON@mx.example.net",
				"To: support@desk.test",
				"Subject: Notice"),
			kind:       Bounce,
			reason:     "bounce text from mailer-daemon",
			recipients: []Recipient{{Email: "gone@example.org", Action: "failed"}},
		},
		{
			name:       "delay warning without a DSN part",
			raw:        msg("Your mail to late@example.org has not yet been delivered; we will retry.\n", "From: MAILER-DAEMON@mx.example.net", "To: support@desk.test", "Subject: Delayed Mail (still being retried)"),
			kind:       Bounce,
			recipients: []Recipient{{Email: "late@example.org", Action: "delayed"}},
			temporary:  true,
		},
		{
			name:   "mbox From line and UTF-8 BOM",
			raw:    append([]byte("\xef\xbb\xbfFrom bob@example.com Mon Jan  1 00:00:00 2026\n"), msg("...\n", "From: bob@example.com", "Auto-Submitted: auto-replied")...),
			kind:   AutoReply,
			reason: "Auto-Submitted: auto-replied",
		},
		{
			name: "empty input",
			raw:  nil,
			kind: Human,
		},
		{
			name: "no header",
			raw:  []byte("just some words\nand more\n"),
			kind: Human,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.raw)
			if got.Kind != tt.kind {
				t.Fatalf("Classify().Kind = %q, want %q (reason %q)", got.Kind, tt.kind, got.Reason)
			}
			if tt.reason != "" && got.Reason != tt.reason {
				t.Errorf("Classify().Reason = %q, want %q", got.Reason, tt.reason)
			}
			if tt.recipients != nil && !reflect.DeepEqual(got.Recipients, tt.recipients) {
				t.Errorf("Classify().Recipients = %+v, want %+v", got.Recipients, tt.recipients)
			}
			if got.Temporary != tt.temporary {
				t.Errorf("Classify().Temporary = %v, want %v", got.Temporary, tt.temporary)
			}
			if tt.refs != nil && !reflect.DeepEqual(got.Refs, tt.refs) {
				t.Errorf("Classify().Refs = %q, want %q", got.Refs, tt.refs)
			}
		})
	}
}

func TestClassifyHeader(t *testing.T) {
	tests := []struct {
		name   string
		header string
		kind   Kind
		reason string
	}{
		{"human", "From: alice@example.com\nSubject: Hello\n", Human, ""},
		{"Auto-Submitted: no", "From: alice@example.com\nAuto-Submitted: no\n", Human, ""},
		{"multipart/report delivery-status", "From: x@example.com\nContent-Type: multipart/report; report-type=\"delivery-status\"; boundary=b\n", Bounce, "multipart/report delivery-status"},
		{"message/delivery-status", "Content-Type: message/delivery-status\n", Bounce, "message/delivery-status"},
		{"bounce subject from mailer-daemon", "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n", Bounce, "Subject: Delivery Status Notification from mailer-daemon"},
		{"bounce subject from the null sender", "Return-Path: <>\nFrom: System Administrator <admin@example.com>\nSubject: Undeliverable: Hello\n", Bounce, "Subject: Undeliverable from null sender"},
		{"daemon without a bounce subject", "From: MAILER-DAEMON@example.com\nSubject: Postmaster notice\n", Automatic, "sender: mailer-daemon"},
		{"auto-replied", "From: bob@example.com\nAuto-Submitted: auto-replied\n", AutoReply, "Auto-Submitted: auto-replied"},
		{"Apple vacation", "From: bob@example.com\nX-Apple-Action: VACATION\n", AutoReply, "X-Apple-Action: VACATION"},
		{"List-Id", "From: alice@example.com\nList-Id: <dev.lists.example.org>\n", Automatic, "List-Id"},
		{"X-Auto-Response-Suppress", "From: alice@example.com\nX-Auto-Response-Suppress: All\n", Automatic, "X-Auto-Response-Suppress"},
		{"feedback report", "From: feedback@arf.example.com\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n", Automatic, "multipart/report feedback-report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClassifyHeader(headerOf([]byte(tt.header + "\n")))
			if got.Kind != tt.kind || got.Reason != tt.reason {
				t.Errorf("ClassifyHeader() = {%q, %q}, want {%q, %q}", got.Kind, got.Reason, tt.kind, tt.reason)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		kind Kind
		want string
	}{
		{Human, "human"},
		{AutoReply, "auto_reply"},
		{Bounce, "bounce"},
		{Automatic, "automatic"},
		{Kind(9), "kind(9)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.kind.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			if k, ok := ParseKind(tt.want); ok != (tt.kind <= Automatic) || (ok && k != tt.kind) {
				t.Errorf("ParseKind(%q) = %q, %v", tt.want, k, ok)
			}
		})
	}
}

// TestClassifyBounded feeds inputs made to cost work: deep nesting, many
// parts and one long line. Each must finish, and the nested bounce past the
// depth limit is not seen.
func TestClassifyBounded(t *testing.T) {
	var deep strings.Builder
	deep.WriteString("From: alice@example.com\nContent-Type: multipart/mixed; boundary=b0\n\n")
	for i := 1; i <= 50; i++ {
		deep.WriteString("--b" + strconv.Itoa(i-1) + "\nContent-Type: multipart/mixed; boundary=b" + strconv.Itoa(i) + "\n\n")
	}
	deep.WriteString("--b50\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\n")

	var many strings.Builder
	many.WriteString("From: alice@example.com\nContent-Type: multipart/mixed; boundary=x\n\n")
	for range 5000 {
		many.WriteString("--x\nContent-Type: text/plain\n\nhi\n")
	}
	many.WriteString("--x--\n")

	tests := []struct {
		name string
		raw  []byte
		kind Kind
	}{
		{"50 nested multiparts", []byte(deep.String()), Human},
		{"5000 parts", []byte(many.String()), Human},
		{"a 4 MB line", append([]byte("From: alice@example.com\nContent-Type: text/plain\n\n"), bytes.Repeat([]byte("a"), 4<<20)...), Human},
		{"a 4 MB header", append([]byte("Subject: "), bytes.Repeat([]byte("a"), 4<<20)...), Human},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.raw); got.Kind != tt.kind {
				t.Errorf("Classify().Kind = %q, want %q (reason %q)", got.Kind, tt.kind, got.Reason)
			}
		})
	}
}

// checkResult asserts what must hold for any input.
func checkResult(t *testing.T, r Result) {
	t.Helper()
	if r.Kind < Human || r.Kind > Automatic {
		t.Fatalf("Classify().Kind = %d, want one of the constants", r.Kind)
	}
	if (r.Kind == Human) != (r.Reason == "") {
		t.Errorf("Classify() = {%q, reason %q}: a reason is given exactly when not human", r.Kind, r.Reason)
	}
	if r.Kind != Bounce && (len(r.Recipients) > 0 || r.Temporary) {
		t.Errorf("Classify() = %q with Recipients %v, Temporary %v: only a bounce has them", r.Kind, r.Recipients, r.Temporary)
	}
	if len(r.Recipients) > maxRecipients || len(r.Refs) > maxRefs {
		t.Errorf("Classify() has %d recipients and %d refs, over the limits", len(r.Recipients), len(r.Refs))
	}
	for _, s := range append([]string{r.Reason}, r.Refs...) {
		if !utf8.ValidString(s) {
			t.Errorf("Classify() returned invalid UTF-8 %q", s)
		}
	}
	for _, rc := range r.Recipients {
		if !utf8.ValidString(rc.Email + rc.Action + rc.Status + rc.Diagnostic) {
			t.Errorf("Classify() returned invalid UTF-8 in %+v", rc)
		}
	}
}

// fuzzSeeds are corpus files of each kind and shape.
var fuzzSeeds = []string{
	"bounces/sisimai__lhost-postfix-01.eml",
	"bounces/mimekit__bounce.txt",
	"bounces/cpython__msg_25.txt",
	"bounces/sisimai__lhost-qmail-01.eml",
	"bounces/flanker__disposition-notification.eml",
	"autoreplies/phpmimemailparser__issue212.eml",
	"malformed/mime4j__badbound.msg",
	"replies/notmuch__04_2.eml",
}

func FuzzClassify(f *testing.F) {
	f.Add([]byte(dsnWithOriginal))
	f.Add(dsn("delivery-status", "Final-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.1\n"))
	f.Add(msg("...\n", "From: wang@example.cn", "Subject: =?gb2312?B?19S2r7vYuLSjus7SsrvU2rDsuavK0g==?="))
	for _, name := range fuzzSeeds {
		if raw, err := os.ReadFile(filepath.Join(corpusDir, name)); err == nil {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkResult(t, Classify(raw))
		quick := ClassifyHeader(headerOf(raw))
		if quick.Kind < Human || quick.Kind > Automatic {
			t.Fatalf("ClassifyHeader().Kind = %d, want one of the constants", quick.Kind)
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	b.Run("dsn", func(b *testing.B) {
		raw := []byte(dsnWithOriginal)
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			Classify(raw)
		}
	})
	b.Run("corpus", func(b *testing.B) {
		var msgs [][]byte
		size := 0
		for _, name := range corpusFiles(b) {
			raw, err := os.ReadFile(filepath.Join(corpusDir, name))
			if err != nil {
				b.Fatal(err)
			}
			msgs = append(msgs, raw)
			size += len(raw)
		}
		b.SetBytes(int64(size))
		for b.Loop() {
			for _, raw := range msgs {
				Classify(raw)
			}
		}
	})
}
