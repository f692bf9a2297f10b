package tickets_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// staffMail is a reply by li naming the notification ref.
func (f *fixture) staffMail(ref string, n int64, text string) *tickets.Message {
	m := f.mail("li@desk.test", fmt.Sprintf("Re: [#%d] x", n), text)
	m.InReplyTo = []string{ref}
	return m
}

func TestStaffTokenExpires(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	f.desk.TokenTTL = 48 * time.Hour
	o := f.intake(f.mail("a@school.test", "help", ""))
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)
	f.drain()
	f.clock.Add(47 * time.Hour)
	if got := f.intake(f.staffMail(ref, o.Ticket, "#priority P3")); got.Action != tickets.ActionStaff {
		t.Fatalf("before expiry: %s, want staff", got.Action)
	}
	f.drain()
	f.clock.Add(2 * time.Hour)
	if got := f.intake(f.staffMail(ref, o.Ticket, "#priority P0")); got.Action != tickets.ActionUnverified {
		t.Fatalf("after expiry: %s, want unverified", got.Action)
	}
	if tk := f.ticket(o.Ticket); tk.Priority != tickets.P3 {
		t.Errorf("priority = %s, want P3 (the expired token applied nothing)", tk.Priority)
	}
	alerts := f.drain()
	if len(alerts) != 1 || !strings.Contains(saysText(alerts[0]), "expired") {
		t.Errorf("alert after expiry = %s %q, want one saying the token expired", kinds(alerts), saysText(alerts[0]))
	}
	// Pruning keeps a week of grace, then forgets the record.
	if n, err := f.desk.PruneTokens(); err != nil || n != 0 {
		t.Errorf("PruneTokens within the grace week = %d, %v; want 0", n, err)
	}
	f.clock.Add(8 * 24 * time.Hour)
	if n, err := f.desk.PruneTokens(); err != nil || n < 1 {
		t.Errorf("PruneTokens after the grace week = %d, %v; want >= 1", n, err)
	}
}

// TestReplyAllExposesToken: the token of a reply-all that went to the
// customer stops working; the staff member gets a fresh one.
func TestReplyAllExposesToken(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "help", ""))
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)
	f.drain()
	m := f.staffMail(ref, o.Ticket, "please restart")
	m.To = []tickets.Address{{Email: "support@desk.test"}}
	m.Cc = []tickets.Address{{Email: "a@school.test"}}
	if got := f.intake(m); got.Action != tickets.ActionStaff {
		t.Fatalf("the reply-all itself: %s, want staff (handled as genuine)", got.Action)
	}
	var fresh *tickets.Notice
	for _, n := range f.drain() {
		if n.To.Email == "li@desk.test" && n.Kind == tickets.NoticeStaffRenewed {
			fresh = n
		}
	}
	if fresh == nil || fresh.Token == "" || fresh.Reason != tickets.ExposedReplyAll || fresh.Text != "a@school.test" {
		t.Fatalf("no fresh notification naming why: %+v", fresh)
	}
	forged := f.mail("li@desk.test", fmt.Sprintf("Re: [#%d] x", o.Ticket), "#status closed")
	forged.InReplyTo = []string{ref}
	if got := f.intake(forged); got.Action != tickets.ActionUnverified {
		t.Errorf("replayed token: %s, want unverified", got.Action)
	}
	f.drain()
	again := f.staffMail(fresh.MessageID, o.Ticket, "#status waiting")
	if got := f.intake(again); got.Action != tickets.ActionStaff {
		t.Errorf("reply to the fresh notification: %s, want staff", got.Action)
	}
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusWaiting {
		t.Errorf("status = %s, want waiting", tk.Status)
	}
}

