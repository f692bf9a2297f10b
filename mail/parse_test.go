package mail

import (
	"bytes"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/postdesk/postdesk/internal/corpustest"
	"github.com/postdesk/postdesk/tickets"
)

// corpusDir is ../shared/corpus beside the repository (or $POSTDESK_CORPUS).
var corpusDir = corpustest.Dir()

// corpusFiles lists every real message of the shared corpus (reply-bodies/
// holds body-only fixtures and is left out).
func corpusFiles(t testing.TB) []string {
	t.Helper()
	corpustest.Require(t)
	var files []string
	filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "reply-bodies" {
			return filepath.SkipDir
		}
		if !d.IsDir() && !strings.HasSuffix(path, ".md") && !strings.HasSuffix(path, ".tsv") {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 300 {
		t.Fatalf("corpus has %d files, want ~400", len(files))
	}
	return files
}

// TestParseCorpus parses every corpus mail within a time bound and checks
// that nothing readable is lost: the raw bytes are kept and every mail has
// a subject or a text or attachments.
func TestParseCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		name, _ := filepath.Rel(corpusDir, path)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan *tickets.Message, 1)
			go func() { done <- Parse(raw, nil) }()
			var m *tickets.Message
			select {
			case m = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("Parse did not return within 10s")
			}
			if !bytes.Equal(m.Raw, raw) {
				t.Error("Raw is not the input")
			}
			if m.Subject == "" && m.Text == "" && len(m.Attachments) == 0 {
				t.Errorf("nothing decoded (problem: %s)", m.ParseProblem)
			}
			for _, s := range []string{m.Subject, m.Text, m.From.Name} {
				if !utf8Valid(s) {
					t.Errorf("invalid UTF-8 in %q", s)
				}
			}
		})
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

func TestParseCharsetSubjects(t *testing.T) {
	big5Subject, _ := traditionalchinese.Big5.NewEncoder().String("直播課無法登入")
	tests := []struct {
		name, file, raw string
		subject, from   string
	}{
		{name: "GB2312 encoded word", file: "charsets/zammad__mail015.box", subject: "绩效管理,究竟谁错了", from: "Sara.Gang"},
		{name: "GB2312 Foxmail", file: "charsets/zammad__mail044.box", subject: "精益生产闪婚,是谁的责任"},
		{name: "GB2312 HTML newsletter", file: "charsets/zammad__mail019.box", subject: "《欧美简讯》"},
		{name: "ISO-2022-JP", file: "charsets/freescout__message-5-iso-2022-jp.eml", subject: "ご注文商品を本日お届けします", from: "アマゾン"},
		{name: "Big5 raw 8-bit header", raw: "From: a@b.test\r\nSubject: " + big5Subject + "\r\nContent-Type: text/plain; charset=big5\r\n\r\nx\r\n", subject: "直播課無法登入"},
		{name: "Big5 encoded word", raw: "From: =?big5?B?" + b64(big5Subject) + "?= <a@b.test>\r\nSubject: =?Big5?B?" + b64(big5Subject) + "?=\r\n\r\nx\r\n", subject: "直播課無法登入", from: "直播課無法登入"},
		{name: "GBK raw 8-bit header, no charset", raw: "From: a@b.test\r\nSubject: \xd6\xb1\xb2\xa5\xbf\xce\xba\xda\xc6\xc1\r\n\r\nx\r\n", subject: "直播课黑屏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte(tt.raw)
			if tt.file != "" {
				corpusFiles(t)
				var err error
				if raw, err = os.ReadFile(filepath.Join(corpusDir, tt.file)); err != nil {
					t.Fatal(err)
				}
			}
			m := Parse(raw, nil)
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			if tt.from != "" && m.From.Name != tt.from {
				t.Errorf("From.Name = %q, want %q", m.From.Name, tt.from)
			}
		})
	}
}

