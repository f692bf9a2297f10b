package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemo runs `postdesk demo` as a user would (with the default ports
// taken, to be sure it still starts) and checks that the sample report
// produced a confirmation with a working tracking link.
func TestDemo(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:8080", "127.0.0.1:1143", "127.0.0.1:1025"} {
		if ln, err := net.Listen("tcp", addr); err == nil {
			defer ln.Close() // hold the default port
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--data", filepath.Join(t.TempDir(), "demo.db")}, &out, &errs)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("demo did not finish its sample:\n%s\n%s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	text := out.String()
	for _, want := range []string{"IMAP", "SMTP", "alice@school.test", "[#1]", "/t/1-"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo output lacks %q:\n%s", want, text)
		}
	}
	link := linkRe.FindString(text)
	if link == "" {
		t.Fatalf("no tracking link in:\n%s", text)
	}
	page := httpGet(t, link)
	if !strings.Contains(page, "直播课教室中学生看不到画面") {
		t.Errorf("tracking page does not show the sample ticket:\n%s", page)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("demo: %v", err)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	code, body := get(t, url)
	if code != 200 {
		t.Fatalf("GET %s: %d", url, code)
	}
	return body
}

// runDemo runs `postdesk demo args...` until its sample is answered and
// returns what it printed; the demo is stopped when the test ends.
func runDemo(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"demo", "--listen", "127.0.0.1:0", "--imap", "127.0.0.1:0", "--smtp", "127.0.0.1:0"}, args...), &out, &errs)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo: %v", err)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			t.Fatalf("demo did not finish its sample:\n%s\n%s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return out.String()
}

// TestDemoInEnglish: --lang en gives an English desk, sample and
// confirmation, and the staff hint names the demo's database.
func TestDemoInEnglish(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	text := runDemo(t, "--lang", "en", "--data", db)
	for _, want := range []string{"Live class: students see a black screen", "We have received", "postdesk ticket show N --data " + db} {
		if !strings.Contains(text, want) {
			t.Errorf("demo --lang en output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "我们已收到") {
		t.Errorf("demo --lang en answered in Chinese:\n%s", text)
	}
}

// TestDemoWithOwnConfig: --config applies the operator's keys (desk name,
// language, staff) while the mail servers stay embedded, and the staff
// hint printed works: `ticket show N --config F --data DB` shows ticket 1
// while the demo runs.
func TestDemoWithOwnConfig(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "mine.toml")
	own := strings.Replace(exampleConfig, `name = "`, `name = "Riverside School IT Desk`+`" # `, 1)
	own = strings.Replace(own, `address = "support@desk.test"`, `address = "help@riverside.test"`, 1)
	if err := os.WriteFile(cfg, []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(cfg)
	if err != nil {
		t.Fatalf("the edited example config: %v", err)
	}
	db := filepath.Join(dir, "demo.db")
	text := runDemo(t, "--config", cfg, "--lang", "en", "--data", db)
	if !strings.Contains(text, "Riverside School IT Desk") || c.Desk.Address != "help@riverside.test" || !strings.Contains(text, c.Desk.Address) {
		t.Errorf("demo --config does not run the own desk %q <%s>:\n%s", "Riverside School IT Desk", c.Desk.Address, text)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"ticket", "show", "1", "--config", cfg, "--data", db}, &out, &out); err != nil {
		t.Fatalf("the printed staff hint fails: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Live class") {
		t.Errorf("ticket show 1:\n%s", out.String())
	}
}

func TestShowCommand(t *testing.T) {
	abs, _ := filepath.Abs("my.toml")
	for _, c := range []struct{ config, data, want string }{
		{"", "", "postdesk ticket show %d"},
		{"postdesk.toml", "", "postdesk ticket show %d"},
		{"", "/tmp/postdesk-demo-1/postdesk.db", "postdesk ticket show %d --data /tmp/postdesk-demo-1/postdesk.db"},
		{"my.toml", "/tmp/it's here.db", "postdesk ticket show %d --config " + abs + ` --data '/tmp/it'\''s here.db'`},
	} {
		if got := showCommand(c.config, c.data); got != c.want {
			t.Errorf("showCommand(%q, %q) = %q, want %q", c.config, c.data, got, c.want)
		}
	}
}
