package mail

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// TestPollerChunksByBytes: a burst is fetched and committed in chunks that
// respect ChunkBytes, and every mail still becomes a ticket.
func TestPollerChunksByBytes(t *testing.T) {
	e := newDeskEnv(t)
	for i := range 5 {
		raw := fmt.Sprintf("From: u%d@school.test\r\nSubject: s%d\r\nMessage-ID: <c%d@x>\r\n\r\n%s\r\n", i, i, i, strings.Repeat("x", 600))
		if err := e.ms.Append("support@desk.test", "INBOX", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	var batches []int
	p := &Poller{Config: IMAPConfig{Addr: e.ms.IMAPAddr, TLS: "none", Username: "support@desk.test", Password: "pw", PollInterval: time.Hour},
		Desk: e.desk, ChunkBytes: 1500,
		Handled: func(out []tickets.Outcome) { mu.Lock(); batches = append(batches, len(out)); mu.Unlock() }}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go p.Run(ctx)
	for {
		mu.Lock()
		total := 0
		for _, b := range batches {
			total += b
		}
		got := append([]int(nil), batches...)
		mu.Unlock()
		if total == 5 {
			if fmt.Sprint(got) != "[2 2 1]" {
				t.Errorf("batches = %v, want [2 2 1] (two ~650-byte mails per 1500 bytes)", got)
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("batches = %v", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestPollerMailboxRecreatedUnderOpenSession: the mailbox is deleted and
// recreated (new UIDVALIDITY, UIDs from 1 again) while the poller stays
// connected; the periodic re-select notices, old mail is recognised and
// new mail is not missed.
func TestPollerMailboxRecreatedUnderOpenSession(t *testing.T) {
	e := newDeskEnv(t)
	if err := e.ms.CreateMailbox("support@desk.test", "Support"); err != nil {
		t.Fatal(err)
	}
	put := func(i int) {
		raw := fmt.Sprintf("From: u%d@school.test\r\nSubject: s%d\r\nMessage-ID: <r%d@x>\r\n\r\nbody\r\n", i, i, i)
		if err := e.ms.Append("support@desk.test", "Support", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		put(i)
	}
	p := &Poller{Config: IMAPConfig{Addr: e.ms.IMAPAddr, TLS: "none", Username: "support@desk.test", Password: "pw", Mailbox: "Support", IDLE: true, PollInterval: 200 * time.Millisecond},
		Desk: e.desk}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	go p.Run(ctx)
	waitN := func(n int64) {
		t.Helper()
		for {
			var got int64
			e.db.View(func(tx tickets.Tx) error { got, _ = tx.LastTicket(); return nil })
			if got == n {
				return
			}
			if got > n || ctx.Err() != nil {
				t.Fatalf("tickets = %d, want %d", got, n)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitN(3)
	if err := e.ms.DeleteMailbox("support@desk.test", "Support"); err != nil {
		t.Fatal(err)
	}
	if err := e.ms.CreateMailbox("support@desk.test", "Support"); err != nil {
		t.Fatal(err)
	}
	put(0) // the same mail again, now UID 1
	put(9) // a new one, UID 2: below the old position (3)
	waitN(4)
	time.Sleep(500 * time.Millisecond)
	waitN(4)
}
