package tickets_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// A staff member's mistake is told in the receipt and changes nothing; an
// internal failure during a staff command is never mailed: the mail is
// retried and then quarantined for the operator.
func TestStaffMistakeVersusInternalFailure(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	n := f.intake(f.mail("a@school.test", "投影仪不亮", "")).Ticket
	f.intake(f.mail("b@school.test", "另一个问题", ""))
	f.drain()
	staffMail := func(text string) *tickets.Message {
		return f.verifiedStaffMail(n, text)
	}

	// closed -> waiting is not a move a ticket can make.
	if o := f.intake(staffMail("#close\n#wait\n好的")); o.Action != tickets.ActionStaff {
		t.Fatalf("staff reply = %+v, want %s", o, tickets.ActionStaff)
	}
	var receipt *tickets.Notice
	for _, nt := range f.drain() {
		if nt.Kind == tickets.NoticeReceipt {
			receipt = nt
		} else {
			t.Errorf("a refused reply sent %s to %s", nt.Kind, nt.To.Email)
		}
	}
	if receipt == nil || !strings.Contains(saysText(receipt), "err_move(") {
		t.Fatalf("receipt = %+v, want it to say the move is impossible", receipt)
	}
	if st := f.ticket(n).Status; st == tickets.StatusClosed || st == tickets.StatusWaiting {
		t.Errorf("status after a refused reply = %s, want unchanged", st)
	}

	// The same kind of reply, but reading the merge target fails.
	f.desk.Store = failingRead{f.db}
	o := f.intake(staffMail("#merge 2"))
	if o.Action != tickets.ActionFailed || !strings.Contains(o.Err, "disk on fire") {
		t.Errorf("staff reply with a failing store = %+v, want failed (quarantined)", o)
	}
	f.desk.Store = f.db
	for _, nt := range f.drain() {
		if strings.Contains(strings.Join(nt.Lines, "\n")+nt.Text, "disk on fire") {
			t.Errorf("internal error mailed to %s: %+v", nt.To.Email, nt.Lines)
		}
	}
}

func TestErrorCode(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"internal", fmt.Errorf("write: %w", tickets.ErrNotFound), ""},
		{"direct", tickets.Errorf(tickets.CodeInvalid, "unknown priority %q", "P9"), tickets.CodeInvalid},
		{"wrapped", fmt.Errorf("staff: %w", tickets.Errorf(tickets.CodeNotFound, "no ticket #%d", 9)), tickets.CodeNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := tickets.ErrorCode(c.err); got != c.want {
				t.Errorf("ErrorCode(%v) = %q, want %q", c.err, got, c.want)
			}
		})
	}
}

// failingRead is a store whose ticket #2 cannot be read.
type failingRead struct{ *bolt.DB }

func (s failingRead) Update(fn func(tickets.Tx) error) error {
	return s.DB.Update(func(tx tickets.Tx) error { return fn(failingTx{tx}) })
}

type failingTx struct{ tickets.Tx }

func (tx failingTx) Ticket(n int64) (*tickets.Ticket, error) {
	if n == 2 {
		return nil, fmt.Errorf("disk on fire")
	}
	return tx.Tx.Ticket(n)
}
