package tickets_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets"
)

// verifiedStaffMail is a verified staff reply to ticket n with text: it
// answers a notification issued to li.
func (f *fixture) verifiedStaffMail(n int64, text string) *tickets.Message {
	return f.staffMail(tickets.StaffRefForTest(f.desk, "li@desk.test", n), n, text)
}

// TestCorrectionsAreLabels: staff changes of priority and category are
// kept with the report's text; a mail whose commands fail keeps nothing;
// the export is one line per correction.
func TestCorrectionsAreLabels(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "Suggestion: dark mode", "It would be nice to have a dark mode.\tThanks"))
	before := f.ticket(o.Ticket)

	f.intake(f.verifiedStaffMail(o.Ticket, "#priority P3\n#bogus"))
	if cs, err := f.desk.Corrections(); err != nil || len(cs) != 0 {
		t.Fatalf("after a rejected mail: corrections = %+v, %v; want none", cs, err)
	}
	f.intake(f.verifiedStaffMail(o.Ticket, "#priority P1\n#category feature\n#note checked"))
	f.intake(f.verifiedStaffMail(o.Ticket, "#priority P1")) // no change: no label
	f.restart()

	cs, err := f.desk.Corrections()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ field, from, to string }{
		{"priority", before.Priority.String(), "P1"},
		{"category", before.Category, "feature"},
	}
	if len(cs) != len(want) {
		t.Fatalf("corrections = %+v, want %d", cs, len(want))
	}
	for i, w := range want {
		c := cs[i]
		if c.Field != w.field || c.From != w.from || c.To != w.to || c.Ticket != o.Ticket || c.Staff != "li@desk.test" ||
			c.Subject != "Suggestion: dark mode" || !strings.Contains(c.Text, "dark mode") || c.ID == 0 || c.At.IsZero() {
			t.Errorf("correction %d = %+v, want %s %s -> %s with the report", i, c, w.field, w.from, w.to)
		}
	}

	var buf bytes.Buffer
	if err := tickets.WriteCorrectionsTSV(&buf, cs); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 || lines[0] != "id\tat\tticket\tstaff\tfield\tfrom\tto\tsubject\ttext" {
		t.Fatalf("TSV = %q, want a header and 2 lines", buf.String())
	}
	cols := strings.Split(lines[1], "\t")
	if len(cols) != 9 || cols[4] != "priority" || cols[6] != "P1" || cols[8] != `It would be nice to have a dark mode.\tThanks` {
		t.Errorf("TSV line = %q, want 9 columns with the tab in the text escaped", lines[1])
	}
}
