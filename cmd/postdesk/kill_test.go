package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// TestKillAndRestart runs the real `postdesk serve` binary against an
// in-process mail server, SIGKILLs it at random moments while a burst of
// mail is ingested and answered, restarts it, and repeats. At the end every
// mail has exactly one ticket, every reporter has a confirmation, and
// duplicates (a send interrupted after the server accepted it) are counted.
//
// Each accepted mail is journaled (with whatever the other connections
// had accepted meanwhile) before its connection completes another, so a
// kill re-sends only what was accepted in that window: the target (issue
// 12) is at most one duplicate per kill.
func TestKillAndRestart(t *testing.T) {
	const mails, kills = 300, 5
	dups := stopLoop(t, syscall.SIGKILL, mails, kills)
	if dups > kills {
		t.Errorf("duplicates = %d after %d kills, want at most one per kill", dups, kills)
	}
}

// TestGracefulRestartMidBurst: stopping postdesk with SIGTERM in the middle
// of a burst of 200 mails, again and again, leaves exactly 200 tickets and
// 200 confirmations: an in-flight batch finishes or is left for the next
// start, and accepted mail is marked sent before exit.
func TestGracefulRestartMidBurst(t *testing.T) {
	if dups := stopLoop(t, syscall.SIGTERM, 200, 8); dups != 0 {
		t.Errorf("duplicates = %d after graceful stops, want 0", dups)
	}
}

// stopLoop runs the real binary against an in-process mail server, stops it
// with sig at random moments while mails arrive, restarts it, and checks
// that every mail has exactly one ticket and every reporter a
// confirmation. It returns the number of duplicate confirmations.
func stopLoop(t *testing.T, sig syscall.Signal, mails, kills int) int {
	if testing.Short() {
		t.Skip("builds and stops a binary many times")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "postdesk")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build: %v", err)
	}
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ms.Close()
	ms.AddUser(demoSupport, demoPassword)
	data := filepath.Join(dir, "pd.db")
	cfg := fmt.Sprintf(`[desk]
name = "kill test"
address = %q
data = %q
secret = "kill-test-secret-0123456789"
[imap]
addr = %q
tls = "none"
username = %q
password = %q
poll_interval = "200ms"
[smtp]
addr = %q
tls = "none"
username = %q
password = %q
[web]
listen = "127.0.0.1:0"
[sla]
incident_threshold = 0
`, demoSupport, data, ms.IMAPAddr, demoSupport, demoPassword, ms.SMTPAddr, demoSupport, demoPassword)
	cfgPath := filepath.Join(dir, "pd.toml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	from := func(i int) string { return fmt.Sprintf("user%03d@school.test", i) }
	deliver := func(i int) {
		raw := report(from(i), fmt.Sprintf("kill%03d@school.test", i), fmt.Sprintf("report %d", i), "the camera fails")
		if err := ms.Append(demoSupport, "INBOX", []byte(strings.ReplaceAll(raw, "\n", "\r\n"))); err != nil {
			t.Fatal(err)
		}
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--config", cfgPath)
		cmd.Stderr = &tailWriter{}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	rng := rand.New(rand.NewPCG(1, 2))
	next := 0
	for k := range kills {
		// Mail keeps arriving while postdesk runs and dies.
		for range mails / kills {
			if next < mails {
				deliver(next)
				next++
			}
		}
		cmd := start()
		time.Sleep(time.Duration(10+rng.IntN(110)) * time.Millisecond)
		cmd.Process.Signal(sig)
		cmd.Wait()
		t.Logf("stop %d: %d mails delivered so far, %d mails accepted by SMTP", k+1, next, len(ms.Delivered()))
	}
	for ; next < mails; next++ {
		deliver(next)
	}
	cmd := start()
	_, ok := ms.Wait(60*time.Second, func(d []memserver.Delivered) bool { return confirmed(d, mails) == mails })
	deadline := time.Now().Add(30 * time.Second)
	for !allSeen(t, ms.IMAPAddr) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // let the last start install its signal handler
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v\n%s", err, cmd.Stderr)
	}
	delivered := ms.Delivered()
	if !ok {
		t.Fatalf("only %d of %d reporters got a confirmation", confirmed(delivered, mails), mails)
	}

	db, err := bolt.Open(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int64
	ticketOf := map[string]int64{}
	db.View(func(tx tickets.Tx) error {
		last, _ = tx.LastTicket()
		for i := range mails {
			o, seen, _ := tx.Seen("id:" + fmt.Sprintf("kill%03d@school.test", i))
			if seen {
				ticketOf[from(i)] = o.Ticket
			}
		}
		return nil
	})
	if last != int64(mails) {
		t.Errorf("tickets = %d, want exactly %d", last, mails)
	}
	distinct := map[int64]bool{}
	for i := range mails {
		n, ok := ticketOf[from(i)]
		if !ok || n == 0 {
			t.Errorf("mail %d has no ticket", i)
		}
		distinct[n] = true
	}
	if len(distinct) != mails {
		t.Errorf("%d distinct tickets for %d mails", len(distinct), mails)
	}
	total := 0
	for _, d := range delivered {
		if strings.HasPrefix(d.To[0], "user") {
			total++
		}
	}
	t.Logf("%s stops survived: %d; mails: %d; tickets: %d; confirmations sent: %d; duplicates (send interrupted after acceptance): %d",
		sig, kills, mails, last, total, total-mails)
	if !allSeen(t, ms.IMAPAddr) {
		t.Errorf("not every mail is flagged \\Seen: %v", seenFlagsAll(t, ms.IMAPAddr))
	}
	return total - mails
}

func allSeen(t *testing.T, addr string) bool {
	for _, seen := range seenFlagsAll(t, addr) {
		if !seen {
			return false
		}
	}
	return true
}

// confirmed counts the reporters among the first n that got a confirmation.
func confirmed(d []memserver.Delivered, n int) int {
	got := map[string]bool{}
	for _, m := range d {
		if len(m.To) == 1 && strings.HasPrefix(m.To[0], "user") {
			got[m.To[0]] = true
		}
	}
	return len(got)
}

// tailWriter keeps the last 4 KB of a process's stderr for failure reports.
type tailWriter struct{ b []byte }

func (w *tailWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	if len(w.b) > 4096 {
		w.b = w.b[len(w.b)-4096:]
	}
	return len(p), nil
}

func (w *tailWriter) String() string { return string(w.b) }
