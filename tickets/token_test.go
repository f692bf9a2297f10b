package tickets

import (
	"strings"
	"testing"
)

func TestSignerTokens(t *testing.T) {
	s := &Signer{Secret: []byte("0123456789abcdef")}
	tok := s.Token(PurposeTrack, 42)
	if n, ok := s.Check(PurposeTrack, tok); !ok || n != 42 {
		t.Fatalf("Check(own token) = %d, %v", n, ok)
	}
	_, mac, _ := strings.Cut(tok, "-")
	if bits := len(mac) * 5; bits < 80 {
		t.Errorf("MAC has %d bits, want >= 80", bits)
	}
	bad := []struct{ name, purpose, tok string }{
		{"other purpose", PurposeClose, tok},
		{"other number", PurposeTrack, "43-" + mac},
		{"tampered", PurposeTrack, tok[:len(tok)-1] + map[bool]string{true: "b", false: "a"}[tok[len(tok)-1] == 'a']},
		{"leading zero", PurposeTrack, "042-" + mac},
		{"no mac", PurposeTrack, "42"},
		{"empty", PurposeTrack, ""},
		{"short", PurposeTrack, "42-abc"},
		{"negative", PurposeTrack, "-42-" + mac},
		{"other secret", PurposeTrack, (&Signer{Secret: []byte("another-secret-1")}).Token(PurposeTrack, 42)},
	}
	for _, b := range bad {
		if _, ok := s.Check(b.purpose, b.tok); ok {
			t.Errorf("%s: Check(%q) accepted", b.name, b.tok)
		}
	}
}

func TestSubjectTag(t *testing.T) {
	tests := []struct {
		subject, prefix string
		want            int64
	}{
		{"[#12] camera", "", 12},
		{"Re: [#12] camera", "", 12},
		{"RE: AW: Fwd: [#7] x", "", 7},
		{"回复：［＃１２］摄像头", "", 12},
		{"【#12】摄像头", "", 12},
		{"答复: [Support #99] x", "Support", 99},
		{"[Support #99] x", "", 0},
		{"[#99] x", "Support", 0},
		{"issue #12 again", "", 0},
		{"[#] x", "", 0},
		{"[#12a] x", "", 0},
		{"[ext] [#5] x", "", 5},
	}
	for _, tt := range tests {
		if got := SubjectTag(tt.subject, tt.prefix); got != tt.want {
			t.Errorf("SubjectTag(%q, %q) = %d, want %d", tt.subject, tt.prefix, got, tt.want)
		}
	}
}

func TestStripReplyPrefixes(t *testing.T) {
	tests := map[string]string{
		"Re: hello":              "hello",
		"RE: Fwd: AW: hello":     "hello",
		"回复：直播卡顿":                "直播卡顿",
		"答复: 转发: 直播卡顿":           "直播卡顿",
		"Re[2]: hello":           "hello",
		"Reply needed: hello":    "Reply needed: hello",
		"Question: how to login": "Question: how to login",
		"":                       "",
	}
	for in, want := range tests {
		if got := StripReplyPrefixes(in); got != want {
			t.Errorf("StripReplyPrefixes(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseCommands(t *testing.T) {
	cmds, rest := ParseCommands("#status resolved\n#状态 已解决\n\n#assign 王工\n#bogus x\nHello,\n#priority P0 stays text")
	var got []string
	for _, c := range cmds {
		got = append(got, c.Verb+"="+c.Arg)
	}
	want := "status=resolved,status=已解决,assign=王工,=x"
	if strings.Join(got, ",") != want {
		t.Errorf("commands = %v, want %s", got, want)
	}
	if rest != "Hello,\n#priority P0 stays text" {
		t.Errorf("rest = %q", rest)
	}
	if cmds, _ := ParseCommands("#12 is the ticket"); len(cmds) != 0 {
		t.Errorf("'#12' parsed as a command: %+v", cmds)
	}
	if st, ok := ParseStatus("处理中"); !ok || st != StatusInProgress {
		t.Errorf("ParseStatus(处理中) = %s, %v", st, ok)
	}
}
