package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// TestOperatorCommandsWhileServing: ticket show, failed list and backup
// reach the running server through its control socket.
func TestOperatorCommandsWhileServing(t *testing.T) {
	e := newEnv(t, func(p *Program) { p.Desk.StaffReceipts = true })
	_, note := e.openTicket("alice@school.test", "o1@school.test", "登录失败", "无法登录")
	e.deliver(staffReply(demoStaff, note, "o2@desk.test", "#note\n怀疑是密码过期"))
	e.mailsTo(demoStaff, 2) // the receipt: the note is committed

	cfgPath := filepath.Join(t.TempDir(), "pd.toml")
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(e.cfg); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfgPath, b.Bytes(), 0o600)
	cmd := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append(args, "--config", cfgPath), &out, &out); err != nil {
			t.Fatalf("postdesk %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	show := cmd("ticket", "show", "1")
	for _, want := range []string{"[#1] 登录失败", "alice@school.test", "[INTERNAL]", "怀疑是密码过期", "/t/1-"} {
		if !strings.Contains(show, want) {
			t.Errorf("ticket show lacks %q:\n%s", want, show)
		}
	}
	if got := cmd("failed", "list"); !strings.Contains(got, "no quarantined mail") {
		t.Errorf("failed list: %q", got)
	}
	dst := filepath.Join(t.TempDir(), "backup.db")
	if got := cmd("backup", dst); !strings.Contains(got, "wrote") {
		t.Errorf("backup: %q", got)
	}
	db, err := bolt.Open(dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int64
	db.View(func(tx tickets.Tx) error { last, _ = tx.LastTicket(); return nil })
	if last != 1 {
		t.Errorf("backup has %d tickets, want 1", last)
	}
}

// TestFailedRetry: a quarantined mail is listed and reprocessed offline.
func TestFailedRetry(t *testing.T) {
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
	raw := "From: a@school.test\r\nSubject: kept\r\nMessage-ID: <f1@x>\r\n\r\nbody\r\n"
	db.Update(func(tx tickets.Tx) error {
		if err := tx.PutRecord(tickets.RecordFailed, &tickets.Record{Reason: "simulated failure", From: "a@school.test", Subject: "kept", Raw: []byte(raw)}); err != nil {
			return err
		}
		return tx.MarkSeen("id:f1@x", tickets.Outcome{Action: tickets.ActionFailed})
	})
	db.Close()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"failed", "list", "--config", cfgPath}, &out, &out); err != nil || !strings.Contains(out.String(), "simulated failure") {
		t.Fatalf("failed list: %v %q", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"failed", "retry", "all", "--config", cfgPath}, &out, &out); err != nil || !strings.Contains(out.String(), "created") {
		t.Fatalf("failed retry: %v %q", err, out.String())
	}
	out.Reset()
	run(context.Background(), []string{"failed", "list", "--config", cfgPath}, &out, &out)
	if !strings.Contains(out.String(), "no quarantined mail") {
		t.Errorf("after retry: %q", out.String())
	}
}

// TestSecretsNotLogged: a failing login is logged without the password,
// and the HMAC secret never appears.
func TestSecretsNotLogged(t *testing.T) {
	ms, err := memserverStart(t)
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	c.IMAP.Password = "imap-Pa55word-XYZ"
	c.SMTP.Password = "smtp-Pa55word-XYZ"
	c.Desk.Secret = "hmac-secret-value-XYZ-123"
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	if err := p.Open(); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	p.Desk.Intake([]*tickets.Message{{MessageID: "s@x", From: tickets.Address{Email: "a@school.test"}, Subject: "x", Raw: []byte("x")}}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	p.Run(ctx)
	out := logs.String()
	if !strings.Contains(out, "login") || !strings.Contains(out, "smtp") && !strings.Contains(out, "sender") {
		t.Fatalf("expected login and send failures in the log:\n%s", out)
	}
	for _, secret := range []string{c.IMAP.Password, c.SMTP.Password, c.Desk.Secret} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains a secret %q", secret)
		}
	}
}

func memserverStart(t *testing.T) (*memserver.Server, error) {
	ms, err := memserver.Start("", "")
	if err == nil {
		t.Cleanup(func() { ms.Close() })
		ms.AddUser(demoSupport, demoPassword)
	}
	return ms, err
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLongDataPath: a database path too long for a Unix socket still
// serves (the operator commands then need the server stopped).
func TestLongDataPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("d", 120))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c := demoConfig("127.0.0.1:1", "127.0.0.1:2", filepath.Join(dir, "pd.db"), "127.0.0.1:0")
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))}
	if err := p.Open(); err != nil {
		t.Fatalf("Open with a long data path: %v", err)
	}
	p.Close()
}