func TestParseStructure(t *testing.T) {
	raw := "From: \"Li, Ming\" <Ming.Li@School.TEST>\r\n" +
		"To: support@desk.test, \"Wang\" <wang@school.test>\r\n" +
		"Cc: head@school.test\r\n" +
		"Subject: =?utf-8?Q?Re=3A_=5B=2312=5D_camera?=\r\n" +
		"Message-ID: <abc@school.test>\r\n" +
		"In-Reply-To: <pd.12-aaaa.1234@desk.test>\r\n" +
		"References: <first@school.test>\r\n <pd.12-aaaa.1234@desk.test>\r\n" +
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n" +
		"--XX\r\nContent-Type: multipart/alternative; boundary=YY\r\n\r\n" +
		"--YY\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nstill broken\r\n\r\nOn Mon, Support wrote:\r\n> old\r\n" +
		"--YY\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>still <b>broken</b></p>\r\n--YY--\r\n" +
		"--XX\r\nContent-Type: image/png; name=\"shot.png\"\r\nContent-Disposition: attachment; filename=\"shot.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n" +
		"--XX--\r\n"
	m := Parse([]byte(raw), nil)
	if m.From.Email != "ming.li@school.test" || m.From.Name != "Li, Ming" {
		t.Errorf("From = %+v", m.From)
	}
	if len(m.To) != 2 || m.To[1].Email != "wang@school.test" || len(m.Cc) != 1 {
		t.Errorf("To = %+v, Cc = %+v", m.To, m.Cc)
	}
	if m.Subject != "Re: [#12] camera" {
		t.Errorf("Subject = %q", m.Subject)
	}
	if m.MessageID != "abc@school.test" || len(m.References) != 2 || m.References[1] != "pd.12-aaaa.1234@desk.test" {
		t.Errorf("ids: %q %v", m.MessageID, m.References)
	}
	if !strings.HasPrefix(m.Text, "still broken") {
		t.Errorf("Text = %q, want the text/plain part", m.Text)
	}
	if m.NewText != "still broken" {
		t.Errorf("NewText = %q, want %q", m.NewText, "still broken")
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "shot.png" || m.Attachments[0].ContentType != "image/png" || len(m.Attachments[0].Data) != 8 {
		t.Errorf("Attachments = %+v", m.Attachments)
	}
}

func TestParseHTMLOnly(t *testing.T) {
	raw := "From: a@b.test\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Camera <b>fails</b> &amp; mic</p><script>alert(1)</script></body></html>\r\n"
	m := Parse([]byte(raw), nil)
	if !strings.Contains(m.Text, "Camera") || !strings.Contains(m.Text, "fails") || !strings.Contains(m.Text, "& mic") || strings.Contains(m.Text, "<") || strings.Contains(m.Text, "alert") {
		t.Errorf("Text = %q, want readable text without markup or script", m.Text)
	}
}

func TestParseLimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@b.test\r\nSubject: many\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n")
	for i := 0; i < 2000; i++ {
		b.WriteString("--B\r\nContent-Type: application/octet-stream\r\n\r\nxxxx\r\n")
	}
	b.WriteString("--B--\r\n")
	m := Parse([]byte(b.String()), &ParseOptions{MaxParts: 100})
	if len(m.Attachments) >= 100 || !strings.Contains(m.ParseProblem, "parts") {
		t.Errorf("got %d attachments, problem %q; want < 100 and a note", len(m.Attachments), m.ParseProblem)
	}
	big := "From: a@b.test\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee video\r\n--B\r\nContent-Type: video/mp4; name=v.mp4\r\n\r\n" + strings.Repeat("x", 5000) + "\r\n--B--\r\n"
	m = Parse([]byte(big), &ParseOptions{MaxAttachmentBytes: 1000})
	if m.Text != "see video" || len(m.Attachments) != 1 || m.Attachments[0].Data != nil || !m.Attachments[0].Dropped || m.Attachments[0].Size < 5000 {
		t.Errorf("oversized: text %q, attachments %+v", m.Text, m.Attachments)
	}
}

