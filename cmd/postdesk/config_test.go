package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func TestExampleConfig(t *testing.T) {
	c, err := ParseConfig(exampleConfig, nil)
	if err != nil {
		t.Fatalf("example config: %v", err)
	}
	if c.Desk.Address != "support@desk.test" || c.IMAP.PollInterval.Duration != 30*time.Second || len(c.Staff) != 2 || c.Staff[0].Name != "李工" {
		t.Errorf("example config decoded as %+v", c)
	}
	if got, want := *c.Desk.CapsConfig.caps(), tickets.DefaultCaps(); got != want {
		t.Errorf("example caps = %+v, want the defaults %+v", got, want)
	}
	p, err := c.Policy()
	if err != nil {
		t.Fatal(err)
	}
	if p.Targets[0].Response != 30*time.Minute || !p.Targets[0].AllHours || p.Targets[2].ResponseDays != 1 || p.Targets[2].ResolveDays != 3 {
		t.Errorf("targets = %+v", p.Targets)
	}
	if got := p.Typical["feature"].String(); got != "4h-1d" {
		t.Errorf("typical feature = %q, want 4h-1d", got)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	base := exampleConfig
	tests := []struct {
		name, from, to, key string
	}{
		{"unknown key", `idle = true`, "idle = true\nidel = false", "imap.idel"},
		{"wrong type", `idle = true`, `idle = "yes"`, "imap.idle"},
		{"bad duration", `poll_interval = "30s"`, `poll_interval = "often"`, "imap.poll_interval"},
		{"bad tls", `tls = "implicit"`, `tls = "maybe"`, "imap.tls"},
		{"plain tls off loopback", `tls = "implicit"`, `tls = "none"`, "imap.tls"},
		{"bad address", `address = "support@desk.test"`, `address = "support"`, "desk.address"},
		{"bad language", `language = "zh-CN"`, `language = "fr"`, "desk.language"},
		{"bad base url", `base_url = "http://127.0.0.1:8080"`, `base_url = "ftp://x"`, "desk.base_url"},
		{"bad staff", `email = "wang@desk.test"`, `email = "wang"`, "staff[1].email"},
		{"bad week", `week = "Mon-Fri 09:00-17:30"`, `week = "Mon-Fri 9-5"`, "hours.week"},
		{"bad holiday", `holidays = ["2026-10-01", "2026-10-02"]`, `holidays = ["1 Oct"]`, "hours.holidays[0]"},
		{"bad target", `response = "2h"`, `response = "0s"`, "sla.p1.response"},
		{"bad working days", `response = "1d"`, `response = "1.5d"`, "sla.p2.response"},
		{"days on a 24x7 target", `response = "30m"`, `response = "1d"`, "sla.p0.all_hours"},
		{"bad typical", `feature = "4h-1d"`, `feature = "soon"`, "sla.typical.feature"},
		{"typical of no category", `feature = "4h-1d"`, `featrue = "4h-1d"`, "sla.typical.featrue"},
		{"short secret", `secret = ""`, `secret = "abc"`, "desk.secret"},
		{"require without trust", `require_auth_results = false`, `require_auth_results = true`, "desk.require_auth_results"},
		{"short token ttl", `token_ttl = "720h"`, `token_ttl = "5m"`, "desk.token_ttl"},
		{"no participants", `max_participants = 10`, `max_participants = 0`, "desk.max_participants"},
		{"too many participants", `max_participants = 10`, `max_participants = 1000`, "desk.max_participants"},
		{"no confirmations", `confirm_burst = 10`, `confirm_burst = 0`, "desk.confirm_burst"},
		{"summary too often", `summary_every = "10m"`, `summary_every = "5s"`, "desk.summary_every"},
		{"negative cap", `auto_cap_per_address = 10`, `auto_cap_per_address = -1`, "desk.auto_cap_per_address"},
		{"negative ticket cap", `auto_cap_per_ticket = 10`, `auto_cap_per_ticket = -1`, "desk.auto_cap_per_ticket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.from, tt.to, 1)
			if src == base {
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
}

func TestConfigEnvOverrides(t *testing.T) {
	env := map[string]string{"POSTDESK_SECRET": "from-the-environment-123", "POSTDESK_IMAP_PASSWORD": "ip", "POSTDESK_SMTP_PASSWORD": "sp"}
	c, err := ParseConfig(exampleConfig, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Desk.Secret != env["POSTDESK_SECRET"] || c.IMAP.Password != "ip" || c.SMTP.Password != "sp" {
		t.Errorf("overrides not applied: %q %q %q", c.Desk.Secret, c.IMAP.Password, c.SMTP.Password)
	}
}

func TestInitWritesValidConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pd.toml")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"init", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err != nil {
		t.Errorf("written config does not load: %v", err)
	}
	if err := run(context.Background(), []string{"init", path}, &out, &out); err == nil {
		t.Error("init overwrote an existing file")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}
