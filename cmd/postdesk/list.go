package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
)

const listUsage = `usage: postdesk tickets list [--status S] [--overdue] [--assignee A] [--json] [--config FILE]

Lists tickets, most urgent first (overdue, then priority, then the next
due time). Works while serve runs (over the control socket) and without it.
`

// listedTicket is one ticket of `tickets list --json`.
type listedTicket struct {
	Number      int64     `json:"number"`
	Subject     string    `json:"subject"`
	Status      string    `json:"status"`
	Priority    string    `json:"priority"`
	Category    string    `json:"category,omitempty"`
	Assignee    string    `json:"assignee,omitempty"`
	Requester   string    `json:"requester"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	ResponseDue time.Time `json:"response_due,omitzero"`
	ResolveDue  time.Time `json:"resolve_due,omitzero"`
	Responded   bool      `json:"responded"`
	Overdue     bool      `json:"overdue"`
}

// listRequest travels in opsRequest.Target as JSON.
type listRequest struct {
	Query tickets.Query `json:"query"`
	JSON  bool          `json:"json"`
}

// cmdTickets is `postdesk tickets list`.
func cmdTickets(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return errors.New("usage: postdesk tickets list [--status S] [--overdue] [--assignee A] [--json] [--config FILE]")
	}
	fs := flag.NewFlagSet("tickets list", flag.ContinueOnError)
	fs.SetOutput(stdout)
	status := fs.String("status", "open", "statuses, comma-separated: new, acknowledged, in_progress, waiting, resolved, closed; \"open\" (the first four) or \"all\"")
	overdue := fs.Bool("overdue", false, "only tickets past a response or resolution target")
	assignee := fs.String("assignee", "", "only tickets assigned to this staff address (\"-\": unassigned)")
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	path := fs.String("config", "postdesk.toml", "config file")
	limit := fs.Int("limit", 0, "print at most this many (0: all)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	q := tickets.Query{Overdue: *overdue, Assignee: strings.TrimSpace(*assignee), Limit: *limit}
	for _, s := range strings.Split(*status, ",") {
		switch s = strings.TrimSpace(strings.ToLower(s)); s {
		case "open", "":
		case "all":
			q.Status = append(q.Status, tickets.Statuses...)
		default:
			if !tickets.Status(s).Valid() {
				return fmt.Errorf("tickets list: --status %q: want new, acknowledged, in_progress, waiting, resolved, closed, open or all", s)
			}
			q.Status = append(q.Status, tickets.Status(s))
		}
	}
	c, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(listRequest{Query: q, JSON: *asJSON})
	return ops(c, opsRequest{Cmd: "tickets-list", Target: string(b)}, stdout)
}

// ticketsList runs a list on p.
func ticketsList(p *Program, req opsRequest, w io.Writer) error {
	var lr listRequest
	if err := json.Unmarshal([]byte(req.Target), &lr); err != nil {
		return fmt.Errorf("tickets list: %w", err)
	}
	ts, err := p.Desk.List(lr.Query)
	if err != nil {
		return err
	}
	now := p.now()
	out := make([]listedTicket, 0, len(ts))
	for _, t := range ts {
		out = append(out, listedTicket{Number: t.Number, Subject: t.Subject, Status: string(t.Status), Priority: t.Priority.String(),
			Category: t.Category, Assignee: t.Assignee, Requester: t.Requester.Email, Created: t.Created, Updated: t.Updated,
			ResponseDue: t.ResponseDue, ResolveDue: t.ResolveDue, Responded: !t.FirstResponse.IsZero(), Overdue: tickets.Overdue(t, now)})
	}
	if lr.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(out) == 0 {
		fmt.Fprintln(w, "no tickets match")
		return nil
	}
	cal, _ := p.Config.Calendar()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tPRIO\tSTATUS\tDUE\tASSIGNEE\tREQUESTER\tSUBJECT")
	for _, t := range out {
		due := "-"
		switch {
		case !t.Responded && !t.ResponseDue.IsZero():
			due = "reply " + t.ResponseDue.In(cal.Loc).Format("01-02 15:04")
		case !t.ResolveDue.IsZero() && (t.Status != string(tickets.StatusResolved) && t.Status != string(tickets.StatusClosed)):
			due = "fix " + t.ResolveDue.In(cal.Loc).Format("01-02 15:04")
		}
		if t.Overdue {
			due += " OVERDUE"
		}
		assignee := t.Assignee
		if assignee == "" {
			assignee = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Number, t.Priority, t.Status, due, assignee, t.Requester, templates.OneLine(t.Subject, 60))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d ticket(s)\n", len(out))
	return nil
}
