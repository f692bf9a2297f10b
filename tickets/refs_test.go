package tickets

import (
	"strings"
	"testing"
)

func TestRefCodec(t *testing.T) {
	c := &RefCodec{Domain: "desk.test", Secret: []byte("0123456789abcdef")}
	tok, id := c.NewToken(42, "li@desk.test")
	if got := c.TokenID(tok); got != id {
		t.Fatalf("TokenID(%q) = %q, want %q", tok, got, id)
	}
	if bits := (len(tok) - 1 - len(id)) * 5; bits < 80 || len(id)*5 < 80 {
		t.Errorf("token %q: id %d bits, MAC %d bits; want >= 80 each", tok, len(id)*5, bits)
	}
	if !c.CheckToken(tok, 42, "LI@desk.test ") {
		t.Error("CheckToken(own token) = false")
	}
	flip := func(s string) string {
		b := []byte(s)
		if b[len(b)-1] == 'a' {
			b[len(b)-1] = 'b'
		} else {
			b[len(b)-1] = 'a'
		}
		return string(b)
	}
	other := &RefCodec{Domain: "desk.test", Secret: []byte("another-secret-1")}
	bad := []struct {
		name  string
		ok    bool
		check func() bool
	}{
		{"other ticket", false, func() bool { return c.CheckToken(tok, 43, "li@desk.test") }},
		{"other staff address", false, func() bool { return c.CheckToken(tok, 42, "wang@desk.test") }},
		{"tampered MAC", false, func() bool { return c.CheckToken(flip(tok), 42, "li@desk.test") }},
		{"other secret", false, func() bool { return other.CheckToken(tok, 42, "li@desk.test") }},
		{"version 1 token", false, func() bool { return c.CheckToken("42-abcdefghijklmnopqrstu", 42, "li@desk.test") }},
		{"wrong version", false, func() bool { return c.CheckToken("3"+tok[1:], 42, "li@desk.test") }},
		{"upper case", true, func() bool { return c.CheckToken(strings.ToUpper(tok), 42, "li@desk.test") }},
	}
	for _, b := range bad {
		if got := b.check(); got != b.ok {
			t.Errorf("%s: CheckToken = %v, want %v", b.name, got, b.ok)
		}
	}

	ids := []struct {
		name, id string
		want     Ref
		ok       bool
	}{
		{"v2 with token", c.MessageID(42, tok), Ref{Ticket: 42, Token: tok, Version: 2}, true},
		{"v2 without token", c.MessageID(7, ""), Ref{Ticket: 7, Version: 2}, true},
		{"v2 about no ticket", c.MessageID(0, ""), Ref{Ticket: 0, Version: 2}, true},
		{"v1 plain", "pd.12.0011223344556677@desk.test", Ref{Ticket: 12, Version: 1}, true},
		{"v1 with a (now void) token", "pd.12-abcdefghijklmnopqrstu.0011@desk.test", Ref{Ticket: 12, Version: 1}, true},
		{"domain case", "pd2.5.00aa@DESK.test", Ref{Ticket: 5, Version: 2}, true},
		{"other domain", "pd2.5.00aa@evil.test", Ref{}, false},
		{"customer id", "abc@school.test", Ref{}, false},
		{"garbage number", "pd2.x5.00aa@desk.test", Ref{}, false},
	}
	for _, tt := range ids {
		got, ok := c.Parse(tt.id)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: Parse(%q) = %+v, %v; want %+v, %v", tt.name, tt.id, got, ok, tt.want, tt.ok)
		}
	}

	m := &Message{
		InReplyTo:  []string{c.MessageID(42, tok)},
		References: []string{"first@school.test", c.MessageID(42, tok), c.MessageID(42, "")},
		To:         []Address{{Email: ReplyAddress("support@desk.test", strings.ToUpper(tok[:1])+tok[1:])}},
	}
	if got := c.HeaderTokens(m); len(got) != 1 || got[0] != tok {
		t.Errorf("HeaderTokens = %q, want [%q] once", got, tok)
	}
	fwd := &Message{Text: "---------- Forwarded message ---------\nMessage-ID: <" + c.MessageID(42, tok) + ">\nReply-To: support+" + tok + "@desk.test\n",
		Enclosed: []string{"Message-Id: <" + c.MessageID(9, tok2(c)) + ">"}}
	if got := c.EmbeddedTokens(fwd); len(got) != 2 || got[1] != tok {
		t.Errorf("EmbeddedTokens = %q, want the enclosed token and %q", got, tok)
	}
}

func tok2(c *RefCodec) string { t, _ := c.NewToken(9, "wang@desk.test"); return t }

// FuzzRefCodec: reading Message-IDs and tokens never panics; a parsed ID
// is well-formed, and a token that checks for one ticket and address
// checks for no other.
func FuzzRefCodec(f *testing.F) {
	c := &RefCodec{Domain: "desk.test", Secret: []byte("0123456789abcdef")}
	tok, _ := c.NewToken(5, "li@desk.test")
	for _, s := range []string{c.MessageID(5, tok), c.MessageID(5, ""), "pd.5-aaaa.00@desk.test", "pd2..@desk.test", "pd2.5.@desk.test", "@", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		r, ok := c.Parse(id)
		if !ok {
			return
		}
		if r.Ticket < 0 || (r.Version != 1 && r.Version != 2) || (r.Token != "" && c.TokenID(r.Token) == "") {
			t.Fatalf("Parse(%q) = %+v", id, r)
		}
		if c.CheckToken(r.Token, 5, "li@desk.test") && (c.CheckToken(r.Token, 6, "li@desk.test") || c.CheckToken(r.Token, 5, "wang@desk.test")) {
			t.Fatalf("token %q checks for another ticket or address", r.Token)
		}
	})
}
