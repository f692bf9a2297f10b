package tickets

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Staff is a member of the support team.
type Staff struct {
	Email string // lower-case
	Name  string
	// NotifyNew says whether this person gets a mail for each new ticket.
	NotifyNew bool
}

// Desk applies postdesk's rules: it turns incoming mail into ticket changes
// and queues the notices those changes call for, each mail in one
// transaction with its notices. Fields are set before first use and not
// changed afterwards; a Desk is then safe for concurrent use.
type Desk struct {
	Store  Store
	Signer *Signer
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Addresses are the desk's own addresses (lower-case); mail from them
	// is a loop and is never answered.
	Addresses []string
	// Domain is the right-hand side of the Message-IDs we generate.
	Domain string
	// Lang is the default language of customer mail, e.g. "zh-CN".
	Lang string
	// TagPrefix goes before "#N" in subject tags: "" gives "[#12]".
	TagPrefix string
	// Staff are the support team members.
	Staff []Staff
	// TrustAuthResults lets a staff mail count as verified when the
	// receiving server's Authentication-Results header shows DKIM or DMARC
	// pass for the From domain (Message.AuthPass), even without a token.
	TrustAuthResults bool
	// RequireAuthResults makes a staff mail count as verified only with a
	// valid reply token AND DKIM or DMARC pass for the From domain
	// (Message.AuthPass); TrustAuthResults alone then verifies nothing.
	RequireAuthResults bool
	// TokenTTL is how long a staff reply token works; zero means
	// DefaultTokenTTL (30 days).
	TokenTTL time.Duration
	// MaxParticipants bounds the customer-side participants a ticket
	// takes from To/Cc and a staff reply's fan-out beyond the requester;
	// zero means DefaultMaxParticipants (10).
	MaxParticipants int
	// Queued, if set, is called after a transaction that may have queued
	// notices has committed (e.g. to wake the sender). It must not block.
	Queued func()
	// KB suggests self-help articles in confirmations and resolves #kb
	// slugs; nil means no knowledge base.
	KB KnowledgeBase
	// Policy holds SLA targets, business hours and classification rules;
	// nil means DefaultPolicy().
	Policy *Policy
	// StaffReceipts sends staff a receipt for every reply with commands;
	// false sends one only when a command failed (nothing was applied).
	StaffReceipts bool
	// Caps bound automatic mail (see Caps); nil means DefaultCaps().
	Caps *Caps

	outbox *Outbox // see Outbox
}

func (d *Desk) queued() {
	if d.Queued != nil {
		d.Queued()
	}
}

func (d *Desk) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Desk) log() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (d *Desk) policy() *Policy {
	if d.Policy != nil {
		return d.Policy
	}
	return defaultPolicy
}

// Action says what happened to an incoming mail.
type Action string

// The actions.
const (
	ActionCreated    Action = "created"     // opened a new ticket
	ActionAppended   Action = "appended"    // added to an existing ticket
	ActionStaff      Action = "staff"       // a verified staff reply or command
	ActionUnverified Action = "unverified"  // staff From without proof: kept as a note
	ActionDuplicate  Action = "duplicate"   // seen before; nothing changed
	ActionBounce     Action = "bounce"      // a delivery failure, recorded
	ActionAutoReply  Action = "auto_reply"  // an out-of-office, recorded
	ActionUnmatched  Action = "unmatched"   // robot mail naming no ticket, kept as a record
	ActionLoop       Action = "loop"        // our own mail came back, kept as a record
	ActionQuery      Action = "query"       // a status query, answered
	ActionFailed     Action = "failed"      // processing failed; quarantined
	ActionMerged     Action = "merged_into" // the ticket was merged; appended to the target
)

// Outcome is what one incoming mail became.
type Outcome struct {
	Action Action `json:"a"`
	Ticket int64  `json:"t,omitempty"`
	// Err is set when Action is ActionFailed; never stored.
	Err string `json:"-"`
}

