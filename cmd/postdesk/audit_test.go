package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Values the operator audit found accepted although they cannot work.
func TestConfigAuditErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		name, from, to, key string
	}{
		{"failed mail into the watched mailbox", `failed_mailbox = "postdesk-failed"`, `failed_mailbox = "INBOX"`, "imap.failed_mailbox"},
		{"failed mail into inbox in another case", `failed_mailbox = "postdesk-failed"`, `failed_mailbox = "inbox"`, "imap.failed_mailbox"},
		{"negative wait", `wait_final = "24h"`, `wait_final = "-48h"`, "sla.wait_final"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(exampleConfig, tt.from, tt.to, 1)
			if src == exampleConfig {
				t.Fatalf("test does not change the config: %q not found", tt.from)
			}
			_, err := ParseConfig(src, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.key) {
				t.Errorf("error %q does not name %s", err, tt.key)
			}
		})
	}
	// Still fine: no failed mailbox at all (failed mail stays in place).
	if _, err := ParseConfig(strings.Replace(exampleConfig, `failed_mailbox = "postdesk-failed"`, `failed_mailbox = ""`, 1), nil); err != nil {
		t.Errorf("failed_mailbox = \"\": %v", err)
	}
}

// `postdesk kb check --dir D` on a missing folder names the folder.
func TestKBCheckMissingDirNamesIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no-such-kb")
	var out bytes.Buffer
	err := run(context.Background(), []string{"kb", "check", "--dir", dir}, &out, &out)
	if err == nil {
		t.Fatal("kb check of a missing folder succeeded")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("kb check error %q does not name the folder %s", err, dir)
	}
}

// The operator commands never answer from a database they just created:
// with desk.data naming no file (a relative path read from another
// directory) they fail and say so, and create nothing.
func TestOperatorCommandsNeedTheDatabase(t *testing.T) {
	data := filepath.Join(t.TempDir(), "missing", "postdesk.db")
	if err := os.MkdirAll(filepath.Dir(data), 0o700); err != nil {
		t.Fatal(err)
	}
	c := demoConfig("127.0.0.1:1143", "127.0.0.1:1025", data, "127.0.0.1:0")
	cfg := writeConfig(t, c)
	for _, args := range [][]string{
		{"ticket", "show", "1", "--config", cfg},
		{"tickets", "list", "--config", cfg},
		{"failed", "list", "--config", cfg},
		{"failed", "retry", "all", "--config", cfg},
		{"backup", filepath.Join(t.TempDir(), "copy.db"), "--config", cfg},
		{"triage", "export", "--config", cfg},
	} {
		var out bytes.Buffer
		err := run(context.Background(), args, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), data) {
			t.Errorf("postdesk %s = %v, want an error saying %s does not exist", strings.Join(args, " "), err, data)
		}
		if _, err := os.Stat(data); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("postdesk %s created the database %s", strings.Join(args, " "), data)
		}
	}
	// Once serve has created it, the same commands work.
	p, err := openOffline(c)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"failed", "list", "--config", cfg}, &out, &out); err != nil {
		t.Errorf("failed list on an existing database: %v", err)
	}
}

// `serve --data FILE` where there is no config file does not serve the bare
// defaults (no desk address, no mail servers): it fails naming the key.
func TestServeDataWithoutConfigFails(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no postdesk.toml here
	var out bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // should it start anyway, it stops at once
	err := run(ctx, []string{"serve", "--data", filepath.Join(dir, "x.db")}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "desk.address") {
		t.Errorf("serve --data without a config = %v, want an error naming desk.address", err)
	}
}
