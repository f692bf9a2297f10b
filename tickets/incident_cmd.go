package tickets

import (
	"errors"
	"strings"
	"time"
)

// The "#incident" staff command (Chinese "#事件"), on a verified staff
// reply to ticket t:
//
//	#incident       declare t the lead of an incident; on the candidate
//	                alert, the listed reports are linked and told
//	#incident N     link t to the declared incident led by N
//	#incident off   unlink t (it hears nothing more of the incident); on
//	                a lead, end the incident and unlink every member
//
// checkIncident validates without writing; runIncident writes. A reply's
// "#incident" runs after every other command of the reply was applied,
// so an invalid command elsewhere stops it before it touches other
// tickets.

// incidentOp is a checked "#incident" command.
type incidentOp struct {
	kind string // "declare", "link", "off"
	lead *Ticket
}

var incidentOff = map[string]bool{"off": true, "none": true, "关闭": true, "取消": true, "解除": true}

func (d *Desk) checkIncident(tx Tx, t *Ticket, arg string) (incidentOp, error) {
	arg = strings.ToLower(strings.TrimSpace(foldWidth(arg)))
	switch {
	case incidentOff[arg]:
		if t.Incident == 0 {
			return incidentOp{}, sayErr("err_incident_none", Num(t.Number))
		}
		return incidentOp{kind: "off"}, nil
	case arg == "" || parseNumber(strings.TrimPrefix(arg, "#")) == t.Number:
		if t.Incident != 0 && t.Incident != t.Number {
			return incidentOp{}, sayErr("err_incident_linked", Num(t.Number), Num(t.Incident))
		}
		if t.MergedInto != 0 || !t.Status.Open() {
			return incidentOp{}, sayErr("err_incident_not_open", Num(t.Number))
		}
		return incidentOp{kind: "declare", lead: t}, nil
	}
	n := parseNumber(strings.TrimPrefix(arg, "#"))
	if n <= 0 {
		return incidentOp{}, sayErr("err_incident_arg", Str(arg))
	}
	lead, err := d.follow(tx, n)
	if errors.Is(err, ErrNotFound) {
		return incidentOp{}, sayErr("err_no_ticket", Num(n))
	}
	if err != nil {
		return incidentOp{}, err
	}
	in, err := tx.Incident(lead.Number)
	if errors.Is(err, ErrNotFound) || err == nil && in.State != IncidentDeclared || lead.Incident != lead.Number {
		return incidentOp{}, sayErr("err_incident_no_lead", Num(lead.Number))
	}
	if err != nil {
		return incidentOp{}, err
	}
	if t.Incident == t.Number {
		return incidentOp{}, sayErr("err_incident_leads", Num(t.Number))
	}
	return incidentOp{kind: "link", lead: lead}, nil
}

// runIncident applies a "#incident" command to t (which the caller
// stores); body is the public reply of the same mail, if any, passed on
// to the reporters told. It reports whether an incident was declared.
func (d *Desk) runIncident(tx Tx, t *Ticket, staff Staff, arg, body string, now time.Time) (Say, bool, error) {
	op, err := d.checkIncident(tx, t, arg)
	if err != nil {
		return Say{}, false, err
	}
	switch op.kind {
	case "declare":
		in, err := tx.Incident(t.Number)
		if errors.Is(err, ErrNotFound) {
			in, err = &Incident{Lead: t.Number, Created: now}, nil
		}
		if err != nil {
			return Say{}, false, err
		}
		if in.State == IncidentDeclared && t.Incident == t.Number {
			return say("receipt_incident_already", Num(t.Number)), false, nil
		}
		if in.State != IncidentCandidate {
			in.Proposed = nil
		}
		proposed := len(in.Proposed)
		if err := d.declare(tx, t, in, nil, staff.Email, body, now); err != nil {
			return Say{}, false, err
		}
		members := 0
		if err := tx.IncidentMembers(t.Number, func(int64) bool { members++; return true }); err != nil {
			return Say{}, false, err
		}
		d.log().Info("incident: declared", "lead", t.Number, "by", staff.Email, "members", members)
		return say("receipt_incident_declared", Num(t.Number), Str(t.Priority.String()), Num(int64(members)), Num(int64(proposed))), true, nil
	case "link":
		if t.Incident == op.lead.Number {
			return say("receipt_incident_linked_already", Num(t.Number), Num(op.lead.Number)), false, nil
		}
		if t.Incident != 0 {
			if err := d.unlink(tx, t, staff.Email, now); err != nil {
				return Say{}, false, err
			}
		}
		if err := d.link(tx, t, op.lead, map[string]bool{}, "", now); err != nil {
			return Say{}, false, err
		}
		return say("receipt_incident_linked", Num(op.lead.Number)), false, nil
	default: // off
		if t.Incident != t.Number {
			lead := t.Incident
			if err := d.unlink(tx, t, staff.Email, now); err != nil {
				return Say{}, false, err
			}
			return say("receipt_incident_unlinked", Num(lead)), false, nil
		}
		return d.endIncident(tx, t, staff, now)
	}
}

// endIncident dissolves the incident led by t: every member is unlinked
// (nobody is told), the lead is an ordinary ticket again.
func (d *Desk) endIncident(tx Tx, t *Ticket, staff Staff, now time.Time) (Say, bool, error) {
	var members []int64
	if err := tx.IncidentMembers(t.Number, func(n int64) bool { members = append(members, n); return true }); err != nil {
		return Say{}, false, err
	}
	for _, n := range members {
		m, err := tx.Ticket(n)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return Say{}, false, err
		}
		if m.Incident == t.Number {
			if err := d.unlink(tx, m, staff.Email, now); err != nil {
				return Say{}, false, err
			}
			if err := tx.PutTicket(m); err != nil {
				return Say{}, false, err
			}
		} else if err := tx.RemoveIncidentMember(t.Number, n); err != nil {
			return Say{}, false, err
		}
	}
	t.Incident = 0
	t.Events = append(t.Events, Event{At: now, Kind: EventIncident, Actor: staff.Email, Name: staff.Name, Say: &Say{Code: "event_incident_ended"}})
	in, err := tx.Incident(t.Number)
	if err == nil {
		in.State = IncidentEnded
		err = tx.PutIncident(in)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Say{}, false, err
	}
	return say("receipt_incident_ended", Num(int64(len(members)))), false, nil
}
