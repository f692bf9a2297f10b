package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// TestTriageExport: `postdesk triage export` writes the recorded
// corrections of the configured database as TSV.
func TestTriageExport(t *testing.T) {
	dir := t.TempDir()
	c := demoConfig("127.0.0.1:1", "127.0.0.1:2", filepath.Join(dir, "pd.db"), "127.0.0.1:0")
	var b bytes.Buffer
	toml.NewEncoder(&b).Encode(c)
	cfgPath := filepath.Join(dir, "pd.toml")
	os.WriteFile(cfgPath, b.Bytes(), 0o600)
	db, err := bolt.Open(c.Desk.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx tickets.Tx) error {
		return tx.AddCorrection(&tickets.Correction{At: time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC), Ticket: 7, Staff: "li@desk.test",
			Field: "priority", From: "P2", To: "P0", Subject: "直播课断了", Text: "学生全部掉出去了\n现在进不去"})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"triage", "export", "--config", cfgPath}, &out, &out); err != nil {
		t.Fatalf("triage export: %v %q", err, out.String())
	}
	want := "id\tat\tticket\tstaff\tfield\tfrom\tto\tsubject\ttext\n" +
		"1\t2026-11-30T02:00:00Z\t7\tli@desk.test\tpriority\tP2\tP0\t直播课断了\t学生全部掉出去了\\n现在进不去\n"
	if out.String() != want {
		t.Errorf("triage export = %q, want %q", out.String(), want)
	}
	if err := run(context.Background(), []string{"triage", "import"}, &out, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("triage import: err = %v, want usage", err)
	}
}
