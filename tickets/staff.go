package tickets

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// verifyStaff returns the ticket a staff mail may act on, and whether the
// mail is verified: its From is a staff address AND it carries a reply
// token issued to that same address (or, when TrustAuthResults is set, the
// receiving server's Authentication-Results showed DKIM/DMARC pass for the
// From domain and the mail threads to a ticket). A token issued to someone
// else proves nothing.
func (d *Desk) verifyStaff(tx Tx, m *Message) (*Ticket, bool, error) {
	purpose := StaffPurpose(m.From.Email)
	for _, tok := range m.Tokens {
		if n, ok := d.Signer.Check(purpose, tok); ok {
			t, err := d.follow(tx, n)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			return t, err == nil, err
		}
	}
	t, err := d.threadAny(tx, m)
	if err != nil || t == nil {
		return nil, false, err
	}
	if d.TrustAuthResults {
		_, domain, _ := strings.Cut(m.From.Email, "@")
		if slices.Contains(m.AuthPass, domain) {
			return t, true, nil
		}
	}
	return t, false, nil
}

// threadAny finds the ticket a mail refers to by tag or references, without
// the participant check (used only to file unverified staff mail as a note).
func (d *Desk) threadAny(tx Tx, m *Message) (*Ticket, error) {
	return d.referenced(tx, m, func(*Ticket) bool { return true })
}

// fromStaff handles mail whose From is a staff address.
func (d *Desk) fromStaff(tx Tx, m *Message, now time.Time) (Outcome, error) {
	staff, _ := d.StaffByEmail(m.From.Email)
	t, verified, err := d.verifyStaff(tx, m)
	if err != nil {
		return Outcome{}, err
	}
	if m.Auto.Robot() {
		// A staff member's out-of-office: note it, act on nothing.
		if t == nil {
			return d.keepRecord(tx, m, now, ActionUnmatched, "automatic mail from staff: "+m.AutoReason)
		}
		return d.autoReply(tx, t, m, now)
	}
	if !verified {
		// Without proof a staff address is an ordinary sender: it may open
		// a ticket, or write on one it is a customer of, but never act as
		// staff on someone else's ticket.
		if t == nil || t.IsParticipant(m.From.Email) {
			return d.fromCustomer(tx, m, now)
		}
		return d.unverified(tx, t, staff, m, now)
	}
	return d.staffReply(tx, t, staff, m, now)
}

// unverified keeps a mail with a staff From but no proof, naming ticket t,
// as an internal note: it relays nothing, applies nothing and tells the
// real staff member.
func (d *Desk) unverified(tx Tx, t *Ticket, staff Staff, m *Message, now time.Time) (Outcome, error) {
	alert := fmt.Sprintf("A mail with your address (%s) as sender, subject %q, arrived without the reply token of a notification sent to you. It was NOT sent to the customer and its commands were NOT applied. If you wrote it, reply to the notification mail itself; if not, someone may be forging your address.", staff.Email, m.Subject)
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventUnverified, Actor: m.From.Email, Name: m.From.Name, Text: clip(m.Text), MessageID: m.MessageID})
	if err := d.alertStaff(tx, t, []Staff{staff}, alert); err != nil {
		return Outcome{}, err
	}
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionUnverified, Ticket: t.Number}, nil
}

