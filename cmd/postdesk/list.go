package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// listUsage is the usage line of `postdesk tickets list`.
const listUsage = "usage: postdesk tickets list [--status S] [--overdue] [--assignee A] [--json] [--config FILE]"

// cmdTickets is `postdesk tickets list`: the queue, from the running
// server over the control socket or from the database file.
func cmdTickets(args []string, stdout io.Writer) error {
	if len(args) < 1 || args[0] != "list" {
		return fmt.Errorf("%s", listUsage)
	}
	fs := flag.NewFlagSet("tickets list", flag.ContinueOnError)
	fs.SetOutput(stdout)
	status := fs.String("status", "open", "open, all, or one status: new, acknowledged, in_progress, waiting, resolved, closed (or 待处理 ...)")
	overdue := fs.Bool("overdue", false, "only tickets past their resolution target or with a missed first response")
	assignee := fs.String("assignee", "", "only tickets assigned to this address; \"none\": the unassigned ones")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	path := fs.String("config", "postdesk.toml", "config file")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tickets list: unexpected %q; %s", fs.Arg(0), listUsage)
	}
	f := tickets.ListFilter{Status: *status, Overdue: *overdue, Assignee: *assignee}
	if err := f.Check(); err != nil {
		return fmt.Errorf("tickets list: --status: %w", err)
	}
	c, err := LoadConfig(*path)
	if err != nil {
		return err
	}
	return ops(c, opsRequest{Cmd: "tickets-list", Filter: f, JSON: *asJSON}, stdout)
}

// listedTicket is one ticket in the JSON output of `tickets list`.
type listedTicket struct {
	Number           int64     `json:"number"`
	Subject          string    `json:"subject"`
	Status           string    `json:"status"`
	Priority         string    `json:"priority"`
	Category         string    `json:"category,omitempty"`
	Assignee         string    `json:"assignee,omitempty"`
	Requester        string    `json:"requester"`
	Created          time.Time `json:"created"`
	Updated          time.Time `json:"updated"`
	FirstResponse    time.Time `json:"first_response,omitzero"`
	ResponseDue      time.Time `json:"response_due,omitzero"`
	ResolveDue       time.Time `json:"resolve_due,omitzero"`
	Overdue          bool      `json:"overdue"`
	ResponseBreached bool      `json:"response_breached"`
	Track            string    `json:"track"`
}

// ticketsList prints the tickets f selects: a table, or JSON.
func ticketsList(p *Program, f tickets.ListFilter, asJSON bool, w io.Writer) error {
	ts, err := p.Desk.List(f)
	if err != nil {
		return fmt.Errorf("tickets list: %w", err)
	}
	now := p.now()
	loc := p.Desk.Policy.Hours.Loc // the calendar openDesk built from [hours]
	track := func(n int64) string {
		return p.Config.Desk.BaseURL + "/t/" + p.Desk.Signer.Token(tickets.PurposeTrack, n)
	}
	if asJSON {
		out := make([]listedTicket, 0, len(ts))
		for _, t := range ts {
			out = append(out, listedTicket{Number: t.Number, Subject: t.Subject, Status: string(t.Status), Priority: t.Priority.String(),
				Category: t.Category, Assignee: t.Assignee, Requester: t.Requester.Email, Created: t.Created, Updated: t.Updated,
				FirstResponse: t.FirstResponse, ResponseDue: t.ResponseDue, ResolveDue: t.ResolveDue,
				Overdue: tickets.Overdue(t, now), ResponseBreached: tickets.ResponseBreached(t, now), Track: track(t.Number)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	clock := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TICKET\tPRIO\tSTATUS\tCATEGORY\tASSIGNEE\tDUE\tLATE\tSUBJECT")
	late := 0
	for _, t := range ts {
		flag := ""
		switch {
		case tickets.ResponseBreached(t, now):
			flag = "no answer"
		case tickets.Overdue(t, now):
			flag = "overdue"
		}
		if flag != "" {
			late++
		}
		due := t.ResolveDue
		if t.FirstResponse.IsZero() && !t.ResponseDue.IsZero() && t.Status.Open() {
			due = t.ResponseDue // the next promise is the first answer
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tickets.Tag(p.Config.Desk.TagPrefix, t.Number), t.Priority, t.Status,
			dash(t.Category), dash(t.Assignee), clock(due), dash(flag), oneLine(t.Subject, 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d tickets, %d late (times in %s)\n", len(ts), late, loc)
	return nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine folds s to one line of at most max runes.
func oneLine(s string, max int) string {
	r := []rune(s)
	for i, c := range r {
		if c < 0x20 || c == 0x7f {
			r[i] = ' '
		}
	}
	if len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return string(r)
}
