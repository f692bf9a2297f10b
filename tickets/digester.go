package tickets

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DigestSchedule says when digests go out: every day at Hour:Minute, or
// once a week on Weekday at that time, in Loc.
type DigestSchedule struct {
	Hour, Minute int
	// Weekly sends one digest a week, on Weekday, instead of one a day.
	Weekly  bool
	Weekday time.Weekday
	// Loc is the zone of the clock time; nil means UTC.
	Loc *time.Location
}

// ParseDigestSchedule reads a clock time "08:30" and an optional weekday
// ("" for daily; "monday", "Mon", ... any case) in loc.
func ParseDigestSchedule(at, weekday string, loc *time.Location) (DigestSchedule, error) {
	s := DigestSchedule{Loc: loc}
	tm, err := time.Parse("15:04", strings.TrimSpace(at))
	if err != nil {
		return s, fmt.Errorf("want a clock time such as \"08:30\", got %q", at)
	}
	s.Hour, s.Minute = tm.Hour(), tm.Minute()
	if w := strings.ToLower(strings.TrimSpace(weekday)); w != "" {
		for d := time.Sunday; d <= time.Saturday; d++ {
			name := strings.ToLower(d.String())
			if w == name || w == name[:3] {
				s.Weekly, s.Weekday = true, d
				return s, nil
			}
		}
		return s, fmt.Errorf("want a weekday such as \"monday\", got %q", weekday)
	}
	return s, nil
}

func (s DigestSchedule) loc() *time.Location {
	if s.Loc != nil {
		return s.Loc
	}
	return time.UTC
}

// slotOn returns the send time on the calendar day of t.
func (s DigestSchedule) slotOn(t time.Time) time.Time {
	t = t.In(s.loc())
	return time.Date(t.Year(), t.Month(), t.Day(), s.Hour, s.Minute, 0, 0, s.loc())
}

// Next returns the first send time strictly after t.
func (s DigestSchedule) Next(t time.Time) time.Time {
	for i := 0; i < 9; i++ {
		day := t.In(s.loc()).AddDate(0, 0, i)
		slot := s.slotOn(day)
		if slot.After(t) && (!s.Weekly || slot.Weekday() == s.Weekday) {
			return slot
		}
	}
	return t.Add(24 * time.Hour) // unreachable: a week always has the day
}

// Prev returns the last send time at or before t.
func (s DigestSchedule) Prev(t time.Time) time.Time {
	for i := 0; i < 9; i++ {
		day := t.In(s.loc()).AddDate(0, 0, -i)
		slot := s.slotOn(day)
		if !slot.After(t) && (!s.Weekly || slot.Weekday() == s.Weekday) {
			return slot
		}
	}
	return t.Add(-24 * time.Hour)
}

// digestStateKey keeps the end of the period the last digest covered
// (RFC 3339), so that a restart neither skips nor repeats one.
const digestStateKey = "digest:last"

// Digester queues the digest mail to the leads on its schedule. Set the
// fields before the first Tick; a Digester is then safe for concurrent
// use.
type Digester struct {
	Desk *Desk
	// To are the leads who get the digest; none disables it.
	To       []Address
	Schedule DigestSchedule

	mu   sync.Mutex
	next time.Time // cached send time; the store is the truth
}

// Tick queues a digest to every address of To when one is due, and
// reports whether it did. The period runs from the end of the last digest
// (kept in the store) to now; when postdesk was down at send time, the
// digest goes out at the next Tick and covers the whole gap, once. On the
// very first run the period starts at the last scheduled time, so the
// first digest comes at the next one.
//
// The tickets are read in a read-only transaction; the notices and the
// new period end are written together in one more, so a crash either
// sends the digest later or has queued it once.
func (g *Digester) Tick() (bool, error) {
	if g == nil || len(g.To) == 0 {
		return false, nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	d := g.Desk
	now := d.now()
	if !g.next.IsZero() && now.Before(g.next) {
		return false, nil
	}
	last, err := g.last(now)
	if err != nil {
		return false, err
	}
	g.next = g.Schedule.Next(last)
	if now.Before(g.next) {
		return false, nil
	}
	dg, err := d.Digest(last, now)
	if err != nil {
		return false, fmt.Errorf("digest: %w", err)
	}
	dg.Weekly = g.Schedule.Weekly
	err = d.Store.Update(func(tx Tx) error {
		v, err := tx.State(digestStateKey)
		if err != nil {
			return err
		}
		if string(v) != last.UTC().Format(time.RFC3339Nano) {
			return errDigestRace
		}
		for _, to := range g.To {
			nt := &Notice{Kind: NoticeDigest, To: to, Lang: d.Lang, Auto: true, Event: -1, Digest: dg}
			if err := d.enqueueRaw(tx, nil, nt); err != nil {
				return err
			}
		}
		return tx.PutState(digestStateKey, []byte(now.UTC().Format(time.RFC3339Nano)))
	})
	if errors.Is(err, errDigestRace) {
		g.next = time.Time{}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("digest: %w", err)
	}
	g.next = g.Schedule.Next(now)
	d.log().Info("digest queued", "from", last, "to", now, "recipients", len(g.To), "new", dg.New, "open", dg.Open, "overdue", dg.OverdueTotal)
	d.queued()
	return true, nil
}

var errDigestRace = errors.New("digest: sent by someone else meanwhile")

// last returns the end of the last digest's period, recording the last
// scheduled time on the very first run.
func (g *Digester) last(now time.Time) (time.Time, error) {
	var last time.Time
	err := g.Desk.Store.Update(func(tx Tx) error {
		v, err := tx.State(digestStateKey)
		if err != nil {
			return err
		}
		if v != nil {
			if last, err = time.Parse(time.RFC3339Nano, string(v)); err == nil {
				return nil
			}
		}
		last = g.Schedule.Prev(now)
		return tx.PutState(digestStateKey, []byte(last.UTC().Format(time.RFC3339Nano)))
	})
	return last, err
}

// Digest computes the digest of [from, to) over every ticket (see
// BuildDigest), reading them in one read-only transaction.
func (d *Desk) Digest(from, to time.Time) (*Digest, error) {
	b := newDigestBuilder(from, to, d.policy())
	if err := d.Scan(func(t *Ticket) bool { b.add(t); return true }); err != nil {
		return nil, err
	}
	return b.finish(), nil
}
