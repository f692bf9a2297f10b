package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets"
)

// TestIncidentBanner: a member's page shows the incident's public status
// (the lead's latest public reply), escaped; an unlinked report's page
// shows no banner.
func TestIncidentBanner(t *testing.T) {
	f := newFixture(t, -1)
	intake := func(m *tickets.Message) tickets.Outcome {
		t.Helper()
		out, err := f.desk.Intake([]*tickets.Message{m}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out[0]
	}
	lead := intake(&tickets.Message{MessageID: "l@x", From: tickets.Address{Email: "a@school.test"}, Subject: "live class won't load", Text: "the live class won't load", Raw: []byte("x")}).Ticket
	notification := ""
	queued, err := f.desk.Outbox().Due(100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range queued {
		if p.Notice.To.Email == "li@desk.test" && p.Notice.Ticket == lead {
			notification = p.Notice.MessageID
		}
	}
	if notification == "" {
		t.Fatal("no staff notification about the lead")
	}
	staff := func(id, text string) {
		intake(&tickets.Message{MessageID: id, From: tickets.Address{Email: "li@desk.test"}, Subject: fmt.Sprintf("Re: [#%d]", lead), Text: text,
			InReplyTo: []string{notification}, Raw: []byte("x")})
	}
	staff("s1@desk.test", "#incident")
	member := intake(&tickets.Message{MessageID: "m@x", From: tickets.Address{Email: "b@other.test"}, Subject: "Live lesson not loading", Text: "our live lesson won't load", Raw: []byte("x")}).Ticket
	other := intake(&tickets.Message{MessageID: "o@x", From: tickets.Address{Email: "c@third.test"}, Subject: "invoice", Text: "please send the invoice", Raw: []byte("x")}).Ticket
	staff("s2@desk.test", "We found the fault <b>in the streaming servers</b>.")
	page := func(n int64) string {
		_, body := f.get(t, "/t/"+f.desk.Signer.Token(tickets.PurposeTrack, n))
		return body
	}
	if p := page(member); !strings.Contains(p, "Platform-wide incident") || !strings.Contains(p, "&lt;b&gt;in the streaming servers&lt;/b&gt;") {
		t.Errorf("member page lacks the banner with the lead's reply (escaped):\n%s", p)
	}
	if p := page(other); strings.Contains(p, "Platform-wide incident") {
		t.Errorf("unrelated report's page shows an incident banner")
	}
	staff("s3@desk.test", "#resolve\n\nFixed.")
	if p := page(member); !strings.Contains(p, "is resolved") || !strings.Contains(p, "Fixed.") {
		t.Errorf("member page after resolution:\n%s", p)
	}
}
