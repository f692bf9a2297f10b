package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

type fixture struct {
	srv  *Server
	desk *tickets.Desk
	ts   *httptest.Server
}

func newFixture(t *testing.T, rps float64) *fixture {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "w.db"), &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	signer := &tickets.Signer{Secret: []byte("0123456789abcdef")}
	desk := &tickets.Desk{Store: db, Signer: signer, Domain: "desk.test", Lang: "en", Addresses: []string{"support@desk.test"},
		Staff: []tickets.Staff{{Email: "li@desk.test", Name: "Li", NotifyNew: true}}}
	set, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Tickets: desk, Signer: signer, Templates: set, Viewer: &templates.Viewer{Set: set}, Desk: templates.Desk{Name: "Desk"}, Lang: "en", RatePerSecond: rps, Burst: 5}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return &fixture{srv: s, desk: desk, ts: ts}
}

func (f *fixture) get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`

func TestPageEscapesEverything(t *testing.T) {
	f := newFixture(t, -1)
	m := &tickets.Message{MessageID: "h@x", From: tickets.Address{Name: hostile, Email: "a@school.test"}, Subject: "Re: " + hostile,
		Text: "body " + hostile, Attachments: []tickets.Attachment{{Name: hostile + ".png"}}, Raw: []byte("x")}
	out, err := f.desk.Intake([]*tickets.Message{m}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := out[0].Ticket
	// Li answers the new-ticket notification: its Message-ID carries her token.
	queued, err := f.desk.Outbox().Due(10)
	if err != nil {
		t.Fatal(err)
	}
	var notification string
	for _, p := range queued {
		if p.Notice.To.Email == "li@desk.test" {
			notification = p.Notice.MessageID
		}
	}
	note := &tickets.Message{MessageID: "n@x", From: tickets.Address{Email: "li@desk.test"}, Subject: "Re: [#1]", Text: "#note\nsecret internal remark",
		InReplyTo: []string{notification}, Raw: []byte("y")}
	if _, err := f.desk.Intake([]*tickets.Message{note}, nil); err != nil {
		t.Fatal(err)
	}
	resp, page := f.get(t, "/t/"+f.desk.Signer.Token(tickets.PurposeTrack, n))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, bad := range []string{"<script>alert", "<img src=x", "onerror=alert(2)>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("hostile subject not shown escaped")
	}
	if strings.Contains(page, "secret internal remark") {
		t.Error("internal note on the public page")
	}
	h := resp.Header
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestBadTokensAreOnePlain404(t *testing.T) {
	f := newFixture(t, -1)
	out, _ := f.desk.Intake([]*tickets.Message{{MessageID: "a@x", From: tickets.Address{Email: "a@school.test"}, Subject: "s", Raw: []byte("x")}}, nil)
	good := f.desk.Signer.Token(tickets.PurposeTrack, out[0].Ticket)
	var first string
	for i, path := range []string{
		"/t/" + good[:len(good)-1] + "x",
		"/t/" + f.desk.Signer.Token(tickets.PurposeTrack, 999), // valid MAC, no such ticket
		"/t/1",
		"/t/" + f.desk.Signer.Token(tickets.PurposeClose, out[0].Ticket), // a token for another purpose
		"/a/close/" + good,
		"/a/delete/" + good,
		"/t/%00",
		"/m/" + good, // a tracking token is no "my tickets" token
		"/m/" + f.desk.Signer.Token(tickets.PurposeMine, 999),
		"/m/" + f.desk.Signer.Token(tickets.PurposeMine, out[0].Ticket)[:20] + "x",
		"/m/",
	} {
		resp, body := f.get(t, path)
		if resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
		if i == 0 {
			first = body
		} else if body != first {
			t.Errorf("%s: body %q differs from %q", path, body, first)
		}
	}
}

func TestRateLimitCoversMyTickets(t *testing.T) {
	f := newFixture(t, 1)
	limited := 0
	for range 20 {
		resp, _ := f.get(t, "/m/1-x")
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited < 10 {
		t.Errorf("429 answers = %d of 20 at 1 req/s with burst 5, want >= 10", limited)
	}
}

// TestMyTicketsListsOnlyTheRequesters: the page lists the requester's own
// tickets, open first, and never another person's.
func TestMyTicketsListsOnlyTheRequesters(t *testing.T) {
	f := newFixture(t, -1)
	intake := func(id, from, subject string) int64 {
		out, err := f.desk.Intake([]*tickets.Message{{MessageID: id, From: tickets.Address{Email: from}, Subject: subject, Text: "x", Raw: []byte("x")}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return out[0].Ticket
	}
	first := intake("m1@x", "a@school.test", "first-subject")
	intake("m2@x", "b@school.test", "someone-else")
	second := intake("m3@x", "a@school.test", "second-subject")
	resp, body := f.get(t, "/m/"+f.desk.Signer.Token(tickets.PurposeMine, first))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "someone-else") {
		t.Errorf("my tickets shows another requester's ticket")
	}
	i, j := strings.Index(body, "first-subject"), strings.Index(body, "second-subject")
	if i < 0 || j < 0 {
		t.Fatalf("my tickets lacks a ticket:\n%s", body)
	}
	for _, n := range []int64{first, second} {
		if !strings.Contains(body, "/t/"+f.desk.Signer.Token(tickets.PurposeTrack, n)) {
			t.Errorf("no tracking link for #%d", n)
		}
	}
	if got, _ := f.desk.FirstTicketOf("a@school.test"); got != first {
		t.Errorf("FirstTicketOf = %d, want %d", got, first)
	}
}

// TestReopenTextLandsOnTheTicket: "still broken" with a text reopens the
// ticket and records the text as the customer's words.
func TestReopenTextLandsOnTheTicket(t *testing.T) {
	f := newFixture(t, -1)
	out, _ := f.desk.Intake([]*tickets.Message{{MessageID: "r@x", From: tickets.Address{Email: "a@school.test"}, Subject: "s", Text: "x", Raw: []byte("x")}}, nil)
	n := out[0].Ticket
	if _, err := f.desk.Intake([]*tickets.Message{{MessageID: "r2@x", From: tickets.Address{Email: "li@desk.test"}, Subject: "Re: s", Text: "#status resolved\n\nfixed", InReplyTo: []string{staffRef(t, f, n)}, Raw: []byte("x")}}, nil); err != nil {
		t.Fatal(err)
	}
	path := "/a/reopen/" + f.desk.Signer.Token(tickets.PurposeReopen, n)
	resp, page := f.get(t, path)
	if resp.StatusCode != 200 || strings.Count(page, "<form") != 1 || !strings.Contains(page, `name="text"`) {
		t.Fatalf("reopen page: status %d, want one form with a text box:\n%s", resp.StatusCode, page)
	}
	if tk, _ := f.desk.Get(n); tk.Status != tickets.StatusResolved {
		t.Fatalf("GET changed the status to %s", tk.Status)
	}
	resp, err := http.PostForm(f.ts.URL+path, url.Values{"text": {"还是黑屏 <b>"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST: %v %v", resp, err)
	}
	resp.Body.Close()
	tk, _ := f.desk.Get(n)
	if tk.Status != tickets.StatusInProgress {
		t.Errorf("status %s, want in_progress", tk.Status)
	}
	last := tk.Events[len(tk.Events)-2]
	if last.Kind != tickets.EventCustomerReply || last.Text != "还是黑屏 <b>" || !last.Public {
		t.Errorf("event before the status change = %+v, want the customer's public text", last)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, 1)
	limited := 0
	for range 20 {
		resp, _ := f.get(t, "/t/1-x")
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
		}
	}
	if limited < 10 {
		t.Errorf("429 answers = %d of 20 at 1 req/s with burst 5, want >= 10", limited)
	}
}

// staffRef returns the Message-ID of the queued notification to li about
// ticket n: a reply naming it carries her reply token.
func staffRef(t *testing.T, f *fixture, n int64) string {
	t.Helper()
	queued, err := f.desk.Outbox().Due(100)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range queued {
		if p.Notice.To.Email == "li@desk.test" && p.Notice.Ticket == n && p.Notice.Token != "" {
			return p.Notice.MessageID
		}
	}
	t.Fatalf("no notification to li about #%d", n)
	return ""
}
