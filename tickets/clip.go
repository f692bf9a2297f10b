package tickets

import "unicode/utf8"

// MaxHeaderBytes is what a single-line header value (a subject, a display
// name, a file name, a Message-ID) may keep once stored: the line length
// limit of RFC 5322 2.1.1. The raw mail is kept whole; this bounds what a
// ticket, a page and a mail built from it carry. Pages and mails show
// about 250 characters of it.
const MaxHeaderBytes = 998

// maxRefs bounds the In-Reply-To and References kept from one mail (the
// newest are kept: they name the mail answered).
const maxRefs = 50

// clipHeaders bounds the header values of m in place (see MaxHeaderBytes)
// before the desk looks at them.
func clipHeaders(m *Message) {
	m.Subject = clipBytes(m.Subject, MaxHeaderBytes)
	clipAddr(&m.From)
	for i := range m.To {
		clipAddr(&m.To[i])
	}
	for i := range m.Cc {
		clipAddr(&m.Cc[i])
	}
	for i := range m.Attachments {
		m.Attachments[i].Name = clipBytes(m.Attachments[i].Name, MaxHeaderBytes)
		m.Attachments[i].ContentType = clipBytes(m.Attachments[i].ContentType, MaxHeaderBytes)
	}
	m.InReplyTo = clipIDs(m.InReplyTo)
	m.References = clipIDs(m.References)
}

func clipAddr(a *Address) {
	a.Name = clipBytes(a.Name, MaxHeaderBytes)
	if len(a.Email) > MaxHeaderBytes {
		a.Email = "" // no such address can be answered (RFC 5321: 254)
	}
}

func clipIDs(ids []string) []string {
	if len(ids) > maxRefs {
		ids = ids[len(ids)-maxRefs:]
	}
	out := ids[:0:0]
	for _, id := range ids {
		if len(id) <= MaxHeaderBytes {
			out = append(out, id)
		}
	}
	return out
}

// clipBytes shortens s to at most max bytes on a UTF-8 boundary, marking
// the cut with "…".
func clipBytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const mark = "…"
	cut := max - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