// DedupeKey returns the key that recognises a mail when it is fetched
// again: its Message-ID, or a hash of its bytes when it has none.
func DedupeKey(m *Message) string {
	if m.MessageID != "" && len(m.MessageID) <= 500 {
		return "id:" + m.MessageID
	}
	if m.MessageID != "" {
		sum := sha256.Sum256([]byte(m.MessageID))
		return "idh:" + hex.EncodeToString(sum[:])
	}
	sum := sha256.Sum256(m.Raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Intake handles a batch of incoming mail. In the common case the whole
// batch, its notices and cp (the poller's position; nil for none) are
// stored in one durable transaction. If handling one mail fails, the
// batch is retried one mail per transaction and the failing mail is
// quarantined as a RecordFailed with its raw bytes, so one bad mail never
// stops the others; cp is then stored in the last transaction.
//
// Intake returns one Outcome per mail, in order. It returns an error only
// when the store itself fails; nothing of the batch is then known to be
// stored and the caller must not mark the mails as processed.
func (d *Desk) Intake(msgs []*Message, cp *Checkpoint) ([]Outcome, error) {
	out := make([]Outcome, len(msgs))
	var perMail error
	d.prepare(msgs) // judgements from the text alone, on every core
	err := d.Store.Update(func(tx Tx) error {
		now := d.now()
		btx := &batchTx{Tx: tx}
		for i, m := range msgs {
			o, err := d.handle(btx, m, now)
			if err != nil {
				perMail = fmt.Errorf("mail %q: %w", m.MessageID, err)
				return perMail
			}
			out[i] = o
		}
		return cp.save(tx)
	})
	if err == nil {
		d.queued()
		return out, nil
	}
	defer d.queued()
	if perMail == nil || !errors.Is(err, perMail) {
		return nil, err
	}
	d.log().Warn("intake: batch failed, retrying one by one", "err", err)
	for i, m := range msgs {
		var err error
		for range quarantineAfter {
			err = d.Store.Update(func(tx Tx) error {
				o, err := d.handle(tx, m, d.now())
				out[i] = o
				return err
			})
			if err == nil {
				break
			}
		}
		if err == nil {
			continue
		}
		reason := err.Error()
		d.log().Error("intake: mail quarantined", "message_id", m.MessageID, "err", reason)
		err = d.Store.Update(func(tx Tx) error {
			out[i] = Outcome{Action: ActionFailed, Err: reason}
			return d.quarantine(tx, m, reason)
		})
		if err != nil {
			return nil, err
		}
	}
	if cp != nil {
		if err := d.Store.Update(cp.save); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// quarantineAfter is how many times a failing mail is tried before it is
// set aside.
const quarantineAfter = 3

// quarantine keeps a mail that could not be processed, with the reason, and
// marks it seen so that fetching it again does not retry it forever; an
// operator retries it with Retry.
func (d *Desk) quarantine(tx Tx, m *Message, reason string) error {
	r := &Record{At: d.now(), Reason: reason, From: m.From.Email, Subject: m.Subject, Raw: m.Raw}
	if err := tx.PutRecord(RecordFailed, r); err != nil {
		return err
	}
	return tx.MarkSeen(DedupeKey(m), Outcome{Action: ActionFailed})
}

// handle decides what one mail means and applies it inside tx. It clips
// m's header values first (see MaxHeaderBytes).
func (d *Desk) handle(tx Tx, m *Message, now time.Time) (Outcome, error) {
	key := DedupeKey(m)
	clipHeaders(m)
	if prev, ok, err := tx.Seen(key); err != nil {
		return Outcome{}, err
	} else if ok {
		return Outcome{Action: ActionDuplicate, Ticket: prev.Ticket}, nil
	}
	o, err := d.decide(tx, m, now)
	if err != nil {
		return Outcome{}, err
	}
	if err := tx.MarkSeen(key, o); err != nil {
		return Outcome{}, err
	}
	return o, nil
}

// isOwnAddress reports whether email is one of the desk's addresses,
// also plus-addressed ("support+TOKEN@…" is the desk).
func (d *Desk) isOwnAddress(email string) bool {
	if local, domain, ok := strings.Cut(email, "@"); ok {
		if base, _, plus := strings.Cut(local, "+"); plus {
			email = base + "@" + domain
		}
	}
	for _, a := range d.Addresses {
		if a == email {
			return true
		}
	}
	return false
}

// StaffByEmail returns the staff member with that address.
func (d *Desk) StaffByEmail(email string) (Staff, bool) {
	email = NormalizeEmail(email)
	for _, s := range d.Staff {
		if s.Email == email {
			return s, true
		}
	}
	return Staff{}, false
}

// decide handles m (route), then revokes the staff reply tokens it
// exposed: the mail itself is handled as if genuine, but a token seen by
// someone other than its staff member never works again.
func (d *Desk) decide(tx Tx, m *Message, now time.Time) (Outcome, error) {
	o, err := d.route(tx, m, now)
	if err != nil || m.Loop || m.Auto == AutoBounce {
		// Our own mail coming back, and a bounce quoting our mail, expose
		// nothing: only the desk reads them.
		return o, err
	}
	if ex := d.exposedBy(m); len(ex) > 0 {
		if err := d.revokeExposed(tx, ex, now); err != nil {
			return Outcome{}, err
		}
	}
	return o, nil
}

func (d *Desk) route(tx Tx, m *Message, now time.Time) (Outcome, error) {
	if m.Loop || d.isOwnAddress(m.From.Email) {
		return d.keepRecord(tx, m, now, ActionLoop, "loop: our own mail came back")
	}
	if m.Auto == AutoBounce {
		return d.bounce(tx, m, now)
	}
	if _, ok := d.StaffByEmail(m.From.Email); ok {
		return d.fromStaff(tx, m, now)
	}
	return d.fromCustomer(tx, m, now)
}

// fromCustomer handles mail from anyone who is not acting as staff.
func (d *Desk) fromCustomer(tx Tx, m *Message, now time.Time) (Outcome, error) {
	t, err := d.thread(tx, m)
	if err != nil {
		return Outcome{}, err
	}
	if m.Auto == AutoReply {
		if t == nil {
			return d.keepRecord(tx, m, now, ActionUnmatched, "auto-reply naming no ticket: "+m.AutoReason)
		}
		return d.autoReply(tx, t, m, now)
	}
	if t == nil && m.Auto == AutoHuman && d.isQuery(m) {
		return d.statusQuery(tx, m, now)
	}
	if t != nil && m.Auto == AutoHuman && d.isQuery(m) {
		return d.queueStatusList(tx, m, []int64{t.Number})
	}
	if t != nil {
		if t.Status == StatusClosed && d.policy().ReopenWindow >= 0 && now.Sub(t.Closed) > d.policy().ReopenWindow {
			return d.newTicket(tx, m, now, t.Number)
		}
		return d.customerReply(tx, t, m, now)
	}
	return d.newTicket(tx, m, now, 0)
}

// thread finds the ticket a customer mail continues: by our subject tag or
// by In-Reply-To/References naming a Message-ID of the ticket. The sender
// must be a participant of that ticket; otherwise the mail is not threaded
// (it opens a new ticket), so guessing a number never lets a stranger write
// into a ticket. A merged ticket leads to the ticket it was merged into.
func (d *Desk) thread(tx Tx, m *Message) (*Ticket, error) {
	return d.referenced(tx, m, func(t *Ticket) bool { return t.IsParticipant(m.From.Email) })
}

// referenced returns the first ticket m refers to, by our subject tag, then
// In-Reply-To, then References (newest first), that accept allows.
func (d *Desk) referenced(tx Tx, m *Message, accept func(*Ticket) bool) (*Ticket, error) {
	var candidates []int64
	if n := SubjectTag(m.Subject, d.TagPrefix); n > 0 {
		candidates = append(candidates, n)
	}
	refs := append(append([]string(nil), m.InReplyTo...), reversed(m.References)...)
	for _, id := range refs {
		n, err := d.lookupRef(tx, id)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			candidates = append(candidates, n)
		}
	}
	for _, n := range candidates {
		t, err := d.follow(tx, n)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if accept(t) {
			return t, nil
		}
	}
	return nil, nil
}

// follow loads ticket n, following merges (bounded).
func (d *Desk) follow(tx Tx, n int64) (*Ticket, error) {
	for range 10 {
		t, err := tx.Ticket(n)
		if err != nil {
			return nil, err
		}
		if t.MergedInto == 0 {
			return t, nil
		}
		n = t.MergedInto
	}
	return nil, fmt.Errorf("ticket %d: merge chain too long", n)
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func (d *Desk) keepRecord(tx Tx, m *Message, now time.Time, a Action, reason string) (Outcome, error) {
	r := &Record{At: now, Reason: reason, From: m.From.Email, Subject: m.Subject, Raw: m.Raw}
	if err := tx.PutRecord(RecordUnmatched, r); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: a}, nil
}

// storeMessage keeps the raw mail with ticket t and indexes its Message-ID.
func (d *Desk) storeMessage(tx Tx, t *Ticket, m *Message) error {
	if err := tx.PutMessage(t.Number, t.Messages, m.Raw); err != nil {
		return err
	}
	t.Messages++
	if m.ParseProblem != "" {
		// Staff see that part of the mail may be missing from the text;
		// the raw mail is kept whole.
		s := say("event_unreadable", Str(firstLine(m.ParseProblem)))
		t.Events = append(t.Events, Event{At: d.now(), Kind: EventNote, Actor: m.From.Email, Say: &s})
	}
	if m.MessageID != "" {
		t.addMessageID(m.MessageID)
		if err := tx.IndexMessageID(m.MessageID, t.Number); err != nil {
			return err
		}
	}
	return nil
}

// droppedAttachments names the attachments that were over the size limit
// and not kept.
func droppedAttachments(m *Message) []string {
	var out []string
	for _, a := range m.Attachments {
		if a.Dropped {
			out = append(out, fmt.Sprintf("%s (%d MB)", a.Name, (a.Size+(1<<20)-1)>>20))
		}
	}
	return out
}

func attachmentNames(m *Message) []string {
	var out []string
	for _, a := range m.Attachments {
		out = append(out, a.Name)
	}
	return out
}

// ticketSubject is the subject of a ticket opened from m.
func ticketSubject(m *Message) string {
	if s := StripReplyPrefixes(m.Subject); s != "" {
		return s
	}
	return "(no subject)"
}

func (d *Desk) newTicket(tx Tx, m *Message, now time.Time, linked int64) (Outcome, error) {
	p := d.policy()
	subject := ticketSubject(m)
	cat, prio := d.classify(m, subject)
	t := &Ticket{
		Subject:    subject,
		Requester:  m.From,
		Status:     StatusNew,
		Priority:   prio,
		Category:   cat,
		Lang:       d.Lang,
		Created:    now,
		Updated:    now,
		LinkedFrom: linked,
	}
	// To/Cc become participants, at most MaxParticipants of them: one
	// mail must not turn the desk into a mailing list.
	var skipped int
	for _, a := range append(append([]Address(nil), m.To...), m.Cc...) {
		if a.Email == "" || a.Email == t.Requester.Email || d.isOwnAddress(a.Email) || t.IsParticipant(a.Email) {
			continue
		}
		if _, staff := d.StaffByEmail(a.Email); staff {
			continue
		}
		if len(t.Participants) >= d.maxParticipants() {
			skipped++
			continue
		}
		t.addParticipant(a, m.From.Email)
	}
	var staffLines []Say
	if skipped > 0 {
		staffLines = append(staffLines, say("staff_participants_skipped", Num(int64(skipped)), Num(int64(d.maxParticipants()))))
		d.log().Warn("desk: participants over the cap not added", "from", m.From.Email, "skipped", skipped)
	}
	p.setDueFrom(t, now)
	if err := d.learnedTypical(tx, t); err != nil {
		return Outcome{}, err
	}
	text := m.Text
	if linked > 0 {
		text = fmt.Sprintf("(#%d) %s", linked, text)
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventCreated, Actor: m.From.Email, Name: m.From.Name, Public: true,
		Text: clip(text), Status: StatusNew, MessageID: m.MessageID, Attachments: attachmentNames(m)})
	if err := tx.CreateTicket(t); err != nil {
		return Outcome{}, err
	}
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	if !m.Auto.Robot() {
		if err := d.detect(tx, t, m, now); err != nil {
			return Outcome{}, err
		}
	}
	if !m.Auto.Robot() {
		nt := d.customerNotice(t, NoticeConfirmation, t.Requester, m)
		nt.Event = 0
		nt.Lines = droppedAttachments(m)
		nt.Articles = d.suggest(t, m)
		if err := d.confirm(tx, t, nt, m); err != nil {
			return Outcome{}, err
		}
	}
	for _, s := range d.Staff {
		if !s.NotifyNew {
			continue
		}
		nt := d.staffNotice(t, NoticeStaffNew, s)
		nt.Event = 0
		nt.Says = staffLines
		if len(m.Attachments) > 0 {
			nt.Attach = []MessageRef{{Ticket: t.Number, Index: t.Messages - 1}}
		}
		if err := d.enqueue(tx, t, nt); err != nil {
			return Outcome{}, err
		}
	}
	if err := p.scheduleTimers(tx, t, now); err != nil {
		return Outcome{}, err
	}
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionCreated, Ticket: t.Number}, nil
}

// customerNotice starts a notice to a customer of t, threaded to the
// customer's conversation (to m when replying to a specific mail).
func (d *Desk) customerNotice(t *Ticket, kind NoticeKind, to Address, m *Message) *Notice {
	nt := &Notice{Kind: kind, Ticket: t.Number, To: to, Lang: t.Lang, Auto: true, Event: -1, Status: t.Status}
	if m != nil && m.MessageID != "" {
		nt.InReplyTo = m.MessageID
		nt.References = appendRef(m.References, m.MessageID)
	} else if t.LastMessageID != "" {
		nt.InReplyTo = t.LastMessageID
		nt.References = append([]string(nil), t.MessageIDs...)
	}
	return nt
}

// staffNotice starts a notice to staff member s about t; enqueue gives it
// a reply token issued to s for t.
func (d *Desk) staffNotice(t *Ticket, kind NoticeKind, s Staff) *Notice {
	nt := &Notice{Kind: kind, Ticket: t.Number, To: Address{Name: s.Name, Email: s.Email}, Lang: d.Lang, Auto: true, Event: -1, Status: t.Status}
	if t.LastMessageID != "" {
		nt.InReplyTo = t.LastMessageID
		nt.References = append([]string(nil), t.MessageIDs...)
	}
	return nt
}

func appendRef(refs []string, id string) []string {
	out := append([]string(nil), refs...)
	if len(out) > 20 {
		out = out[len(out)-20:]
	}
	return append(out, id)
}

// enqueue gives nt its Message-ID, indexes it to t and queues it. Staff
// notices carry their reply token in the Message-ID, so the staff member's
// "Reply" brings it back in In-Reply-To/References.
func (d *Desk) enqueue(tx Tx, t *Ticket, nt *Notice) error {
	return d.admitted(tx, t, nt, false)
}

// admitted queues nt if the outbox admits it (see Outbox.admit).
func (d *Desk) admitted(tx Tx, t *Ticket, nt *Notice, person bool) error {
	if !Answerable(nt.To.Email) {
		d.log().Warn("desk: notice to an unanswerable address not queued", "kind", nt.Kind, "ticket", nt.Ticket, "to", quoteAddr(nt.To.Email))
		return nil
	}
	if nt.Auto && isCustomerNotice(nt.Kind) {
		ok, err := d.Outbox().admit(tx, t, nt, person)
		if err != nil || !ok {
			return err
		}
	}
	return d.enqueueRaw(tx, t, nt)
}

// isCustomerNotice reports whether notices of kind k go to customers.
func isCustomerNotice(k NoticeKind) bool {
	switch k {
	case NoticeConfirmation, NoticeProgress, NoticeReminder, NoticeStatusList, NoticeSummary:
		return true
	}
	return false
}

// enqueueRaw queues nt without the automatic-mail caps. A staff notice
// (not a customer notice to a staff member who is also a customer) about
// a ticket gets a fresh reply token (see issueToken);
// its Message-ID, minted by the RefCodec, carries it, so the staff
// member's "Reply" brings it back in In-Reply-To/References.
func (d *Desk) enqueueRaw(tx Tx, t *Ticket, nt *Notice) error {
	if _, staff := d.StaffByEmail(nt.To.Email); staff && nt.Ticket > 0 && nt.Token == "" && !isCustomerNotice(nt.Kind) {
		tok, err := d.issueToken(tx, nt.Ticket, nt.To.Email, nt.Kind)
		if err != nil {
			return err
		}
		nt.Token = tok
	}
	nt.MessageID = d.refs().MessageID(nt.Ticket, nt.Token)
	nt.Created = d.now()
	// Our own Message-IDs are not indexed: they carry the ticket number
	// (see lookupRef), which saves index entries for every mail we send.
	if t != nil && (nt.Kind == NoticeConfirmation || nt.Kind == NoticeProgress) {
		t.addMessageID(nt.MessageID)
	}
	return tx.Enqueue(nt)
}

// lookupRef returns the ticket a Message-ID refers to: the number in one
// of our own (RefCodec.Parse), else the index of customer Message-IDs.
// Knowing a number grants nothing by itself: the callers still check who
// is writing.
func (d *Desk) lookupRef(tx Tx, id string) (int64, error) {
	if r, ok := d.refs().Parse(id); ok {
		return r.Ticket, nil
	}
	return tx.LookupMessageID(id)
}

// customerReply adds a customer's mail to t: it takes a waiting ticket
// back to in progress, handles a reply to a resolved or closed ticket by
// what it says (replyToResolved: thanks close or keep it, a complaint
// reopens it), and tells the assignee (or every staff member while there
// is none) unless the reply only thanked or confirmed.
func (d *Desk) customerReply(tx Tx, t *Ticket, m *Message, now time.Time) (Outcome, error) {
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	text := m.NewText
	if text == "" {
		text = m.Text
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventCustomerReply, Actor: m.From.Email, Name: m.From.Name, Public: true,
		Text: clip(text), MessageID: m.MessageID, Attachments: attachmentNames(m)})
	ev := len(t.Events) - 1
	tellStaff := true
	switch t.Status {
	case StatusWaiting:
		if err := d.setStatus(tx, t, StatusInProgress, "", "", now, false); err != nil {
			return Outcome{}, err
		}
	case StatusResolved, StatusClosed:
		var err error
		if tellStaff, err = d.replyToResolved(tx, t, text, m.From.Email, now); err != nil {
			return Outcome{}, err
		}
	}
	t.Updated = now
	for _, s := range d.replyRecipients(t) {
		if !tellStaff {
			break
		}
		nt := d.staffNotice(t, NoticeStaffReply, s)
		nt.Event = ev
		if len(m.Attachments) > 0 {
			nt.Attach = []MessageRef{{Ticket: t.Number, Index: t.Messages - 1}}
		}
		if err := d.enqueue(tx, t, nt); err != nil {
			return Outcome{}, err
		}
	}
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionAppended, Ticket: t.Number}, nil
}