// staffReply applies a verified staff reply: its commands, then its text as
// a public reply to the customer (or an internal note with #note). If any
// command is invalid nothing at all is applied or sent, and the receipt
// says why: a typo must never leak an internal note to a customer.
func (d *Desk) staffReply(tx Tx, t *Ticket, staff Staff, m *Message, now time.Time) (Outcome, error) {
	text := m.NewText
	if text == "" {
		text = m.Text
	}
	cmds, body := ParseCommands(text)
	// Take a snapshot so an invalid command leaves t untouched.
	orig := cloneTicket(t)
	var lines []string
	note := false
	var newStatus Status
	for _, c := range cmds {
		line, status, isNote, err := d.apply(tx, t, staff, c, now)
		if err != nil {
			*t = *orig
			lines = []string{fmt.Sprintf("%s: %v", c.Line, err), "Nothing was applied and nothing was sent to the customer. Fix the command and reply again."}
			return d.receipt(tx, t, staff, m, lines, Outcome{Action: ActionStaff, Ticket: t.Number})
		}
		if isNote {
			note = true
		}
		if status != "" {
			newStatus = status
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	msgIndex := t.Messages - 1
	if note {
		t.Events = append(t.Events, Event{At: now, Kind: EventNote, Actor: staff.Email, Name: staff.Name, Text: clip(body), MessageID: m.MessageID, Attachments: attachmentNames(m)})
		lines = append(lines, "internal note recorded (not sent to the customer)")
		// The rest of the team sees the note in their mail.
		var others []Staff
		for _, s := range d.replyRecipients(t) {
			if s.Email != staff.Email {
				others = append(others, s)
			}
		}
		if err := d.alertStaff(tx, t, others, fmt.Sprintf("Internal note by %s:\n\n%s", staff.Name, body)); err != nil {
			return Outcome{}, err
		}
	} else if body != "" {
		t.Events = append(t.Events, Event{At: now, Kind: EventStaffReply, Actor: staff.Email, Name: staff.Name, Public: true, Text: clip(body), MessageID: m.MessageID, Attachments: attachmentNames(m)})
		ev := len(t.Events) - 1
		if t.FirstResponse.IsZero() {
			t.FirstResponse = now
			if newStatus == "" && (t.Status == StatusNew || t.Status == StatusAcknowledged) {
				if err := d.setStatus(tx, t, StatusInProgress, staff.Email, "", now, false); err != nil {
					return Outcome{}, err
				}
			}
		}
		direct := map[string]bool{}
		for _, a := range append(append([]Address(nil), m.To...), m.Cc...) {
			direct[a.Email] = true
		}
		sent := 0
		for _, to := range t.CustomerRecipients() {
			if direct[to.Email] {
				continue // reply-all: the customer already has the staff mail
			}
			nt := d.customerNotice(t, NoticeProgress, to, nil)
			nt.Auto = false
			nt.Event = ev
			nt.Text = body
			nt.Actor = Address{Name: staff.Name, Email: staff.Email}
			if len(m.Attachments) > 0 {
				nt.Attach = []MessageRef{{Ticket: t.Number, Index: msgIndex}}
			}
			if err := d.enqueue(tx, t, nt); err != nil {
				return Outcome{}, err
			}
			sent++
		}
		if sent > 0 {
			lines = append(lines, fmt.Sprintf("reply sent to the customer (%d recipient(s))", sent))
		} else {
			lines = append(lines, "reply recorded; the customer already received your mail directly")
		}
	} else if newStatus != "" {
		// Commands only: tell the customer about the public change.
		if err := d.notifyCustomers(tx, t, len(t.Events)-1, "", Address{Name: staff.Name, Email: staff.Email}); err != nil {
			return Outcome{}, err
		}
	}
	t.Updated = now
	if len(cmds) == 0 || !d.StaffReceipts {
		return Outcome{Action: ActionStaff, Ticket: t.Number}, tx.PutTicket(t)
	}
	return d.receipt(tx, t, staff, m, lines, Outcome{Action: ActionStaff, Ticket: t.Number})
}

func (d *Desk) receipt(tx Tx, t *Ticket, staff Staff, m *Message, lines []string, o Outcome) (Outcome, error) {
	nt := d.staffNotice(t, NoticeReceipt, staff)
	nt.Lines = lines
	if m.MessageID != "" {
		nt.InReplyTo = m.MessageID
		nt.References = appendRef(m.References, m.MessageID)
	}
	if err := d.enqueue(tx, t, nt); err != nil {
		return Outcome{}, err
	}
	return o, tx.PutTicket(t)
}

func cloneTicket(t *Ticket) *Ticket {
	c := *t
	c.Events = slices.Clone(t.Events)
	c.Participants = slices.Clone(t.Participants)
	c.MessageIDs = slices.Clone(t.MessageIDs)
	return &c
}

// apply runs one command on t. It returns a receipt line, the status it
// set (if any) and whether it makes the reply an internal note.
func (d *Desk) apply(tx Tx, t *Ticket, staff Staff, c Command, now time.Time) (line string, status Status, note bool, err error) {
	switch c.Verb {
	case "status", "wait", "close", "resolve":
		var to Status
		switch c.Verb {
		case "wait":
			to = StatusWaiting
		case "close":
			to = StatusClosed
		case "resolve":
			to = StatusResolved
		default:
			var ok bool
			if to, ok = ParseStatus(c.Arg); !ok {
				return "", "", false, fmt.Errorf("unknown status %q (new, acknowledged, in_progress, waiting, resolved, closed)", c.Arg)
			}
		}
		if t.Status == to {
			return fmt.Sprintf("status already %s", to), to, false, nil
		}
		if err := d.setStatus(tx, t, to, staff.Email, "", now, false); err != nil {
			return "", "", false, err
		}
		return fmt.Sprintf("status -> %s", to), to, false, nil
	case "priority":
		p, ok := ParsePriority(c.Arg)
		if !ok {
			return "", "", false, fmt.Errorf("unknown priority %q (P0..P3)", c.Arg)
		}
		old := t.Priority
		t.Priority = p
		d.policy().setDueFrom(t, t.Created)
		t.Events = append(t.Events, Event{At: now, Kind: EventPriority, Actor: staff.Email, Name: staff.Name, Text: fmt.Sprintf("%s -> %s", old, p)})
		if err := d.policy().scheduleTimers(tx, t, now); err != nil {
			return "", "", false, err
		}
		return fmt.Sprintf("priority %s -> %s", old, p), "", false, nil
	case "assign", "take":
		who := staff
		if c.Verb == "assign" {
			var ok bool
			if who, ok = d.findStaff(c.Arg); !ok {
				return "", "", false, fmt.Errorf("no staff member %q", c.Arg)
			}
		}
		t.Assignee = who.Email
		t.Events = append(t.Events, Event{At: now, Kind: EventAssign, Actor: staff.Email, Name: staff.Name, Text: who.Name + " <" + who.Email + ">"})
		return fmt.Sprintf("assigned to %s <%s>", who.Name, who.Email), "", false, nil
	case "category":
		name := strings.ToLower(strings.TrimSpace(c.Arg))
		if !d.policy().knownCategory(name) {
			return "", "", false, fmt.Errorf("unknown category %q (%s)", c.Arg, strings.Join(d.policy().categoryNames(), ", "))
		}
		t.Category = name
		t.Events = append(t.Events, Event{At: now, Kind: EventCategory, Actor: staff.Email, Name: staff.Name, Text: name})
		return "category -> " + name, "", false, nil
	case "note":
		return "", "", true, nil
	case "escalate":
		if t.Status != StatusInProgress {
			if err := d.setStatus(tx, t, StatusInProgress, staff.Email, "", now, false); err != nil {
				return "", "", false, err
			}
		}
		t.Events = append(t.Events, Event{At: now, Kind: EventEscalated, Actor: staff.Email, Name: staff.Name, Public: true, Text: c.Arg})
		return "escalated to the technical team", StatusInProgress, false, nil
	case "merge":
		n := parseNumber(strings.TrimPrefix(strings.TrimSpace(c.Arg), "#"))
		if n <= 0 || n == t.Number {
			return "", "", false, fmt.Errorf("merge needs another ticket number, got %q", c.Arg)
		}
		target, err := d.follow(tx, n)
		if errors.Is(err, ErrNotFound) {
			return "", "", false, fmt.Errorf("no ticket #%d", n)
		}
		if err != nil {
			return "", "", false, err
		}
		if target.Number == t.Number {
			return "", "", false, fmt.Errorf("#%d is already merged into this ticket", n)
		}
		t.MergedInto = target.Number
		t.Events = append(t.Events, Event{At: now, Kind: EventMerged, Actor: staff.Email, Name: staff.Name, Public: true, Text: fmt.Sprintf("#%d", target.Number)})
		if t.Status != StatusClosed {
			if err := d.setStatus(tx, t, StatusClosed, staff.Email, "", now, false); err != nil {
				return "", "", false, err
			}
		}
		target.Events = append(target.Events, Event{At: now, Kind: EventMerged, Actor: staff.Email, Name: staff.Name, Text: fmt.Sprintf("#%d merged into this ticket", t.Number)})
		for _, p := range t.CustomerRecipients() {
			if !target.IsParticipant(p.Email) {
				target.Participants = append(target.Participants, p)
			}
		}
		if err := tx.PutTicket(target); err != nil {
			return "", "", false, err
		}
		return fmt.Sprintf("merged into #%d (the customer is told)", target.Number), StatusClosed, false, nil
	default:
		return "", "", false, fmt.Errorf("unknown command (status, priority, assign, take, category, note, wait, merge, close, escalate)")
	}
}

// findStaff finds a staff member by address or name.
func (d *Desk) findStaff(s string) (Staff, bool) {
	s = strings.TrimSpace(s)
	if st, ok := d.StaffByEmail(s); ok {
		return st, true
	}
	for _, st := range d.Staff {
		if st.Name != "" && strings.EqualFold(st.Name, s) {
			return st, true
		}
	}
	return Staff{}, false
}

// statusQuery answers a mail asking for the sender's tickets with a list
// of their open tickets, sent only to the From address. No ticket is
// opened.
func (d *Desk) statusQuery(tx Tx, m *Message, now time.Time) (Outcome, error) {
	nums, err := tx.TicketsOf(m.From.Email)
	if err != nil {
		return Outcome{}, err
	}
	var open []int64
	for _, n := range nums {
		t, err := tx.Ticket(n)
		if err != nil {
			return Outcome{}, err
		}
		if t.Status.Open() && t.MergedInto == 0 {
			open = append(open, n)
		}
	}
	return d.queueStatusList(tx, m, open)
}

func (d *Desk) queueStatusList(tx Tx, m *Message, nums []int64) (Outcome, error) {
	nt := &Notice{Kind: NoticeStatusList, To: m.From, Lang: d.Lang, Auto: true, Event: -1, Tickets: nums}
	if m.MessageID != "" {
		nt.InReplyTo = m.MessageID
		nt.References = appendRef(m.References, m.MessageID)
	}
	if err := d.enqueue(tx, nil, nt); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionQuery}, nil
}
