// Package auto recognises mail that a machine sent: automatic replies
// (RFC 3834), delivery status notifications and other bounces (RFC 3464 and
// the non-standard formats of common MTAs), and other automatic or bulk mail
// that postdesk must never answer.
//
// Classify looks at a whole raw message; ClassifyHeader looks only at a
// top-level header, for a quick decision before the body is fetched. Both are
// pure functions, safe for concurrent use, and never panic. Loop detection on
// postdesk's own headers is not done here.
package auto

import (
	"bufio"
	"bytes"
	"io"
	"strconv"

	"github.com/emersion/go-message/textproto"
)

// Kind says who, or what, wrote a message.
type Kind int

const (
	// Human is mail a person wrote: it may open or update a ticket and be answered.
	Human Kind = iota
	// AutoReply is an out-of-office, vacation or other automatic reply to some
	// mail (RFC 3834 "auto-replied"). It is recorded on the ticket it answers and
	// never answered.
	AutoReply
	// Bounce is a delivery status notification or non-delivery report (RFC 3464
	// multipart/report, or a non-standard bounce from a mailer daemon). It is
	// recorded on the ticket whose mail bounced and never answered.
	Bounce
	// Automatic is other machine mail that must not be answered but may still be
	// worth a ticket: Auto-Submitted auto-generated, bulk and list mail, mail
	// from no-reply or daemon addresses, read receipts (MDN, RFC 8098) and abuse
	// feedback reports (ARF, RFC 5965).
	Automatic
)

// String returns "human", "auto_reply", "bounce" or "automatic", or
// "kind(N)" for a value outside the constants.
func (k Kind) String() string {
	switch k {
	case Human:
		return "human"
	case AutoReply:
		return "auto_reply"
	case Bounce:
		return "bounce"
	case Automatic:
		return "automatic"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind is the inverse of Kind.String. It reports false for an unknown name.
func ParseKind(s string) (Kind, bool) {
	for k := Human; k <= Automatic; k++ {
		if k.String() == s {
			return k, true
		}
	}
	return Human, false
}

// Result is what Classify and ClassifyHeader decided. The zero Result is a
// message from a human.
type Result struct {
	// Kind is the decision. Bounce wins over AutoReply, which wins over
	// Automatic, which wins over Human.
	Kind Kind
	// Reason is a short, human-readable ASCII or UTF-8 note on the rule that
	// decided Kind, such as "Auto-Submitted: auto-replied",
	// "multipart/report delivery-status" or "Precedence: bulk". It is empty for
	// Human.
	Reason string

	// Recipients are the recipients whose delivery failed or is delayed, when
	// Kind is Bounce: from the message/delivery-status part of a DSN, else from
	// X-Failed-Recipients, else guessed from the text of a non-standard bounce.
	// It may be empty when the bounce names nobody.
	Recipients []Recipient
	// Temporary is true for a Bounce that is only a warning: every recipient
	// is delayed (Action: delayed, or a 4.x.x status without an Action), or,
	// when no recipient could be read, the bounce says it is a delay warning.
	Temporary bool
	// Refs are the Message-IDs, without angle brackets, of the mail this
	// message is about. For a Bounce, an AutoReply, and a read receipt or
	// feedback report: the Message-ID of the returned message/rfc822 or
	// text/rfc822-headers part (and an MDN's Original-Message-ID); when there
	// is none, any "Message-ID:" line quoted in the text, then In-Reply-To and
	// References (an AutoReply puts the header fields first). Nil for other kinds.
	Refs []string
}

// Recipient is one failed or delayed recipient of a bounce (RFC 3464
// per-recipient fields).
type Recipient struct {
	// Email is the lower-case address, from Original-Recipient when it is an
	// rfc822 address (the one the sender wrote), else from Final-Recipient,
	// without the address type and angle brackets.
	Email string
	// Action is the lower-case Action field: "failed" or "delayed". A
	// non-standard bounce gets "failed", or "delayed" when it says it is a warning.
	Action string
	// Status is the enhanced status code, such as "5.1.1", or empty when unknown.
	Status string
	// Diagnostic is the Diagnostic-Code without its type (e.g. "550 5.1.1 User
	// unknown"), or the SMTP reply quoted in a non-standard bounce; it may be empty.
	Diagnostic string
}

// Limits on the work Classify does on one message.
const (
	maxHeaderBytes = 256 << 10 // a top-level or embedded header block
	maxBodyBytes   = 2 << 20   // bytes of body read, all parts together
	maxTextBytes   = 64 << 10  // bytes of one text part kept for inspection
	maxTextTotal   = 256 << 10 // bytes of text kept, all parts together
	maxDepth       = 10        // multipart nesting
	maxParts       = 1000      // parts visited
	maxRecipients  = 100       // recipients reported
	maxRefs        = 20        // Refs reported
	maxFieldBytes  = 4 << 10   // one unfolded DSN field
)

// Classify reads a raw RFC 5322 message and says what kind of mail it is.
// It looks at the top-level header, then at the MIME structure: report parts
// (RFC 3462/6522 multipart/report with message/delivery-status,
// message/disposition-notification or message/feedback-report), returned
// messages and the text of non-standard bounces. Work is bounded: at most
// 2 MB of body and 10 levels of multipart nesting are read, and a broken
// structure only ends the inspection early. A leading mbox "From " line,
// UTF-8 BOM or blank lines before the header are skipped.
func Classify(raw []byte) Result {
	raw = trimLeading(raw)
	r := bytes.NewReader(raw)
	br := bufio.NewReader(io.LimitReader(r, maxHeaderBytes))
	h, _ := textproto.ReadHeader(br) // a broken header still gives the fields before the break
	f := readHeaderFacts(h)

	// The reader is buffered: what it holds but did not use is body.
	consumed := len(raw) - r.Len() - br.Buffered()
	body := raw[max(0, min(len(raw), consumed)):]
	b := inspectBody(h, body)
	return decide(f, b)
}

// ClassifyHeader decides from a top-level header only, with the same rules as
// Classify minus those that need the body: a Bounce is recognised from
// Content-Type (multipart/report; report-type=delivery-status or
// message/delivery-status), X-Failed-Recipients, or a typical bounce subject
// from a mailer daemon or the null sender; its Recipients come only from
// X-Failed-Recipients. Refs come from In-Reply-To and References only.
func ClassifyHeader(h textproto.Header) Result {
	return decide(readHeaderFacts(h), nil)
}

// trimLeading drops what commonly comes before a header: a UTF-8 BOM, an
// mbox "From " line, and lines holding only white space.
func trimLeading(raw []byte) []byte {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '\n')
		if i < 0 || len(bytes.TrimSpace(raw[:i])) > 0 {
			break
		}
		raw = raw[i+1:]
	}
	return raw
}
