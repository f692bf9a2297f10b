package auto

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

// bodyFacts is what the MIME structure and text of a message say.
type bodyFacts struct {
	dsn        bool        // a message/delivery-status part was found
	report     string      // type of another report part found (disposition-notification, feedback-report)
	recipients []Recipient // failed or delayed recipients of the DSN parts
	delivered  int         // DSN recipients that were delivered, relayed or expanded

	partRefs []string // Message-IDs of returned messages and MDN Original-Message-IDs
	textRefs []string // "Message-ID:" lines quoted in text parts
	explain  []byte   // text parts up to the start of a quoted original message
	text     int      // bytes of text kept so far
	parts    int      // parts visited so far
}

// inspectBody walks the MIME structure of a message whose top-level header
// is h and whose body follows. It never reads more than maxBodyBytes of body.
func inspectBody(h textproto.Header, body []byte) *bodyFacts {
	b := &bodyFacts{}
	b.walk(h, io.LimitReader(bytes.NewReader(body), maxBodyBytes), 0, true)
	return b
}

// walk inspects one entity. Leaves are read only when they can matter:
// report parts, returned headers and text.
func (b *bodyFacts) walk(h textproto.Header, r io.Reader, depth int, top bool) {
	b.parts++
	if b.parts > maxParts {
		return
	}
	mt, params := parseContentType(h.Get("Content-Type"))
	if mt == "" || (top && !strings.Contains(mt, "/")) {
		mt = "text/plain" // RFC 2045 section 5.2
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if mt == "multipart/report" {
			switch rt := strings.ToLower(params["report-type"]); rt {
			case "", "delivery-status", "global-delivery-status":
			default:
				b.setReport(clean(rt, 64))
			}
		}
		if depth >= maxDepth {
			return
		}
		// Keep the start of the body: a multipart that cannot be split is read as text.
		start := &prefixBuffer{max: maxTextBytes}
		r = io.TeeReader(r, start)
		boundary := params["boundary"]
		if boundary == "" {
			br := bufio.NewReaderSize(r, 8<<10)
			peek, _ := br.Peek(8 << 10)
			boundary = guessBoundary(peek)
			r = br
		}
		n := 0
		if boundary != "" {
			mr := textproto.NewMultipartReader(r, boundary)
			for b.parts <= maxParts {
				p, err := mr.NextPart()
				if err != nil {
					break // io.EOF, or a broken structure: keep what was seen
				}
				n++
				b.walk(p.Header, p, depth+1, false)
			}
		}
		if n == 0 && b.text < maxTextTotal {
			_, _ = io.Copy(io.Discard, io.LimitReader(r, maxTextBytes))
			b.addText(start.buf[:min(len(start.buf), maxTextTotal-b.text)], false)
		}
	case isDSNType(mt):
		b.dsn = true
		b.parseDSN(readLeaf(h, r, maxTextBytes), false)
	case mt == "message/disposition-notification" || mt == "message/global-disposition-notification":
		b.setReport("disposition-notification")
		fields, _ := textproto.ReadHeader(bufio.NewReader(bytes.NewReader(readLeaf(h, r, maxTextBytes))))
		for _, id := range msgIDs(fields.Get("Original-Message-Id")) {
			b.partRefs = appendRef(b.partRefs, id)
		}
	case mt == "message/feedback-report":
		b.setReport("feedback-report")
	case mt == "message/rfc822" || mt == "message/global" || mt == "text/rfc822-headers" ||
		mt == "message/rfc822-headers" || mt == "message/global-headers":
		// The returned message: only its header matters.
		lr := io.LimitReader(leafReader(h, r), maxHeaderBytes)
		rh, _ := textproto.ReadHeader(bufio.NewReader(lr))
		for _, id := range msgIDs(rh.Get("Message-Id")) {
			b.partRefs = appendRef(b.partRefs, id)
		}
	case mt == "text/plain" || mt == "text/html":
		if b.text < maxTextTotal {
			b.addText(readLeaf(h, r, min(maxTextBytes, maxTextTotal-b.text)), mt == "text/html")
		}
	}
}

// addText keeps a text part: its quoted Message-IDs and, up to the quoted
// original message, its words for the bounce rules.
func (b *bodyFacts) addText(t []byte, html bool) {
	b.text += len(t)
	for _, m := range textMIDRE.FindAllSubmatch(t, -1) {
		b.textRefs = appendRef(b.textRefs, string(m[1]))
	}
	if html {
		t = stripTags(t)
	}
	b.explain = append(b.explain, cutAtOriginal(t)...)
	b.explain = append(b.explain, '\n')
}