// replyRecipients are the staff told about customer activity on t: the
// assignee, or everyone while there is none.
func (d *Desk) replyRecipients(t *Ticket) []Staff {
	if t.Assignee != "" {
		if s, ok := d.StaffByEmail(t.Assignee); ok {
			return []Staff{s}
		}
	}
	return d.Staff
}

// autoReply records an out-of-office answer on t; it reopens nothing and
// tells nobody.
func (d *Desk) autoReply(tx Tx, t *Ticket, m *Message, now time.Time) (Outcome, error) {
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventAutoReply, Actor: m.From.Email, Name: m.From.Name,
		Text: firstLine(m.Subject + "\n" + m.Text), MessageID: m.MessageID})
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionAutoReply, Ticket: t.Number}, nil
}

// bounce records a delivery failure on the ticket whose mail bounced and
// tells staff; an unmatched bounce is kept as a record.
func (d *Desk) bounce(tx Tx, m *Message, now time.Time) (Outcome, error) {
	var t *Ticket
	if m.Bounce != nil {
		for _, id := range m.Bounce.Refs {
			n, err := d.lookupRef(tx, id)
			if err != nil {
				return Outcome{}, err
			}
			if n > 0 {
				if t, err = tx.Ticket(n); err != nil && !errors.Is(err, ErrNotFound) {
					return Outcome{}, err
				}
				if t != nil {
					break
				}
			}
		}
	}
	if t == nil {
		return d.keepRecord(tx, m, now, ActionUnmatched, "bounce naming no mail of ours: "+m.AutoReason)
	}
	b := m.Bounce
	code := "bounce_failed"
	if b.Temporary {
		code = "bounce_delayed"
	}
	s := say(code, Str(b.Recipient), Str(strings.TrimSpace(b.Status+" "+b.Diagnostic)))
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventBounce, Say: &s, MessageID: m.MessageID})
	if !b.Temporary {
		if b.Recipient != "" {
			if err := tx.PutState(failingKey(b.Recipient), []byte(now.UTC().Format(time.RFC3339))); err != nil {
				return Outcome{}, err
			}
		}
		says := []Say{s}
		if b.Recipient != "" {
			says = append(says, say("bounce_failing", Dur(failingFor)))
		}
		if err := d.alertStaff(tx, t, d.replyRecipients(t), "", says...); err != nil {
			return Outcome{}, err
		}
	}
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionBounce, Ticket: t.Number}, nil
}

