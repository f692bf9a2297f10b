// Package bolt stores postdesk's tickets, messages, outbox, timers and
// poller state in one bbolt file. It implements tickets.Store.
//
// Layout (bucket: key -> value):
//
//	tickets:   be64(number) -> JSON tickets.Ticket
//	requester: email 0x00 be64(number) -> "" (index: a sender's tickets)
//	msgid:     Message-ID -> be64(number) (threading and bounce matching)
//	seen:      dedupe key -> JSON tickets.Outcome (Message-ID or content hash)
//	raw:       be64(number) be32(index) -> raw mail bytes
//	outbox:    be64(id) -> JSON tickets.Notice (queued, not yet sent)
//	rec/KIND:  be64(id) -> JSON tickets.Record
//	timers:    be64(unix nanos) be64(number) kind -> JSON tickets.Timer
//	state:     key -> bytes (e.g. the IMAP poller's position)
//	corrections: be64(id) -> JSON tickets.Correction (corrections.go)
//	tokens:    staff token ID -> JSON tickets.StaffToken
package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/postdesk/postdesk/tickets"
	bbolt "go.etcd.io/bbolt"
)

var (
	bTickets   = []byte("tickets")
	bRequester = []byte("requester")
	bMsgID     = []byte("msgid")
	bSeen      = []byte("seen")
	bRaw       = []byte("raw")
	bOutbox    = []byte("outbox")
	bTimers    = []byte("timers")
	bState     = []byte("state")
	bTokens    = []byte("tokens")
)

// Options tune Open. A nil *Options is the same as a zero Options.
type Options struct {
	// NoSync skips fsync on commit. Only for tests and benchmarks of
	// throughput: a crash may lose committed work.
	NoSync bool
	// Timeout bounds the wait for the file lock held by another process;
	// zero means 1 second.
	Timeout time.Duration
}

// ErrLocked is returned (wrapped) by Open when another process holds the
// file's lock beyond the timeout.
var ErrLocked = bbolt.ErrTimeout

// DB is an open postdesk database. It is safe for concurrent use.
type DB struct {
	db *bbolt.DB
}

var _ tickets.Store = (*DB)(nil)

// Open opens (creating if needed) the database file at path. It takes an
// exclusive lock on the file: a second process fails after the timeout.
func Open(path string, opt *Options) (*DB, error) {
	if opt == nil {
		opt = &Options{}
	}
	timeout := opt.Timeout
	if timeout == 0 {
		timeout = time.Second
	}
	// The freelist is persisted (NoFreelistSync off): without it bbolt
	// rebuilds the freelist at every open by reading every page, which
	// takes minutes on a database of a million tickets.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.NoSync = opt.NoSync
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bTickets, bRequester, bMsgID, bSeen, bRaw, bOutbox, bTimers, bState, bTokens} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("init database %s: %w", path, err)
	}
	return &DB{db: db}, nil
}

// Close closes the file.
func (d *DB) Close() error { return d.db.Close() }

// Update implements tickets.Store.
func (d *DB) Update(fn func(tickets.Tx) error) error {
	return d.db.Update(func(tx *bbolt.Tx) error { return fn(&txn{tx: tx}) })
}

// View implements tickets.Store.
func (d *DB) View(fn func(tickets.Tx) error) error {
	return d.db.View(func(tx *bbolt.Tx) error { return fn(&txn{tx: tx}) })
}

// Backup writes a consistent copy of the whole database to w while the
// database stays in use, and returns the number of bytes written.
func (d *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := d.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// ReadMessage calls fn with raw mail number index of ticket n, without
// copying it: raw is valid only until fn returns (it points into the
// memory-mapped file). For large mails this saves a copy of the mail.
func (d *DB) ReadMessage(n int64, index int, fn func(raw []byte) error) error {
	return d.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bRaw).Get(rawKey(n, index))
		if v == nil {
			return fmt.Errorf("message %d/%d: %w", n, index, tickets.ErrNotFound)
		}
		return fn(v)
	})
}

type txn struct {
	tx *bbolt.Tx
}

var _ tickets.Tx = (*txn)(nil)

func be64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

func (t *txn) getJSON(bucket, key []byte, v any) error {
	data := t.tx.Bucket(bucket).Get(key)
	if data == nil {
		return tickets.ErrNotFound
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s/%x: %w", bucket, key, err)
	}
	return nil
}

