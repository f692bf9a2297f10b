package tickets_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// acks sends whatever is due at each step of the clock and counts, per
// ticket, how often it was acknowledged to from (a confirmation or a line
// of a summary), and the mails that carried them.
type acks struct {
	perTicket     map[int64]int
	confirmations int
	summaries     int
	alerts        int
}

func (f *fixture) collect(a *acks, from string) {
	f.t.Helper()
	ps, err := f.desk.Outbox().Due(10000)
	if err != nil {
		f.t.Fatal(err)
	}
	var ids []uint64
	for _, p := range ps {
		nt := p.Notice
		ids = append(ids, nt.ID)
		switch {
		case nt.Kind == tickets.NoticeConfirmation && nt.To.Email == from:
			a.confirmations++
			a.perTicket[nt.Ticket]++
		case nt.Kind == tickets.NoticeSummary && nt.To.Email == from:
			a.summaries++
			if len(p.List) != len(nt.Tickets) {
				f.t.Errorf("summary lists %d tickets, loaded %d", len(nt.Tickets), len(p.List))
			}
			for _, n := range nt.Tickets {
				a.perTicket[n]++
			}
		case nt.Kind == tickets.NoticeStaffAlert && strings.Contains(saysText(nt), from):
			a.alerts++
		}
	}
	if err := f.desk.Outbox().Sent(ids); err != nil {
		f.t.Fatal(err)
	}
}

// TestPersonBurstIsAcknowledged: a teacher reporting for a whole class
// sends 12 or 40 distinct reports within minutes. Every one is
// acknowledged exactly once: the first confirm_burst individually, the rest
// in summaries (at most one per summary_every); staff hear once.
func TestPersonBurstIsAcknowledged(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reports int
		gap     time.Duration
	}{
		{"12 in 44s", 12, 4 * time.Second},
		{"40 in 20m", 40, 30 * time.Second},
		{"40 at once", 40, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
			f.desk.Staff[0].NotifyNew = false
			const teacher = "wang.laoshi@school.test"
			a := &acks{perTicket: map[int64]int{}}
			var numbers []int64
			for i := range tc.reports {
				o := f.intake(f.mail(teacher, fmt.Sprintf("%d班 学生%d 无法登录", i%3+1, i), "学生账号登录不了，提示密码错误"))
				if o.Action != tickets.ActionCreated {
					t.Fatalf("report %d: %s", i, o.Action)
				}
				numbers = append(numbers, o.Ticket)
				f.collect(a, teacher)
				f.clock.Add(tc.gap)
			}
			// Let every pending summary fall due.
			for range 12 {
				f.clock.Add(5 * time.Minute)
				f.collect(a, teacher)
			}
			for _, n := range numbers {
				if a.perTicket[n] != 1 {
					t.Errorf("ticket #%d acknowledged %d times, want exactly 1", n, a.perTicket[n])
				}
			}
			burst := tickets.DefaultCaps().ConfirmBurst
			if a.confirmations != burst {
				t.Errorf("individual confirmations = %d, want %d (desk.confirm_burst)", a.confirmations, burst)
			}
			span := time.Duration(tc.reports) * tc.gap
			if most := int(span/tickets.DefaultCaps().SummaryEvery) + 1; a.summaries < 1 || a.summaries > most {
				t.Errorf("summaries = %d, want 1..%d (one per summary_every)", a.summaries, most)
			}
			if a.alerts != 1 {
				t.Errorf("staff alerts about %s = %d, want 1", teacher, a.alerts)
			}
			t.Logf("%d reports: %d confirmations, %d summaries, %d staff alert(s)", tc.reports, a.confirmations, a.summaries, a.alerts)
		})
	}
}

