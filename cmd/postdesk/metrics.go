package main

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/tickets"
)

// metrics are postdesk's Prometheus metrics. Events (mails handled, mails
// sent) are counted by wrapping the interfaces the poller and the sender
// consume; levels (outbox, timers, quarantine, IMAP session) are read from
// the program's state when Prometheus scrapes. The tickets package knows
// nothing of Prometheus.
type metrics struct {
	reg *prometheus.Registry

	fetched   prometheus.Counter
	handled   *prometheus.CounterVec
	sends     *prometheus.CounterVec
	intakeDur prometheus.Histogram
	sendLat   prometheus.Histogram

	mu      sync.Mutex
	counts  ticketCounts // refreshed by the ticket-count task
	counted time.Time
}

// ticketCounts is the number of tickets per status, and of open tickets
// that are overdue.
type ticketCounts struct {
	byStatus map[tickets.Status]int
	overdue  int
}

// countTicketsOnce counts every ticket (a Scan of the whole desk).
func countTicketsOnce(d *tickets.Desk, now time.Time) (ticketCounts, error) {
	c := ticketCounts{byStatus: map[tickets.Status]int{}}
	err := d.Scan(func(t *tickets.Ticket) bool {
		c.byStatus[t.Status]++
		if tickets.Overdue(t, now) {
			c.overdue++
		}
		return true
	})
	return c, err
}

