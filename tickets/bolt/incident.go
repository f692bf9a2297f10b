package bolt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/postdesk/postdesk/tickets"
	bbolt "go.etcd.io/bbolt"
)

// Incident buckets, created on first write (a database from before
// incidents has none, and reads treat a missing bucket as empty):
//
//	incidents:     be64(lead) -> JSON tickets.Incident
//	incident_open: be64(lead) -> "" (the declared, unresolved ones)
//	incident_mem:  be64(lead) be64(member) -> "" (linked reports)
//	recent:        be64(unix nanos) be64(number) -> detection entry
var (
	bIncidents    = []byte("incidents")
	bIncidentOpen = []byte("incident_open")
	bIncidentMem  = []byte("incident_mem")
	bRecent       = []byte("recent")
)

func (t *txn) bucket(name []byte) (*bbolt.Bucket, error) {
	if b := t.tx.Bucket(name); b != nil {
		return b, nil
	}
	return t.tx.CreateBucketIfNotExists(name)
}

func (t *txn) PutIncident(in *tickets.Incident) error {
	if in.Lead <= 0 {
		return fmt.Errorf("put incident: no lead")
	}
	b, err := t.bucket(bIncidents)
	if err != nil {
		return err
	}
	if err := t.putJSON(b, be64(uint64(in.Lead)), in); err != nil {
		return err
	}
	open, err := t.bucket(bIncidentOpen)
	if err != nil {
		return err
	}
	if in.State == tickets.IncidentDeclared {
		return open.Put(be64(uint64(in.Lead)), nil)
	}
	return open.Delete(be64(uint64(in.Lead)))
}

func (t *txn) Incident(lead int64) (*tickets.Incident, error) {
	if t.tx.Bucket(bIncidents) == nil {
		return nil, fmt.Errorf("incident %d: %w", lead, tickets.ErrNotFound)
	}
	var in tickets.Incident
	if err := t.getJSON(bIncidents, be64(uint64(lead)), &in); err != nil {
		return nil, fmt.Errorf("incident %d: %w", lead, err)
	}
	return &in, nil
}

func (t *txn) OpenIncidents(fn func(*tickets.Incident) bool) error {
	b := t.tx.Bucket(bIncidentOpen)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		in, err := t.Incident(int64(binary.BigEndian.Uint64(k)))
		if err != nil {
			return err
		}
		if !fn(in) {
			return nil
		}
	}
	return nil
}

func memberKey(lead, n int64) []byte {
	return append(be64(uint64(lead)), be64(uint64(n))...)
}

func (t *txn) AddIncidentMember(lead, n int64) error {
	b, err := t.bucket(bIncidentMem)
	if err != nil {
		return err
	}
	return b.Put(memberKey(lead, n), nil)
}

func (t *txn) RemoveIncidentMember(lead, n int64) error {
	b := t.tx.Bucket(bIncidentMem)
	if b == nil {
		return nil
	}
	return b.Delete(memberKey(lead, n))
}

func (t *txn) IncidentMembers(lead int64, fn func(n int64) bool) error {
	b := t.tx.Bucket(bIncidentMem)
	if b == nil {
		return nil
	}
	prefix := be64(uint64(lead))
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if len(k) == 16 && !fn(int64(binary.BigEndian.Uint64(k[8:]))) {
			return nil
		}
	}
	return nil
}

func recentKey(at time.Time, n int64) []byte {
	return append(be64(uint64(at.UnixNano())), be64(uint64(n))...)
}

func (t *txn) PutRecent(at time.Time, n int64, v []byte) error {
	b, err := t.bucket(bRecent)
	if err != nil {
		return err
	}
	return b.Put(recentKey(at, n), v)
}

func (t *txn) Recent(since time.Time, max int, fn func(n int64, v []byte) bool) error {
	return t.RecentAt(since, max, func(_ uint64, n int64, v []byte) bool { return fn(n, v) })
}

// RecentAt is Recent with each entry's time (UnixNano) as well: what a
// cache of the entries needs to order new ones among them.
func (t *txn) RecentAt(since time.Time, max int, fn func(at uint64, n int64, v []byte) bool) error {
	b := t.tx.Bucket(bRecent)
	if b == nil {
		return nil
	}
	limit := be64(uint64(since.UnixNano()))
	c := b.Cursor()
	count := 0
	for k, v := c.Last(); k != nil && count < max && bytes.Compare(k[:8], limit) >= 0; k, v = c.Prev() {
		count++
		if !fn(binary.BigEndian.Uint64(k[:8]), int64(binary.BigEndian.Uint64(k[8:])), v) {
			return nil
		}
	}
	return nil
}

func (t *txn) PruneRecent(before time.Time) error {
	b := t.tx.Bucket(bRecent)
	if b == nil {
		return nil
	}
	limit := be64(uint64(before.UnixNano()))
	c := b.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k[:8], limit) < 0; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}
