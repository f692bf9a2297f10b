package bench

import (
	"context"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/postdesk/postdesk/mail"
)

// TestGeneratedMailParses checks that the generated mail is what the bench
// claims to send: every mail parses with its subject and text, GBK mail
// decodes to Chinese, replies point at earlier reports, and the counts add
// up. The pipeline runs of `postdesk bench` are tested in cmd/postdesk,
// which builds the Program.
func TestGeneratedMailParses(t *testing.T) {
	o := benchOptions{Seed: 7, AttachRatio: 0.1, HTMLRatio: 0.3, GBKRatio: 0.3}
	g := newBenchGen(o)
	ids := map[string]bool{}
	for i := range 200 {
		m := g.Next(0.3)
		p := mail.Parse(m.Raw, &mail.ParseOptions{SkipAttachmentData: true})
		if p.MessageID != m.MsgID {
			t.Errorf("mail %d: MessageID = %q, want %q", i, p.MessageID, m.MsgID)
		}
		if p.Subject == "" || strings.TrimSpace(p.Text) == "" {
			t.Errorf("mail %d: subject %q, text %q: want both", i, p.Subject, p.Text)
		}
		if !utf8.ValidString(p.Subject) || strings.ContainsRune(p.Subject+p.Text, utf8.RuneError) {
			t.Errorf("mail %d: undecoded characters in %q", i, p.Subject)
		}
		if m.Reply {
			found := false
			for _, r := range p.InReplyTo {
				found = found || ids[r]
			}
			if !found && !strings.Contains(p.Subject, "#") {
				t.Errorf("mail %d: reply %q threads neither by In-Reply-To %v nor by tag", i, p.Subject, p.InReplyTo)
			}
		} else {
			ids[m.MsgID] = true
		}
	}
	if g.Reports+g.Replies != 200 {
		t.Errorf("reports %d + replies %d, want 200", g.Reports, g.Replies)
	}
	if g.Replies == 0 || g.GBK == 0 || g.HTML == 0 || g.Attach == 0 || g.ZH == 0 {
		t.Errorf("generated %d replies, %d GBK, %d HTML, %d with attachment, %d Chinese: want some of each", g.Replies, g.GBK, g.HTML, g.Attach, g.ZH)
	}
}

// TestMainRejectsBadFlags checks the flag validation, which runs before
// anything is opened (so no Postdesk is needed).
func TestMainRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-rate", "0"}, {"-staff", "9"}, {"-html-ratio", "2"}, {"extra"}} {
		err := Main(context.Background(), args, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "bench:") {
			t.Errorf("Main(%q) = %v, want a bench: error", args, err)
		}
	}
}