// newMetrics registers every metric for p.
func newMetrics(p *Program) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	f := func(name, help string) prometheus.Opts {
		return prometheus.Opts{Namespace: "postdesk", Name: name, Help: help}
	}
	m.fetched = prometheus.NewCounter(prometheus.CounterOpts(f("mails_fetched_total", "Mails fetched from the IMAP mailbox and handed to the desk.")))
	m.handled = prometheus.NewCounterVec(prometheus.CounterOpts(f("mails_handled_total", "Mails handled, by outcome (created, appended, staff, duplicate, bounce, failed, ...).")), []string{"outcome"})
	m.sends = prometheus.NewCounterVec(prometheus.CounterOpts(f("sends_total", "Outgoing mails by result: sent (accepted by the SMTP server), retry (temporary failure), failed (given up).")), []string{"result"})
	m.intakeDur = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "postdesk", Name: "intake_batch_seconds",
		Help: "Time to decide and durably commit one batch of fetched mails.", Buckets: prometheus.ExponentialBuckets(0.005, 2, 12)})
	m.sendLat = prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "postdesk", Name: "send_latency_seconds",
		Help: "Time from queuing an outgoing mail to its acceptance by the SMTP server.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 16)})
	m.reg.MustRegister(m.fetched, m.handled, m.sends, m.intakeDur, m.sendLat,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewCounterFunc(prometheus.CounterOpts(f("cap_trips_total", "Times an automatic-mail cap tripped (a loop or flood was stopped).")),
			func() float64 { return float64(p.Desk.CapTrips()) }),
		&stateCollector{p: p, m: m})
	if p.KB != nil {
		st := &p.KB.Stats
		m.reg.MustRegister(
			prometheus.NewCounterFunc(prometheus.CounterOpts(f("kb_suggested_total", "Confirmations that suggested at least one knowledge-base article.")),
				func() float64 { return float64(st.Suggested.Load()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts(f("kb_opened_total", "Knowledge-base articles opened from a ticket's mail.")),
				func() float64 { return float64(st.Opened.Load()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts(f("kb_solved_total", "Tickets resolved by their customer with \"this solved my problem\" on an article.")),
				func() float64 { return float64(st.Solved.Load()) }))
	}
	return m
}

// handler serves /metrics.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// countTickets refreshes the tickets-by-status gauges every interval: a
// walk over every ticket, so it is not done at each scrape. On a large
// database the pause after a walk is at least ten times the walk, so
// counting never takes more than a tenth of one core.
func (m *metrics) countTickets(ctx context.Context, p *Program, interval time.Duration) error {
	for {
		start := time.Now()
		if c, err := countTicketsOnce(p.Desk, p.now()); err == nil {
			m.mu.Lock()
			m.counts, m.counted = c, time.Now()
			m.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(max(interval, 10*time.Since(start))):
		}
	}
}

// stateCollector reads levels from the program at scrape time.
type stateCollector struct {
	p *Program
	m *metrics
}

var (
	descTickets     = prometheus.NewDesc("postdesk_tickets", "Tickets by status (recounted every minute).", []string{"status"}, nil)
	descOverdue     = prometheus.NewDesc("postdesk_tickets_overdue", "Open tickets past a response or resolution target.", nil, nil)
	descOutbox      = prometheus.NewDesc("postdesk_outbox_depth", "Outgoing mails waiting in the outbox (due or deferred).", nil, nil)
	descOldestDue   = prometheus.NewDesc("postdesk_outbox_oldest_due_timestamp_seconds", "When the longest-waiting outgoing mail became due (0: none).", nil, nil)
	descTimers      = prometheus.NewDesc("postdesk_timers_due", "Timers (SLA warnings, reminders, auto-close) due and not yet fired.", nil, nil)
	descQuarantine  = prometheus.NewDesc("postdesk_quarantine_size", "Mails that failed processing, kept for `postdesk failed`.", nil, nil)
	descIMAPUp      = prometheus.NewDesc("postdesk_imap_session_up", "1 while the IMAP session is logged in and selected.", nil, nil)
	descLastFetch   = prometheus.NewDesc("postdesk_imap_last_fetch_timestamp_seconds", "When the mailbox was last synced successfully (0: not yet).", nil, nil)
	descOAuthFail   = prometheus.NewDesc("postdesk_oauth_refresh_failing", "1 while refreshing the mailbox's OAuth2 token fails.", nil, nil)
	descOAuthExpiry = prometheus.NewDesc("postdesk_oauth_token_expiry_timestamp_seconds", "When the current OAuth2 access token expires.", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descTickets, descOverdue, descOutbox, descOldestDue, descTimers, descQuarantine, descIMAPUp, descLastFetch, descOAuthFail, descOAuthExpiry} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	c.m.mu.Lock()
	counts, counted := c.m.counts, c.m.counted
	c.m.mu.Unlock()
	if !counted.IsZero() {
		for _, s := range tickets.Statuses {
			gauge(descTickets, float64(counts.byStatus[s]), string(s))
		}
		gauge(descOverdue, float64(counts.overdue))
	}
	lv := readLevels(c.p)
	gauge(descOutbox, float64(lv.outbox))
	gauge(descOldestDue, unixSeconds(lv.oldestDue))
	gauge(descTimers, float64(lv.timersDue))
	gauge(descQuarantine, float64(lv.quarantine))
	st := c.p.Poller.Status()
	up := 0.0
	if st.Connected {
		up = 1
	}
	gauge(descIMAPUp, up)
	gauge(descLastFetch, unixSeconds(st.LastSync))
	if src := c.p.ops.oauth; src != nil {
		ost := src.Status()
		failing := 0.0
		if ost.Failing {
			failing = 1
		}
		gauge(descOAuthFail, failing)
		gauge(descOAuthExpiry, unixSeconds(ost.Expiry))
	}
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

// levels are the program's queues as they are now.
type levels struct {
	outbox     int
	oldestDue  time.Time // earliest NextAttempt among due notices
	failing    int       // notices that failed at least three attempts
	timersDue  int
	quarantine int
}

// readLevels reads the outbox, the due timers and the quarantine in one
// read transaction.
func readLevels(p *Program) levels {
	var lv levels
	now := p.now()
	p.DB.View(func(tx tickets.Tx) error {
		tx.PendingNotices(func(nt *tickets.Notice) bool {
			lv.outbox++
			if !nt.NextAttempt.After(now) && (lv.oldestDue.IsZero() || nt.NextAttempt.Before(lv.oldestDue)) {
				lv.oldestDue = nt.NextAttempt
				if lv.oldestDue.IsZero() {
					lv.oldestDue = nt.Created
				}
			}
			if nt.Attempts >= 3 {
				lv.failing++
			}
			return true
		})
		tx.DueTimers(now, func(*tickets.Timer) bool { lv.timersDue++; return true })
		tx.Records(tickets.RecordFailed, func(*tickets.Record) bool { lv.quarantine++; return true })
		return nil
	})
	return lv
}

func (p *Program) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// countingIntaker counts what the poller hands to the desk.
type countingIntaker struct {
	mail.Intaker
	m *metrics
}

func (c *countingIntaker) Intake(msgs []*tickets.Message, cp *tickets.Checkpoint) ([]tickets.Outcome, error) {
	start := time.Now()
	out, err := c.Intaker.Intake(msgs, cp)
	if err == nil {
		c.m.intakeDur.Observe(time.Since(start).Seconds())
		c.m.fetched.Add(float64(len(msgs)))
		for _, o := range out {
			c.m.handled.WithLabelValues(string(o.Action)).Inc()
		}
	}
	return out, err
}

// countingOutbox counts what the sender does with the outbox.
type countingOutbox struct {
	mail.Outbox
	m *metrics

	mu      sync.Mutex
	created map[uint64]time.Time // notices handed out by Due, not yet settled
}

func (c *countingOutbox) Due(max int) ([]tickets.Pending, error) {
	due, err := c.Outbox.Due(max)
	c.mu.Lock()
	if c.created == nil {
		c.created = map[uint64]time.Time{}
	}
	for _, p := range due {
		c.created[p.Notice.ID] = p.Notice.Created
	}
	c.mu.Unlock()
	return due, err
}

func (c *countingOutbox) settle(id uint64) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.created[id]
	delete(c.created, id)
	return t
}

func (c *countingOutbox) Sent(ids []uint64) error {
	err := c.Outbox.Sent(ids)
	if err == nil {
		c.m.sends.WithLabelValues("sent").Add(float64(len(ids)))
		for _, id := range ids {
			if t := c.settle(id); !t.IsZero() {
				c.m.sendLat.Observe(time.Since(t).Seconds())
			}
		}
	}
	return err
}

func (c *countingOutbox) Retry(id uint64, cause error) error {
	c.settle(id)
	c.m.sends.WithLabelValues("retry").Inc()
	return c.Outbox.Retry(id, cause)
}

func (c *countingOutbox) Failed(id uint64, cause error) error {
	c.settle(id)
	c.m.sends.WithLabelValues("failed").Inc()
	return c.Outbox.Failed(id, cause)
}
