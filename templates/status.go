package templates

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/postdesk/postdesk/tickets"
)

// shortReply is how many characters of a reply a status answer quotes.
const shortReply = 120

// lastReply fills the latest public staff reply of t and, while t waits
// for the customer, the question the desk waits on.
func (v *Viewer) lastReply(tv *TicketView, t *tickets.Ticket, lang string) {
	for i := len(t.Events) - 1; i >= 0; i-- {
		e := t.Events[i]
		if e.Kind != tickets.EventStaffReply || !e.Public || strings.TrimSpace(e.Text) == "" {
			continue
		}
		tv.LastReply = OneLine(e.Text, shortReply)
		tv.LastReplyAt = v.When(e.At, lang)
		tv.LastReplyBy = e.Name
		if t.Status == tickets.StatusWaiting {
			tv.Question = Questions(e.Text, shortReply)
		}
		return
	}
}

// Questions returns the sentences of s that ask something (ending in "?"
// or "？"), joined, at most max runes; if none do, s folded to one line
// and shortened (OneLine). A staff
// reply that sets a ticket waiting usually asks for something: that is
// what the customer is asked to answer.
func Questions(s string, max int) string {
	var qs []string
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		start := 0
		for i, r := range line {
			switch r {
			case '。', '！', '；', '.', '!', ';':
				start = i + len(string(r))
			case '？', '?':
				q := strings.TrimFunc(line[start:i+len(string(r))], func(r rune) bool { return unicode.IsSpace(r) || r == '，' || r == ',' })
				q = greetingRE.ReplaceAllString(q, "")
				if q != "" && q != "?" && q != "？" {
					qs = append(qs, q)
				}
				start = i + len(string(r))
			}
		}
	}
	if len(qs) == 0 {
		return OneLine(s, max)
	}
	return OneLine(strings.Join(qs, " "), max)
}

// greetingRE matches a greeting at the start of a question ("张老师您好，",
// "Hi Ms. Wang, "), which the status answer leaves out.
var greetingRE = regexp.MustCompile(`(?i)^(?:[^，,。？?]{0,12}(?:您好|你好)[，,！!]\s*|(?:hi|hello|dear)\b[^,?]{0,30},\s*)`)
