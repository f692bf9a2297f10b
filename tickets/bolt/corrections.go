package bolt

import (
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
	return eachJSON(t.tx.Bucket(bCorrections), "correction", fn)
}
