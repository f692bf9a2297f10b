// Package tickets is postdesk's domain: tickets, their messages and
// timeline, statuses, priorities and service-level targets, the rules that
// move a ticket, and the notices those moves queue for sending.
//
// The package knows nothing about IMAP, SMTP, HTML or templates. Mail arrives
// here already parsed (Message) and leaves as domain notices (Notice) that the
// mail package renders and sends. Storage is behind the Store interface;
// tickets/bolt implements it on a single bbolt file.
package tickets

import (
	"strings"
	"time"
)

// Status is where a ticket is in its life. The zero value is not a valid
// status; new tickets start as StatusNew.
type Status string

// The statuses, in lifecycle order.
const (
	StatusNew          Status = "new"          // 待处理
	StatusAcknowledged Status = "acknowledged" // 已确认
	StatusInProgress   Status = "in_progress"  // 处理中
	StatusWaiting      Status = "waiting"      // 待反馈: waiting for the customer; the SLA clock pauses
	StatusResolved     Status = "resolved"     // 已解决
	StatusClosed       Status = "closed"       // 已关闭
)

// Statuses lists every valid status in lifecycle order.
var Statuses = []Status{StatusNew, StatusAcknowledged, StatusInProgress, StatusWaiting, StatusResolved, StatusClosed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Open reports whether a ticket in status s still needs work or an answer:
// every status but resolved and closed.
func (s Status) Open() bool { return s != StatusResolved && s != StatusClosed && s != "" }

// Priority is P0 (urgent) to P3 (low). The zero value is P0, so code that
// builds tickets must set it; Intake defaults to P2.
type Priority int

// The priorities.
const (
	P0 Priority = iota // urgent: a class cannot run, a live stream is down
	P1                 // high: A/V stutter, a feature partly broken
	P2                 // normal: display issue, how-to
	P3                 // low: suggestion
)

// String returns "P0".."P3".
func (p Priority) String() string {
	if p < P0 || p > P3 {
		return "P?"
	}
	return "P" + string(rune('0'+p))
}

// ParsePriority accepts "P0".."P3" (any case) or "0".."3".
func ParsePriority(s string) (Priority, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "P")
	if len(s) == 1 && s[0] >= '0' && s[0] <= '3' {
		return Priority(s[0] - '0'), true
	}
	return 0, false
}

// Address is a mailbox: an optional display name and an address. Email is
// always stored lower-cased so that comparisons are plain ==.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// NormalizeEmail lower-cases and trims an address for comparison and indexing.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Ticket is one reported fault and everything that happened to it.
type Ticket struct {
	Number       int64     `json:"n"`
	Subject      string    `json:"subject"`
	Requester    Address   `json:"requester"`
	Participants []Address `json:"cc,omitempty"` // others on the customer side (To/Cc of the first mail, #cc), at most Desk.MaxParticipants
	// AddedBy says who added each participant (by address): the customer
	// whose mail named them, or the staff member who wrote #cc.
	AddedBy  map[string]string `json:"cc_by,omitempty"`
	Status   Status            `json:"status"`
	Priority Priority          `json:"prio"`
	Category string            `json:"cat,omitempty"`
	Assignee string            `json:"assignee,omitempty"` // staff email
	Lang     string            `json:"lang,omitempty"`     // language for customer mail; empty: the desk's
	Created  time.Time         `json:"created"`
	Updated  time.Time         `json:"updated"`
	// FirstResponse is when staff first answered the customer; zero until then.
	FirstResponse time.Time `json:"first_response,omitzero"`
	// ResponseDue and ResolveDue are the SLA targets; zero when not computed.
	ResponseDue time.Time `json:"response_due,omitzero"`
	ResolveDue  time.Time `json:"resolve_due,omitzero"`
	// Resolved and Closed are when the ticket last entered those statuses.
	Resolved time.Time `json:"resolved,omitzero"`
	Closed   time.Time `json:"closed,omitzero"`
	// WaitingSince is when the ticket last entered StatusWaiting; the SLA
	// clock is paused from then until it leaves.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	// Reminders counts the reminders sent during the current wait.
	Reminders int `json:"reminders,omitempty"`
	// Warned and Breached record that the first-response warning and
	// escalation were sent (each fires once).
	Warned   bool `json:"warned,omitempty"`
	Breached bool `json:"breached,omitempty"`
	// Incident is the lead ticket of the declared platform-wide incident
	// this report belongs to (its own number on the lead), or 0.
	Incident int64 `json:"incident,omitempty"`
	// MergedInto is the ticket this one was folded into, or 0.
	MergedInto int64 `json:"merged_into,omitempty"`
	// LinkedFrom is an earlier, closed ticket this one continues, or 0.
	LinkedFrom int64 `json:"linked_from,omitempty"`
	// LastMessageID is the Message-ID of the newest mail in the customer's
	// conversation, used to thread our next mail to them.
	LastMessageID string   `json:"last_mid,omitempty"`
	MessageIDs    []string `json:"mids,omitempty"` // every Message-ID in the conversation, oldest first, capped
	Messages      int      `json:"msgs"`           // number of stored raw mails
	// Typical is the typical resolution time of the ticket's category
	// learned from history when the ticket was opened (Policy.
	// LearnDurations); zero: the category's configured one is shown.
	Typical time.Duration `json:"typical,omitempty"`
	// Suggested are the slugs of the knowledge-base articles the
	// confirmation suggested.
	Suggested []string `json:"kb,omitempty"`
	Events    []Event  `json:"events"`
}

