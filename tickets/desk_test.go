package tickets_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
	"github.com/postdesk/postdesk/tickets/hours"
)

var shanghai = hours.Default().Loc

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

type fixture struct {
	t     *testing.T
	path  string
	db    *bolt.DB
	desk  *tickets.Desk
	clock *clock
	seq   int
}

func newFixture(t *testing.T, start time.Time) *fixture {
	t.Helper()
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "t.db"), clock: &clock{t: start}}
	f.open()
	t.Cleanup(func() { f.db.Close() })
	return f
}

func (f *fixture) open() {
	db, err := bolt.Open(f.path, &bolt.Options{NoSync: true})
	if err != nil {
		f.t.Fatal(err)
	}
	f.db = db
	p := tickets.DefaultPolicy()
	p.EscalateTo = []tickets.Address{{Email: "lead@desk.test"}}
	f.desk = &tickets.Desk{Store: db, Signer: &tickets.Signer{Secret: []byte("0123456789abcdef")}, Now: f.clock.Now,
		Domain: "desk.test", Lang: "zh-CN", Addresses: []string{"support@desk.test"}, Policy: p,
		Staff: []tickets.Staff{{Email: "li@desk.test", Name: "李工", NotifyNew: true}}}
}

// restart closes and reopens the database, as a process restart would.
func (f *fixture) restart() {
	f.db.Close()
	f.open()
}

func (f *fixture) mail(from, subject, text string) *tickets.Message {
	f.seq++
	return &tickets.Message{MessageID: fmt.Sprintf("m%d@x.test", f.seq), From: tickets.Address{Email: from}, Subject: subject, Text: text,
		Raw: []byte("Subject: " + subject)}
}

func (f *fixture) intake(m *tickets.Message) tickets.Outcome {
	f.t.Helper()
	out, err := f.desk.Intake([]*tickets.Message{m}, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return out[0]
}

func (f *fixture) ticket(n int64) *tickets.Ticket {
	f.t.Helper()
	t, err := f.desk.Get(n)
	if err != nil {
		f.t.Fatal(err)
	}
	return t
}

// drain removes and returns every queued notice.
func (f *fixture) drain() []*tickets.Notice {
	f.t.Helper()
	ps, err := f.desk.Outbox().Due(10000)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []*tickets.Notice
	var ids []uint64
	for _, p := range ps {
		out = append(out, p.Notice)
		ids = append(ids, p.Notice.ID)
	}
	if err := f.desk.Outbox().Sent(ids); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func kinds(ns []*tickets.Notice) string {
	var s []string
	for _, n := range ns {
		s = append(s, string(n.Kind)+":"+n.To.Email)
	}
	return strings.Join(s, ",")
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueTimes(t *testing.T) {
	tests := []struct {
		name, arrive, subject string
		response, resolve     string
	}{
		// Business-hours targets count only Mon-Fri 09:00-17:30 (8.5h a day).
		{"P1 Friday evening", "2026-11-20 18:00", "视频卡顿", "2026-11-23 11:00", "2026-11-23 17:00"},
		{"P1 weekday morning", "2026-11-23 10:00", "视频卡顿", "2026-11-23 12:00", "2026-11-24 09:30"},
		{"P0 24x7 on Saturday night", "2026-11-21 23:00", "紧急：直播中断，无法上课", "2026-11-21 23:30", "2026-11-22 03:00"},
		{"P1 before a holiday", "2026-09-30 17:00", "视频卡顿", "2026-10-08 10:30", "2026-10-08 16:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, at(tt.arrive))
			cal := hours.Default()
			for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"} {
				cal.Holidays[d] = true
			}
			f.desk.Policy.Hours = cal
			o := f.intake(f.mail("a@school.test", tt.subject, ""))
			tk := f.ticket(o.Ticket)
			if got := tk.ResponseDue.In(shanghai).Format("2006-01-02 15:04"); got != tt.response {
				t.Errorf("ResponseDue = %s, want %s (priority %s)", got, tt.response, tk.Priority)
			}
			if got := tk.ResolveDue.In(shanghai).Format("2006-01-02 15:04"); got != tt.resolve {
				t.Errorf("ResolveDue = %s, want %s", got, tt.resolve)
			}
		})
	}
}

func TestWaitingPausesTheClock(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))         // Monday
	o := f.intake(f.mail("a@school.test", "视频卡顿", "")) // P1: response by 12:00
	staffReplyStatus(t, f, o.Ticket, "wait")
	f.clock.Set(at("2026-11-24 10:00")) // a working day later
	f.intake(f.reply("a@school.test", o.Ticket, "补充信息"))
	tk := f.ticket(o.Ticket)
	if tk.Status != tickets.StatusInProgress {
		t.Fatalf("status after the customer answered = %s, want in_progress", tk.Status)
	}
	// Resolve was due Tue 09:30; the wait lasted one working day (8.5h).
	if got := tk.ResolveDue.In(shanghai).Format("2006-01-02 15:04"); got != "2026-11-25 09:30" {
		t.Errorf("ResolveDue after the wait = %s, want 2026-11-25 10:30", got)
	}
}