// maxEventText bounds the text kept in a timeline event; the stored raw
// mail keeps all of it. A ticket record is rewritten on every change, so
// a mail with megabytes of text must not live in it.
const maxEventText = 16 << 10

// clip shortens s to maxEventText runes, marking the cut. It walks the
// runes without copying them: s may be megabytes.
func clip(s string) string {
	if len(s) <= maxEventText {
		return s
	}
	n := 0
	for i := range s {
		if n == maxEventText {
			return s[:i] + "\n[…]"
		}
		n++
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	n := 0
	for i := range s {
		if n == 200 {
			s = s[:i]
			break
		}
		n++
	}
	return strings.TrimSpace(s)
}

// Records returns the records of a kind (RecordFailed, RecordUnmatched),
// oldest first, without their raw bytes unless withRaw is set.
func (d *Desk) Records(kind string, withRaw bool) ([]Record, error) {
	var out []Record
	err := d.Store.View(func(tx Tx) error {
		return tx.Records(kind, func(r *Record) bool {
			if !withRaw {
				r.Raw = nil
			}
			out = append(out, *r)
			return true
		})
	})
	return out, err
}

// Reprocess handles a quarantined mail again (after a fix): in one
// transaction it forgets the failure, handles m (parsed from the record's
// raw bytes) and removes the record. If handling fails again the record
// stays, with Attempts counted.
func (d *Desk) Reprocess(id uint64, m *Message) (Outcome, error) {
	var o Outcome
	err := d.Store.Update(func(tx Tx) error {
		if err := tx.DeleteSeen(DedupeKey(m)); err != nil {
			return err
		}
		var err error
		if o, err = d.handle(tx, m, d.now()); err != nil {
			return err
		}
		return tx.DeleteRecord(RecordFailed, id)
	})
	d.queued()
	if err != nil {
		uerr := d.Store.Update(func(tx Tx) error {
			var rec *Record
			tx.Records(RecordFailed, func(r *Record) bool {
				if r.ID == id {
					rec = r
					return false
				}
				return true
			})
			if rec == nil {
				return nil
			}
			rec.Attempts++
			rec.Reason = err.Error()
			return tx.PutRecord(RecordFailed, rec)
		})
		return Outcome{Action: ActionFailed, Err: err.Error()}, errors.Join(err, uerr)
	}
	return o, nil
}