func (t *txn) putJSON(b *bbolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

func (t *txn) Ticket(n int64) (*tickets.Ticket, error) {
	var tk tickets.Ticket
	if err := t.getJSON(bTickets, be64(uint64(n)), &tk); err != nil {
		if errors.Is(err, tickets.ErrNotFound) {
			return nil, fmt.Errorf("ticket %d: %w", n, err)
		}
		return nil, err
	}
	return &tk, nil
}

func (t *txn) CreateTicket(tk *tickets.Ticket) error {
	b := t.tx.Bucket(bTickets)
	b.FillPercent = 0.9 // keys only grow: pages need little room for inserts
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	tk.Number = int64(seq)
	if err := t.putJSON(b, be64(seq), tk); err != nil {
		return err
	}
	return t.tx.Bucket(bRequester).Put(requesterKey(tk.Requester.Email, tk.Number), nil)
}

func requesterKey(email string, n int64) []byte {
	k := make([]byte, 0, len(email)+9)
	k = append(k, email...)
	k = append(k, 0)
	return append(k, be64(uint64(n))...)
}

func (t *txn) PutTicket(tk *tickets.Ticket) error {
	if tk.Number <= 0 {
		return fmt.Errorf("put ticket: no number")
	}
	return t.putJSON(t.tx.Bucket(bTickets), be64(uint64(tk.Number)), tk)
}

func (t *txn) LastTicket() (int64, error) {
	return int64(t.tx.Bucket(bTickets).Sequence()), nil
}

func (t *txn) TicketsOf(email string) ([]int64, error) {
	var out []int64
	t.requested(email, func(n int64) bool { out = append(out, n); return true })
	return out, nil
}

func (t *txn) FirstTicketOf(email string) (int64, error) {
	var first int64
	t.requested(email, func(n int64) bool { first = n; return false })
	return first, nil
}

// requested calls fn with the numbers of the tickets email requested,
// oldest first, until fn returns false (the requester index: email, 0,
// be64(number)).
func (t *txn) requested(email string, fn func(n int64) bool) {
	prefix := append([]byte(email), 0)
	c := t.tx.Bucket(bRequester).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == len(prefix)+8 && !fn(int64(binary.BigEndian.Uint64(k[len(prefix):]))) {
			return
		}
	}
}

func (t *txn) LookupMessageID(id string) (int64, error) {
	if id == "" {
		return 0, nil
	}
	v := t.tx.Bucket(bMsgID).Get([]byte(id))
	if len(v) != 8 {
		return 0, nil
	}
	return int64(binary.BigEndian.Uint64(v)), nil
}

func (t *txn) IndexMessageID(id string, n int64) error {
	if id == "" || len(id) > 900 {
		return nil
	}
	return t.tx.Bucket(bMsgID).Put([]byte(id), be64(uint64(n)))
}

func (t *txn) Seen(key string) (tickets.Outcome, bool, error) {
	var o tickets.Outcome
	err := t.getJSON(bSeen, []byte(key), &o)
	if errors.Is(err, tickets.ErrNotFound) {
		return o, false, nil
	}
	return o, err == nil, err
}

func (t *txn) MarkSeen(key string, o tickets.Outcome) error {
	o.Err = ""
	return t.putJSON(t.tx.Bucket(bSeen), []byte(key), o)
}

func (t *txn) DeleteSeen(key string) error {
	return t.tx.Bucket(bSeen).Delete([]byte(key))
}

func rawKey(n int64, index int) []byte {
	k := make([]byte, 12)
	binary.BigEndian.PutUint64(k, uint64(n))
	binary.BigEndian.PutUint32(k[8:], uint32(index))
	return k
}

func (t *txn) PutMessage(n int64, index int, raw []byte) error {
	b := t.tx.Bucket(bRaw)
	b.FillPercent = 1.0 // append-only, keys in order: fill pages completely
	return b.Put(rawKey(n, index), raw)
}

func (t *txn) Message(n int64, index int) ([]byte, error) {
	v := t.tx.Bucket(bRaw).Get(rawKey(n, index))
	if v == nil {
		return nil, fmt.Errorf("message %d/%d: %w", n, index, tickets.ErrNotFound)
	}
	return bytes.Clone(v), nil
}

func (t *txn) Enqueue(nt *tickets.Notice) error {
	b := t.tx.Bucket(bOutbox)
	id, err := b.NextSequence()
	if err != nil {
		return err
	}
	nt.ID = id
	return t.putJSON(b, be64(id), nt)
}