func (f *fixture) reply(from string, n int64, text string) *tickets.Message {
	m := f.mail(from, fmt.Sprintf("Re: [#%d] x", n), text)
	return m
}

// staffReplyStatus applies "#verb" as a verified staff reply.
func staffReplyStatus(t *testing.T, f *fixture, n int64, verb string) {
	t.Helper()
	m := f.mail("li@desk.test", fmt.Sprintf("Re: [#%d]", n), "#"+verb)
	m.InReplyTo = []string{tickets.StaffRefForTest(f.desk, "li@desk.test", n)}
	if o := f.intake(m); o.Action != tickets.ActionStaff {
		t.Fatalf("staff reply = %+v", o)
	}
}

func TestWarnAndEscalateOnceAcrossRestart(t *testing.T) {
	f := newFixture(t, at("2026-11-21 23:00")) // Saturday night: P0 runs 24x7
	o := f.intake(f.mail("a@school.test", "紧急：直播中断", ""))
	f.drain()
	f.clock.Add(23 * time.Minute) // 77% of 30 min
	if n, _ := f.desk.Tick(); n != 0 {
		t.Fatalf("fired %d timers before 80%%", n)
	}
	f.clock.Add(2 * time.Minute) // 83%
	if n, _ := f.desk.Tick(); n != 1 {
		t.Fatalf("fired %d timers at 83%%, want the warning", n)
	}
	warn := f.drain()
	if kinds(warn) != "staff_alert:li@desk.test" || len(warn[0].Says) != 1 || warn[0].Says[0].String() != "alert_warn(80, P0, 2026-11-21T15:30:00Z)" {
		t.Errorf("warning notices = %s %v", kinds(warn), warn[0].Says)
	}
	f.restart()
	f.clock.Add(10 * time.Minute) // breached
	if n, _ := f.desk.Tick(); n != 1 {
		t.Fatalf("fired %d timers after the breach, want the escalation", n)
	}
	esc := f.drain()
	if kinds(esc) != "staff_alert:li@desk.test,staff_alert:lead@desk.test" {
		t.Errorf("escalation notices = %s", kinds(esc))
	}
	f.restart()
	f.clock.Add(time.Hour)
	if n, _ := f.desk.Tick(); n != 0 {
		t.Errorf("fired %d more timers, want 0 (each fires once)", n)
	}
	if ns := f.drain(); len(ns) != 0 {
		t.Errorf("more notices: %s", kinds(ns))
	}
	if tk := f.ticket(o.Ticket); !tk.Warned || !tk.Breached {
		t.Errorf("warned %v breached %v", tk.Warned, tk.Breached)
	}
}

func TestAnsweredTicketIsNotEscalated(t *testing.T) {
	f := newFixture(t, at("2026-11-21 23:00"))
	o := f.intake(f.mail("a@school.test", "紧急：直播中断", ""))
	m := f.mail("li@desk.test", fmt.Sprintf("Re: [#%d]", o.Ticket), "正在处理")
	m.InReplyTo = []string{tickets.StaffRefForTest(f.desk, "li@desk.test", o.Ticket)}
	f.intake(m)
	f.drain()
	f.clock.Add(time.Hour)
	f.desk.Tick()
	for _, n := range f.drain() {
		if n.Kind == tickets.NoticeStaffAlert {
			t.Errorf("alert after the first response: %q", n.Text)
		}
	}
}

func TestAutoCloseAfterQuietPeriod(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "登录失败", ""))
	staffReplyStatus(t, f, o.Ticket, "resolve")
	f.drain()
	f.clock.Add(71 * time.Hour)
	f.desk.Tick()
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusResolved {
		t.Fatalf("status after 71h = %s", tk.Status)
	}
	f.restart()
	f.clock.Add(2 * time.Hour)
	f.desk.Tick()
	tk := f.ticket(o.Ticket)
	if tk.Status != tickets.StatusClosed {
		t.Fatalf("status after 73h = %s, want closed", tk.Status)
	}
	if k := kinds(f.drain()); k != "progress:a@school.test" {
		t.Errorf("notices = %s, want the last mail to the customer", k)
	}
}

