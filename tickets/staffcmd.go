package tickets

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Staff commands run in two steps so that one mail's commands happen whole
// or not at all: every command is first checked against the ticket (no
// write to the ticket or the store), and only when all passed are their
// apply steps run in order.
//
// To add a command:
//  1. add its spellings to verbs (commands.go), mapping to a new verb;
//  2. write a check func below and put it in commandTable under that verb.
//     The check reads e.t / e.tx, returns a user's mistake as invalid(...)
//     and otherwise returns the apply step, a closure that makes the change
//     and returns the receipt line. Apply steps may only fail on storage
//     errors, never on what the user wrote: everything the user could get
//     wrong is the check's job;
//  3. name it in the staff notification templates' command help and in
//     README.md.

// cmdEnv is what the checks and apply steps of one mail's commands see.
type cmdEnv struct {
	d     *Desk
	tx    Tx
	t     *Ticket
	staff Staff
	now   time.Time
	// status is the ticket's status as the commands checked so far will
	// leave it, so a later command is checked against it.
	status Status
	// ccDelta is the change in participants the checked #cc commands
	// will make (adds minus removals).
	ccDelta int
}

// cmdResult is what an applied command reports.
type cmdResult struct {
	line   Say    // receipt line; zero for none
	status Status // the status it set, if any
	note   bool   // the reply is an internal note
	// article is a knowledge-base article to send with the reply (#kb).
	article *Article
}

// applyStep makes one checked command's change. It fails only on internal
// (storage) errors.
type applyStep func() (cmdResult, error)

// commandCheck validates one command; see the comment at the top.
type commandCheck func(e *cmdEnv, c Command) (applyStep, error)

// commandTable maps each canonical verb to its check.
var commandTable = map[string]commandCheck{
	"status":   checkStatus,
	"wait":     checkStatus,
	"close":    checkStatus,
	"resolve":  checkStatus,
	"priority": checkPriority,
	"assign":   checkAssign,
	"take":     checkAssign,
	"category": checkCategory,
	"note":     checkNote,
	"escalate": checkEscalate,
	"merge":    checkMerge,
	"cc":       checkCC,
	"kb":       checkKB,
	"incident": checkIncidentCommand,
}

// checkCommands checks every command of a mail against t and returns
// their apply steps; the first user mistake is returned with the command
// it belongs to. Nothing is written.
func (e *cmdEnv) checkCommands(cmds []Command) ([]applyStep, *Command, error) {
	var steps []applyStep
	for i := range cmds {
		c := &cmds[i]
		check, ok := commandTable[c.Verb]
		if !ok {
			names := make([]string, 0, len(commandTable))
			for v := range commandTable {
				names = append(names, v)
			}
			slices.Sort(names)
			return nil, c, sayErr("err_command", Str(strings.Join(names, ", ")))
		}
		step, err := check(e, *c)
		if err != nil {
			return nil, c, err
		}
		steps = append(steps, step)
	}
	return steps, nil, nil
}

// moveTo checks that the projected status may move to to.
func (e *cmdEnv) moveTo(to Status) error {
	if e.status != to && !CanMove(e.status, to) {
		return sayErr("err_move", Num(e.t.Number), Word("status."+string(e.status)), Word("status."+string(to)))
	}
	e.status = to
	return nil
}

func checkStatus(e *cmdEnv, c Command) (applyStep, error) {
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
			return nil, sayErr("err_status", Str(c.Arg), Str("new, acknowledged, in_progress, waiting, resolved, closed"))
		}
	}
	if err := e.moveTo(to); err != nil {
		return nil, err
	}
	return func() (cmdResult, error) {
		if e.t.Status == to {
			return cmdResult{line: say("receipt_status_same", Word("status."+string(to))), status: to}, nil
		}
		if err := e.d.setStatus(e.tx, e.t, to, e.staff.Email, "", e.now, false); err != nil {
			return cmdResult{}, err
		}
		return cmdResult{line: say("receipt_status", Word("status."+string(to))), status: to}, nil
	}, nil
}

func checkPriority(e *cmdEnv, c Command) (applyStep, error) {
	p, ok := ParsePriority(c.Arg)
	if !ok {
		return nil, sayErr("err_priority", Str(c.Arg))
	}
	return func() (cmdResult, error) {
		t := e.t
		old := t.Priority
		t.Priority = p
		e.d.policy().setDueFrom(t, t.Created)
		t.Events = append(t.Events, Event{At: e.now, Kind: EventPriority, Actor: e.staff.Email, Name: e.staff.Name, Text: fmt.Sprintf("%s -> %s", old, p)})
		if err := e.d.policy().scheduleTimers(e.tx, t, e.now); err != nil {
			return cmdResult{}, err
		}
		return cmdResult{line: say("receipt_priority", Str(old.String()), Str(p.String()))}, nil
	}, nil
}