// prefixBuffer is an io.Writer that keeps the first max bytes written to it.
type prefixBuffer struct {
	buf []byte
	max int
}

func (p *prefixBuffer) Write(d []byte) (int, error) {
	if room := p.max - len(p.buf); room > 0 {
		p.buf = append(p.buf, d[:min(room, len(d))]...)
	}
	return len(d), nil
}

func (b *bodyFacts) setReport(rt string) {
	if b.report == "" {
		b.report = rt
	}
}

// leafReader undoes the Content-Transfer-Encoding and charset of a leaf part.
// An unknown charset leaves the bytes as they are: most phrases searched for
// are ASCII.
func leafReader(h textproto.Header, r io.Reader) io.Reader {
	e, _ := message.New(message.Header{Header: h}, r) // an unknown encoding or charset still gives a readable body
	if e == nil {
		return r
	}
	return e.Body
}

// readLeaf reads at most n decoded bytes of a leaf part. A read error ends it
// early with what was read.
func readLeaf(h textproto.Header, r io.Reader, n int) []byte {
	t, _ := io.ReadAll(io.LimitReader(leafReader(h, r), int64(n)))
	return t
}

// originalMarkers start the quoted original message in the text of a
// non-standard bounce; addresses after them are not failed recipients.
var originalMarkers = []string{"original message follows", "original message -", "original message:", "returned message",
	"copy of the message", "copy of the original", "copy of your message", "below this line", "headers follow",
	"undelivered message headers", "原始邮件", "邮件原文"}

// cutAtOriginal returns t up to the line that starts the quoted original
// message, or up to a line starting with "Received:". A marker phrase only
// counts on a line that looks like a separator or a heading: one that starts
// with a rule ("-----"), starts with the phrase, or ends with ":" (Postfix's
// "delete your own text from the attached returned message." is neither).
func cutAtOriginal(t []byte) []byte {
	for off := 0; off < len(t); {
		end := bytes.IndexByte(t[off:], '\n')
		if end < 0 {
			end = len(t)
		} else {
			end += off
		}
		line := strings.TrimSpace(string(t[off:end]))
		if hasPrefixFold(line, "received:") {
			return t[:off]
		}
		for _, m := range originalMarkers {
			if indexFold(line, m) < 0 {
				continue
			}
			if strings.IndexAny(line[:1], "-=*_#[") == 0 || hasPrefixFold(line, m) || strings.HasSuffix(line, ":") {
				return t[:off]
			}
		}
		off = end + 1
	}
	return t
}

// dsnFields are the per-recipient fields of RFC 3464. An indented line that
// starts with one of them is taken as a new field, not a continuation: some
// MTAs indent them by mistake.
var dsnFields = []string{"final-recipient:", "original-recipient:", "action:", "status:", "remote-mta:",
	"diagnostic-code:", "last-attempt-date:", "will-retry-until:", "final-log-id:"}

// parseDSN reads the per-recipient fields of a message/delivery-status body
// (RFC 3464 section 2.3). Groups are separated by blank lines; a field that
// repeats inside a group also starts a new one, for reports without blank
// lines. A report whose recipient fields were base64-encoded inside the body
// (seen behind a Proofpoint gateway) is decoded once.
func (b *bodyFacts) parseDSN(body []byte, nested bool) {
	before := len(b.recipients) + b.delivered
	group := map[string]string{}
	flush := func() {
		if len(group) > 0 {
			b.addDSNRecipient(group)
		}
		group = map[string]string{}
	}
	var key string
	var other strings.Builder // lines that are not fields
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimRight(line, "\r")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			flush()
			key = ""
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && key != "" && !isDSNField(trimmed) {
			if len(group[key]) < maxFieldBytes {
				group[key] += " " + trimmed
			}
			continue
		}
		k, v, ok := strings.Cut(trimmed, ":")
		if !ok {
			key = ""
			other.WriteString(trimmed)
			continue
		}
		key = strings.ToLower(strings.TrimSpace(k))
		if _, dup := group[key]; dup && (key == "final-recipient" || key == "original-recipient" || key == "action" || key == "status") {
			flush()
		}
		group[key] = strings.TrimSpace(v)
	}
	flush()
	if !nested && len(b.recipients)+b.delivered == before && other.Len() > 0 {
		if dec, err := base64.StdEncoding.DecodeString(other.String()); err == nil {
			b.parseDSN(dec, true)
		}
	}
}

