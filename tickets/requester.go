package tickets

import (
	"cmp"
	"slices"
)

// PurposeMine is the token purpose of a requester's "my tickets" link. Its
// number is the first ticket the person requested (Pending.Mine), so the
// link is the same in every mail they get, and names the person without
// putting their address in the URL.
const PurposeMine = "mine"

// RequesterTickets returns the newest max tickets (all if max <= 0)
// requested by the requester of ticket anchor, open tickets first, then
// the most recently updated first, from the requester index (never a scan
// of all tickets). It returns ErrNotFound if anchor does not exist.
func (d *Desk) RequesterTickets(anchor int64, max int) ([]*Ticket, error) {
	var out []*Ticket
	err := d.Store.View(func(tx Tx) error {
		a, err := tx.Ticket(anchor)
		if err != nil {
			return err
		}
		nums, err := tx.TicketsOf(a.Requester.Email)
		if err != nil {
			return err
		}
		if max > 0 && len(nums) > max {
			nums = nums[len(nums)-max:]
		}
		for _, n := range nums {
			t, err := tx.Ticket(n)
			if err != nil {
				continue
			}
			out = append(out, t)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b *Ticket) int {
		if a.Status.Open() != b.Status.Open() {
			if a.Status.Open() {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.Updated.UnixNano(), a.Updated.UnixNano())
	})
	return out, err
}

// FirstTicketOf returns the first ticket email requested, the anchor of
// their "my tickets" link, or 0 if they requested none.
func (d *Desk) FirstTicketOf(email string) (int64, error) {
	var first int64
	err := d.Store.View(func(tx Tx) error {
		var err error
		first, err = tx.FirstTicketOf(NormalizeEmail(email))
		return err
	})
	return first, err
}
