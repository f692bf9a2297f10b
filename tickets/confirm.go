package tickets

import (
	"fmt"
	"strings"
)

// confirm queues the confirmation nt of the new ticket t opened by m. A
// person's distinct new report is always acknowledged (individually or in
// a summary); a mail without its own Message-ID, or one that answers mail
// of ours, is confirmed under the tight caps that cut loops.
func (d *Desk) confirm(tx Tx, t *Ticket, nt *Notice, m *Message) error {
	if !Answerable(nt.To.Email) {
		// Nobody to answer: say so on the timeline instead of queueing a
		// mail the server would refuse.
		s := say("event_unanswerable", Str(quoteAddr(nt.To.Email)))
		t.Events = append(t.Events, Event{At: d.now(), Kind: EventNote, Say: &s})
		return nil
	}
	return d.admitted(tx, t, nt, m.MessageID != "" && !d.answersOurs(m))
}

// answersOurs reports whether m refers to a Message-ID we generated: an
// answer (by a person or a machine) to our automatic mail.
func (d *Desk) answersOurs(m *Message) bool {
	for _, id := range append(append([]string(nil), m.InReplyTo...), m.References...) {
		if _, ours := d.refs().Parse(id); ours {
			return true
		}
	}
	return false
}

// Answerable reports whether email can receive mail: one "@" between a
// non-empty local part and a domain, no spaces, controls or address
// syntax, at most 254 bytes (RFC 5321 4.5.3.1). Non-ASCII is allowed
// (RFC 6531); a domain without a dot ("localhost") is too.
func Answerable(email string) bool {
	if email == "" || len(email) > 254 {
		return false
	}
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || len(local) > 64 || domain == "" || strings.Contains(domain, "@") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return false
	}
	for _, r := range email {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '(' || r == ')' || r == ',' || r == ';' || r == '"' || r == '\\' {
			return false
		}
	}
	return true
}

// quoteAddr shows an address in a note: clipped, and "empty" for none.
func quoteAddr(email string) string {
	if email == "" {
		return "empty"
	}
	if r := []rune(email); len(r) > 80 {
		email = string(r[:80]) + "…"
	}
	return fmt.Sprintf("%q", email)
}
