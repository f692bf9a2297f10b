package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

func metricsEnv(t *testing.T) (*memserver.Server, Config) {
	t.Helper()
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	for _, u := range []string{demoSupport, demoCustomer, demoStaff} {
		ms.AddUser(u, demoPassword)
	}
	c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	c.Desk.Secret = "test-secret-0123456789"
	c.IMAP.PollInterval = Duration{300 * time.Millisecond}
	c.Metrics.Listen = "127.0.0.1:0"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return ms, c
}

// metricValue returns the value of the sample named exactly series (name
// and labels as Prometheus prints them), or -1.
func metricValue(body, series string) float64 {
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

func TestMetricsAndReadiness(t *testing.T) {
	ms, c := metricsEnv(t)
	p := startProgram(t, c, func(p *Program) { p.ops.countEvery = 100 * time.Millisecond })
	ms.Append(demoSupport, "INBOX", []byte(strings.ReplaceAll(report("张老师 <alice@school.test>", "m1@school.test", "直播课黑屏", "学生端黑屏。"), "\n", "\r\n")))
	if _, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool {
		return len(filterTo(d, demoCustomer)) >= 1 && len(filterTo(d, demoStaff)) >= 1
	}); !ok {
		t.Fatal("no confirmation and staff mail")
	}

	base := "http://" + p.ops.metricsAddr
	var body string
	deadline := time.Now().Add(10 * time.Second)
	for {
		// The sender marks mail sent just after the server accepted it,
		// and tickets are recounted every 100ms here: wait for both.
		_, body = get(t, base+"/metrics")
		if metricValue(body, `postdesk_sends_total{result="sent"}`) >= 2 && metricValue(body, `postdesk_tickets{status="new"}`) == 1 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, tc := range []struct {
		series string
		min    float64
		max    float64
	}{
		{`postdesk_mails_fetched_total`, 1, 1},
		{`postdesk_mails_handled_total{outcome="created"}`, 1, 1},
		{`postdesk_sends_total{result="sent"}`, 2, 2},
		{`postdesk_tickets{status="new"}`, 1, 1},
		{`postdesk_tickets{status="closed"}`, 0, 0},
		{`postdesk_outbox_depth`, 0, 0},
		{`postdesk_outbox_oldest_due_timestamp_seconds`, 0, 0},
		{`postdesk_quarantine_size`, 0, 0},
		{`postdesk_cap_trips_total`, 0, 0},
		{`postdesk_imap_session_up`, 1, 1},
		{`postdesk_imap_last_fetch_timestamp_seconds`, float64(time.Now().Add(-time.Minute).Unix()), float64(time.Now().Add(time.Minute).Unix())},
		{`postdesk_send_latency_seconds_count`, 2, 2},
		{`postdesk_intake_batch_seconds_count`, 1, 1},
		{`postdesk_timers_due`, 0, 1e9},
	} {
		if v := metricValue(body, tc.series); v < tc.min || v > tc.max {
			t.Errorf("%s = %v, want between %v and %v", tc.series, v, tc.min, tc.max)
		}
	}

	// /readyz on both listeners: ready once the scheduler ticked.
	for _, url := range []string{base + "/readyz", "http://" + p.WebAddr + "/readyz"} {
		var code int
		var rb string
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			if code, rb = get(t, url); code == 200 {
				break
			}
		}
		var rd readiness
		if err := json.Unmarshal([]byte(rb), &rd); err != nil || code != 200 || !rd.Ready || len(rd.Checks) != 3 {
			t.Errorf("GET %s = %d %s", url, code, rb)
		}
		if strings.Contains(rb, demoPassword) || strings.Contains(rb, c.IMAP.Addr) {
			t.Errorf("/readyz shows a secret or an address: %s", rb)
		}
	}
	var hb bytes.Buffer
	if err := run(context.Background(), []string{"health", "--url", "http://" + p.WebAddr + "/readyz"}, &hb, &hb); err != nil {
		t.Errorf("postdesk health: %v\n%s", err, hb.String())
	}
	if err := run(context.Background(), []string{"health", "--url", base + "/nosuch"}, &hb, &hb); err == nil {
		t.Error("postdesk health succeeded on a 404")
	}
	if code, b := get(t, base+"/healthz"); code != 200 || b != "ok\n" {
		t.Errorf("/healthz = %d %q", code, b)
	}
}

func TestNotReady(t *testing.T) {
	_, c := metricsEnv(t)
	c.Metrics.Listen = ""
	p := &Program{Config: c, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := p.Open(); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	// Not running: nothing fetched, no tick; and a mail due 20 minutes ago.
	err := p.DB.Update(func(tx tickets.Tx) error {
		return tx.Enqueue(&tickets.Notice{Kind: tickets.NoticeStaffAlert, To: tickets.Address{Email: demoStaff}, Event: -1,
			Created: time.Now().Add(-20 * time.Minute), NextAttempt: time.Now().Add(-20 * time.Minute)})
	})
	if err != nil {
		t.Fatal(err)
	}
	rd := p.readiness()
	if rd.Ready {
		t.Fatalf("ready without fetching, ticking or sending: %+v", rd)
	}
	want := map[string]string{"imap": "no successful fetch yet", "outbox": "due for 20m", "scheduler": "not started"}
	for _, ch := range rd.Checks {
		if ch.OK || !strings.Contains(ch.Detail, want[ch.Name]) {
			t.Errorf("check %s = %+v, want not ok with %q", ch.Name, ch, want[ch.Name])
		}
	}
}
