package mail

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// corpusClasses reads the reviewed expectations of mail/auto: file -> kind
// ("human", "auto_reply", "bounce", "automatic").
func corpusClasses(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open("auto/testdata/corpus_classes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) >= 2 && cols[0] != "file" {
			out[cols[0]] = cols[1]
		}
	}
	return out
}

// TestCorpusIntake sends every corpus mail through the whole intake (parse,
// classify, decide, store) and checks that each ends as a ticket or a
// record, that none is lost, and that no robot gets automatic mail back.
func TestCorpusIntake(t *testing.T) {
	files := corpusFiles(t)
	classes := corpusClasses(t)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "c.db"), &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := tickets.DefaultPolicy()
	p.Incident.MinReporters = 0
	desk := &tickets.Desk{Store: db, Signer: &tickets.Signer{Secret: []byte("0123456789abcdef")}, Domain: "desk.test",
		Addresses: []string{"support@desk.test"}, Policy: p, Caps: &tickets.Caps{ConfirmBurst: 1 << 30, SummaryEvery: time.Minute}}
	counts := map[tickets.Action]int{}
	for _, path := range files {
		name, _ := filepath.Rel(corpusDir, path)
		class, ok := classes[filepath.ToSlash(name)]
		if !ok {
			t.Errorf("%s: not in auto/testdata/corpus_classes.tsv", name)
			continue
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := Parse(raw, nil)
		out, err := desk.Intake([]*tickets.Message{m}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		o := out[0]
		counts[o.Action]++
		due, err := desk.Outbox().Due(100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uint64
		for _, pd := range due {
			ids = append(ids, pd.Notice.ID)
			if class != "human" {
				t.Errorf("%s (%s): automatic %s mail to %s", name, class, pd.Notice.Kind, pd.Notice.To.Email)
			}
		}
		desk.Outbox().Sent(ids)
		switch class {
		case "bounce", "auto_reply":
			if o.Action != tickets.ActionUnmatched && o.Action != tickets.ActionDuplicate {
				t.Errorf("%s (%s): %s, want a record (no ticket of ours is named)", name, class, o.Action)
			}
		case "automatic", "human":
			switch o.Action {
			case tickets.ActionCreated, tickets.ActionAppended, tickets.ActionDuplicate, tickets.ActionQuery:
			default:
				t.Errorf("%s (%s): %s, want a ticket", name, class, o.Action)
			}
			if class == "human" && o.Action == tickets.ActionCreated && m.From.Email != "" && len(due) == 0 {
				t.Errorf("%s: human report got no confirmation", name)
			}
		default:
			t.Errorf("%s: unknown class %q", name, class)
		}
	}
	// Nothing lost: every mail is in a ticket or a record.
	var stored, records int
	db.View(func(tx tickets.Tx) error {
		last, _ := tx.LastTicket()
		for n := int64(1); n <= last; n++ {
			tk, err := tx.Ticket(n)
			if err != nil {
				return err
			}
			stored += tk.Messages
		}
		for _, kind := range []string{tickets.RecordUnmatched, tickets.RecordFailed} {
			tx.Records(kind, func(*tickets.Record) bool { records++; return true })
		}
		return nil
	})
	if stored+records+counts[tickets.ActionDuplicate] != len(files) {
		t.Errorf("stored %d in tickets + %d records + %d duplicates, want %d mails", stored, records, counts[tickets.ActionDuplicate], len(files))
	}
	t.Logf("outcomes over %d corpus mails: %v", len(files), counts)
}
