package tickets

import (
	"time"

	"github.com/postdesk/postdesk/tickets/triage"
)

// replyToResolved applies a customer's reply to a resolved or closed
// ticket by what it says (triage.ClassifyReply on the new text only):
//
//	confirmed ("好了", "works now")  a resolved ticket closes, by the customer; nobody is paged
//	thanks ("谢谢")                   the status stays; nobody is paged
//	negative ("还是不行", "still")    the ticket reopens (in progress), the customer is told, staff are paged
//	unclear                          the status stays, staff are told
//
// The reply itself is already on the timeline. It reports whether staff
// should be told.
func (d *Desk) replyToResolved(tx Tx, t *Ticket, text, actor string, now time.Time) (tellStaff bool, err error) {
	switch triage.ClassifyReply(text) {
	case triage.ReplyConfirmed:
		if t.Status == StatusResolved {
			return false, d.setStatus(tx, t, StatusClosed, actor, "", now, false)
		}
		return false, nil
	case triage.ReplyThanks:
		return false, nil
	case triage.ReplyNegative:
		return true, d.setStatus(tx, t, StatusInProgress, "", "", now, true)
	}
	return true, nil
}