func checkAssign(e *cmdEnv, c Command) (applyStep, error) {
	who := e.staff
	if c.Verb == "assign" {
		var ok bool
		if who, ok = e.d.findStaff(c.Arg); !ok {
			return nil, sayErr("err_staff", Str(c.Arg))
		}
	}
	acks := e.status == StatusNew
	if acks {
		e.status = StatusAcknowledged
	}
	return func() (cmdResult, error) {
		e.t.Assignee = who.Email
		e.t.Events = append(e.t.Events, Event{At: e.now, Kind: EventAssign, Actor: e.staff.Email, Name: e.staff.Name, Text: who.Name + " <" + who.Email + ">"})
		var status Status
		if e.t.Status == StatusNew {
			// Taking a ticket is the desk's acknowledgement (已确认).
			if err := e.d.acknowledge(e.tx, e.t, e.staff.Email, e.now); err != nil {
				return cmdResult{}, err
			}
			status = StatusAcknowledged
		}
		return cmdResult{line: say("receipt_assigned", Str(who.Name), Str(who.Email)), status: status}, nil
	}, nil
}

func checkCategory(e *cmdEnv, c Command) (applyStep, error) {
	name := strings.ToLower(strings.TrimSpace(c.Arg))
	if !e.d.policy().knownCategory(name) {
		return nil, sayErr("err_category", Str(c.Arg), Str(strings.Join(e.d.policy().categoryNames(), ", ")))
	}
	return func() (cmdResult, error) {
		e.t.Category = name
		e.t.Events = append(e.t.Events, Event{At: e.now, Kind: EventCategory, Actor: e.staff.Email, Name: e.staff.Name, Text: name})
		return cmdResult{line: say("receipt_category", Cat(name))}, nil
	}, nil
}

func checkNote(*cmdEnv, Command) (applyStep, error) {
	return func() (cmdResult, error) { return cmdResult{note: true}, nil }, nil
}

func checkEscalate(e *cmdEnv, c Command) (applyStep, error) {
	if err := e.moveTo(StatusInProgress); err != nil {
		return nil, err
	}
	return func() (cmdResult, error) {
		// The customer sees "已转技术团队处理"; the staff member's words
		// after the command stay internal.
		if err := e.d.escalate(e.tx, e.t, e.staff, strings.TrimSpace(c.Arg), e.now); err != nil {
			return cmdResult{}, err
		}
		return cmdResult{line: say("receipt_escalated"), status: StatusInProgress}, nil
	}, nil
}

func checkMerge(e *cmdEnv, c Command) (applyStep, error) {
	t := e.t
	n := parseNumber(strings.TrimPrefix(strings.TrimSpace(c.Arg), "#"))
	if n <= 0 || n == t.Number {
		return nil, sayErr("err_merge_number", Str(c.Arg))
	}
	target, err := e.d.follow(e.tx, n)
	if errors.Is(err, ErrNotFound) {
		return nil, sayErr("err_no_ticket", Num(n))
	}
	if err != nil {
		return nil, err
	}
	if target.Number == t.Number {
		return nil, sayErr("err_merged_already", Num(n))
	}
	if err := e.moveTo(StatusClosed); err != nil {
		return nil, err
	}
	into := target.Number
	return func() (cmdResult, error) {
		// Load the target again: the check's copy must stay unwritten.
		target, err := e.d.follow(e.tx, into)
		if err != nil {
			return cmdResult{}, fmt.Errorf("merge into #%d: %w", into, err)
		}
		t.MergedInto = target.Number
		t.Events = append(t.Events, Event{At: e.now, Kind: EventMerged, Actor: e.staff.Email, Name: e.staff.Name, Public: true, Text: fmt.Sprintf("#%d", target.Number)})
		if t.Status != StatusClosed {
			if err := e.d.setStatus(e.tx, t, StatusClosed, e.staff.Email, "", e.now, false); err != nil {
				return cmdResult{}, err
			}
		}
		merged := say("event_merged_here", Num(t.Number))
		target.Events = append(target.Events, Event{At: e.now, Kind: EventMerged, Actor: e.staff.Email, Name: e.staff.Name, Say: &merged})
		dropped := 0
		for _, p := range t.CustomerRecipients() {
			if target.IsParticipant(p.Email) {
				continue
			}
			if len(target.Participants) >= e.d.maxParticipants() {
				dropped++
				continue
			}
			target.addParticipant(p, e.staff.Email)
		}
		if err := e.tx.PutTicket(target); err != nil {
			return cmdResult{}, err
		}
		line := say("receipt_merged", Num(target.Number))
		if dropped > 0 {
			line = say("receipt_merged_dropped", Num(target.Number), Num(int64(dropped)), Num(int64(e.d.maxParticipants())))
		}
		return cmdResult{line: line, status: StatusClosed}, nil
	}, nil
}

