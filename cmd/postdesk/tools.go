package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// The operator commands (ticket show, failed list/retry, backup) run on an
// open Program. When `postdesk serve` holds the database, the command is
// sent over the control socket (control.go) and the running server runs
// the same code; otherwise the command opens the database itself.

// opsRequest is one operator command with its arguments after parsing.
type opsRequest struct {
	Cmd    string // "ticket-show", "failed-list", "failed-retry", "backup", "triage-export", "tickets-list"
	N      int64
	Target string
	// Filter and JSON are the options of "tickets-list".
	Filter tickets.ListFilter `json:",omitzero"`
	JSON   bool               `json:",omitempty"`
}

// runOps runs req on p, writing its output to w.
func runOps(p *Program, req opsRequest, w io.Writer) error {
	switch req.Cmd {
	case "ticket-show":
		return ticketShow(p, req.N, w)
	case "failed-list", "failed-retry":
		return failed(p, req.Cmd == "failed-retry", req.Target, w)
	case "backup":
		return backup(p, req.Target, w)
	case "triage-export":
		return triageExport(p, w)
	case "tickets-list":
		return ticketsList(p, req.Filter, req.JSON, w)
	}
	if f := moreOps[req.Cmd]; f != nil {
		return f(p, req, w)
	}
	return fmt.Errorf("unknown operation %q", req.Cmd)
}