func isDSNField(line string) bool {
	for _, f := range dsnFields {
		if hasPrefixFold(line, f) {
			return true
		}
	}
	return false
}

// addDSNRecipient adds the recipient of one per-recipient group, if it is one.
func (b *bodyFacts) addDSNRecipient(g map[string]string) {
	email := ""
	if typ, addr, ok := strings.Cut(g["original-recipient"], ";"); ok && strings.EqualFold(strings.TrimSpace(typ), "rfc822") {
		email = cleanAddr(addr)
	}
	if email == "" {
		final := g["final-recipient"]
		if _, addr, ok := strings.Cut(final, ";"); ok {
			final = addr
		}
		email = cleanAddr(final)
	}
	if email == "" {
		return
	}
	action := strings.ToLower(firstWord(g["action"]))
	switch action {
	case "delivered", "relayed", "expanded":
		b.delivered++
		return
	}
	status := ""
	if m := statusRE.FindStringSubmatch(g["status"]); m != nil {
		status = m[1]
	}
	diag := g["diagnostic-code"]
	if typ, rest, ok := strings.Cut(diag, ";"); ok && !strings.ContainsAny(strings.TrimSpace(typ), " \t") {
		diag = rest
	}
	if len(b.recipients) < maxRecipients {
		b.recipients = append(b.recipients, Recipient{Email: email, Action: action, Status: status, Diagnostic: clean(diag, 300)})
	}
}

// cleanAddr trims white space, angle brackets and quotes from an address
// and lower-cases it.
func cleanAddr(s string) string {
	s = strings.Trim(strings.TrimSpace(s), "<>\"' \t")
	if i := strings.IndexAny(s, " \t("); i >= 0 { // a trailing comment
		s = s[:i]
	}
	return strings.ToLower(strings.ToValidUTF8(strings.Trim(s, "<>"), ""))
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// clean collapses white space, drops invalid UTF-8 and cuts s to at most n bytes.
func clean(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "")), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// textRecipients returns the addresses in the text of a non-standard bounce,
// before the quoted original, except the bounce's own and robots'.
func textRecipients(explain []byte, own []string) []string {
	var out []string
	for _, a := range addresses(string(explain)) {
		if !contains(own, a) && !isDaemon(a) && !isNoReply(a) {
			out = append(out, a)
		}
	}
	return out
}

// describe makes Recipients of addresses named by a non-standard bounce,
// each with the enhanced status code and SMTP reply quoted on its line in
// the text or the few lines after it.
func describe(explain []byte, addrs []string, action string) []Recipient {
	lines := strings.Split(string(explain), "\n")
	var out []Recipient
	for _, a := range addrs {
		if len(out) >= maxRecipients {
			break
		}
		rc := Recipient{Email: a, Action: action}
		for i, l := range lines {
			if indexFold(l, a) < 0 {
				continue
			}
			for j := i; j < len(lines) && j <= i+4; j++ {
				if m := statusRE.FindStringSubmatch(lines[j]); m != nil && rc.Status == "" {
					rc.Status = m[1]
				}
				if m := smtpRE.FindStringSubmatch(lines[j]); m != nil && rc.Diagnostic == "" {
					rc.Diagnostic = clean(m[1], 300)
				}
			}
			break
		}
		if len(addrs) == 1 && rc.Status == "" && rc.Diagnostic == "" {
			// One recipient: the first status and SMTP reply anywhere in the text are its.
			for _, l := range lines {
				if m := statusRE.FindStringSubmatch(l); m != nil && rc.Status == "" {
					rc.Status = m[1]
				}
				if m := smtpRE.FindStringSubmatch(l); m != nil && rc.Diagnostic == "" {
					rc.Diagnostic = clean(m[1], 300)
				}
			}
		}
		out = append(out, rc)
	}
	return out
}

// guessBoundary finds the boundary of a multipart body whose Content-Type
// lost it (a truncated header): the first line "--something" of the body.
func guessBoundary(body []byte) string {
	for _, line := range bytes.Split(body, []byte("\n")) {
		line = bytes.TrimRight(line, " \t\r")
		if len(line) > 2 && len(line) <= 72 && bytes.HasPrefix(line, []byte("--")) && !bytes.ContainsAny(line, " \t") {
			return string(line[2:])
		}
	}
	return ""
}
