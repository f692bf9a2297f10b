package mail

import (
	"os"
	"testing"
	"unicode/utf8"

	"github.com/postdesk/postdesk/internal/corpustest"
)

// fuzzSeeds are built-in seeds, so that FuzzParse runs without the corpus:
// the shapes of mail the corpus holds, in small.
var fuzzSeeds = []string{
	"From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--",
	// QQ Mail reply: GBK subject, base64 HTML alternative, quoted original.
	"From: =?gbk?B?1cXAz8qm?= <t@qq.test>\r\nTo: support@desk.test\r\nSubject: =?gbk?B?u9i4tKO6WyMxMl0g1rGypb/OutrGwQ==?=\r\n" +
		"Message-ID: <a1@qq.test>\r\nIn-Reply-To: <c.12@desk.test>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=gbk\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nu7nKx7raxsGhow==\r\n--b1\r\nContent-Type: text/html; charset=gbk\r\n" +
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n<div>=BB=B9=CA=C7</div><div>------------------ =D4=AD=CA=BC=D3=CA=BC=FE ------------------</div>\r\n--b1--\r\n",
	// Delivery status notification with the original message attached.
	"From: MAILER-DAEMON@mx.test\r\nSubject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n--r\r\n\r\nsorry\r\n--r\r\n" +
		"Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@y\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--r\r\n" +
		"Content-Type: message/rfc822\r\n\r\nFrom: support@desk.test\r\nSubject: [#3] ok\r\n\r\nbody\r\n--r--\r\n",
	// A report with an attachment and an RFC 2231 file name.
	"From: li@school.test\r\nSubject: =?utf-8?Q?=E7=9B=B4=E6=92=AD=E8=AF=BE?=\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n" +
		"--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\xe9\xbb\x91\xe5\xb1\x8f\r\n--m\r\nContent-Type: image/png\r\n" +
		"Content-Disposition: attachment; filename*=utf-8''%E6%88%AA%E5%9B%BE.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--m--\r\n",
	// Malformed: bad boundary, stray 8-bit header, truncated part.
	"Subject: \xd6\xb1\xb2\xa5\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\nContent-Type: text/html\r\n\r\n<p>x",
}

// FuzzParse feeds arbitrary bytes to the MIME intake: it must never panic,
// keep the raw bytes, and return valid UTF-8 text. It runs from its
// built-in seeds, plus a sample of the corpus when there is one.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if corpustest.Available() {
		for i, path := range corpusFiles(f) {
			if i%8 != 0 {
				continue // a sample of the corpus keeps seeding quick
			}
			if raw, err := os.ReadFile(path); err == nil && len(raw) < 64<<10 {
				f.Add(raw)
			}
		}
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--"))
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <pd2.1.00@d>\r\nReferences: <a@b>\r\n\r\nhi\r\n--x--"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw, &ParseOptions{MaxParts: 50, MaxAttachmentBytes: 1 << 20})
		if len(m.Raw) != len(raw) {
			t.Fatal("raw bytes not kept")
		}
		for _, s := range []string{m.Subject, m.Text, m.NewText, m.From.Name} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
	})
}
