package tickets

import (
	"encoding/json"
	"fmt"
	"time"
)

// Learned durations: every ticket that a person (staff, or the customer
// with "it works" or a self-help article) resolves or closes for the first
// time, merged ones aside, adds its wall-clock time from report to
// resolution to its category's history; a ticket the system resolves
// because the customer never answered (sla.wait_outcome) says nothing
// about how fast problems are solved and is left out. The history is kept
// in the store's state under "durations:<category>", written in the
// ticket's own transaction. With Policy.LearnDurations, a new ticket's
// confirmation promises the median of the newest learnWindow of them,
// once the category has at least LearnMin (default DefaultLearnMin)
// finished tickets; until then the rules' typical time is shown.

// DefaultLearnMin is how many finished tickets a category needs before
// its learned duration is used.
const DefaultLearnMin = 20

// learnWindow is how many of a category's newest durations are kept; the
// median of them follows a change in practice within weeks.
const learnWindow = 100

// durationHistory is one category's history.
type durationHistory struct {
	N      int     `json:"n"`      // finished tickets ever counted
	Recent []int64 `json:"recent"` // newest last, seconds, at most learnWindow
}

func durationsKey(cat string) string { return "durations:" + cat }

func readHistory(tx Tx, cat string) (durationHistory, error) {
	var h durationHistory
	v, err := tx.State(durationsKey(cat))
	if err != nil || v == nil {
		return h, err
	}
	if err := json.Unmarshal(v, &h); err != nil {
		return durationHistory{}, fmt.Errorf("durations of %q: %w", cat, err)
	}
	return h, nil
}

// learnDuration adds t, finished now for the first time by a person, to
// its category's history.
func (d *Desk) learnDuration(tx Tx, t *Ticket, now time.Time) error {
	if t.Category == "" || t.MergedInto != 0 || t.Created.IsZero() || now.Before(t.Created) {
		return nil
	}
	h, err := readHistory(tx, t.Category)
	if err != nil {
		return err
	}
	h.N++
	h.Recent = append(h.Recent, int64(now.Sub(t.Created)/time.Second))
	if len(h.Recent) > learnWindow {
		h.Recent = append(h.Recent[:0:0], h.Recent[len(h.Recent)-learnWindow:]...)
	}
	v, _ := json.Marshal(h)
	return tx.PutState(durationsKey(t.Category), v)
}

// learnedTypical sets t.Typical from its category's history when the
// policy learns durations and the history is long enough.
func (d *Desk) learnedTypical(tx Tx, t *Ticket) error {
	p := d.policy()
	if !p.LearnDurations || t.Category == "" {
		return nil
	}
	h, err := readHistory(tx, t.Category)
	if err != nil {
		return err
	}
	need := p.LearnMin
	if need <= 0 {
		need = DefaultLearnMin
	}
	if h.N < need || len(h.Recent) == 0 {
		return nil
	}
	ds := make([]time.Duration, len(h.Recent))
	for i, s := range h.Recent {
		ds[i] = time.Duration(s) * time.Second
	}
	t.Typical = Median(ds)
	return nil
}
