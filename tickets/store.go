package tickets

import (
	"time"
)

// Store runs transactions over postdesk's data. Update runs fn in one
// read-write transaction that is durable (fsync'd) when Update returns nil;
// if fn returns an error nothing it did is kept. View runs fn read-only.
// Both are safe for concurrent use; updates are serialised.
type Store interface {
	Update(fn func(Tx) error) error
	View(fn func(Tx) error) error
}

// Tx is the view of the data inside one transaction. A Tx must not be used
// after its function returns. Methods return ErrNotFound (wrapped or not)
// for missing records where noted.
type Tx interface {
	// Ticket returns ticket n, or ErrNotFound.
	Ticket(n int64) (*Ticket, error)
	// CreateTicket stores a new ticket and sets its Number from a sequence.
	CreateTicket(t *Ticket) error
	// PutTicket stores t over the ticket with the same number.
	PutTicket(t *Ticket) error
	// TicketsOf returns the numbers of the tickets email requested, oldest
	// first, from an index (never a scan of all tickets).
	TicketsOf(email string) ([]int64, error)
	// FirstTicketOf returns the number of the first ticket email
	// requested, 0 if none: one index lookup, whatever their count.
	FirstTicketOf(email string) (int64, error)
	// LastTicket returns the highest ticket number, 0 if none.
	LastTicket() (int64, error)

	// LookupMessageID returns the ticket a Message-ID belongs to, 0 if none.
	LookupMessageID(id string) (int64, error)
	// IndexMessageID records that Message-ID id belongs to ticket n.
	IndexMessageID(id string, n int64) error

	// Seen returns what a mail with this dedupe key became, if it was
	// handled before.
	Seen(key string) (Outcome, bool, error)
	// MarkSeen records what a mail with this dedupe key became.
	MarkSeen(key string, o Outcome) error
	// DeleteSeen forgets a dedupe key.
	DeleteSeen(key string) error

	// PutMessage stores raw mail number index of ticket n.
	PutMessage(n int64, index int, raw []byte) error
	// Message returns raw mail number index of ticket n, or ErrNotFound.
	Message(n int64, index int) ([]byte, error)

	// Enqueue adds a notice to the outbox and sets its ID.
	Enqueue(nt *Notice) error
	// Notice returns a queued notice, or ErrNotFound.
	Notice(id uint64) (*Notice, error)
	// PutNotice stores a changed queued notice.
	PutNotice(nt *Notice) error
	// DeleteNotice removes a notice from the outbox (sent or given up).
	DeleteNotice(id uint64) error
	// PendingNotices calls fn for queued notices in ID order until fn
	// returns false.
	PendingNotices(fn func(*Notice) bool) error

	// PutRecord keeps a mail that is not part of any ticket (an unmatched
	// bounce, an auto-reply, a mail that failed) under bucket kind.
	PutRecord(kind string, r *Record) error
	// Records calls fn for each record of kind, oldest first.
	Records(kind string, fn func(*Record) bool) error
	// DeleteRecord removes a record.
	DeleteRecord(kind string, id uint64) error

	// PutState and State keep small values for outer layers, such as the
	// IMAP poller's position, so they commit with the ticket changes.
	PutState(key string, v []byte) error
	State(key string) ([]byte, error)

	// PutStaffToken stores a staff reply token record under its ID.
	PutStaffToken(st *StaffToken) error
	// StaffToken returns the token record with that ID, or ErrNotFound.
	StaffToken(id string) (*StaffToken, error)
	// DeleteStaffTokens removes the records that expired before t and
	// returns how many.
	DeleteStaffTokens(before time.Time) (int, error)

	// AddTimer schedules a timer; Timers calls fn for timers due at or
	// before now, earliest first; DeleteTimer removes one.
	AddTimer(tm *Timer) error
	DueTimers(now time.Time, fn func(*Timer) bool) error
	DeleteTimer(tm *Timer) error

	// AddCorrection keeps a staff correction of the triage and sets its
	// ID; Corrections calls fn for each, oldest first, until fn returns
	// false.
	AddCorrection(c *Correction) error
	Corrections(fn func(*Correction) bool) error
	// Incidents (see incident.go). PutIncident stores an incident under
	// its lead's number; Incident returns one, or ErrNotFound;
	// OpenIncidents calls fn for the declared, unresolved incidents only
	// (an index, never a scan of past incidents).
	PutIncident(in *Incident) error
	Incident(lead int64) (*Incident, error)
	OpenIncidents(fn func(*Incident) bool) error
	// AddIncidentMember, RemoveIncidentMember and IncidentMembers keep the
	// reports linked to an incident in their own index, so that linking
	// a report never rewrites the lead's record. IncidentMembers calls fn
	// in ticket order until it returns false.
	AddIncidentMember(lead, n int64) error
	RemoveIncidentMember(lead, n int64) error
	IncidentMembers(lead int64, fn func(n int64) bool) error
	// PutRecent keeps v, the detection entry of new report n that
	// arrived at at; Recent calls fn for the entries at or after since,
	// newest first, at most max of them; PruneRecent deletes the entries
	// before before.
	PutRecent(at time.Time, n int64, v []byte) error
	Recent(since time.Time, max int, fn func(n int64, v []byte) bool) error
	PruneRecent(before time.Time) error
}

// Record is a mail kept outside tickets: unmatched bounces and auto-replies,
// and mails that could not be processed.
type Record struct {
	ID       uint64    `json:"id"`
	At       time.Time `json:"at"`
	Reason   string    `json:"reason"`
	From     string    `json:"from,omitempty"`
	Subject  string    `json:"subject,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
	Raw      []byte    `json:"raw"`
}

// Record kinds.
const (
	RecordFailed    = "failed"    // processing failed: quarantined for `postdesk failed`
	RecordUnmatched = "unmatched" // a bounce or auto-reply that names no ticket of ours
)

// Timer is a durable, one-shot piece of work due at a time.
type Timer struct {
	Due    time.Time `json:"due"`
	Ticket int64     `json:"ticket"`
	Kind   string    `json:"kind"`
	// Gen must match the ticket's state when the timer fires; timers made
	// stale by a later change are dropped (see Desk.Tick).
	Gen string `json:"gen,omitempty"`
}
