package tickets

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// verifyStaff returns the ticket a staff mail may act on, and whether the
// mail is verified. Verified means its From is a staff address AND it
// carries a reply token issued to that same address that is neither
// expired nor exposed (see proveByToken); with RequireAuthResults the
// receiving server must also have attested the From domain (DKIM or DMARC
// pass in its Authentication-Results). With TrustAuthResults alone, that
// attestation plus a mail that threads to a ticket is enough. A token
// issued to someone else proves nothing. why says, for an unverified
// mail, what was missing: "revoked", "expired" or "not_attested" (the
// words "unverified.<why>" of the templates say it to the staff member).
func (d *Desk) verifyStaff(tx Tx, m *Message) (t *Ticket, verified bool, why string, err error) {
	p, err := d.proveByToken(tx, m)
	if err != nil {
		return nil, false, "", err
	}
	if p.ticket > 0 {
		t, err := d.follow(tx, p.ticket)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return nil, false, "", err
		case d.RequireAuthResults && !authPassed(m):
			return t, false, "not_attested", nil
		default:
			return t, true, "", nil
		}
	}
	t, err = d.threadAny(tx, m)
	if err != nil || t == nil {
		return nil, false, p.refused, err
	}
	if d.TrustAuthResults && !d.RequireAuthResults && authPassed(m) {
		return t, true, "", nil
	}
	return t, false, p.refused, nil
}

// threadAny finds the ticket a mail refers to by tag or references, without
// the participant check (used only to file unverified staff mail as a note).
func (d *Desk) threadAny(tx Tx, m *Message) (*Ticket, error) {
	return d.referenced(tx, m, func(*Ticket) bool { return true })
}

// fromStaff handles mail whose From is a staff address.
func (d *Desk) fromStaff(tx Tx, m *Message, now time.Time) (Outcome, error) {
	staff, _ := d.StaffByEmail(m.From.Email)
	t, verified, why, err := d.verifyStaff(tx, m)
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
		return d.unverified(tx, t, staff, m, why, now)
	}
	return d.staffReply(tx, t, staff, m, now)
}

// unverified keeps a mail with a staff From but no proof, naming ticket t,
// as an internal note: it relays nothing, applies nothing and tells the
// real staff member (why, when known, says what was missing).
func (d *Desk) unverified(tx Tx, t *Ticket, staff Staff, m *Message, why string, now time.Time) (Outcome, error) {
	alert := say("alert_unverified", Str(staff.Email), Str(m.Subject))
	if why != "" {
		alert = say("alert_unverified_why", Str(staff.Email), Str(m.Subject), Word("unverified."+why))
	}
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	t.Events = append(t.Events, Event{At: now, Kind: EventUnverified, Actor: m.From.Email, Name: m.From.Name, Text: clip(m.Text), MessageID: m.MessageID})
	if err := d.alertStaff(tx, t, []Staff{staff}, "", alert); err != nil {
		return Outcome{}, err
	}
	if err := tx.PutTicket(t); err != nil {
		return Outcome{}, err
	}
	return Outcome{Action: ActionUnverified, Ticket: t.Number}, nil
}