func TestReopenStopsAutoClose(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "登录失败", ""))
	staffReplyStatus(t, f, o.Ticket, "resolve")
	f.clock.Add(time.Hour)
	f.intake(f.reply("a@school.test", o.Ticket, "还是不行"))
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusInProgress {
		t.Fatalf("status after 'still broken' = %s, want in_progress", tk.Status)
	}
	f.clock.Add(100 * time.Hour)
	f.desk.Tick()
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusInProgress {
		t.Errorf("status = %s: a stale auto-close timer fired", tk.Status)
	}
}

func TestWaitingReminders(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "登录失败", ""))
	staffReplyStatus(t, f, o.Ticket, "wait")
	f.drain()
	var got []string
	for range 4 {
		f.clock.Add(24*time.Hour + time.Minute)
		f.desk.Tick()
		got = append(got, kinds(f.drain()))
	}
	want := []string{"reminder:a@school.test", "reminder:a@school.test", "progress:a@school.test", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("notices per day = %q, want %q", got, want)
	}
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusResolved {
		t.Errorf("status after the wait ran out = %s, want resolved", tk.Status)
	}
}

func TestThreadingRules(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	m := f.mail("a@school.test", "camera", "")
	m.Cc = []tickets.Address{{Email: "b@school.test"}}
	o := f.intake(m)
	conf := f.drain()[0]
	tests := []struct {
		name   string
		msg    *tickets.Message
		action tickets.Action
		same   bool
	}{
		{"tag from requester", f.mail("a@school.test", "RE: [#1] camera", "x"), tickets.ActionAppended, true},
		{"full-width tag", f.mail("A@School.test", "回复：［＃１］camera", "x"), tickets.ActionAppended, true},
		{"tag from cc participant", f.mail("b@school.test", "Re: [#1] camera", "x"), tickets.ActionAppended, true},
		{"references from requester", &tickets.Message{MessageID: "r9@x", From: tickets.Address{Email: "a@school.test"}, Subject: "no tag", InReplyTo: []string{conf.MessageID}}, tickets.ActionAppended, true},
		{"tag from stranger", f.mail("x@evil.test", "Re: [#1] camera", "x"), tickets.ActionCreated, false},
		{"references from stranger", &tickets.Message{MessageID: "r10@x", From: tickets.Address{Email: "x@evil.test"}, Subject: "hi", References: []string{conf.MessageID}}, tickets.ActionCreated, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.intake(tt.msg)
			if got.Action != tt.action || (got.Ticket == o.Ticket) != tt.same {
				t.Errorf("Intake = %+v, want %s on the same ticket: %v", got, tt.action, tt.same)
			}
		})
	}
	dup := f.intake(f.mail("a@school.test", "x", ""))
	again := *f.mail("a@school.test", "x", "")
	again.MessageID = fmt.Sprintf("m%d@x.test", f.seq-1)
	if o := f.intake(&again); o.Action != tickets.ActionDuplicate || o.Ticket != dup.Ticket {
		t.Errorf("same Message-ID again = %+v, want duplicate of %d", o, dup.Ticket)
	}
}

func TestRobotsGetNoMail(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "camera", ""))
	f.drain()
	ooo := f.mail("a@school.test", "Automatic reply: [#1] camera", "I am away")
	ooo.Auto = tickets.AutoReply
	if got := f.intake(ooo); got.Action != tickets.ActionAutoReply || got.Ticket != o.Ticket {
		t.Errorf("out-of-office = %+v", got)
	}
	bulk := f.mail("news@list.test", "newsletter", "")
	bulk.Auto = tickets.AutoGenerated
	if got := f.intake(bulk); got.Action != tickets.ActionCreated {
		t.Errorf("bulk = %+v", got)
	}
	loop := f.mail("support@desk.test", "[#1] camera", "")
	if got := f.intake(loop); got.Action != tickets.ActionLoop {
		t.Errorf("own mail = %+v", got)
	}
	for _, n := range f.drain() {
		if n.To.Email != "li@desk.test" {
			t.Errorf("automatic mail to %s (%s)", n.To.Email, n.Kind)
		}
	}
	if tk := f.ticket(o.Ticket); tk.Status != tickets.StatusNew {
		t.Errorf("out-of-office changed the status to %s", tk.Status)
	}
}

