package tickets_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// digestTickets is a desk's tickets on Monday 2026-11-23 at 08:30, the
// end of the period [Sunday 08:30, Monday 08:30).
func digestTickets() []*tickets.Ticket {
	h := func(s string) time.Time { return at(s) }
	return []*tickets.Ticket{
		// Opened in the period, still new, first response breached, overdue.
		{Number: 1, Subject: "学生账号无法登录", Category: "account", Status: tickets.StatusNew, Priority: tickets.P1,
			Created: h("2026-11-22 09:00"), ResponseDue: h("2026-11-22 11:00"), ResolveDue: h("2026-11-24 09:00")},
		// Opened in the period, same problem, answered 30m later, resolved 2h later.
		{Number: 2, Subject: "回复：登录失败，学生登录不了", Category: "account", Status: tickets.StatusResolved, Priority: tickets.P2,
			Created: h("2026-11-22 10:00"), FirstResponse: h("2026-11-22 10:30"), Resolved: h("2026-11-22 12:00")},
		// Opened in the period, same problem, answered 1h30 later, closed 4h later.
		{Number: 3, Subject: "账号登录失败", Category: "account", Status: tickets.StatusClosed, Priority: tickets.P2,
			Created: h("2026-11-22 11:00"), FirstResponse: h("2026-11-22 12:30"), Resolved: h("2026-11-22 15:00"), Closed: h("2026-11-23 08:00")},
		// Opened in the period, in progress, past its resolution target.
		{Number: 4, Subject: "直播卡顿严重", Category: "av", Status: tickets.StatusInProgress, Priority: tickets.P1, Assignee: "li@desk.test",
			Created: h("2026-11-22 12:00"), FirstResponse: h("2026-11-22 12:10"), ResolveDue: h("2026-11-23 08:00")},
		// Opened before the period, waiting: its clock is paused, not overdue.
		{Number: 5, Subject: "作业上传失败", Category: "feature", Status: tickets.StatusWaiting, Priority: tickets.P2,
			Created: h("2026-11-18 09:00"), FirstResponse: h("2026-11-18 10:00"), ResolveDue: h("2026-11-20 09:00")},
		// Opened before the period, closed in it: counts as done, 3 days to resolve.
		{Number: 6, Subject: "成绩导出空白", Category: "feature", Status: tickets.StatusClosed, Priority: tickets.P2,
			Created: h("2026-11-19 09:00"), FirstResponse: h("2026-11-19 10:00"), Closed: h("2026-11-22 09:00")},
		// Merged: counted nowhere.
		{Number: 7, Subject: "登录不了", Category: "account", Status: tickets.StatusClosed, MergedInto: 1,
			Created: h("2026-11-22 13:00"), Closed: h("2026-11-22 13:05")},
		// Opened after the period: not in it, not open at its end.
		{Number: 8, Subject: "摄像头打不开", Category: "av", Status: tickets.StatusNew, Priority: tickets.P1,
			Created: h("2026-11-23 09:00"), ResponseDue: h("2026-11-23 09:30")},
	}
}