func TestParticipantsAndCC(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	f.desk.MaxParticipants = 3
	f.desk.StaffReceipts = true // the receipts say what each #cc did
	m := f.mail("a@school.test", "help", "")
	for i := range 8 {
		m.Cc = append(m.Cc, tickets.Address{Email: fmt.Sprintf("p%d@school.test", i)})
	}
	o := f.intake(m)
	tk := f.ticket(o.Ticket)
	if len(tk.Participants) != 3 || tk.AddedBy["p0@school.test"] != "a@school.test" {
		t.Fatalf("participants = %+v, added by %v; want 3, added by the requester", tk.Participants, tk.AddedBy)
	}
	if ns := f.drain(); !strings.Contains(saysText(ns[len(ns)-1]), "staff_participants_skipped(5, 3)") {
		t.Errorf("staff notification lines = %q, want the 5 skipped addresses counted", saysText(ns[len(ns)-1]))
	}
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)
	steps := []struct {
		name, cmd string
		want      []string // participants after
		receipt   string
	}{
		{"over the cap", "#cc +x@school.test", []string{"p0", "p1", "p2"}, "err_cc_max(1, 3)"},
		{"remove and add", "#cc -p1@school.test\n#抄送 +x@school.test", []string{"p0", "p2", "x"}, "receipt_cc(+x@school.test)"},
		{"staff is no participant", "#cc +li@desk.test", []string{"p0", "p2", "x"}, "err_cc_staff(li@desk.test)"},
		{"not a participant", "#cc -nobody@school.test", []string{"p0", "p2", "x"}, "err_cc_not_participant(nobody@school.test, 1)"},
		{"the requester stays", "#cc -a@school.test", []string{"p0", "p2", "x"}, "err_cc_requester(a@school.test)"},
		{"not an address", "#cc +nonsense", []string{"p0", "p2", "x"}, "err_cc_address(nonsense)"},
	}
	for _, s := range steps {
		f.intake(f.staffMail(ref, o.Ticket, s.cmd))
		var got []string
		tk := f.ticket(o.Ticket)
		for _, p := range tk.Participants {
			got = append(got, strings.TrimSuffix(p.Email, "@school.test"))
		}
		if strings.Join(got, ",") != strings.Join(s.want, ",") {
			t.Errorf("%s: participants = %v, want %v", s.name, got, s.want)
		}
		var receipt string
		for _, n := range f.drain() {
			if n.Kind == tickets.NoticeReceipt {
				receipt = saysText(n)
			}
		}
		if !strings.Contains(receipt, s.receipt) {
			t.Errorf("%s: receipt %q, want %q", s.name, receipt, s.receipt)
		}
	}
	if tk := f.ticket(o.Ticket); tk.AddedBy["x@school.test"] != "li@desk.test" {
		t.Errorf("x added by %q, want li@desk.test", tk.AddedBy["x@school.test"])
	}
}

// failingStore fails PutTicket of one ticket number: a storage error in
// the middle of applying commands.
type failingStore struct {
	tickets.Store
	ticket int64
}

type failingPutTx struct {
	tickets.Tx
	ticket int64
}

func (s failingStore) Update(fn func(tickets.Tx) error) error {
	return s.Store.Update(func(tx tickets.Tx) error { return fn(failingPutTx{tx, s.ticket}) })
}

func (tx failingPutTx) PutTicket(t *tickets.Ticket) error {
	if t.Number == tx.ticket {
		return errors.New("disk full")
	}
	return tx.Tx.PutTicket(t)
}

// TestStorageErrorIsNoReceipt: a storage error while applying commands
// fails the mail (quarantined after retries), writes nothing and is never
// mailed to the staff member as their mistake.
func TestStorageErrorIsNoReceipt(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o1 := f.intake(f.mail("a@school.test", "one", ""))
	o2 := f.intake(f.mail("b@school.test", "two", ""))
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o1.Ticket)
	f.drain()
	before := f.ticket(o2.Ticket)
	f.desk.Store = failingStore{f.db, o2.Ticket}
	got := f.intake(f.staffMail(ref, o1.Ticket, fmt.Sprintf("#merge %d", o2.Ticket)))
	f.desk.Store = f.db
	if got.Action != tickets.ActionFailed || !strings.Contains(got.Err, "disk full") {
		t.Errorf("outcome = %+v, want failed with the storage error", got)
	}
	if ns := f.drain(); len(ns) != 0 {
		t.Errorf("notices after a storage error: %s %q", kinds(ns), ns[0].Lines)
	}
	if tk := f.ticket(o1.Ticket); tk.MergedInto != 0 || tk.Status != tickets.StatusNew {
		t.Errorf("ticket 1 changed: merged into %d, status %s", tk.MergedInto, tk.Status)
	}
	if tk := f.ticket(o2.Ticket); len(tk.Events) != len(before.Events) || len(tk.Participants) != len(before.Participants) {
		t.Errorf("ticket 2 changed: %d events (was %d)", len(tk.Events), len(before.Events))
	}
	recs, err := f.desk.Records(tickets.RecordFailed, false)
	if err != nil || len(recs) != 1 {
		t.Errorf("quarantined records = %d, %v; want 1", len(recs), err)
	}
}

