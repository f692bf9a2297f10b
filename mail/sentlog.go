package mail

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// sentLog is the sender's journal of accepted mail: the IDs of notices the
// server accepted, appended and fsync'd the moment each group of 250s
// arrives. A small append with its own fsync is quick and, unlike a
// database commit, never waits behind the intake's transactions; the
// outbox is told in one commit at the end of each Drain, after which the
// journal is emptied. After a crash the journal is read back first, so
// what it holds is never sent again.
type sentLog struct {
	f   *os.File
	ids map[uint64]bool // in the journal, not yet removed from the outbox
}

// openSentLog opens (or creates) the journal at path and reads the IDs it
// holds; a torn last record (a crash mid-append) is ignored.
func openSentLog(path string) (*sentLog, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sent journal: %w", err)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sent journal %s: %w", path, err)
	}
	l := &sentLog{f: f, ids: map[uint64]bool{}}
	for ; len(b) >= 8; b = b[8:] {
		l.ids[binary.BigEndian.Uint64(b)] = true
	}
	return l, nil
}

// append records ids durably.
func (l *sentLog) append(ids []uint64) error {
	b := make([]byte, 0, 8*len(ids))
	for _, id := range ids {
		b = binary.BigEndian.AppendUint64(b, id)
	}
	if _, err := l.f.Seek(0, io.SeekEnd); err != nil {
		return err
	}
	if _, err := l.f.Write(b); err != nil {
		return err
	}
	if err := l.f.Sync(); err != nil {
		return err
	}
	for _, id := range ids {
		l.ids[id] = true
	}
	return nil
}

// flush tells the outbox every journaled ID is sent, in one commit, and
// empties the journal.
func (l *sentLog) flush(o Outbox) error {
	if len(l.ids) == 0 {
		return nil
	}
	ids := make([]uint64, 0, len(l.ids))
	for id := range l.ids {
		ids = append(ids, id)
	}
	if err := o.Sent(ids); err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("sent journal: %w", err)
	}
	clear(l.ids)
	return nil
}

func (l *sentLog) close() error { return l.f.Close() }