// IsParticipant reports whether email is the requester or one of the
// customer-side participants of t.
func (t *Ticket) IsParticipant(email string) bool {
	email = NormalizeEmail(email)
	if email == "" {
		return false
	}
	if t.Requester.Email == email {
		return true
	}
	for _, p := range t.Participants {
		if p.Email == email {
			return true
		}
	}
	return false
}

// addParticipant adds a as a participant, added by who.
func (t *Ticket) addParticipant(a Address, who string) {
	t.Participants = append(t.Participants, a)
	if t.AddedBy == nil {
		t.AddedBy = map[string]string{}
	}
	t.AddedBy[a.Email] = who
}

// removeParticipant removes the participant with that address and reports
// whether there was one.
func (t *Ticket) removeParticipant(email string) bool {
	for i, p := range t.Participants {
		if p.Email == email {
			t.Participants = append(t.Participants[:i:i], t.Participants[i+1:]...)
			delete(t.AddedBy, email)
			return true
		}
	}
	return false
}

// CustomerRecipients returns the requester followed by the participants.
func (t *Ticket) CustomerRecipients() []Address {
	out := make([]Address, 0, 1+len(t.Participants))
	out = append(out, t.Requester)
	out = append(out, t.Participants...)
	return out
}

// PublicEvents returns the events a customer may see, oldest first.
func (t *Ticket) PublicEvents() []Event {
	var out []Event
	for _, e := range t.Events {
		if e.Public {
			out = append(out, e)
		}
	}
	return out
}

// addMessageID remembers id as part of the conversation (bounded, so a
// ticket with thousands of mails does not grow without limit).
func (t *Ticket) addMessageID(id string) {
	if id == "" {
		return
	}
	t.LastMessageID = id
	const max = 50
	t.MessageIDs = append(t.MessageIDs, id)
	if len(t.MessageIDs) > max {
		t.MessageIDs = append(t.MessageIDs[:0:0], t.MessageIDs[len(t.MessageIDs)-max:]...)
	}
}

// EventKind says what an Event records.
type EventKind string

// The event kinds.
const (
	EventCreated        EventKind = "created"         // the ticket was opened from a mail
	EventCustomerReply  EventKind = "customer_reply"  // the customer wrote again
	EventStaffReply     EventKind = "staff_reply"     // staff answered the customer
	EventNote           EventKind = "note"            // internal note (never public)
	EventStatus         EventKind = "status"          // status changed (Status holds the new one)
	EventPriority       EventKind = "priority"        // priority changed
	EventAssign         EventKind = "assign"          // assignee changed
	EventCategory       EventKind = "category"        // category changed
	EventEscalated      EventKind = "escalated"       // transferred to the technical team / SLA breach
	EventMerged         EventKind = "merged"          // folded into another ticket
	EventDeliveryFailed EventKind = "delivery_failed" // one of our mails could not be delivered
	EventBounce         EventKind = "bounce"          // a bounce came back for one of our mails
	EventAutoReply      EventKind = "auto_reply"      // an out-of-office answered one of our mails
	EventUnverified     EventKind = "unverified"      // mail with a staff From but no proof
	EventIncident       EventKind = "incident"        // linked to a platform-wide incident
	EventSelfHelp       EventKind = "self_help"       // the customer solved it with a knowledge-base article
	EventParticipants   EventKind = "participants"    // staff changed the participants (#cc)
)

// Event is one entry on a ticket's timeline.
type Event struct {
	At     time.Time `json:"at"`
	Kind   EventKind `json:"kind"`
	Actor  string    `json:"actor,omitempty"`  // email of who did it; empty for the system
	Name   string    `json:"name,omitempty"`   // display name of the actor
	Public bool      `json:"public,omitempty"` // shown on the tracking page and in customer mail
	Text   string    `json:"text,omitempty"`
	Status Status    `json:"status,omitempty"` // with EventStatus: the new status
	// MessageID names the mail this event came from, if any.
	MessageID string `json:"mid,omitempty"`
	// Attachments lists the names of files that came with the mail.
	Attachments []string `json:"att,omitempty"`
	// Article is the slug of the knowledge-base article the event is
	// about (EventSelfHelp, a staff reply with #kb).
	Article string `json:"kb,omitempty"`
	// Say, when set, is the event's text for staff in domain terms
	// (rendered in the reader's language instead of Text).
	Say *Say `json:"say,omitempty"`
}
