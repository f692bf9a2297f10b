package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/mail/memserver"
)

// checkEnv is a mail system and a config for it that passes every check.
func checkEnv(t *testing.T) (*memserver.Server, Config) {
	t.Helper()
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	ms.AddUser(demoSupport, demoPassword)
	c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	c.Desk.Address = "support@school.edu.cn"
	c.Desk.Secret = "test-secret-0123456789"
	c.Desk.BaseURL = "https://support.school.edu.cn"
	c.Staff = []StaffConfig{{Email: "li@school.edu.cn", Name: "李工"}}
	return ms, c
}

func runCheck(t *testing.T, c Config) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "--config", writeConfig(t, c)}, &out, &out)
	t.Logf("postdesk check:\n%s", out.String())
	return out.String(), err
}

func TestCheck(t *testing.T) {
	ms, good := checkEnv(t)
	for _, tc := range []struct {
		name   string
		change func(c *Config)
		ok     bool
		want   []string
	}{
		{"all well", nil, true, []string{"IMAP login as support@desk.test", "IDLE: yes, MOVE: yes, UIDPLUS: yes", "no mail sent", "all well"}},
		{"wrong IMAP password", func(c *Config) { c.IMAP.Password = "wrong" }, false,
			[]string{"PROBLEM  IMAP login as support@desk.test", "fix: check imap.username and imap.password"}},
		{"wrong SMTP password", func(c *Config) { c.SMTP.Password = "wrong" }, false,
			[]string{"PROBLEM  SMTP AUTH", "fix: check smtp.username and smtp.password"}},
		{"missing mailbox", func(c *Config) { c.IMAP.Mailbox = "Support" }, false, []string{`IMAP select "Support"`, "fix: set imap.mailbox"}},
		{"closed port", func(c *Config) { c.SMTP.Addr = "127.0.0.1:1" }, false, []string{"PROBLEM  SMTP connect to 127.0.0.1:1", "firewall"}},
		{"empty password", func(c *Config) { c.IMAP.Password = "" }, false, []string{"imap.password is empty", "POSTDESK_IMAP_PASSWORD"}},
		{"loopback base_url", func(c *Config) { c.Desk.BaseURL = "http://127.0.0.1:8080" }, true, []string{"WARNING  desk.base_url", "reverse proxy"}},
		{"unresolvable host", func(c *Config) { c.IMAP.Addr = "imap.nonexistent.invalid:993"; c.IMAP.TLS = "implicit" }, false,
			[]string{"imap.nonexistent.invalid does not resolve", "fix: check the spelling of imap.addr"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			if tc.change != nil {
				tc.change(&c)
			}
			out, err := runCheck(t, c)
			if (err == nil) != tc.ok {
				t.Errorf("check err = %v, want ok=%v", err, tc.ok)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q", w)
				}
			}
		})
	}
	if d := ms.Delivered(); len(d) != 0 {
		t.Errorf("check sent %d mails, want none", len(d))
	}
}

func TestCheckExampleConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "postdesk.toml")
	if err := run(context.Background(), []string{"init", path}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"check", "--config", path}, &out, &out)
	if err == nil {
		t.Fatalf("check passed the unchanged example config:\n%s", out.String())
	}
	for _, w := range []string{"imap.addr imap.example.org:993 is the example host", "smtp.addr smtp.example.org:587 is the example host", "fix: set imap.addr"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, out.String())
		}
	}
}

func TestCheckBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "postdesk.toml")
	os.WriteFile(path, []byte(strings.Replace(exampleConfig, `tls = "implicit"`, `tls = "maybe"`, 1)), 0o600)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"check", "--config", path}, &out, &out); err == nil {
		t.Fatal("check passed a bad config")
	}
	if !strings.Contains(out.String(), "PROBLEM  config: imap.tls") || !strings.Contains(out.String(), "fix: edit imap.tls") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestCheckOAuth(t *testing.T) {
	ms, _, c := oauthEnv(t)
	c.Desk.Address = "support@school.edu.cn"
	c.Desk.BaseURL = "https://support.school.edu.cn"
	c.Staff = []StaffConfig{{Email: "li@school.edu.cn"}}
	out, err := runCheck(t, c)
	if err == nil || !strings.Contains(out, "fix: run `postdesk oauth login") {
		t.Errorf("check before oauth login: err %v", err)
	}
	path := writeConfig(t, c)
	if err := run(context.Background(), []string{"oauth", "login", "--config", path}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	err = run(context.Background(), []string{"check", "--config", path}, &b, &b)
	if err != nil || !strings.Contains(b.String(), "IMAP login as support@desk.test (OAuth2)") || !strings.Contains(b.String(), "(OAuth2) accepted") {
		t.Errorf("check after oauth login: %v\n%s", err, b.String())
	}
	if d := ms.Delivered(); len(d) != 0 {
		t.Errorf("check sent %d mails, want none", len(d))
	}
}
