package tickets

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// foldWidth maps full-width ASCII variants (＃１２［］) to ASCII, and the
// ideographic space to a space, so tags typed or rewritten by CJK clients
// still match.
func foldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFF01 - 0x21
		case r == 0x3000:
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// replyPrefixes are the reply/forward markers mail clients put in front of
// a subject, compared case-insensitively after width folding.
var replyPrefixes = []string{"re", "fw", "fwd", "aw", "wg", "sv", "vs", "r", "i", "antw", "antwort", "tr", "rv", "回复", "回覆", "答复", "答覆", "转发", "轉寄", "转寄"}

// StripReplyPrefixes removes leading "Re:", "Fwd:", "回复：" ... markers
// (any number, any case and width, with optional [n] counters such as
// "Re[2]:").
func StripReplyPrefixes(subject string) string {
	s := strings.TrimSpace(subject)
	for {
		f := foldWidth(s)
		colon := strings.IndexAny(f, ":")
		if colon <= 0 || colon > 12 {
			return s
		}
		word := strings.ToLower(strings.TrimSpace(f[:colon]))
		if i := strings.IndexByte(word, '['); i > 0 && strings.HasSuffix(word, "]") {
			word = word[:i]
		}
		match := false
		for _, p := range replyPrefixes {
			if word == p {
				match = true
				break
			}
		}
		if !match {
			return s
		}
		// colon is a byte offset in the folded string; full-width
		// characters fold to one byte, so cut the original by runes.
		runes := utf8.RuneCountInString(f[:colon+1])
		s = strings.TrimSpace(string([]rune(s)[runes:]))
	}
}

// lenticular turns the full-width brackets 【】 into [ and ].
var lenticular = strings.NewReplacer("【", "[", "】", "]")

// SubjectTag finds our tag "[<prefix>#N]" in a subject (also with
// full-width brackets or digits, and 【】) and returns N, or 0.
func SubjectTag(subject, prefix string) int64 {
	f := foldWidth(subject)
	f = lenticular.Replace(f)
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	for i := 0; i < len(f); i++ {
		if f[i] != '[' {
			continue
		}
		end := strings.IndexByte(f[i:], ']')
		if end < 0 {
			return 0
		}
		inner := strings.TrimSpace(f[i+1 : i+end])
		hash := strings.LastIndexByte(inner, '#')
		if hash < 0 || strings.ToLower(strings.TrimSpace(inner[:hash])) != prefix {
			continue
		}
		num := strings.TrimSpace(inner[hash+1:])
		if n := parseNumber(num); n > 0 {
			return n
		}
	}
	return 0
}

func parseNumber(s string) int64 {
	if s == "" || len(s) > 15 {
		return 0
	}
	var n int64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// Tag returns the subject tag for ticket n, e.g. "[#12]" or "[Support #12]".
func Tag(prefix string, n int64) string {
	prefix = strings.TrimSpace(prefix)
	if prefix != "" {
		prefix += " "
	}
	return "[" + prefix + "#" + strconv.FormatInt(n, 10) + "]"
}
