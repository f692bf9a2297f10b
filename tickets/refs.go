package tickets

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
)

// RefCodec is the one codec for the references postdesk puts in mail it
// sends: the Message-IDs of our notices and the staff reply tokens carried
// in them (and, with plus addressing, in the Reply-To address). Generation
// and parsing both live here; no other code knows the format.
//
// Message-IDs (version 2, minted now):
//
//	pd2.<ticket>.<16 hex random>@<domain>   a notice without a token
//	pd2.<ticket>.<token>@<domain>           a staff notice with its token
//
// Version 1 ("pd.<ticket>.<hex>@domain", "pd.<ticket>-<mac>.<hex>@domain")
// is still read for its ticket number, so old threads keep threading; its
// token part is ignored: v1 tokens were per address and ticket, never
// expired, and grant nothing any more.
//
// A token (version 2) is "2" followed by 16 base32 characters of random ID
// (80 bits) and 16 of HMAC-SHA256 (80 bits) over the version, the ID, the
// ticket and the staff address. The ID names a stored StaffToken (which
// can expire and be revoked); the MAC, compared in constant time, proves we
// minted it for that ticket and address, so even a copy of the database
// does not let anyone forge one without the secret.
//
// The zero RefCodec mints Message-IDs at "postdesk.invalid" and must not
// mint tokens (it has no secret).
type RefCodec struct {
	// Domain is the right-hand side of our Message-IDs.
	Domain string
	// Secret keys the token MACs.
	Secret []byte
}

// Ref is what one of our Message-IDs says.
type Ref struct {
	Ticket int64
	// Token is the staff reply token in it, "" if none.
	Token string
	// Version is the format version (1 or 2).
	Version int
}

const (
	tokenVersion = '2'
	tokenIDLen   = 10 // bytes: 80 bits, 16 base32 characters
	tokenMACLen  = 10 // bytes: 80 bits, 16 base32 characters
	tokenLen     = 1 + 16 + 16
)

func (c *RefCodec) domain() string {
	if c.Domain == "" {
		return "postdesk.invalid"
	}
	return c.Domain
}

// MessageID mints the Message-ID of a notice about ticket n (0: about no
// ticket), carrying token if it is not empty.
func (c *RefCodec) MessageID(n int64, token string) string {
	tail := token
	if tail == "" {
		var rnd [8]byte
		rand.Read(rnd[:])
		tail = hex.EncodeToString(rnd[:])
	}
	return "pd2." + strconv.FormatInt(n, 10) + "." + tail + "@" + c.domain()
}

// Parse reads one of our Message-IDs (without angle brackets). ok is false
// for anyone else's.
func (c *RefCodec) Parse(id string) (r Ref, ok bool) {
	local, domain, found := strings.Cut(id, "@")
	if !found || !strings.EqualFold(domain, c.domain()) {
		return Ref{}, false
	}
	switch {
	case strings.HasPrefix(local, "pd2."):
		num, tail, _ := strings.Cut(local[4:], ".")
		n := parseNumber(num)
		if n < 0 || (n == 0 && num != "0") {
			return Ref{}, false
		}
		r = Ref{Ticket: n, Version: 2}
		if validTokenSyntax(tail) {
			r.Token = strings.ToLower(tail)
		}
		return r, true
	case strings.HasPrefix(local, "pd."):
		num := local[3:]
		if i := strings.IndexAny(num, ".-"); i > 0 {
			num = num[:i]
		}
		if n := parseNumber(num); n > 0 {
			return Ref{Ticket: n, Version: 1}, true
		}
	}
	return Ref{}, false
}

// NewToken mints a token for staff address email about ticket n and
// returns it with its ID (the key of its StaffToken record).
func (c *RefCodec) NewToken(n int64, email string) (token, id string) {
	var raw [tokenIDLen]byte
	rand.Read(raw[:])
	id = strings.ToLower(b32.EncodeToString(raw[:]))
	return string(tokenVersion) + id + c.tokenMAC(id, n, email), id
}

func (c *RefCodec) tokenMAC(id string, n int64, email string) string {
	h := hmac.New(sha256.New, c.Secret)
	h.Write([]byte("postdesk/staff-token/v2\x00"))
	h.Write([]byte(id))
	h.Write([]byte{0})
	h.Write([]byte(strconv.FormatInt(n, 10)))
	h.Write([]byte{0})
	h.Write([]byte(NormalizeEmail(email)))
	return strings.ToLower(b32.EncodeToString(h.Sum(nil)[:tokenMACLen]))
}

// TokenID returns the ID part of a well-formed token, or "".
func (c *RefCodec) TokenID(token string) string {
	if !validTokenSyntax(token) {
		return ""
	}
	return strings.ToLower(token[1 : 1+16])
}

// CheckToken reports, in constant time over the MAC, whether token was
// minted by us for ticket n and address email.
func (c *RefCodec) CheckToken(token string, n int64, email string) bool {
	if !validTokenSyntax(token) {
		return false
	}
	token = strings.ToLower(token)
	want := c.tokenMAC(token[1:17], n, email)
	return subtle.ConstantTimeCompare([]byte(token[17:]), []byte(want)) == 1
}

func validTokenSyntax(s string) bool {
	if len(s) != tokenLen || s[0] != tokenVersion {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i] | 0x20 // lower-case letters; digits unchanged
		if !(c >= 'a' && c <= 'z') && !(s[i] >= '2' && s[i] <= '7') {
			return false
		}
	}
	return true
}

// ReplyAddress returns the plus address that carries token for the desk
// address desk ("support@x" -> "support+TOKEN@x").
func ReplyAddress(desk, token string) string {
	local, domain, _ := strings.Cut(desk, "@")
	return local + "+" + token + "@" + domain
}

// HeaderTokens returns the tokens m carries where a reply carries them: our
// Message-IDs in In-Reply-To and References, and plus addresses of the desk
// among its recipients. Duplicates are dropped.
func (c *RefCodec) HeaderTokens(m *Message) []string {
	var out []string
	add := func(tok string) {
		if tok != "" && !contains(out, tok) {
			out = append(out, tok)
		}
	}
	for _, id := range append(append([]string(nil), m.InReplyTo...), m.References...) {
		if r, ok := c.Parse(id); ok {
			add(r.Token)
		}
	}
	for _, a := range append(append([]Address(nil), m.To...), m.Cc...) {
		local, _, _ := strings.Cut(a.Email, "@")
		if _, tok, ok := strings.Cut(local, "+"); ok && validTokenSyntax(tok) {
			add(strings.ToLower(tok))
		}
	}
	return out
}

// embeddedToken finds tokens in free text: inside one of our Message-IDs
// or a plus address, as a forwarded copy shows them.
var embeddedToken = regexp.MustCompile(`(?i)(?:pd2\.[0-9]+\.|\+)(2[a-z2-7]{32})@`)

// EmbeddedTokens returns the tokens found in the headers of mails enclosed
// in m (forwarded as attachments) and in its text (an inline forward):
// copies of our notices that someone passed on.
func (c *RefCodec) EmbeddedTokens(m *Message) []string {
	var out []string
	scan := func(s string) {
		for _, g := range embeddedToken.FindAllStringSubmatch(s, 50) {
			if tok := strings.ToLower(g[1]); !contains(out, tok) {
				out = append(out, tok)
			}
		}
	}
	for _, h := range m.Enclosed {
		scan(h)
	}
	scan(m.Text)
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
