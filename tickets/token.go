package tickets

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"strconv"
	"strings"
)

// Signer issues and checks the capability tokens in tracking links and
// one-click actions (staff reply tokens are RefCodec's). A token is the
// ticket number and a truncated HMAC-SHA256 (100 bits) over a version, a
// purpose and the number; it is checked in constant time. Rotating Secret revokes every token.
// The zero Signer has an empty key and must not be used.
type Signer struct {
	Secret []byte
}

// macLen is the number of MAC bytes kept: 100 bits rounded up to whole
// base32 characters (13 bytes = 104 bits, 21 characters).
const macLen = 13

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func (s *Signer) mac(purpose string, n int64) string {
	h := hmac.New(sha256.New, s.Secret)
	h.Write([]byte("postdesk/v1\x00"))
	h.Write([]byte(purpose))
	h.Write([]byte{0})
	h.Write([]byte(strconv.FormatInt(n, 10)))
	return strings.ToLower(b32.EncodeToString(h.Sum(nil)[:macLen]))
}

// Token returns the token that grants purpose on ticket n, as "N-mac".
// purpose is free text, e.g. "track", "close".
func (s *Signer) Token(purpose string, n int64) string {
	return strconv.FormatInt(n, 10) + "-" + s.mac(purpose, n)
}

// Check returns the ticket number a token grants purpose on, and whether
// it is valid. Malformed and tampered tokens are invalid; the MAC is
// compared in constant time.
func (s *Signer) Check(purpose, token string) (int64, bool) {
	num, mac, ok := strings.Cut(token, "-")
	if !ok || len(num) == 0 || len(num) > 18 || len(mac) != b32.EncodedLen(macLen) {
		return 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != num {
		return 0, false
	}
	want := s.mac(purpose, n)
	if subtle.ConstantTimeCompare([]byte(strings.ToLower(mac)), []byte(want)) != 1 {
		return 0, false
	}
	return n, true
}

// Token purposes.
const (
	PurposeTrack  = "track"
	PurposeClose  = "close"
	PurposeReopen = "reopen"
	// PurposeSelfHelp marks the knowledge-base links of a ticket's mail:
	// the article page then offers "this solved my problem".
	PurposeSelfHelp = "kb"
)
