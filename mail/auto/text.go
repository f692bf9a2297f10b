package auto

import (
	"bytes"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
)

// pattern is a family of subject (or text) needles with one label for Reason.
// Needles are lower case; ASCII letters match in any case, other bytes as they
// are, and a valid UTF-8 subject is also compared in lower case. Some needles
// are the GBK or Big5 bytes of a Chinese phrase, for subjects whose charset
// could not be decoded.
type pattern struct {
	label   string
	needles []string
}

// autoReplySubjects match at the start of the subject (after spaces and "[").
var autoReplySubjects = []pattern{
	{"Automatic reply", []string{"automatic reply", "automatische antwort", "automatisch antwoord", "automatisk svar",
		"automatiskt svar", "automaattinen vastaus", "automatikus válasz", "automatická odpověď", "automatická odpoveď",
		"réponse automatique", "reponse automatique", "risposta automatica", "respuesta automática", "respuesta automatica",
		"resposta automática", "resposta automatica", "otomatik yanıt", "otomatik yanit", "автоматический ответ",
		"автоматична відповідь", "αυτόματη απάντηση", "automatic response"}},
	{"Automatyczna odpowiedź", []string{"automatyczna odpowied"}}, // "odpowiedź" in any charset
	{"Auto reply", []string{"auto reply", "auto-reply", "autoreply", "auto response", "auto-response", "autoresponse",
		"autorespons", "auto-antwort", "autoantwort", "автоответ", "vacation reply", "vacation autoreply"}},
	{"Out of Office", []string{"out of office:", "out of office reply", "out of office autoreply", "out of office auto",
		"out of office notification", "out of office]", "out of the office:", "ooo:", "abwesenheitsnotiz", "abwesend:"}},
	{"自动回复", []string{"自动回复", "自動回覆", "自動回复", "自动答复", "自動応答", "自動返信", "자동 회신", "자동응답", "자동 응답",
		"\xd7\xd4\xb6\xaf\xbb\xd8\xb8\xb4", // 自动回复 in GB2312/GBK
		"\xa6\xdb\xb0\xca\xa6\x5e\xc2\xd0", // 自動回覆 in Big5
	}},
}

// autoReplySubjectsAnywhere match anywhere in the subject.
var autoReplySubjectsAnywhere = []pattern{
	{"is out of the office", []string{"is out of the office", "est absent(e) du bureau", "ist außer haus", "ist ausser haus"}},
	{"自动回复", []string{"[自动回复]", "【自动回复】", "(自动回复)", "（自动回复）"}},
}

// bounceSubjects match anywhere in the subject. They only make a Bounce
// together with a daemon or null sender, or other evidence.
var bounceSubjects = []pattern{
	{"Undelivered Mail Returned to Sender", []string{"undelivered mail returned to sender"}},
	{"Delivery Status Notification", []string{"delivery status notification", "delivery status notice", "notice: mail delivery status"}},
	{"Mail delivery failed", []string{"mail delivery failed", "delivery failed", "delivery failure", "delivery has failed",
		"failed delivery", "delivery problem", "mail delivery error", "message delivery failure"}},
	{"Undeliverable", []string{"undeliverable", "undelivered", "non-delivery", "nondeliverable", "not delivered", "could not be delivered",
		"unzustellbar", "nicht zustellbar", "non remis", "non recapitabile", "onbestelbaar", "no se puede entregar",
		"impossible de remettre", "não é possível entregar", "niedostarczaln", "kézbesíthetetlen", "недоставлено", "не доставлено"}},
	{"failure notice", []string{"failure notice", "delivery notification", "mail system error"}},
	{"Returned mail", []string{"returned mail", "returned message", "returning message to sender", "return to sender"}},
	{"Delayed Mail", []string{"delayed mail", "delivery delayed", "delivery delay", "could not send message for past",
		"(delay)", "warning: message", "still being retried"}},
	{"退信", []string{"退信", "无法投递", "未能送达", "投递失败", "無法傳遞", "無法投遞", "未送達", "配信不能", "配信エラー", "배달 실패", "전송 실패",
		"\xcd\xcb\xd0\xc5", // 退信 in GB2312/GBK
		"\xb0\x68\xab\x48", // 退信 in Big5
	}},
}

// warningSubjects mark a bounce that is only a delay warning.
var warningSubjects = []pattern{
	{"delay", []string{"delay", "warning: could not send", "still being retried", "will retry", "not yet been delivered",
		"延迟", "延遲", "遅延"}},
}

// bounceTexts are phrases of the human-readable text of a bounce.
var bounceTexts = []pattern{
	{"bounce text", []string{"could not be delivered", "couldn't be delivered", "was not delivered", "wasn't delivered",
		"not be delivered", "undeliverable", "delivery has failed", "delivery failed", "delivery to the following recipient",
		"failed permanently", "permanent error", "permanent fatal error", "following address(es) failed", "unable to deliver",
		"wasn't able to deliver", "was not able to deliver", "did not reach the following recipient", "user unknown",
		"no such user", "mailbox unavailable", "mailbox is full", "returned to sender", "delivery status notification",
		"error has occurred while attempting to deliver", "message you sent could not", "failure reasons",
		"无法投递", "退信", "無法傳遞"}},
}

