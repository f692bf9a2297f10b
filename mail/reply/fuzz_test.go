package reply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzText checks that Text never panics, never returns more than it was
// given (plus one byte of slack), and keeps valid UTF-8 valid.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"",
		"Thanks\n\nOn Sat, Nov 21, 2026 at 10:00 AM, Bob <b@example.com> wrote:\n> hi\n",
		"> q\na\n> q\n\nb\n-- \nsig",
		"x\r\n-----Original Message-----\r\nFrom: a\r\n",
		"好的\n\n发自我的iPhone\n\n------------------&nbsp;原始邮件&nbsp;------------------\n发件人: a\n",
		"在 2026-11-21 10:00:00，\"a\" <a@b> 写道：\n>x\ny",
		"From: a\nSent: b\nTo: c\nSubject: d\n",
		"\ufeff\n\n_____\nfooter",
	} {
		f.Add(s)
	}
	for _, tc := range chineseCases {
		f.Add(tc.text)
	}
	if files, err := filepath.Glob(filepath.Join(corpusDir, "reply-bodies", "*")); err == nil {
		for _, name := range files {
			if p, err := os.ReadFile(name); err == nil && len(p) < 8<<10 {
				f.Add(string(p))
			}
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Text(in)
		if len(got) > len(in)+1 {
			t.Errorf("Text(%q) = %q, longer than its input", in, got)
		}
		if utf8.ValidString(in) && !utf8.ValidString(got) {
			t.Errorf("Text(%q) = %q, not valid UTF-8", in, got)
		}
	})
}

// FuzzHTML checks that HTML never panics.
func FuzzHTML(f *testing.F) {
	for _, tc := range chineseCases {
		f.Add(tc.html)
	}
	f.Add(`<div class="gmail_quote"><blockquote type="cite"><div id="appendonsend">x</div></blockquote></div>y`)
	f.Add(`<pre>a<blockquote>b</pre>c`)
	f.Fuzz(func(t *testing.T, in string) {
		HTML(in)
	})
}

// benchReply is a typical top-posted reply with a long quoted history.
var benchReply = "#status resolved\n\nThanks, the new password works. I will close the ticket.\n\nBob\n\n" +
	"Sent from my iPhone\n\nOn Sat, Nov 21, 2026 at 10:00 AM, Support <support@example.com> wrote:\n\n" +
	strings.Repeat("> Please try to reset your password and tell us whether the login works now.\n>\n", 40)

func BenchmarkText(b *testing.B) {
	b.SetBytes(int64(len(benchReply)))
	for b.Loop() {
		Text(benchReply)
	}
}

// BenchmarkTextInterleaved measures the slow path: nothing above the
// quote, so every line is classified.
func BenchmarkTextInterleaved(b *testing.B) {
	in := "On Sat, Nov 21, 2026 at 10:00 AM, Support <support@example.com> wrote:\n" +
		strings.Repeat("> A question about the configuration of the mail server?\nAn answer to it, on one line.\n\n", 40)
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Text(in)
	}
}

func BenchmarkHTML(b *testing.B) {
	in := `<div dir="ltr">Thanks, the new password works.<br><br>Bob</div><br><div class="gmail_quote">` +
		`<div dir="ltr" class="gmail_attr">On Sat, Nov 21, 2026 at 10:00 AM Support &lt;support@example.com&gt; wrote:<br></div>` +
		`<blockquote class="gmail_quote">` + strings.Repeat("<div>Please try to reset your password.</div>", 40) + `</blockquote></div>`
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		HTML(in)
	}
}