func TestOversizedAttachmentIsReported(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	m := f.mail("a@school.test", "video of the problem", "see the video")
	m.Attachments = []tickets.Attachment{{Name: "class.mp4", ContentType: "video/mp4", Size: 40 << 20, Dropped: true}, {Name: "shot.png", Size: 3, Data: []byte("png")}}
	o := f.intake(m)
	var conf *tickets.Notice
	for _, n := range f.drain() {
		if n.Kind == tickets.NoticeConfirmation {
			conf = n
		}
	}
	if conf == nil || len(conf.Lines) != 1 || conf.Lines[0] != "class.mp4 (40 MB)" {
		t.Fatalf("confirmation lines = %+v, want the dropped video", conf)
	}
	if tk := f.ticket(o.Ticket); tk.Events[0].Text != "see the video" || len(tk.Events[0].Attachments) != 2 {
		t.Errorf("created event = %+v", tk.Events[0])
	}
}

func TestBounceIsRecordedOnItsTicket(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("gone@school.test", "help", ""))
	conf := f.drain()[0]
	b := f.mail("mailer-daemon@mx.school.test", "Undelivered Mail Returned to Sender", "")
	b.Auto = tickets.AutoBounce
	b.Bounce = &tickets.Bounce{Refs: []string{conf.MessageID}, Recipient: "gone@school.test", Status: "5.1.1", Diagnostic: "550 mailbox unavailable"}
	if got := f.intake(b); got.Action != tickets.ActionBounce || got.Ticket != o.Ticket {
		t.Fatalf("bounce = %+v, want recorded on ticket %d", got, o.Ticket)
	}
	tk := f.ticket(o.Ticket)
	last := tk.Events[len(tk.Events)-1]
	if last.Kind != tickets.EventBounce || last.Public || last.Say == nil || !strings.Contains(last.Say.String(), "gone@school.test") || !strings.Contains(last.Say.String(), "550") {
		t.Errorf("bounce event = %+v", last)
	}
	if k := kinds(f.drain()); k != "staff_alert:li@desk.test" {
		t.Errorf("notices = %s, want only the staff alert", k)
	}
	if tk.Status != tickets.StatusNew {
		t.Errorf("status = %s", tk.Status)
	}
	// The address is marked failing: no more automatic mail to it.
	f.intake(f.mail("gone@school.test", "another report", ""))
	for _, n := range f.drain() {
		if n.To.Email == "gone@school.test" {
			t.Errorf("automatic %s to a failing address", n.Kind)
		}
	}
}

func TestAuthResultsVerifyStaffOnlyWhenTrusted(t *testing.T) {
	for _, trust := range []bool{false, true} {
		f := newFixture(t, at("2026-11-23 10:00"))
		f.desk.TrustAuthResults = trust
		o := f.intake(f.mail("a@school.test", "help", ""))
		m := f.mail("li@desk.test", fmt.Sprintf("Re: [#%d] help", o.Ticket), "#status resolved\n\nfixed")
		m.AuthPass = []string{"desk.test"}
		got := f.intake(m)
		want := tickets.ActionUnverified
		if trust {
			want = tickets.ActionStaff
		}
		if got.Action != want {
			t.Errorf("trust=%v: %s, want %s", trust, got.Action, want)
		}
	}
}

func TestReplyToLongClosedTicketOpensLinkedTicket(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "help", ""))
	staffReplyStatus(t, f, o.Ticket, "close")
	f.clock.Add(8 * 24 * time.Hour)
	got := f.intake(f.reply("a@school.test", o.Ticket, "it broke again"))
	if got.Action != tickets.ActionCreated || got.Ticket == o.Ticket {
		t.Fatalf("reply to a ticket closed 8 days ago = %+v, want a new ticket", got)
	}
	if tk := f.ticket(got.Ticket); tk.LinkedFrom != o.Ticket {
		t.Errorf("LinkedFrom = %d, want %d", tk.LinkedFrom, o.Ticket)
	}
	f.clock.Add(time.Hour)
	staffReplyStatus(t, f, got.Ticket, "close")
	got2 := f.intake(f.reply("a@school.test", got.Ticket, "and again"))
	if got2.Action != tickets.ActionAppended || got2.Ticket != got.Ticket {
		t.Errorf("reply to a just-closed ticket = %+v, want it reopened", got2)
	}
	if tk := f.ticket(got.Ticket); tk.Status != tickets.StatusInProgress {
		t.Errorf("status = %s, want in_progress (reopened)", tk.Status)
	}
}

