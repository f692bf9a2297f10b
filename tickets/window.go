package tickets

import "time"

// batchTx is the transaction of one Intake batch: the Tx, and the
// detection window decoded once for the whole batch instead of once per
// new report.
type batchTx struct {
	Tx
	window window
}

// recentAtReader is a Tx whose Recent also gives each entry's time (the
// UnixNano of its key), which the batch window needs to order new entries
// among those it read. Without it, every report reads the store.
type recentAtReader interface {
	RecentAt(since time.Time, max int, fn func(at uint64, n int64, v []byte) bool) error
}

// window mirrors, inside one transaction, what Tx.Recent returns: the
// newest entries at or after since, at most max of them, newest first.
// detect keeps it in step with its own PutRecent and PruneRecent (nothing
// else writes the recent entries), so a report sees exactly what reading
// the bucket again would give it.
type window struct {
	loaded bool
	since  uint64 // UnixNano of the since it was read with, as keys hold it
	max    int
	all    []windowEntry // newest first, at most max
	view   []recent      // the decoded ones of all, rebuilt per report
}

// windowEntry is one stored entry: its key and, when it decoded, the
// report it holds (the vector decoded and the bytes copied, as the
// transaction's pages may move when it writes).
type windowEntry struct {
	at, n uint64
	ok    bool
	r     recent
}

// newer reports whether entry e's key sorts after key (at, n).
func (e windowEntry) newer(at, n uint64) bool {
	return e.at > at || (e.at == at && e.n > n)
}

// batchWindow returns tx's batch window when tx is an Intake batch whose
// store gives entry times, else nil.
func batchWindow(tx Tx) *window {
	b, ok := tx.(*batchTx)
	if !ok {
		return nil
	}
	if _, ok := b.Tx.(recentAtReader); !ok {
		return nil
	}
	return &b.window
}

// recentWindow returns the recent reports since since, newest first, at
// most max: read from tx, or, in an Intake batch, from the batch's
// window. The slice is valid until the next call.
func recentWindow(tx Tx, since time.Time, max int) ([]recent, error) {
	w := batchWindow(tx)
	if w == nil {
		entries := make([]recent, 0, max)
		err := tx.Recent(since, max, func(n int64, v []byte) bool {
			if r, ok := decodeRecent(n, v); ok {
				entries = append(entries, r)
			}
			return true
		})
		return entries, err
	}
	s := uint64(since.UnixNano())
	if !w.loaded || w.since != s || w.max != max {
		w.all = w.all[:0]
		err := tx.(*batchTx).Tx.(recentAtReader).RecentAt(since, max, func(at uint64, n int64, v []byte) bool {
			e := windowEntry{at: at, n: uint64(n)}
			if r, ok := decodeRecent(n, v); ok {
				r.raw = append([]byte(nil), r.raw...)
				r.vector = decodeVector(r.raw)
				e.ok, e.r = true, r
			}
			w.all = append(w.all, e)
			return true
		})
		if err != nil {
			w.loaded = false
			return nil, err
		}
		w.loaded, w.since, w.max = true, s, max
	}
	w.view = w.view[:0]
	for _, e := range w.all {
		if e.ok {
			w.view = append(w.view, e.r)
		}
	}
	return w.view, nil
}

// putRecent stores report r's entry (PutRecent) and, in a batch, adds it
// to the window where the store's key order puts it.
func putRecent(tx Tx, at time.Time, r recent) error {
	v := r.encode()
	if err := tx.PutRecent(at, r.ticket, v); err != nil {
		return err
	}
	w := batchWindow(tx)
	if w == nil || !w.loaded {
		return nil
	}
	key := uint64(at.UnixNano())
	if key < w.since {
		return nil // before the window: Recent would not return it
	}
	e := windowEntry{at: key, n: uint64(r.ticket), ok: true, r: r}
	e.r.raw = v[24:]
	i := 0
	for i < len(w.all) && w.all[i].newer(e.at, e.n) {
		i++
	}
	if i < len(w.all) && w.all[i].at == e.at && w.all[i].n == e.n {
		w.all[i] = e // the same key: Put replaced the value
		return nil
	}
	if i >= w.max {
		return nil // older than the max newest
	}
	w.all = append(w.all, windowEntry{})
	copy(w.all[i+1:], w.all[i:])
	w.all[i] = e
	if len(w.all) > w.max {
		w.all = w.all[:w.max]
	}
	return nil
}

// pruneRecent deletes the entries before before (PruneRecent) and drops
// them from a batch's window.
func pruneRecent(tx Tx, before time.Time) error {
	if err := tx.PruneRecent(before); err != nil {
		return err
	}
	w := batchWindow(tx)
	if w == nil || !w.loaded {
		return nil
	}
	limit := uint64(before.UnixNano())
	for len(w.all) > 0 && w.all[len(w.all)-1].at < limit {
		w.all = w.all[:len(w.all)-1]
	}
	return nil
}