func TestParseGarbage(t *testing.T) {
	for _, in := range []string{"", "\x00\x01\x02", "no header at all", "Subject: only\r\n", "From: <<<\r\nTo: ,,,@\r\n\r\nbody"} {
		m := Parse([]byte(in), nil)
		if m == nil || string(m.Raw) != in {
			t.Errorf("Parse(%q) lost the input", in)
		}
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestAuthenticationResults(t *testing.T) {
	raw := "Authentication-Results: mx.desk.test; spf=pass smtp.mailfrom=desk.test; dkim=pass header.d=desk.test header.s=s1; dmarc=pass header.from=desk.test\r\n" +
		"Authentication-Results: evil.test; dkim=pass header.d=forged.test\r\n" +
		"From: li@desk.test\r\nSubject: x\r\n\r\nbody\r\n"
	if got := Parse([]byte(raw), &ParseOptions{AuthServID: "mx.desk.test"}).AuthPass; strings.Join(got, ",") != "desk.test,desk.test" {
		t.Errorf("AuthPass = %v, want desk.test from our server only", got)
	}
	if got := Parse([]byte(raw), nil).AuthPass; got != nil {
		t.Errorf("AuthPass without a trusted server = %v", got)
	}
	forged := "Authentication-Results: mx.other.test; dkim=pass header.d=desk.test\r\nFrom: li@desk.test\r\n\r\nx\r\n"
	if got := Parse([]byte(forged), &ParseOptions{AuthServID: "mx.desk.test"}).AuthPass; got != nil {
		t.Errorf("AuthPass from another server = %v", got)
	}
	fail := "Authentication-Results: mx.desk.test; dkim=fail header.d=desk.test; dmarc=fail header.from=desk.test\r\nFrom: li@desk.test\r\n\r\nx\r\n"
	if got := Parse([]byte(fail), &ParseOptions{AuthServID: "mx.desk.test"}).AuthPass; got != nil {
		t.Errorf("AuthPass on failures = %v", got)
	}
}

// TestEnclosedHeaders: a mail forwarded as an attachment (message/rfc822)
// yields the reply headers the desk looks for its tokens in, and is still
// kept whole as an attachment, with and without attachment data.
func TestEnclosedHeaders(t *testing.T) {
	inner := "From: Desk <support@desk.test>\r\nTo: li@desk.test\r\nSubject: [#3] camera\r\n" +
		"Message-ID: <pd2.3.2abcdefghijklmnopqrstuvwxyz234567@desk.test>\r\nReply-To: <support+tok@desk.test>\r\n\r\nNew ticket #3\r\n"
	raw := "From: li@desk.test\r\nTo: eve@evil.test\r\nSubject: Fwd: [#3] camera\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nFYI\r\n" +
		"--XX\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + inner + "--XX--\r\n"
	inner = strings.TrimSuffix(inner, "\r\n") // the CRLF before a boundary belongs to it
	for _, skip := range []bool{false, true} {
		m := Parse([]byte(raw), &ParseOptions{SkipAttachmentData: skip})
		if len(m.Enclosed) != 1 || !strings.Contains(m.Enclosed[0], "<pd2.3.2abcdefghijklmnopqrstuvwxyz234567@desk.test>") || !strings.Contains(m.Enclosed[0], "support+tok@desk.test") {
			t.Errorf("skip=%v: Enclosed = %q", skip, m.Enclosed)
		}
		if len(m.Attachments) != 1 || m.Attachments[0].Size != len(inner) {
			t.Fatalf("skip=%v: Attachments = %+v, want the whole enclosed mail (%d bytes)", skip, m.Attachments, len(inner))
		}
		if !skip && string(m.Attachments[0].Data) != inner {
			t.Errorf("enclosed data = %q, want %q", m.Attachments[0].Data, inner)
		}
	}
}

// TestHostileHTML: deep nesting and the time budget fall back to plain
// text; the words survive.
func TestHostileHTML(t *testing.T) {
	deep := strings.Repeat("<div><table><tr><td>", 5000) + "camera fails" + strings.Repeat("</td></tr></table></div>", 5000)
	raw := "From: a@b.test\r\nSubject: x\r\nContent-Type: text/html\r\n\r\n" + deep + "\r\n"
	done := make(chan *tickets.Message, 1)
	go func() { done <- Parse([]byte(raw), nil) }()
	select {
	case m := <-done:
		if !strings.Contains(m.Text, "camera fails") {
			t.Errorf("text lost: %.200q", m.Text)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Parse did not return")
	}
	if got := stripTags("<p>a <script>x()</script><b>b</b> &amp; c</p>"); got != "a b & c" {
		t.Errorf("stripTags = %q, want %q", got, "a b & c")
	}
}

func TestParseSkipAttachmentData(t *testing.T) {
	raw := "From: a@b.test\r\nSubject: v\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nsee\r\n--B\r\nContent-Type: video/mp4; name=v.mp4\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(strings.Repeat("v", 3000)) + "\r\n--B\r\nContent-Type: image/png; name=big.png\r\n\r\n" + strings.Repeat("p", 9000) + "\r\n--B--\r\n"
	m := Parse([]byte(raw), &ParseOptions{SkipAttachmentData: true, MaxAttachmentBytes: 5000})
	if len(m.Attachments) != 2 {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	v, p := m.Attachments[0], m.Attachments[1]
	if v.Data != nil || v.Size != 3000 || v.Dropped {
		t.Errorf("video = %+v, want size 3000, no data, kept", v)
	}
	if p.Data != nil || !p.Dropped || p.Size < 9000 {
		t.Errorf("image = %+v, want dropped (over the limit)", p)
	}
}