// staffReply applies a verified staff reply: its commands, then its text as
// a public reply to the customer (or an internal note with #note). All
// commands are checked before anything is written: if one is invalid
// nothing at all is applied or sent, and the receipt says which and why (a
// typo must never leak an internal note to a customer). An internal error
// is returned, so the whole mail fails and is retried or quarantined; it
// is never mailed to the staff member as their mistake.
func (d *Desk) staffReply(tx Tx, t *Ticket, staff Staff, m *Message, now time.Time) (Outcome, error) {
	text := m.NewText
	if text == "" {
		text = m.Text
	}
	cmds, body := ParseCommands(text)
	env := &cmdEnv{d: d, tx: tx, t: t, staff: staff, now: now, status: t.Status}
	steps, bad, err := env.checkCommands(cmds)
	if err != nil {
		why, ok := mistake(err)
		if !ok {
			return Outcome{}, fmt.Errorf("check %q: %w", bad.Line, err)
		}
		lines := []Say{say("receipt_failed", Str(bad.Line)), why, say("receipt_nothing_applied")}
		return d.receipt(tx, t, staff, m, lines, Outcome{Action: ActionStaff, Ticket: t.Number})
	}
	var lines []Say
	note := false
	var newStatus Status
	orig := &Ticket{Status: t.Status, Priority: t.Priority, Category: t.Category} // for recordCorrections and afterLeadReply
	var articles []Article                                                        // #kb: sent with the reply
	for i, step := range steps {
		r, err := step()
		if err != nil {
			return Outcome{}, fmt.Errorf("apply %q: %w", cmds[i].Line, err)
		}
		note = note || r.note
		if r.article != nil {
			articles = append(articles, *r.article)
		}
		if r.status != "" {
			newStatus = r.status
		}
		if r.line.Code != "" {
			lines = append(lines, r.line)
		}
	}
	if err := d.recordCorrections(tx, orig, t, staff, now); err != nil {
		return Outcome{}, err
	}
	// "#incident" touches other tickets and passes this reply's public
	// words on to the reporters: it runs once every command is applied
	// (its check ran with the others; see incident_cmd.go).
	declared := false
	for _, c := range cmds {
		if c.Verb != "incident" {
			continue
		}
		public := body
		if note {
			public = ""
		}
		line, decl, err := d.runIncident(tx, t, staff, c.Arg, public, now)
		if err != nil {
			return Outcome{}, fmt.Errorf("apply %q: %w", c.Line, err)
		}
		declared = declared || decl
		lines = append(lines, line)
	}
	if err := d.storeMessage(tx, t, m); err != nil {
		return Outcome{}, err
	}
	msgIndex := t.Messages - 1
	var fanout []Address
	held := false
	answers := body != "" || len(articles) > 0 // a public answer: words or an article
	if !note && answers {
		direct := map[string]bool{}
		for _, a := range append(append([]Address(nil), m.To...), m.Cc...) {
			direct[a.Email] = true
		}
		for _, to := range t.CustomerRecipients() {
			if !direct[to.Email] { // reply-all: they already have the staff mail
				fanout = append(fanout, to)
			}
		}
		if max := 1 + d.maxParticipants(); len(fanout) > max {
			// Held: kept as a note, sent to nobody, and staff are told.
			note, held = true, true
			lines = append(lines, say("receipt_held", Num(int64(len(fanout))), Num(int64(max))))
			d.log().Warn("desk: staff reply held: fan-out over the cap", "ticket", t.Number, "recipients", len(fanout))
		}
	}
	if note {
		t.Events = append(t.Events, Event{At: now, Kind: EventNote, Actor: staff.Email, Name: staff.Name, Text: clip(body), MessageID: m.MessageID, Attachments: attachmentNames(m)})
		lines = append(lines, say("receipt_note"))
		// The rest of the team sees the note in their mail.
		var others []Staff
		for _, s := range d.replyRecipients(t) {
			if s.Email != staff.Email {
				others = append(others, s)
			}
		}
		if err := d.alertStaff(tx, t, others, body, say("alert_note", Str(staff.Name))); err != nil {
			return Outcome{}, err
		}
	} else if answers {
		if t.FirstResponse.IsZero() {
			t.FirstResponse = now
			if (newStatus == "" || newStatus == StatusAcknowledged) && (t.Status == StatusNew || t.Status == StatusAcknowledged) {
				if err := d.acknowledge(tx, t, staff.Email, now); err != nil {
					return Outcome{}, err
				}
				if err := d.setStatus(tx, t, StatusInProgress, staff.Email, "", now, false); err != nil {
					return Outcome{}, err
				}
			}
		}
		reply := Event{At: now, Kind: EventStaffReply, Actor: staff.Email, Name: staff.Name, Public: true, Text: clip(body), MessageID: m.MessageID, Attachments: attachmentNames(m)}
		for _, a := range articles {
			reply.Text += "\n\n" + a.Title + " (/kb/" + a.Slug + ")"
			reply.Article = a.Slug
		}
		reply.Text = strings.TrimSpace(reply.Text)
		t.Events = append(t.Events, reply)
		ev := len(t.Events) - 1
		for _, to := range fanout {
			nt := d.customerNotice(t, NoticeProgress, to, nil)
			nt.Auto = false
			nt.Event = ev
			nt.Text = body
			nt.Articles = articles
			nt.Actor = Address{Name: staff.Name, Email: staff.Email}
			if len(m.Attachments) > 0 {
				nt.Attach = []MessageRef{{Ticket: t.Number, Index: msgIndex}}
			}
			if err := d.enqueue(tx, t, nt); err != nil {
				return Outcome{}, err
			}
		}
		if len(fanout) > 0 {
			lines = append(lines, say("receipt_reply_sent", Num(int64(len(fanout)))))
		} else {
			lines = append(lines, say("receipt_reply_direct"))
		}
	} else if newStatus != "" {
		// Commands only: tell the customer about the public change.
		if err := d.notifyCustomers(tx, t, len(t.Events)-1, "", Address{Name: staff.Name, Email: staff.Email}); err != nil {
			return Outcome{}, err
		}
	}
	public := body
	if note {
		public = ""
	}
	more, err := d.afterLeadReply(tx, orig, t, staff, public, declared, now)
	if err != nil {
		return Outcome{}, err
	}
	lines = append(lines, more...)
	t.Updated = now
	// A receipt when the reply was held (staff must know it went nowhere),
	// or for commands when desk.staff_receipts asks for one; a mistake
	// got its receipt above.
	if !held && (len(cmds) == 0 || !d.StaffReceipts) {
		return Outcome{Action: ActionStaff, Ticket: t.Number}, tx.PutTicket(t)
	}
	return d.receipt(tx, t, staff, m, lines, Outcome{Action: ActionStaff, Ticket: t.Number})
}

func (d *Desk) receipt(tx Tx, t *Ticket, staff Staff, m *Message, lines []Say, o Outcome) (Outcome, error) {
	nt := d.staffNotice(t, NoticeReceipt, staff)
	nt.Says = lines
	if m.MessageID != "" {
		nt.InReplyTo = m.MessageID
		nt.References = appendRef(m.References, m.MessageID)
	}
	if err := d.enqueue(tx, t, nt); err != nil {
		return Outcome{}, err
	}
	return o, tx.PutTicket(t)
}

// mistake returns what a staff member is told about a failed command: a
// *SayError, or a domain *Error (an impossible status move) said with its
// message. Any other error is internal and not theirs to fix.
func mistake(err error) (Say, bool) {
	var se *SayError
	if errors.As(err, &se) {
		return se.Say, true
	}
	var de *Error
	if errors.As(err, &de) && de.Say != nil {
		return *de.Say, true
	}
	if errors.As(err, &de) {
		return say("err_domain", Str(de.Message)), true
	}
	return Say{}, false
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
