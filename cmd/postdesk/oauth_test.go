package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/mail/oauth/oauthtest"
)

// writeConfig writes c as a TOML file and returns its path.
func writeConfig(t *testing.T, c Config) string {
	t.Helper()
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "postdesk.toml")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err != nil {
		t.Fatalf("written config does not load: %v", err)
	}
	return path
}

// oauthEnv is a mail system whose support mailbox accepts only OAuth2
// tokens from an in-process provider, and a config that uses them.
func oauthEnv(t *testing.T) (*memserver.Server, *oauthtest.Provider, Config) {
	t.Helper()
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	ms.AddUser(demoSupport, "a password postdesk is never told")
	for _, u := range []string{demoCustomer, demoStaff} {
		ms.AddUser(u, demoPassword)
	}
	prov := oauthtest.Start()
	t.Cleanup(prov.Close)
	prov.Issued = func(access string) { ms.SetToken(demoSupport, access) }
	c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	c.Desk.Secret = "test-secret-0123456789"
	c.IMAP.PollInterval = Duration{300 * time.Millisecond}
	c.IMAP.Password, c.SMTP.Password = "", ""
	c.IMAP.Auth, c.SMTP.Auth = "xoauth2", "xoauth2"
	c.OAuth = OAuthConfig{ClientID: oauthtest.ClientID, ClientSecret: oauthtest.ClientSecret,
		TokenURL: prov.URL + "/token", DeviceURL: prov.URL + "/device"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return ms, prov, c
}

// startProgram opens and runs a program on c until the test ends; setup,
// if given, runs between Open and Run.
func startProgram(t *testing.T, c Config, setup ...func(*Program)) *Program {
	t.Helper()
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if err := p.Open(); err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		p.Close()
	})
	return p
}

func TestOAuthLoginThenServe(t *testing.T) {
	ms, prov, c := oauthEnv(t)
	path := writeConfig(t, c)
	var out, errw bytes.Buffer
	if err := run(context.Background(), []string{"oauth", "login", "--config", path}, &out, &errw); err != nil {
		t.Fatalf("oauth login: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "WDJB-MJHT") || !strings.Contains(out.String(), "Signed in") {
		t.Errorf("oauth login output:\n%s", out.String())
	}

	p := startProgram(t, c)
	// The mailbox takes only tokens: a ticket opened and confirmed means
	// both the IMAP and the SMTP login used XOAUTH2.
	ms.Append(demoSupport, "INBOX", []byte(strings.ReplaceAll(report("张老师 <alice@school.test>", "o1@school.test", "登录不了", "学生登录报错。"), "\n", "\r\n")))
	if _, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return len(filterTo(d, demoCustomer)) >= 1 }); !ok {
		t.Fatalf("no confirmation through the OAuth2 mailbox; poller: %+v", p.Poller.Status())
	}
	if prov.Count("refresh_token") < 1 {
		t.Errorf("serve made %d refreshes, want at least 1", prov.Count("refresh_token"))
	}
}

func TestOAuthRefreshFailureAlertsStaff(t *testing.T) {
	ms, prov, c := oauthEnv(t)
	// Sending goes through a relay with a password, so the alert can leave.
	c.SMTP.Auth, c.SMTP.Password = "password", demoPassword
	c.SMTP.Username = demoCustomer
	path := writeConfig(t, c)
	if err := run(context.Background(), []string{"oauth", "login", "--config", path}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	prov.SetExpiresIn(1) // every use refreshes
	p := startProgram(t, c)
	prov.SetFailing(true)
	if _, err := p.ops.oauth.Token(); err == nil {
		t.Fatal("Token() succeeded while the provider refuses")
	}
	if rd := p.readiness(); rd.Ready || !strings.Contains(fmt.Sprint(rd.Checks), "oauth login") {
		t.Errorf("readiness while the refresh fails = %+v, want not ready naming oauth login", rd)
	}
	d, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return len(filterTo(d, demoStaff)) >= 1 })
	if !ok {
		t.Fatal("staff got no alert about the failing refresh")
	}
	alert := filterTo(d, demoStaff)[0]
	if !strings.Contains(alert.Text, "postdesk oauth login") || !strings.Contains(alert.Text, "invalid_grant") {
		t.Errorf("alert text lacks the fix or the cause:\n%s", alert.Text)
	}
	prov.SetFailing(false)
	if _, err := p.ops.oauth.Token(); err != nil {
		t.Fatal(err)
	}
	if _, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return len(filterTo(d, demoStaff)) >= 2 }); !ok {
		t.Error("staff were not told the sign-in works again")
	}
}
