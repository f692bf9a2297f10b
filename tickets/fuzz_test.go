package tickets

import (
	"strings"
	"testing"
)

// FuzzSubjectTag: tag parsing never panics, and a tag it writes is read back.
func FuzzSubjectTag(f *testing.F) {
	for _, s := range []string{"[#12] x", "回复：［＃１２］摄像头", "【#3】", "[Support #99] x", "[", "[#", "[#99999999999999999999]"} {
		f.Add(s, int64(12))
	}
	f.Fuzz(func(t *testing.T, subject string, n int64) {
		SubjectTag(subject, "")
		StripReplyPrefixes(subject)
		if n > 0 && n < 1e15 {
			if got := SubjectTag("Re: "+Tag("", n)+" "+subject, ""); got != n {
				t.Fatalf("SubjectTag(Tag(%d)) = %d", n, got)
			}
		}
	})
}

// FuzzParseCommands: command parsing never panics and never loses text.
func FuzzParseCommands(f *testing.F) {
	for _, s := range []string{"#status resolved\nhi", "#状态 已解决\n\n#note", "＃take", "#", "#12 x", "\r\n#merge 3\r\nbody"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cmds, rest := ParseCommands(text)
		if len(cmds) > 20 {
			t.Fatalf("%d commands", len(cmds))
		}
		if len(cmds) == 0 && strings.TrimSpace(rest) != strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n")) {
			t.Fatalf("no commands but text changed: %q -> %q", text, rest)
		}
	})
}

// FuzzSignerCheck: token checking never panics and accepts only tokens it
// issued for that purpose.
func FuzzSignerCheck(f *testing.F) {
	s := &Signer{Secret: []byte("0123456789abcdef")}
	f.Add(s.Token(PurposeTrack, 1))
	f.Add("1-aaaaaaaaaaaaaaaaaaaaa")
	f.Add("")
	f.Fuzz(func(t *testing.T, tok string) {
		n, ok := s.Check(PurposeTrack, tok)
		if ok && s.Token(PurposeTrack, n) != strings.ToLower(tok) {
			t.Fatalf("accepted %q for %d, issued %q", tok, n, s.Token(PurposeTrack, n))
		}
	})
}