// openOffline opens the database and the desk, as serve would, for the
// operator commands (so reprocessed mail gets the configured policy,
// staff and Message-ID domain).
func openOffline(c Config) (*Program, error) {
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := p.openDesk(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// ops runs req against the database of c: over the control socket of a
// running server if it holds the file, else directly.
func ops(c Config, req opsRequest, stdout io.Writer) error {
	if err := controlCall(controlPath(c), req, stdout); !errors.Is(err, errNoServer) {
		return err
	}
	if err := databaseExists(c, req); err != nil {
		return err
	}
	p, err := openOffline(c)
	if errors.Is(err, bolt.ErrLocked) {
		return fmt.Errorf("%w: the database is locked by another process, and no postdesk answers on %s", err, controlPath(c))
	}
	if err != nil {
		return err
	}
	defer p.Close()
	return runOps(p, req, stdout)
}

// databaseExists refuses to run an operator command on a database that
// is not there: opening it would create an empty one, and `ticket show`,
// `backup` or `failed list` would then answer from nothing, e.g. when a
// relative desk.data is read from another directory. Only storing an
// OAuth2 token (`oauth login`, before the first serve) may create it.
func databaseExists(c Config, req opsRequest) error {
	if req.Cmd == "oauth-store" {
		return nil
	}
	if _, err := os.Stat(c.Desk.Data); errors.Is(err, os.ErrNotExist) {
		where := c.Desk.Data
		if !filepath.IsAbs(where) {
			if abs, err := filepath.Abs(where); err == nil {
				where = abs
			}
		}
		return fmt.Errorf("database %s does not exist (desk.data %q; a relative path is taken from the current directory): run this where postdesk serve runs, or set desk.data to an absolute path", where, c.Desk.Data)
	}
	return nil
}

// cmdTicket is `postdesk ticket show N`.
func cmdTicket(args []string, stdout io.Writer) error {
	if len(args) < 2 || args[0] != "show" {
		return fmt.Errorf("usage: postdesk ticket show N [--config FILE]")
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(args[1], "#"), 10, 64)
	if err != nil || n <= 0 {
		return fmt.Errorf("ticket show: %q is not a ticket number", args[1])
	}
	c, _, err := configFlag("ticket", args[2:])
	if err != nil {
		return err
	}
	return ops(c, opsRequest{Cmd: "ticket-show", N: n}, stdout)
}

// ticketShow prints the staff view: every event, internal notes and
// unverified mail included.
func ticketShow(p *Program, n int64, stdout io.Writer) error {
	c := p.Config
	t, err := p.Desk.Get(n)
	if err != nil {
		return fmt.Errorf("ticket show: %w", err)
	}
	set, err := templates.Load()
	if err != nil {
		return err
	}
	cal, _ := c.Calendar()
	v := &templates.Viewer{Set: set, Loc: cal.Loc, TagPrefix: c.Desk.TagPrefix}
	tv := v.Ticket(t, c.Desk.Language)
	fmt.Fprintf(stdout, "%s %s\n", tv.Tag, t.Subject)
	fmt.Fprintf(stdout, "requester: %s <%s>\n", t.Requester.Name, t.Requester.Email)
	for _, a := range t.Participants {
		fmt.Fprintf(stdout, "cc:        %s <%s> (added by %s)\n", a.Name, a.Email, t.AddedBy[a.Email])
	}
	fmt.Fprintf(stdout, "status:    %s (%s)\npriority:  %s\ncategory:  %s\nassignee:  %s\n", t.Status, tv.StatusLabel, t.Priority, t.Category, t.Assignee)
	fmt.Fprintf(stdout, "created:   %s\nupdated:   %s\n", tv.Created, tv.Updated)
	if t.Incident != 0 {
		fmt.Fprintf(stdout, "incident:  #%d\n", t.Incident)
	}
	if t.MergedInto != 0 {
		fmt.Fprintf(stdout, "merged into: #%d\n", t.MergedInto)
	}
	if t.Status.Open() {
		fmt.Fprintf(stdout, "response due: %s\nresolve due:  %s\n", v.Time(t.ResponseDue), v.Time(t.ResolveDue))
	}
	fmt.Fprintf(stdout, "tracking:  %s/t/%s\n\n", c.Desk.BaseURL, p.Desk.Signer.Token(tickets.PurposeTrack, t.Number))
	for _, e := range t.Events {
		vis := "public"
		if !e.Public {
			vis = "INTERNAL"
		}
		ev := v.Event(t, e, c.Desk.Language)
		who := e.Actor
		if e.Name != "" {
			who = e.Name + " <" + e.Actor + ">"
		}
		fmt.Fprintf(stdout, "--- %s  %s  [%s] %s\n", ev.At, ev.Label, vis, who)
		if ev.Text != "" {
			fmt.Fprintln(stdout, ev.Text)
		}
		for _, a := range e.Attachments {
			fmt.Fprintf(stdout, "  attachment: %s\n", a)
		}
	}
	return nil
}

// cmdFailed is `postdesk failed list` and `postdesk failed retry ID|all`.
func cmdFailed(args []string, stdout io.Writer) error {
	if len(args) < 1 || (args[0] != "list" && args[0] != "retry") {
		return fmt.Errorf("usage: postdesk failed list | postdesk failed retry ID|all [--config FILE]")
	}
	sub, rest := args[0], args[1:]
	target := ""
	if sub == "retry" {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return fmt.Errorf("usage: postdesk failed retry ID|all")
		}
		target, rest = rest[0], rest[1:]
	}
	c, _, err := configFlag("failed", rest)
	if err != nil {
		return err
	}
	return ops(c, opsRequest{Cmd: "failed-" + sub, Target: target}, stdout)
}

func failed(p *Program, retry bool, target string, stdout io.Writer) error {
	recs, err := p.Desk.Records(tickets.RecordFailed, retry)
	if err != nil {
		return err
	}
	if !retry {
		if len(recs) == 0 {
			fmt.Fprintln(stdout, "no quarantined mail")
		}
		for _, r := range recs {
			fmt.Fprintf(stdout, "%d\t%s\t%s\t%q\tattempts=%d\t%s\n", r.ID, r.At.Format("2006-01-02 15:04:05"), r.From, r.Subject, r.Attempts, r.Reason)
		}
		return nil
	}
	done := 0
	for _, r := range recs {
		if target != "all" && strconv.FormatUint(r.ID, 10) != target {
			continue
		}
		m := mail.Parse(r.Raw, &p.Parse)
		o, err := p.Desk.Reprocess(r.ID, m)
		if err != nil {
			fmt.Fprintf(stdout, "%d\tfailed again: %v\n", r.ID, err)
			continue
		}
		done++
		fmt.Fprintf(stdout, "%d\t%s\tticket %d\n", r.ID, o.Action, o.Ticket)
	}
	if done == 0 && target != "all" {
		return fmt.Errorf("failed retry: no quarantined mail %s reprocessed", target)
	}
	fmt.Fprintf(stdout, "reprocessed %d\n", done)
	return nil
}

// cmdBackup is `postdesk backup FILE`: a consistent copy (one bbolt read
// transaction), also while the server runs. Restore by stopping postdesk
// and copying FILE over desk.data.
func cmdBackup(args []string, stdout io.Writer) error {
	if len(args) < 1 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("usage: postdesk backup FILE [--config FILE]")
	}
	dst, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	c, _, err := configFlag("backup", args[1:])
	if err != nil {
		return err
	}
	return ops(c, opsRequest{Cmd: "backup", Target: dst}, stdout)
}

func backup(p *Program, dst string, stdout io.Writer) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	n, err := p.DB.Backup(f)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", dst, n)
	return nil
}