func (t *txn) Notice(id uint64) (*tickets.Notice, error) {
	var nt tickets.Notice
	if err := t.getJSON(bOutbox, be64(id), &nt); err != nil {
		return nil, fmt.Errorf("notice %d: %w", id, err)
	}
	return &nt, nil
}

func (t *txn) PutNotice(nt *tickets.Notice) error {
	return t.putJSON(t.tx.Bucket(bOutbox), be64(nt.ID), nt)
}

func (t *txn) DeleteNotice(id uint64) error {
	return t.tx.Bucket(bOutbox).Delete(be64(id))
}

func (t *txn) PendingNotices(fn func(*tickets.Notice) bool) error {
	return eachJSON(t.tx.Bucket(bOutbox), "notice", fn)
}

// eachJSON decodes every value of b (nil: none) as a T, in key order, and
// calls fn until it returns false.
func eachJSON[T any](b *bbolt.Bucket, what string, fn func(*T) bool) error {
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var x T
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("decode %s %x: %w", what, k, err)
		}
		if !fn(&x) {
			return nil
		}
	}
	return nil
}

func recBucket(kind string) []byte { return []byte("rec/" + kind) }

func (t *txn) PutRecord(kind string, r *tickets.Record) error {
	b, err := t.tx.CreateBucketIfNotExists(recBucket(kind))
	if err != nil {
		return err
	}
	if r.ID == 0 {
		if r.ID, err = b.NextSequence(); err != nil {
			return err
		}
	}
	return t.putJSON(b, be64(r.ID), r)
}

func (t *txn) Records(kind string, fn func(*tickets.Record) bool) error {
	return eachJSON(t.tx.Bucket(recBucket(kind)), "record "+kind, fn)
}

func (t *txn) DeleteRecord(kind string, id uint64) error {
	b := t.tx.Bucket(recBucket(kind))
	if b == nil {
		return nil
	}
	return b.Delete(be64(id))
}

func (t *txn) PutState(key string, v []byte) error {
	return t.tx.Bucket(bState).Put([]byte(key), v)
}

func (t *txn) State(key string) ([]byte, error) {
	return bytes.Clone(t.tx.Bucket(bState).Get([]byte(key))), nil
}

func timerKey(tm *tickets.Timer) []byte {
	k := make([]byte, 0, 16+len(tm.Kind))
	k = append(k, be64(uint64(tm.Due.UnixNano()))...)
	k = append(k, be64(uint64(tm.Ticket))...)
	return append(k, tm.Kind...)
}

func (t *txn) AddTimer(tm *tickets.Timer) error {
	return t.putJSON(t.tx.Bucket(bTimers), timerKey(tm), tm)
}

func (t *txn) DueTimers(now time.Time, fn func(*tickets.Timer) bool) error {
	limit := be64(uint64(now.UnixNano()))
	c := t.tx.Bucket(bTimers).Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k[:8], limit) <= 0; k, v = c.Next() {
		var tm tickets.Timer
		if err := json.Unmarshal(v, &tm); err != nil {
			return fmt.Errorf("decode timer %x: %w", k, err)
		}
		if !fn(&tm) {
			return nil
		}
	}
	return nil
}

func (t *txn) DeleteTimer(tm *tickets.Timer) error {
	return t.tx.Bucket(bTimers).Delete(timerKey(tm))
}

func (t *txn) PutStaffToken(st *tickets.StaffToken) error {
	return t.putJSON(t.tx.Bucket(bTokens), []byte(st.ID), st)
}

func (t *txn) StaffToken(id string) (*tickets.StaffToken, error) {
	var st tickets.StaffToken
	if err := t.getJSON(bTokens, []byte(id), &st); err != nil {
		return nil, fmt.Errorf("staff token: %w", err)
	}
	st.ID = id
	return &st, nil
}

// DeleteStaffTokens walks every token record: it runs rarely (see
// tickets.Desk.PruneTokens) and the bucket holds only live tokens.
func (t *txn) DeleteStaffTokens(before time.Time) (int, error) {
	b := t.tx.Bucket(bTokens)
	var old [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var st tickets.StaffToken
		if err := json.Unmarshal(v, &st); err != nil {
			return fmt.Errorf("decode staff token %q: %w", k, err)
		}
		if st.Expires.Before(before) {
			old = append(old, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