// BenchmarkStaffReplyVerify measures a verified staff reply on a database
// of 2,000 tickets: the token lookup and MAC check, the command's check and
// apply, and the receipt (which is issued a new token). No fsync: the
// figure is the work, BenchmarkIntakeNew shows the fsync.
func BenchmarkStaffReplyVerify(b *testing.B) {
	const nTickets = 2000
	db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	desk := benchDesk(b, db)
	refs := make([]string, nTickets)
	for i := 0; i < nTickets; i += 500 {
		var batch []*tickets.Message
		for j := i; j < i+500; j++ {
			batch = append(batch, benchReport(j))
		}
		if _, err := desk.Intake(batch, nil); err != nil {
			b.Fatal(err)
		}
	}
	for i := range refs {
		refs[i] = tickets.StaffRefForTest(desk, "li@desk.test", int64(i+1))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k := (i * 7919) % nTickets
		m := &tickets.Message{MessageID: fmt.Sprintf("s%d@desk.test", i), From: tickets.Address{Email: "li@desk.test"},
			To: []tickets.Address{{Email: "support@desk.test"}}, Subject: "Re: x", Text: "#priority P2", InReplyTo: []string{refs[k]}, Raw: benchRaw}
		out, err := desk.Intake([]*tickets.Message{m}, nil)
		if err != nil || out[0].Action != tickets.ActionStaff || out[0].Ticket != int64(k+1) {
			b.Fatalf("Intake = %v, %v; want staff on #%d", out, err, k+1)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
}

// TestInlineForwardExposesToken: a mail whose text shows a forwarded copy
// of a notification (its Message-ID or plus reply address), from anyone,
// revokes that notification's token.
func TestInlineForwardExposesToken(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "help", ""))
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)
	f.drain()
	fwd := f.mail("teacher@school.test", "Fwd: [#1] help", "看看这个\n\n---------- Forwarded message ---------\nFrom: Desk <support@desk.test>\nMessage-ID: <"+ref+">\nSubject: [#1] help\n\nNew ticket #1")
	f.intake(fwd)
	var renewed *tickets.Notice
	for _, n := range f.drain() {
		if n.Kind == tickets.NoticeStaffRenewed {
			renewed = n
		}
	}
	if renewed == nil || renewed.Reason != tickets.ExposedForward || !strings.Contains(renewed.Text, "teacher@school.test") {
		t.Fatalf("renewed notice = %+v, want one saying who forwarded", renewed)
	}
	if got := f.intake(f.staffMail(ref, o.Ticket, "#status closed")); got.Action != tickets.ActionUnverified {
		t.Errorf("token after an inline forward: %s, want unverified", got.Action)
	}
}

// TestOverCapFanOutIsHeld: a staff reply that would go to more than the
// requester and MaxParticipants others (participants from before the cap
// was lowered) is held as a note, sent to nobody, and the receipt says so.
func TestOverCapFanOutIsHeld(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	m := f.mail("a@school.test", "help", "")
	for i := range 5 {
		m.Cc = append(m.Cc, tickets.Address{Email: fmt.Sprintf("p%d@school.test", i)})
	}
	o := f.intake(m)
	ref := tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)
	f.drain()
	f.desk.MaxParticipants = 2
	f.intake(f.staffMail(ref, o.Ticket, "已经在处理了。"))
	var receipt string
	for _, n := range f.drain() {
		if n.Kind == tickets.NoticeProgress {
			t.Errorf("progress mail to %s: the reply was not held", n.To.Email)
		}
		if n.Kind == tickets.NoticeReceipt {
			receipt = saysText(n)
		}
	}
	if !strings.Contains(receipt, "receipt_held(6, 3)") {
		t.Errorf("receipt = %q, want it to say the reply to 6 addresses was held", receipt)
	}
	tk := f.ticket(o.Ticket)
	if last := tk.Events[len(tk.Events)-1]; last.Kind != tickets.EventNote || last.Public {
		t.Errorf("held reply recorded as %s (public %v), want an internal note", last.Kind, last.Public)
	}
}

// saysText is a notice's lines and its sentences in domain terms
// ("receipt_cc(+x@school.test)"), for assertions.
func saysText(n *tickets.Notice) string {
	parts := append([]string(nil), n.Lines...)
	for _, s := range n.Says {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, "\n")
}
