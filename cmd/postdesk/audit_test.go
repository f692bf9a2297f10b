package main

import (
	"bytes"
	"context"
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
