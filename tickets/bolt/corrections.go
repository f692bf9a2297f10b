package bolt

import (
	"encoding/json"
	"fmt"

	"github.com/postdesk/postdesk/tickets"
)

var bCorrections = []byte("corrections")

// AddCorrection implements tickets.Tx. The bucket is made on first use.
func (t *txn) AddCorrection(c *tickets.Correction) error {
	b, err := t.tx.CreateBucketIfNotExists(bCorrections)
	if err != nil {
		return fmt.Errorf("corrections bucket: %w", err)
	}
	if c.ID, err = b.NextSequence(); err != nil {
		return err
	}
	return t.putJSON(b, be64(c.ID), c)
}

// Corrections implements tickets.Tx.
func (t *txn) Corrections(fn func(*tickets.Correction) bool) error {
	b := t.tx.Bucket(bCorrections)
	if b == nil {
		return nil
	}
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var x tickets.Correction
		if err := json.Unmarshal(v, &x); err != nil {
			return fmt.Errorf("decode correction %x: %w", k, err)
		}
		if !fn(&x) {
			return nil
		}
	}
	return nil
}