// TestAnswersToOurMailKeepTheTightCap: new tickets from mail that answers
// our automatic mail (a loop in the making) are confirmed up to the tight
// cap and then not at all: no summary keeps the exchange going.
func TestAnswersToOurMailKeepTheTightCap(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
	f.desk.Staff[0].NotifyNew = false
	const bot = "helpdesk@vendor.test"
	a := &acks{perTicket: map[int64]int{}}
	for i := range 30 {
		m := f.mail(bot, fmt.Sprintf("Re: your case %d", i), "Thank you for contacting us.")
		m.InReplyTo = []string{fmt.Sprintf("pd.%d.0011223344556677@desk.test", i+1)}
		m.Subject = fmt.Sprintf("Case %d opened", i) // a fresh subject: no tag to thread on
		if o := f.intake(m); o.Action != tickets.ActionCreated && o.Action != tickets.ActionAppended {
			t.Fatalf("mail %d: %s", i, o.Action)
		}
		f.collect(a, bot)
	}
	f.clock.Add(time.Hour - time.Minute)
	f.collect(a, bot)
	if a.summaries != 0 {
		t.Errorf("summaries to a robot = %d, want 0", a.summaries)
	}
	if max := tickets.DefaultCaps().PerAddress; a.confirmations > max {
		t.Errorf("confirmations = %d, want at most %d", a.confirmations, max)
	}
}

// TestNoFromNoNotice: a mail without a usable From gets a ticket, staff
// hear of it, no notice is queued to the empty address, and the ticket
// says the sender cannot be answered.
func TestNoFromNoNotice(t *testing.T) {
	for _, from := range []string{"", "undisclosed-recipients:;", "no at sign", "a@b@c"} {
		t.Run(fmt.Sprintf("%q", from), func(t *testing.T) {
			f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
			o := f.intake(f.mail(from, "摄像头打不开", "上课时摄像头打不开"))
			if o.Action != tickets.ActionCreated {
				t.Fatalf("Intake = %s, want created", o.Action)
			}
			for _, nt := range f.drain() {
				if nt.Kind != tickets.NoticeStaffNew {
					t.Errorf("queued %s to %q, want only the staff notice", nt.Kind, nt.To.Email)
				}
			}
			tk := f.ticket(o.Ticket)
			last := tk.Events[len(tk.Events)-1]
			if last.Kind != tickets.EventNote || last.Say == nil || last.Say.Code != "event_unanswerable" {
				t.Errorf("last event = %s %+v, want a note that the sender cannot be answered", last.Kind, last.Say)
			}
		})
	}
}

// TestPermanentFailureTellsStaff: a confirmation that fails for good (as
// the sender reports an address needing SMTPUTF8 to a server without it)
// is recorded on the timeline and staff are told; nothing is retried.
func TestPermanentFailureTellsStaff(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
	o := f.intake(f.mail("张老师@学校.中国", "直播课黑屏", "黑屏"))
	ps, err := f.desk.Outbox().Due(10)
	if err != nil {
		t.Fatal(err)
	}
	var conf *tickets.Notice
	for _, p := range ps {
		if p.Notice.Kind == tickets.NoticeConfirmation {
			conf = p.Notice
		}
	}
	if conf == nil {
		t.Fatal("no confirmation queued to a non-ASCII address")
	}
	if err := f.desk.Outbox().Failed(conf.ID, errors.New("address needs SMTPUTF8, which the server does not offer")); err != nil {
		t.Fatal(err)
	}
	tk := f.ticket(o.Ticket)
	failed := false
	for _, ev := range tk.Events {
		if ev.Kind == tickets.EventDeliveryFailed && ev.Say != nil && strings.Contains(ev.Say.String(), "SMTPUTF8") {
			failed = true
		}
	}
	if !failed {
		t.Errorf("timeline has no delivery failure naming SMTPUTF8: %+v", tk.Events)
	}
	told := 0
	for _, nt := range f.drain() {
		if nt.ID == conf.ID {
			t.Errorf("the failed confirmation is still queued")
		}
		if nt.Kind == tickets.NoticeStaffAlert && strings.Contains(saysText(nt), "SMTPUTF8") {
			told++
		}
	}
	if told != len(f.desk.Staff) {
		t.Errorf("staff alerts = %d, want %d", told, len(f.desk.Staff))
	}
}
