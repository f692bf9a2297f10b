package bolt

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "b.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	db := open(t)
	err := db.Update(func(tx tickets.Tx) error {
		for _, who := range []string{"a@x", "b@x", "a@x", "ab@x"} {
			tk := &tickets.Ticket{Requester: tickets.Address{Email: who}, Status: tickets.StatusNew}
			if err := tx.CreateTicket(tk); err != nil {
				return err
			}
			if err := tx.PutMessage(tk.Number, 0, []byte("raw of "+who)); err != nil {
				return err
			}
		}
		return tx.IndexMessageID("m1@x", 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx tickets.Tx) error {
		if got, _ := tx.TicketsOf("a@x"); len(got) != 2 || got[0] != 1 || got[1] != 3 {
			t.Errorf("TicketsOf(a@x) = %v, want [1 3] (not ab@x's)", got)
		}
		if got, _ := tx.FirstTicketOf("a@x"); got != 1 {
			t.Errorf("FirstTicketOf(a@x) = %d, want 1", got)
		}
		if got, _ := tx.FirstTicketOf("nobody@x"); got != 0 {
			t.Errorf("FirstTicketOf(nobody@x) = %d, want 0", got)
		}
		if n, _ := tx.LookupMessageID("m1@x"); n != 2 {
			t.Errorf("LookupMessageID = %d", n)
		}
		if _, err := tx.Ticket(9); !errors.Is(err, tickets.ErrNotFound) {
			t.Errorf("Ticket(9) error = %v, want ErrNotFound", err)
		}
		if last, _ := tx.LastTicket(); last != 4 {
			t.Errorf("LastTicket = %d", last)
		}
		return nil
	})
	var got []byte
	if err := db.ReadMessage(2, 0, func(raw []byte) error { got = bytes.Clone(raw); return nil }); err != nil || string(got) != "raw of b@x" {
		t.Errorf("ReadMessage = %q, %v", got, err)
	}
	var buf bytes.Buffer
	if n, err := db.Backup(&buf); err != nil || n == 0 || int64(buf.Len()) != n {
		t.Errorf("Backup = %d, %v", n, err)
	}
}

func TestTimersAndOutbox(t *testing.T) {
	db := open(t)
	t0 := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	db.Update(func(tx tickets.Tx) error {
		tx.AddTimer(&tickets.Timer{Due: t0.Add(2 * time.Hour), Ticket: 1, Kind: "b"})
		tx.AddTimer(&tickets.Timer{Due: t0.Add(time.Hour), Ticket: 2, Kind: "a"})
		tx.Enqueue(&tickets.Notice{Kind: tickets.NoticeConfirmation})
		return tx.Enqueue(&tickets.Notice{Kind: tickets.NoticeProgress})
	})
	db.View(func(tx tickets.Tx) error {
		var due []string
		tx.DueTimers(t0.Add(90*time.Minute), func(tm *tickets.Timer) bool { due = append(due, tm.Kind); return true })
		if len(due) != 1 || due[0] != "a" {
			t.Errorf("due timers = %v, want [a]", due)
		}
		var ids []uint64
		tx.PendingNotices(func(n *tickets.Notice) bool { ids = append(ids, n.ID); return true })
		if len(ids) != 2 || ids[0] != 1 || ids[1] != 2 {
			t.Errorf("pending = %v", ids)
		}
		return nil
	})
}

func TestSecondOpenFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.db")
	db, err := Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := Open(path, &Options{Timeout: 50 * time.Millisecond}); err == nil {
		t.Error("a second Open of a locked file succeeded")
	}
}
