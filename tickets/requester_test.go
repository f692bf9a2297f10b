package tickets_test

import (
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// TestRequesterTickets: a person's tickets come open first, then the most
// recently updated; the newest max only; and another person's never.
func TestRequesterTickets(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 30, 10, 0, 0, 0, shanghai))
	var nums []int64
	for _, subject := range []string{"一", "二", "三"} {
		nums = append(nums, f.intake(f.mail("a@school.test", subject, "内容"+subject)).Ticket)
		f.intake(f.mail("b@school.test", "别人的"+subject, "x"))
		f.clock.Add(time.Minute)
	}
	// The newest ticket is closed: it goes last despite being newest.
	if err := f.db.Update(func(tx tickets.Tx) error {
		tk, err := tx.Ticket(nums[2])
		if err != nil {
			return err
		}
		tk.Status = tickets.StatusClosed
		return tx.PutTicket(tk)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := f.desk.RequesterTickets(nums[1], 0)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, tk := range got {
		if tk.Requester.Email != "a@school.test" {
			t.Errorf("ticket #%d of %s listed", tk.Number, tk.Requester.Email)
		}
		order = append(order, tk.Number)
	}
	if want := []int64{nums[1], nums[0], nums[2]}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("order = %v, want %v (open newest first, then closed)", order, want)
	}
	if got, _ := f.desk.RequesterTickets(nums[0], 2); len(got) != 2 || got[0].Number != nums[1] {
		t.Errorf("max 2: %d tickets, first #%d; want the newest two", len(got), got[0].Number)
	}
	if first, _ := f.desk.FirstTicketOf(" A@School.test "); first != nums[0] {
		t.Errorf("FirstTicketOf = %d, want %d", first, nums[0])
	}
	if _, err := f.desk.RequesterTickets(999, 0); err == nil {
		t.Errorf("unknown anchor: no error")
	}
}

// TestCustomerClosesWhileWaiting: the reminder's "the problem is gone"
// closes a ticket that waits for the customer; "still broken" does not
// apply to it.
func TestCustomerClosesWhileWaiting(t *testing.T) {
	f := newFixture(t, time.Date(2026, 11, 30, 10, 0, 0, 0, shanghai))
	n := f.intake(f.mail("a@school.test", "黑屏", "学生端黑屏")).Ticket
	f.intake(f.verifiedStaffMail(n, "#wait\n\n请问是什么设备？"))
	if tk, _ := f.desk.Get(n); tk.Status != tickets.StatusWaiting {
		t.Fatalf("status %s, want waiting", tk.Status)
	}
	if changed, err := f.desk.CustomerAction(n, tickets.PurposeReopen, "x"); err != nil || changed {
		t.Errorf("reopen while waiting: changed %v, err %v; want nothing", changed, err)
	}
	if changed, err := f.desk.CustomerAction(n, tickets.PurposeClose, ""); err != nil || !changed {
		t.Fatalf("close while waiting: changed %v, err %v", changed, err)
	}
	if tk, _ := f.desk.Get(n); tk.Status != tickets.StatusClosed {
		t.Errorf("status %s, want closed", tk.Status)
	}
}
