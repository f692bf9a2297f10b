package bolt

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	bbolt "go.etcd.io/bbolt"
)

// benchTicket is a closed ticket of the usual shape: six events, three
// stored mails' worth of Message-IDs.
func benchTicket(i int) *tickets.Ticket {
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	t := &tickets.Ticket{Subject: "直播课卡顿，学生端画面延迟严重（三年级二班）", Requester: tickets.Address{Name: "张老师", Email: benchSender(i)},
		Status: tickets.StatusClosed, Priority: tickets.P1, Category: "av", Lang: "zh-CN", Created: at, Updated: at.Add(75 * time.Hour),
		FirstResponse: at.Add(time.Hour), ResponseDue: at.Add(2 * time.Hour), ResolveDue: at.Add(8 * time.Hour),
		Resolved: at.Add(3 * time.Hour), Closed: at.Add(75 * time.Hour), Messages: 3}
	text := strings.Repeat("直播课卡顿，学生端画面延迟严重。", 12)
	t.Events = []tickets.Event{
		{At: at, Kind: tickets.EventCreated, Actor: t.Requester.Email, Name: "张老师", Public: true, Text: text, Status: tickets.StatusNew, MessageID: fmt.Sprintf("r%d@qq.test", i)},
		{At: at.Add(time.Hour), Kind: tickets.EventStatus, Actor: "li@desk.test", Name: "李工", Public: true, Status: tickets.StatusInProgress},
		{At: at.Add(time.Hour), Kind: tickets.EventStaffReply, Actor: "li@desk.test", Name: "李工", Public: true, Text: text, MessageID: fmt.Sprintf("s%d@desk.test", i)},
		{At: at.Add(2 * time.Hour), Kind: tickets.EventCustomerReply, Actor: t.Requester.Email, Name: "张老师", Public: true, Text: "已经恢复正常了，谢谢！", MessageID: fmt.Sprintf("c%d@qq.test", i)},
		{At: at.Add(3 * time.Hour), Kind: tickets.EventStatus, Actor: "li@desk.test", Name: "李工", Public: true, Status: tickets.StatusResolved},
		{At: at.Add(75 * time.Hour), Kind: tickets.EventStatus, Public: true, Status: tickets.StatusClosed},
	}
	for k := range 6 {
		t.MessageIDs = append(t.MessageIDs, fmt.Sprintf("pd.%d.%016x@desk.test", i, k))
	}
	t.LastMessageID = t.MessageIDs[5]
	return t
}

func benchSender(i int) string { return fmt.Sprintf("p%06d@qq.test", i%(1+i/3)) }

var benchRaw = []byte(strings.Repeat("x", 2000))

