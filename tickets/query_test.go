package tickets_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
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