func TestBuildDigest(t *testing.T) {
	from, to := at("2026-11-22 08:30"), at("2026-11-23 08:30")
	d := tickets.BuildDigest(digestTickets(), from, to, nil)

	counts := []struct {
		name      string
		got, want int
	}{
		{"New", d.New, 4},   // 1-4
		{"Done", d.Done, 3}, // 2, 3, 6
		{"Open", d.Open, 3}, // 1, 4, 5
		{"OverdueTotal", d.OverdueTotal, 2},
		{"BreachedTotal", d.BreachedTotal, 1},
		{"open P1", d.OpenByPriority[tickets.P1], 2},
		{"open P2", d.OpenByPriority[tickets.P2], 1},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	var byStatus []string
	for _, s := range d.OpenByStatus {
		byStatus = append(byStatus, fmt.Sprintf("%s=%d", s.Status, s.Count))
	}
	if got, want := fmt.Sprint(byStatus), "[new=1 acknowledged=0 in_progress=1 waiting=1]"; got != want {
		t.Errorf("OpenByStatus = %s, want %s", got, want)
	}
	// Overdue: #1 by its breached response (due 11-22 11:00), #4 by its
	// resolution (11-23 08:00); most overdue first.
	var overdue []int64
	for _, o := range d.Overdue {
		overdue = append(overdue, o.Number)
	}
	if !slices.Equal(overdue, []int64{1, 4}) {
		t.Errorf("Overdue = %v, want [1 4]", overdue)
	}
	if len(d.Breached) != 1 || d.Breached[0].Number != 1 || !d.Breached[0].Due.Equal(at("2026-11-22 11:00")) {
		t.Errorf("Breached = %+v, want #1 due 11:00", d.Breached)
	}
	if len(d.Categories) != 2 || d.Categories[0] != (tickets.CategoryCount{Category: "account", New: 3, Open: 1}) ||
		d.Categories[1] != (tickets.CategoryCount{Category: "av", New: 1, Open: 1}) {
		t.Errorf("Categories = %+v", d.Categories)
	}
	if len(d.Repeated) != 1 || d.Repeated[0].Count != 3 || !slices.Equal(d.Repeated[0].Tickets, []int64{1, 2, 3}) ||
		d.Repeated[0].Subject != "学生账号无法登录" || d.Repeated[0].Category != "account" {
		t.Errorf("Repeated = %+v, want the three login reports", d.Repeated)
	}
	want := map[string]tickets.CategoryDurations{
		// account: answers after 30m and 1h30 (median 1h), resolutions
		// after 2h and 4h (median 3h): slower than "30m-2h".
		"account": {Category: "account", Answered: 2, MedianResponse: time.Hour, Finished: 2, MedianResolve: 3 * time.Hour, Typical: "30m-2h", Verdict: tickets.VerdictSlower},
		// av: answered after 10m, nothing finished: no verdict.
		"av": {Category: "av", Answered: 1, MedianResponse: 10 * time.Minute, Typical: "2h-8h"},
		// feature: #6 closed after 3 days: slower than "4h-1d".
		"feature": {Category: "feature", Finished: 1, MedianResolve: 72 * time.Hour, Typical: "4h-1d", Verdict: tickets.VerdictSlower},
	}
	if len(d.Durations) != len(want) {
		t.Errorf("Durations = %+v, want %d categories", d.Durations, len(want))
	}
	for _, cd := range d.Durations {
		if cd != want[cd.Category] {
			t.Errorf("Durations[%s] = %+v, want %+v", cd.Category, cd, want[cd.Category])
		}
	}
}

func TestTypicalSpan(t *testing.T) {
	tests := []struct {
		in     string
		lo, hi time.Duration
		ok     bool
	}{
		{"30m-2h", 30 * time.Minute, 2 * time.Hour, true},
		{"4h-1d", 4 * time.Hour, 24 * time.Hour, true},
		{"1d", 0, 24 * time.Hour, true},
		{"hours-days", 0, 0, false},
		{"2h-1h", 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, ok := tickets.TypicalSpan(tt.in)
		if lo != tt.lo || hi != tt.hi || ok != tt.ok {
			t.Errorf("TypicalSpan(%q) = %s, %s, %v; want %s, %s, %v", tt.in, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}

func TestDigestSchedule(t *testing.T) {
	tests := []struct {
		name, at, weekday, now, next, prev string
	}{
		{"daily before the time", "08:30", "", "2026-11-23 07:00", "2026-11-23 08:30", "2026-11-22 08:30"},
		{"daily at the time", "08:30", "", "2026-11-23 08:30", "2026-11-24 08:30", "2026-11-23 08:30"},
		{"weekly on Monday, from Wednesday", "08:30", "monday", "2026-11-25 12:00", "2026-11-30 08:30", "2026-11-23 08:30"},
		{"weekly, short name, on the day after the time", "17:00", "Fri", "2026-11-27 18:00", "2026-12-04 17:00", "2026-11-27 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tickets.ParseDigestSchedule(tt.at, tt.weekday, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			f := func(t time.Time) string { return t.In(shanghai).Format("2006-01-02 15:04") }
			if got := f(s.Next(at(tt.now))); got != tt.next {
				t.Errorf("Next(%s) = %s, want %s", tt.now, got, tt.next)
			}
			if got := f(s.Prev(at(tt.now))); got != tt.prev {
				t.Errorf("Prev(%s) = %s, want %s", tt.now, got, tt.prev)
			}
		})
	}
	for _, bad := range [][2]string{{"8.30", ""}, {"25:00", ""}, {"08:30", "someday"}} {
		if _, err := tickets.ParseDigestSchedule(bad[0], bad[1], shanghai); err == nil {
			t.Errorf("ParseDigestSchedule(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// TestDigesterNeitherSkipsNorDoubles: the digest goes out once per slot,
// across restarts, and once after a downtime that spans its time.
func TestDigesterNeitherSkipsNorDoubles(t *testing.T) {
	f := newFixture(t, at("2026-11-23 07:00")) // Monday
	sched, _ := tickets.ParseDigestSchedule("08:30", "", shanghai)
	lead := tickets.Address{Name: "组长", Email: "lead@desk.test"}
	newDigester := func() *tickets.Digester {
		return &tickets.Digester{Desk: f.desk, To: []tickets.Address{lead}, Schedule: sched}
	}
	g := newDigester()
	tick := func(want bool) {
		t.Helper()
		sent, err := g.Tick()
		if err != nil {
			t.Fatal(err)
		}
		if sent != want {
			t.Fatalf("Tick at %s sent=%v, want %v", f.clock.Now().In(shanghai).Format("01-02 15:04"), sent, want)
		}
	}
	tick(false) // first run: remembers Sunday 08:30
	f.intake(f.mail("a@school.test", "无法登录", "学生账号登录失败"))
	f.drain()
	f.clock.Set(at("2026-11-23 08:30"))
	tick(true)
	digests := f.drain()
	if kinds(digests) != "digest:lead@desk.test" {
		t.Fatalf("queued %s, want one digest to the lead", kinds(digests))
	}
	d := digests[0].Digest
	if d == nil || d.New != 1 || !d.From.Equal(at("2026-11-22 08:30")) || !d.To.Equal(at("2026-11-23 08:30")) {
		t.Fatalf("digest = %+v, want 1 new ticket from Sunday 08:30 to Monday 08:30", d)
	}
	tick(false)
	f.clock.Set(at("2026-11-23 08:31"))
	f.restart()
	g = newDigester()
	tick(false) // a restart does not send it again

	// Down from Monday evening to Tuesday 10:00: sent once, on start.
	f.clock.Set(at("2026-11-24 10:00"))
	f.restart()
	g = newDigester()
	tick(true)
	tick(false)
	digests = f.drain()
	if len(digests) != 1 || !digests[0].Digest.From.Equal(at("2026-11-23 08:30")) {
		t.Fatalf("after the downtime: %s %+v, want one digest from Monday 08:30", kinds(digests), digests)
	}
	f.clock.Set(at("2026-11-25 08:29"))
	tick(false)
	f.clock.Set(at("2026-11-25 08:30"))
	tick(true)
	if d := f.drain()[0].Digest; !d.From.Equal(at("2026-11-24 10:00")) {
		t.Errorf("next digest from %s, want where the last one ended (Tuesday 10:00)", d.From.In(shanghai))
	}
}

// TestLearnedDurations: with LearnDurations, a new ticket's typical time
// is the category's median resolution once it has LearnMin finished
// tickets; before that, and without learning, it is left to the rules.
func TestLearnedDurations(t *testing.T) {
	for _, learn := range []bool{false, true} {
		t.Run(fmt.Sprint("learn=", learn), func(t *testing.T) {
			f := newFixture(t, at("2026-11-23 09:00"))
			f.desk.Policy.LearnDurations = learn
			f.desk.Policy.LearnMin = 3
			report := func() *tickets.Ticket {
				t.Helper()
				o := f.intake(f.mail("a@school.test", "账号密码忘记了", "学生忘记密码，无法登录"))
				tk := f.ticket(o.Ticket)
				if tk.Category != "account" {
					t.Fatalf("category %q, want account", tk.Category)
				}
				return tk
			}
			for i, took := range []time.Duration{time.Hour, 3 * time.Hour, 2 * time.Hour} {
				tk := report()
				if tk.Typical != 0 {
					t.Errorf("ticket %d (history %d < 3): Typical = %s, want none", tk.Number, i, tk.Typical)
				}
				f.clock.Add(took)
				staffReplyStatus(t, f, tk.Number, "resolve")
				// Reopened and resolved again: counted once.
				f.intake(f.reply("a@school.test", tk.Number, "还是不行"))
				staffReplyStatus(t, f, tk.Number, "resolve")
			}
			want := time.Duration(0)
			if learn {
				want = 2 * time.Hour // median of 1h, 3h, 2h
			}
			if got := report().Typical; got != want {
				t.Errorf("Typical after 3 finished = %s, want %s", got, want)
			}
		})
	}
}

// TestLearnedDurationsIgnoreSystemResolutions: a ticket resolved by the
// wait running out (the customer never answered) does not count.
func TestLearnedDurationsIgnoreSystemResolutions(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:00"))
	f.desk.Policy.LearnDurations = true
	f.desk.Policy.LearnMin = 1
	o := f.intake(f.mail("a@school.test", "账号密码忘记了", "学生忘记密码"))
	staffReplyStatus(t, f, o.Ticket, "wait")
	f.clock.Add(4 * 24 * time.Hour) // reminders at 24h and 48h, resolved at 72h
	for {
		n, err := f.desk.Tick()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if st := f.ticket(o.Ticket).Status; st != tickets.StatusResolved {
		t.Fatalf("status after the wait = %s, want resolved by the system", st)
	}
	o2 := f.intake(f.mail("b@school.test", "密码忘记了", "老师忘记密码"))
	if got := f.ticket(o2.Ticket).Typical; got != 0 {
		t.Errorf("Typical = %s after only a system resolution, want none", got)
	}
	f.clock.Add(2 * time.Hour)
	staffReplyStatus(t, f, o2.Ticket, "resolve") // a person: counts
	// Had the first counted (96h), the median would be 49h.
	if got := f.ticket(f.intake(f.mail("c@school.test", "忘记密码", "重置密码")).Ticket).Typical; got != 2*time.Hour {
		t.Errorf("Typical = %s, want 2h: only the ticket staff resolved counts", got)
	}
}
