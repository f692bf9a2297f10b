package tickets_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

func numbers(ts []*tickets.Ticket) string {
	s := ""
	for _, t := range ts {
		s += fmt.Sprintf("#%d ", t.Number)
	}
	return s
}

func TestListAndCount(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00")) // a Monday
	f.intake(f.mail("a@school.test", "打印机坏了", "三楼打印机卡纸。"))
	f.intake(f.mail("b@school.test", "紧急：直播中断", "正在上课，直播中断了！"))
	f.intake(f.mail("c@school.test", "账号问题", "学生账号登录不了。"))
	f.intake(f.mail("d@school.test", "How to export grades", "Where is the export button?"))
	if p := f.ticket(2).Priority; p != tickets.P0 {
		t.Fatalf("ticket 2 priority = %v, want P0", p)
	}
	change := func(n int64, fn func(*tickets.Ticket)) {
		err := f.db.Update(func(tx tickets.Tx) error {
			tk, err := tx.Ticket(n)
			if err != nil {
				return err
			}
			fn(tk)
			return tx.PutTicket(tk)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	change(3, func(tk *tickets.Ticket) { tk.Assignee, tk.Status = "li@desk.test", tickets.StatusInProgress })
	change(4, func(tk *tickets.Ticket) { tk.Status = tickets.StatusResolved })
	f.clock.Add(time.Hour) // past the P0 response target (30m), not the P1 (2h) or P2 ones

	for _, tc := range []struct {
		name string
		q    tickets.Query
		want string
	}{
		{"open, most urgent first", tickets.Query{}, "#2 #3 #1 "},
		{"overdue", tickets.Query{Overdue: true}, "#2 "},
		{"assigned to li", tickets.Query{Assignee: "LI@desk.test"}, "#3 "},
		{"unassigned", tickets.Query{Assignee: "-"}, "#2 #1 "},
		{"resolved", tickets.Query{Status: []tickets.Status{tickets.StatusResolved}}, "#4 "},
		{"limit", tickets.Query{Limit: 1}, "#2 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := f.desk.List(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if numbers(got) != tc.want {
				t.Errorf("List(%+v) = %s, want %s", tc.q, numbers(got), tc.want)
			}
		})
	}
	c, err := f.desk.Count()
	if err != nil {
		t.Fatal(err)
	}
	if c.ByStatus[tickets.StatusNew] != 2 || c.ByStatus[tickets.StatusInProgress] != 1 || c.ByStatus[tickets.StatusResolved] != 1 || c.Overdue != 1 {
		t.Errorf("Count() = %+v, want new 2, in_progress 1, resolved 1, overdue 1", c)
	}
}

// BenchmarkCount walks 20,000 stored tickets (each with a few events), as
// the metrics, the digest and `tickets list` do; ns/ticket is the figure
// that scales.
func BenchmarkCount(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	now := at("2026-11-23 10:00")
	desk := &tickets.Desk{Store: db, Now: func() time.Time { return now }}
	const n = 20000
	err = db.Update(func(tx tickets.Tx) error {
		for i := range n {
			t := &tickets.Ticket{Subject: fmt.Sprintf("直播课黑屏 %d", i), Requester: tickets.Address{Email: fmt.Sprintf("u%d@school.test", i)},
				Status: tickets.Statuses[i%len(tickets.Statuses)], Priority: tickets.Priority(i % 4), Created: now, Updated: now,
				ResponseDue: now.Add(time.Hour), ResolveDue: now.Add(8 * time.Hour)}
			for j := range 4 {
				t.Events = append(t.Events, tickets.Event{At: now, Kind: tickets.EventCustomerReply, Text: fmt.Sprintf("学生端黑屏，只有声音。第 %d 次。", j)})
			}
			if err := tx.CreateTicket(t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		c, err := desk.Count()
		if err != nil || c.ByStatus[tickets.StatusNew] < n/len(tickets.Statuses) {
			b.Fatalf("Count() = %+v, %v", c, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/ticket")
}
