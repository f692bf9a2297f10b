package tickets

import "fmt"

// Checkpoint is a small value an outer layer keeps beside the tickets,
// such as the IMAP poller's position in a mailbox. Given to Intake, it is
// stored in the same transaction as the batch it describes, so the two
// are durable together or not at all.
type Checkpoint struct {
	// Key names the value; the caller chooses it ("imap:user@host/INBOX").
	Key string
	// Value is stored as given; nil stores an empty value.
	Value []byte
}

// Checkpoint returns the value last stored under key, or nil if none was.
func (d *Desk) Checkpoint(key string) ([]byte, error) {
	var v []byte
	err := d.Store.View(func(tx Tx) error {
		got, err := tx.State(key)
		if got != nil {
			v = append([]byte{}, got...) // got is valid only inside tx
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoint %q: %w", key, err)
	}
	return v, nil
}

// SaveCheckpoint stores cp on its own, in one durable transaction.
func (d *Desk) SaveCheckpoint(cp Checkpoint) error {
	if err := d.Store.Update(func(tx Tx) error { return cp.save(tx) }); err != nil {
		return fmt.Errorf("checkpoint %q: %w", cp.Key, err)
	}
	return nil
}

func (cp *Checkpoint) save(tx Tx) error {
	if cp == nil {
		return nil
	}
	v := cp.Value
	if v == nil {
		v = []byte{}
	}
	return tx.PutState(cp.Key, v)
}
