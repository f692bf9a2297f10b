// Package reply extracts the new text of an email reply: what the sender
// wrote, without the quoted history, the attribution line that introduces
// it ("On ... wrote:", "在 ... 写道："), forwarded originals, Outlook and
// QQ Mail header blocks, and a trailing signature.
//
// Text works on a plain-text body, HTML on an HTML-only body (it removes
// the quote containers mail clients mark up, converts what is left to
// text and applies the same rules). Both are pure functions of their input:
// they do no I/O, keep no state and are safe for concurrent use.
//
// The rules are heuristics tuned on real mail (../shared/corpus): when a
// body is all quote, or the sender wrote nothing else, the trimmed body is
// returned rather than an empty string, so nothing the sender wrote is lost.
package reply

import (
	"strings"
	"unicode"
)

// Text returns the new text of a plain-text reply: everything above the
// first quote header, attribution line or ">"-quoted block, minus a
// trailing signature ("-- " line, mobile footers such as "Sent from my
// iPhone" or "发自我的iPhone"), trimmed of surrounding blank lines and of
// trailing spaces on each line.
//
// When there is nothing above the first quote (a bottom-posted or
// interleaved reply), Text returns the unquoted text found below it, the
// pieces joined by blank lines. When the whole body is quoted, forwarded or
// signature, Text returns the trimmed body, so it never returns "" for a
// body that has visible text. Lines are separated by "\n" in the result
// whatever the input used.
func Text(body string) string {
	s, _ := extract(body)
	return s
}

// extract is Text that also says whether it found new text (true) or fell
// back to the whole trimmed body (false).
func extract(body string) (string, bool) {
	lines := splitLines(body)

	// Top-posted reply (the common case): the text above the first quote,
	// unless a short greeting there leads into answers between the quotes.
	m := scan(lines, true)
	top := stripSignature(lines[:m.first])
	if hasText(top) && (countText(top) > 3 || m.first == len(lines)) {
		return joinLines(top), true
	}
	if s, ok := interleavedReply(lines, top); ok {
		return s, true
	}
	if hasText(top) {
		return joinLines(top), true
	}
	m = scan(lines, false)

	// Bottom-posted reply: the unquoted text below the quote.
	if rest := stripSignature(unquoted(lines, m)); hasText(rest) {
		return joinLines(rest), true
	}

	// All quote, forward or signature: keep everything.
	return joinLines(lines), false
}

// interleavedReply returns top (the short text above the first quote, if
// any) followed by each answer written between the quotes below the
// question it answers, when lines hold such answers (two or more).
func interleavedReply(lines, top []string) (string, bool) {
	as := answers(lines, scan(lines, false))
	if !interleaved(as) {
		return "", false
	}
	if hasText(top) {
		return joinLines(append(append(top, ""), joinAnswers(as)...)), true
	}
	return joinLines(joinAnswers(as)), true
}

// splitLines normalizes line endings and removes a byte order mark.
func splitLines(body string) []string {
	body = strings.TrimPrefix(body, "\ufeff")
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	return strings.Split(body, "\n")
}

// joinLines trims blank lines at both ends and trailing white space on
// every line, and joins the rest with "\n".
func joinLines(lines []string) string {
	lines = trimBlank(lines)
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.TrimRightFunc(l, unicode.IsSpace))
	}
	return b.String()
}

// trimBlank returns lines without its leading and trailing blank lines.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// hasText reports whether any line is not blank.
func hasText(lines []string) bool {
	for _, l := range lines {
		if !isBlank(l) {
			return true
		}
	}
	return false
}

// isBlank reports whether l holds only white space (including the
// no-break space HTML mail is full of).
func isBlank(l string) bool {
	return strings.TrimFunc(l, unicode.IsSpace) == ""
}

// clean returns l with no-break spaces (also the literal "&nbsp;" QQ Mail
// leaves in its plain text) turned into spaces, trimmed.
func clean(l string) string {
	if strings.Contains(l, "&nbsp;") {
		l = strings.ReplaceAll(l, "&nbsp;", " ")
	}
	return strings.TrimFunc(l, unicode.IsSpace)
}