// benchFill writes n tickets as the desk does (ticket, three raw mails,
// Message-IDs, dedupe keys) in NoSync transactions.
func benchFill(b *testing.B, db *DB, n int) {
	for i := 0; i < n; i += 1000 {
		err := db.Update(func(tx tickets.Tx) error {
			for j := i; j < min(i+1000, n); j++ {
				t := benchTicket(j)
				if err := tx.CreateTicket(t); err != nil {
					return err
				}
				for k := range 3 {
					if err := tx.PutMessage(t.Number, k, benchRaw); err != nil {
						return err
					}
				}
				for _, id := range append([]string{t.Events[0].MessageID, t.Events[2].MessageID, t.Events[3].MessageID}, t.MessageIDs...) {
					if err := tx.IndexMessageID(id, t.Number); err != nil {
						return err
					}
					if err := tx.MarkSeen("id:"+id, tickets.Outcome{Action: tickets.ActionCreated, Ticket: t.Number}); err != nil {
						return err
					}
				}
				if err := tx.PutTicket(t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func benchOpen(b *testing.B, path string, noSync bool) *DB {
	db, err := Open(path, &Options{NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkUpdateFsync is the floor under every durable change: one
// small write and the commit's fsync.
func BenchmarkUpdateFsync(b *testing.B) {
	db := benchOpen(b, filepath.Join(b.TempDir(), "b.db"), false)
	defer db.Close()
	for b.Loop() {
		if err := db.Update(func(tx tickets.Tx) error { return tx.PutState("k", []byte("v")) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkCommitFreelist compares a durable ticket update with the
// freelist persisted (written at each commit, as tickets/bolt does now)
// and not (NoFreelistSync: rebuilt by reading the whole file at every
// open, as tickets/bolt did before).
func BenchmarkCommitFreelist(b *testing.B) {
	for _, persisted := range []bool{false, true} {
		b.Run(fmt.Sprintf("persisted=%v", persisted), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "b.db")
			db := benchOpen(b, path, true)
			benchFill(b, db, 5000)
			db.Close()
			raw, err := bbolt.Open(path, 0o600, &bbolt.Options{NoFreelistSync: !persisted, FreelistType: bbolt.FreelistMapType})
			if err != nil {
				b.Fatal(err)
			}
			db = &DB{db: raw}
			defer db.Close()
			rng := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			for range b.N {
				n := int64(1 + rng.IntN(5000))
				err := db.Update(func(tx tickets.Tx) error {
					t, err := tx.Ticket(n)
					if err != nil {
						return err
					}
					t.Updated = t.Updated.Add(time.Second)
					return tx.PutTicket(t)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen measures startup on a database of 5,000 tickets (about
// 40 MB), with the file in the page cache: tickets/bolt's Open (freelist
// persisted) against bbolt with NoFreelistSync, which rebuilds the
// freelist by reading every page (cold, that is a read of the whole file).
func BenchmarkOpen(b *testing.B) {
	path := filepath.Join(b.TempDir(), "b.db")
	db := benchOpen(b, path, true)
	benchFill(b, db, 5000)
	db.Close()
	b.Run("tickets-bolt", func(b *testing.B) {
		for b.Loop() {
			db := benchOpen(b, path, false)
			db.Close()
		}
	})
	b.Run("freelist-rebuilt", func(b *testing.B) {
		opts := &bbolt.Options{NoFreelistSync: true, FreelistType: bbolt.FreelistMapType}
		raw, err := bbolt.Open(path, 0o600, opts)
		if err != nil {
			b.Fatal(err)
		}
		// A commit without the freelist marks it as not stored.
		if err := raw.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bState).Put([]byte("k"), []byte("v")) }); err != nil {
			b.Fatal(err)
		}
		raw.Close()
		b.ResetTimer()
		for b.Loop() {
			raw, err := bbolt.Open(path, 0o600, opts)
			if err != nil {
				b.Fatal(err)
			}
			raw.Close()
		}
	})
}

// BenchmarkReads measures the indexed reads on a database of 20,000
// tickets: a ticket by number, a sender's ticket numbers (requester
// index) and a Message-ID (msgid index).
func BenchmarkReads(b *testing.B) {
	const n = 20000
	db := benchOpen(b, filepath.Join(b.TempDir(), "b.db"), true)
	defer db.Close()
	benchFill(b, db, n)
	rng := rand.New(rand.NewPCG(3, 4))
	b.Run("Ticket", func(b *testing.B) {
		for b.Loop() {
			k := int64(1 + rng.IntN(n))
			db.View(func(tx tickets.Tx) error {
				t, err := tx.Ticket(k)
				if err != nil || t.Number != k {
					b.Fatalf("Ticket(%d) = %v, %v", k, t, err)
				}
				return nil
			})
		}
	})
	b.Run("TicketsOf", func(b *testing.B) {
		for b.Loop() {
			email := benchSender(rng.IntN(n))
			db.View(func(tx tickets.Tx) error {
				if nums, err := tx.TicketsOf(email); err != nil || len(nums) == 0 {
					b.Fatalf("TicketsOf(%s) = %v, %v", email, nums, err)
				}
				return nil
			})
		}
	})
	b.Run("LookupMessageID", func(b *testing.B) {
		for b.Loop() {
			k := rng.IntN(n)
			db.View(func(tx tickets.Tx) error {
				if got, err := tx.LookupMessageID(fmt.Sprintf("r%d@qq.test", k)); err != nil || got != int64(k+1) {
					b.Fatalf("LookupMessageID = %d, %v; want %d", got, err, k+1)
				}
				return nil
			})
		}
	})
}
