package main

import (
	"context"
	"io"
	"net"
	"net/http"
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
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return string(b)
}