// matchAny returns the label of the first pattern with a needle in s (at its
// start when prefix is set), or "".
func matchAny(s string, ps []pattern, prefix bool) string {
	if s == "" {
		return ""
	}
	if prefix {
		s = strings.TrimLeft(s, " \t[【(")
	}
	lower := ""
	if utf8.ValidString(s) {
		lower = strings.ToLower(s)
	}
	for _, p := range ps {
		for _, n := range p.needles {
			if prefix {
				if hasPrefixFold(s, n) || (lower != "" && strings.HasPrefix(lower, n)) {
					return p.label
				}
			} else if indexFold(s, n) >= 0 || (lower != "" && strings.Contains(lower, n)) {
				return p.label
			}
		}
	}
	return ""
}

// lowerASCII maps A-Z to a-z and leaves every other byte alone, so that the
// bytes of an undecoded charset survive.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lowerASCII(s[i]) != lowerASCII(prefix[i]) {
			return false
		}
	}
	return true
}

// indexFold is strings.Index with ASCII case folding; needle must be lower case.
func indexFold(s, needle string) int {
	if needle == "" {
		return 0
	}
	for i := 0; i+len(needle) <= len(s); i++ {
		if lowerASCII(s[i]) == lowerASCII(needle[0]) && hasPrefixFold(s[i:], needle) {
			return i
		}
	}
	return -1
}

// wordDecoder decodes RFC 2047 encoded words with the charsets of
// go-message/charset. The bytes of a charset it does not know (UTF-7,
// mislabelled ones) are kept as they are, which the GBK and Big5 needles
// above are also made for.
var wordDecoder = mime.WordDecoder{CharsetReader: func(name string, r io.Reader) (io.Reader, error) {
	if d, err := charset.Reader(name, r); err == nil && d != nil {
		return d, nil
	}
	return r, nil
}}

// decodeHeader decodes the encoded words of an unstructured field, keeping the
// raw value when decoding fails.
func decodeHeader(v string) string {
	if !strings.Contains(v, "=?") {
		return v
	}
	d, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return v
	}
	return d
}

// parseContentType returns the lower-case media type and parameters of a
// Content-Type value, tolerating the usual errors (a trailing ";", a
// duplicated parameter). The type is "" when there is none.
func parseContentType(v string) (string, map[string]string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err == nil {
		return mt, params
	}
	// Parse it by hand: type, then name=value pairs.
	parts := strings.Split(v, ";")
	mt = strings.ToLower(strings.TrimSpace(parts[0]))
	params = map[string]string{}
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := params[k]; !dup {
			params[k] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return mt, params
}

var (
	addrRE    = regexp.MustCompile(`[A-Za-z0-9!#$%&'*+/=?^_{|}~.\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	msgIDRE   = regexp.MustCompile(`<([^<>\s]+)>`)
	textMIDRE = regexp.MustCompile(`(?im)^[ \t>]*message-id:[ \t]*(?:\r?\n[ \t]+)?<([^<>\s]+)>`)
	statusRE  = regexp.MustCompile(`(?:^|[^0-9.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?:[^0-9.]|$)`)
	smtpRE    = regexp.MustCompile(`(?:^|[^0-9.])([45][0-9]{2}[ -].*)$`)
)

// addresses returns the lower-case addresses found in s, in order, without duplicates.
func addresses(s string) []string {
	var out []string
	for _, m := range addrRE.FindAllString(s, -1) {
		a := strings.ToLower(strings.Trim(m, ".-"))
		if !contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// msgIDs returns the message identifiers of an In-Reply-To, References or
// Message-ID value without angle brackets. A lone identifier without brackets
// is accepted too.
func msgIDs(v string) []string {
	var out []string
	for _, m := range msgIDRE.FindAllStringSubmatch(v, -1) {
		out = appendRef(out, m[1])
	}
	if out == nil {
		if t := strings.TrimSpace(v); t != "" && !strings.ContainsAny(t, " \t\r\n<>") && strings.Contains(t, "@") {
			out = appendRef(out, t)
		}
	}
	return out
}

// appendRef adds an identifier that is not already there.
func appendRef(refs []string, id string) []string {
	if id == "" || contains(refs, id) || len(refs) >= maxRefs || !utf8.ValidString(id) {
		return refs
	}
	return append(refs, id)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stripTags turns HTML into rough text for the phrase and address search.
func stripTags(b []byte) []byte {
	var out bytes.Buffer
	in := false
	for _, c := range b {
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
			out.WriteByte(' ')
		case !in:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}
