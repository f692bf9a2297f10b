package tickets

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Correction is a staff member's change of a ticket's priority or category
// after intake, kept with the report's text so the triage rules can be
// measured on real traffic: each one is a label.
type Correction struct {
	ID     uint64    `json:"id"`
	At     time.Time `json:"at"`
	Ticket int64     `json:"t"`
	Staff  string    `json:"staff"`
	// Field is "priority" or "category"; From and To are the values
	// before and after ("P2", "P1"; "other", "av").
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
	// Subject and Text are the report as it arrived (the text clipped as
	// on the timeline).
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// recordCorrections keeps one Correction for each of priority and category
// that a staff mail changed from before to after. It is called once all of
// the mail's commands have succeeded, so a rejected mail records nothing.
func (d *Desk) recordCorrections(tx Tx, before, after *Ticket, staff Staff, now time.Time) error {
	text := ""
	for _, e := range after.Events {
		if e.Kind == EventCreated {
			text = e.Text
			break
		}
	}
	add := func(field, from, to string) error {
		if from == to {
			return nil
		}
		return tx.AddCorrection(&Correction{At: now, Ticket: after.Number, Staff: staff.Email, Field: field, From: from, To: to,
			Subject: after.Subject, Text: text})
	}
	if err := add("priority", before.Priority.String(), after.Priority.String()); err != nil {
		return fmt.Errorf("record correction: %w", err)
	}
	if err := add("category", before.Category, after.Category); err != nil {
		return fmt.Errorf("record correction: %w", err)
	}
	return nil
}

// Corrections returns every recorded triage correction, oldest first.
func (d *Desk) Corrections() ([]Correction, error) {
	var out []Correction
	err := d.Store.View(func(tx Tx) error {
		return tx.Corrections(func(c *Correction) bool {
			out = append(out, *c)
			return true
		})
	})
	return out, err
}

// WriteCorrectionsTSV writes cs as tab-separated values with a header
// line: id, at (RFC 3339), ticket, staff, field, from, to, subject, text.
// Tabs, line breaks and backslashes inside a value are written as \t, \n,
// \r and \\, so every correction is one line.
func WriteCorrectionsTSV(w io.Writer, cs []Correction) error {
	var b strings.Builder
	b.WriteString("id\tat\tticket\tstaff\tfield\tfrom\tto\tsubject\ttext\n")
	for _, c := range cs {
		row := []string{fmt.Sprint(c.ID), c.At.UTC().Format(time.RFC3339), fmt.Sprint(c.Ticket), c.Staff, c.Field, c.From, c.To, c.Subject, c.Text}
		for i := range row {
			row[i] = tsvEscape.Replace(row[i])
		}
		b.WriteString(strings.Join(row, "\t"))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var tsvEscape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