// checkCC handles "#cc +addr -addr ...": add or remove customer-side
// participants, within Desk.MaxParticipants.
func checkCC(e *cmdEnv, c Command) (applyStep, error) {
	t := e.t
	type change struct {
		add  bool
		addr Address
	}
	var changes []change
	fields := strings.Fields(strings.ReplaceAll(c.Arg, ",", " "))
	if len(fields) == 0 {
		return nil, sayErr("err_cc_empty")
	}
	for _, f := range fields {
		f = foldWidth(f)
		if len(f) < 2 || (f[0] != '+' && f[0] != '-') {
			return nil, sayErr("err_cc_sign", Str(f))
		}
		a, err := mail.ParseAddress(f[1:])
		if err != nil {
			return nil, sayErr("err_cc_address", Str(f[1:]))
		}
		addr := Address{Name: a.Name, Email: NormalizeEmail(a.Address)}
		if _, staff := e.d.StaffByEmail(addr.Email); staff || e.d.isOwnAddress(addr.Email) {
			return nil, sayErr("err_cc_staff", Str(addr.Email))
		}
		add := f[0] == '+'
		switch {
		case add && t.IsParticipant(addr.Email):
			continue // already there
		case add:
			if len(t.Participants)+e.ccDelta+1 > e.d.maxParticipants() {
				return nil, sayErr("err_cc_max", Num(t.Number), Num(int64(e.d.maxParticipants())))
			}
			e.ccDelta++
		case addr.Email == t.Requester.Email:
			return nil, sayErr("err_cc_requester", Str(addr.Email))
		case !t.IsParticipant(addr.Email):
			return nil, sayErr("err_cc_not_participant", Str(addr.Email), Num(t.Number))
		default:
			e.ccDelta--
		}
		changes = append(changes, change{add, addr})
	}
	return func() (cmdResult, error) {
		var done []string
		for _, ch := range changes {
			if ch.add {
				if t.IsParticipant(ch.addr.Email) {
					continue
				}
				t.addParticipant(ch.addr, e.staff.Email)
				done = append(done, "+"+ch.addr.Email)
			} else if t.removeParticipant(ch.addr.Email) {
				done = append(done, "-"+ch.addr.Email)
			}
		}
		if len(done) == 0 {
			return cmdResult{line: say("receipt_cc_same")}, nil
		}
		text := strings.Join(done, " ")
		t.Events = append(t.Events, Event{At: e.now, Kind: EventParticipants, Actor: e.staff.Email, Name: e.staff.Name, Text: text})
		return cmdResult{line: say("receipt_cc", Str(text))}, nil
	}, nil
}

// checkKB handles "#kb <slug>": the reply carries the article's title,
// summary and link to the customer.
func checkKB(e *cmdEnv, c Command) (applyStep, error) {
	slug := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c.Arg), "/kb/"))
	if e.d.KB == nil {
		return nil, sayErr("err_kb_none")
	}
	a, ok := e.d.KB.Article(slug)
	if slug == "" || !ok {
		return nil, sayErr("err_kb_unknown", Str(slug))
	}
	return func() (cmdResult, error) {
		return cmdResult{line: say("receipt_kb", Str(a.Title)), article: &a}, nil
	}, nil
}

// checkIncidentCommand checks "#incident [N|off]" (incident_cmd.go); it
// runs in staffReply after every other command, because it touches other
// tickets and passes the reply's public words on to their reporters.
func checkIncidentCommand(e *cmdEnv, c Command) (applyStep, error) {
	op, err := e.d.checkIncident(e.tx, e.t, c.Arg)
	if err != nil {
		return nil, err
	}
	if op.kind == "declare" && !e.status.Open() {
		// e.g. "#close" then "#incident": an incident needs an open lead.
		return nil, sayErr("err_incident_not_open", Num(e.t.Number))
	}
	return func() (cmdResult, error) { return cmdResult{}, nil }, nil
}