// poisonStore is the real store with one injected fault: creating a
// ticket whose subject is "poison" fails, as a full disk or a bug would.
type poisonStore struct {
	*bolt.DB
	tries *int
}

func (s poisonStore) Update(fn func(tickets.Tx) error) error {
	return s.DB.Update(func(tx tickets.Tx) error { return fn(poisonTx{tx, s.tries}) })
}

type poisonTx struct {
	tickets.Tx
	tries *int
}

func (tx poisonTx) CreateTicket(t *tickets.Ticket) error {
	if t.Subject == "poison" {
		*tx.tries++
		return fmt.Errorf("injected failure")
	}
	return tx.Tx.CreateTicket(t)
}

func TestOneBadMailNeverStopsTheOthers(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	tries := 0
	f.desk.Store = poisonStore{f.db, &tries}
	batch := []*tickets.Message{f.mail("a@school.test", "fine 1", ""), f.mail("b@school.test", "poison", ""), f.mail("c@school.test", "fine 2", "")}
	long := f.mail("d@school.test", "long id", "")
	long.MessageID = strings.Repeat("x", 40000) + "@x.test"
	batch = append(batch, long)
	out, err := f.desk.Intake(batch, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range out {
		got = append(got, string(o.Action))
	}
	if strings.Join(got, ",") != "created,failed,created,created" {
		t.Errorf("outcomes = %v", got)
	}
	if tries != 1+3 {
		t.Errorf("poison tried %d times, want 1 in the batch + 3 alone", tries)
	}
	recs, _ := f.desk.Records(tickets.RecordFailed, true)
	if len(recs) != 1 || recs[0].Subject != "poison" || !strings.Contains(recs[0].Reason, "injected failure") || len(recs[0].Raw) == 0 {
		t.Fatalf("quarantine = %+v", recs)
	}
	// Fetched again, it is not retried forever.
	again, _ := f.desk.Intake([]*tickets.Message{batch[1]}, nil)
	if again[0].Action != tickets.ActionDuplicate {
		t.Errorf("quarantined mail fetched again = %s, want duplicate", again[0].Action)
	}
	// After the fix, the operator reprocesses it.
	f.desk.Store = f.db
	o, err := f.desk.Reprocess(recs[0].ID, batch[1])
	if err != nil || o.Action != tickets.ActionCreated {
		t.Fatalf("Reprocess = %+v, %v", o, err)
	}
	if recs, _ := f.desk.Records(tickets.RecordFailed, false); len(recs) != 0 {
		t.Errorf("records after reprocessing = %d", len(recs))
	}
}

func TestStaffAddressWithoutTokenIsAnOrdinarySender(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	own := f.intake(f.mail("li@desk.test", "my own camera fails", "as a teacher"))
	if own.Action != tickets.ActionCreated {
		t.Fatalf("staff member's own report = %+v, want a new ticket", own)
	}
	if got := f.intake(f.reply("li@desk.test", own.Ticket, "more details")); got.Action != tickets.ActionAppended || got.Ticket != own.Ticket {
		t.Errorf("reply on their own ticket = %+v, want appended as a customer", got)
	}
	other := f.intake(f.mail("a@school.test", "help", ""))
	if got := f.intake(f.reply("li@desk.test", other.Ticket, "#close")); got.Action != tickets.ActionUnverified {
		t.Errorf("untokened staff mail on someone else's ticket = %+v, want unverified", got)
	}
	if tk := f.ticket(other.Ticket); tk.Status != tickets.StatusNew {
		t.Errorf("status = %s", tk.Status)
	}
}

func TestHugeTextIsClippedOnTheTimeline(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	o := f.intake(f.mail("a@school.test", "log", strings.Repeat("错误日志 ", 200000)))
	tk := f.ticket(o.Ticket)
	if n := len([]rune(tk.Events[0].Text)); n > 17000 || !strings.HasSuffix(tk.Events[0].Text, "[…]") {
		t.Errorf("event text: %d runes, want clipped near 16K with a mark", n)
	}
}

func TestParseProblemIsNotedForStaff(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	m := f.mail("a@school.test", "broken", "what could be read")
	m.ParseProblem = "multipart: NextPart: EOF"
	o := f.intake(m)
	tk := f.ticket(o.Ticket)
	last := tk.Events[len(tk.Events)-1]
	if tk.Events[0].Kind != tickets.EventCreated || last.Kind != tickets.EventNote || last.Public || last.Say == nil || !strings.Contains(last.Say.String(), "NextPart") {
		t.Errorf("events = %+v", tk.Events)
	}
}
