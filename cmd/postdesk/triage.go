package main

import (
	"fmt"
	"io"

	"github.com/postdesk/postdesk/tickets"
)

// cmdTriage is `postdesk triage export [--config FILE]`: every staff
// correction of a ticket's priority or category, with the report's text,
// as TSV on stdout (README "Triage corrections").
func cmdTriage(args []string, stdout io.Writer) error {
	if len(args) < 1 || args[0] != "export" {
		return fmt.Errorf("usage: postdesk triage export [--config FILE]")
	}
	c, _, err := configFlag("triage", args[1:])
	if err != nil {
		return err
	}
	return ops(c, opsRequest{Cmd: "triage-export"}, stdout)
}

// triageExport writes the corrections of p's desk as TSV to w.
func triageExport(p *Program, w io.Writer) error {
	cs, err := p.Desk.Corrections()
	if err != nil {
		return fmt.Errorf("triage export: %w", err)
	}
	return tickets.WriteCorrectionsTSV(w, cs)
}
