package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Health: /healthz says the process is alive (it answers HTTP); /readyz
// says whether postdesk is doing its work: the mailbox was synced
// recently, the outbox is draining, the scheduler ticks and the OAuth2
// token (if used) refreshes. Both are on the web listener and on the
// metrics listener, and show no secrets: no addresses, no error texts.

// healthCheck is one line of /readyz.
type healthCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// readiness is the body of /readyz.
type readiness struct {
	Ready  bool          `json:"ready"`
	Checks []healthCheck `json:"checks"`
}

// Thresholds of /readyz.
const (
	outboxStuckAfter = 10 * time.Minute // a due mail waiting longer means sending is stuck
	outboxFailingAt  = 5                // attempts after which a mail counts as failing
	schedulerLate    = 30 * time.Second // the scheduler ticks every second
)

// fetchLate is how long after the last successful sync the mailbox counts
// as not fetched recently: three poll intervals, at least two minutes.
func (p *Program) fetchLate() time.Duration {
	return max(3*p.Config.IMAP.PollInterval.Duration, 2*time.Minute)
}

// readiness checks the running program.
func (p *Program) readiness() readiness {
	now := time.Now()
	var r readiness
	add := func(name string, ok bool, format string, args ...any) {
		r.Checks = append(r.Checks, healthCheck{name, ok, fmt.Sprintf(format, args...)})
	}
	st := p.Poller.Status()
	switch {
	case st.LastSync.IsZero():
		add("imap", false, "no successful fetch yet (session up: %v)", st.Connected)
	case now.Sub(st.LastSync) > p.fetchLate():
		add("imap", false, "last successful fetch %s ago (session up: %v)", now.Sub(st.LastSync).Round(time.Second), st.Connected)
	default:
		add("imap", true, "last successful fetch %s ago", now.Sub(st.LastSync).Round(time.Second))
	}
	lv := readLevels(p)
	dueFor := time.Duration(0)
	if !lv.oldestDue.IsZero() {
		dueFor = p.now().Sub(lv.oldestDue)
	}
	switch {
	case dueFor > outboxStuckAfter:
		add("outbox", false, "%d waiting; the oldest has been due for %s", lv.outbox, dueFor.Round(time.Second))
	case lv.failing > 0:
		add("outbox", false, "%d waiting; %d failed %d or more attempts", lv.outbox, lv.failing, outboxFailingAt)
	default:
		add("outbox", true, "%d waiting", lv.outbox)
	}
	last := p.ops.lastTick.Load()
	switch {
	case last == 0:
		add("scheduler", false, "not started")
	case now.Sub(time.Unix(0, last)) > schedulerLate:
		add("scheduler", false, "last tick %s ago", now.Sub(time.Unix(0, last)).Round(time.Second))
	default:
		add("scheduler", true, "ticking")
	}
	if src := p.ops.oauth; src != nil {
		s := src.Status()
		if s.Failing {
			add("oauth", false, "token refresh failing since the last success at %s: run `postdesk oauth login`", s.LastRefresh.Format(time.RFC3339))
		} else {
			add("oauth", true, "token valid until %s", s.Expiry.Format(time.RFC3339))
		}
	}
	r.Ready = true
	for _, c := range r.Checks {
		r.Ready = r.Ready && c.OK
	}
	return r
}

// serveReadyz answers /readyz: 200 when ready, else 503, with the checks
// as JSON.
func (p *Program) serveReadyz(w http.ResponseWriter, r *http.Request) {
	rd := p.readiness()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !rd.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	json.NewEncoder(w).Encode(rd)
}

// webHandler is the web server's handler with /readyz added.
func (p *Program) webHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", p.serveReadyz)
	mux.Handle("/", p.Web.Handler())
	return mux
}

const healthUsage = `usage: postdesk health [--url URL]

Asks a running postdesk whether it is ready (GET URL, default
http://127.0.0.1:8080/readyz) and prints the answer; exit status 0 only
when it answers 200. For container health checks, where there is no curl.
`

// cmdHealth is `postdesk health`.
func cmdHealth(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stdout)
	url := fs.String("url", "http://127.0.0.1:8080/readyz", "health URL of the running postdesk")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(stdout, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", *url, resp.Status)
	}
	return nil
}
