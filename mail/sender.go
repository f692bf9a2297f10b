package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/postdesk/postdesk/tickets"
)

// Outbox is what the Sender needs of the store: *tickets.Desk implements it.
type Outbox interface {
	Due(max int) ([]tickets.Pending, error)
	NextDue() (time.Time, error)
	Sent(ids []uint64) error
	Retry(id uint64, cause error) error
	Failed(id uint64, cause error) error
}

var _ Outbox = (*tickets.Desk)(nil)

// SMTPConfig says how to reach the submission server.
type SMTPConfig struct {
	Addr     string
	TLS      string // "implicit", "starttls" or "none"
	Username string
	Password string
	// TLSConfig verifies the server; nil means the system roots.
	TLSConfig *tls.Config
	// Timeout bounds each dial and command; zero means 30 seconds.
	Timeout time.Duration
	// Token, if set, authenticates with OAuth2 (XOAUTH2, or OAUTHBEARER
	// where only that is offered) instead of Password.
	Token TokenFunc
}

// Dial connects, says EHLO, starts TLS as configured and authenticates
// (when Username is set); the caller owns the client. It sends no mail.
func (c SMTPConfig) Dial() (*smtp.Client, error) { return c.dial() }

func (c SMTPConfig) dial() (*smtp.Client, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	host, _, _ := net.SplitHostPort(c.Addr)
	tc := c.TLSConfig
	if tc == nil {
		tc = &tls.Config{}
	}
	tc = tc.Clone()
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	conn, err := net.DialTimeout("tcp", c.Addr, timeout)
	if err != nil {
		return nil, err
	}
	var cl *smtp.Client
	switch c.TLS {
	case "implicit":
		tconn := tls.Client(conn, tc)
		if err := tconn.Handshake(); err != nil {
			conn.Close()
			return nil, err
		}
		cl = smtp.NewClient(tconn)
	case "starttls":
		cl, err = smtp.NewClientStartTLS(conn, tc)
		if err != nil {
			conn.Close()
			return nil, err
		}
	default:
		cl = smtp.NewClient(conn)
	}
	cl.CommandTimeout = timeout
	cl.SubmissionTimeout = timeout
	if c.Username != "" {
		var sc sasl.Client = sasl.NewPlainClient("", c.Username, c.Password)
		if c.Token != nil {
			_, mechs := cl.Extension("AUTH")
			if sc, err = oauthClient(strings.Fields(mechs), c.Addr, c.Username, c.Token); err != nil {
				cl.Close()
				return nil, err
			}
		}
		if err := cl.Auth(sc); err != nil {
			cl.Close()
			return nil, fmt.Errorf("auth: %w", err)
		}
	}
	return cl, nil
}

// Sender drains the outbox over SMTP. Each of its workers reuses one
// connection for a burst and closes it when idle. Temporary failures
// (network, 4xx) are retried with backoff by the outbox; permanent ones
// (5xx) are recorded and not retried. A notice is removed from the outbox
// only after the server accepted it, so a crash in between sends it again
// (at most MarkSentEvery per worker).
type Sender struct {
	Outbox   Outbox
	Composer *Composer
	SMTP     SMTPConfig
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// Batch bounds the notices taken from the outbox at once (default 256).
	Batch int
	// Workers is the number of SMTP connections used in parallel
	// (default DefaultWorkers).
	Workers int
	// Idle is how long an unused connection stays open (default 10s).
	Idle time.Duration

	// AfterAccept is a TEST HOOK for crash tests; production leaves it
	// nil. If set, it is called after the server accepted a mail and
	// before it is marked sent. If it returns an error, Drain stops at
	// once without marking anything of the batch sent, as if the process
	// had died there.
	AfterAccept func(n *tickets.Notice) error

	wake  chan struct{}
	conns []*smtpConn
}

// smtpConn is one worker's connection.
type smtpConn struct {
	c    *smtp.Client
	last time.Time
}

// Wake asks a running Sender to look at the outbox now. It never blocks.
func (s *Sender) Wake() {
	s.init()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Sender) init() {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	if s.conns == nil {
		n := s.Workers
		if n <= 0 {
			n = DefaultWorkers
		}
		s.conns = make([]*smtpConn, n)
		for i := range s.conns {
			s.conns[i] = &smtpConn{}
		}
	}
}

func (s *Sender) log() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Run sends due notices until ctx is done. It returns nil on shutdown.
func (s *Sender) Run(ctx context.Context) error {
	s.init()
	idle := s.Idle
	if idle == 0 {
		idle = 10 * time.Second
	}
	defer s.closeIdle(0)
	for {
		n, err := s.Drain(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Warn("sender: drain", "err", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		if n > 0 {
			continue
		}
		wait := 30 * time.Second
		if next, err := s.Outbox.NextDue(); err == nil && !next.IsZero() {
			wait = min(wait, max(time.Until(next), 50*time.Millisecond))
		}
		if s.open() {
			wait = min(wait, idle)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
			t.Stop()
		case <-t.C:
			s.closeIdle(idle)
		}
	}
}

func (s *Sender) open() bool {
	for _, c := range s.conns {
		if c.c != nil {
			return true
		}
	}
	return false
}

// closeIdle closes the connections unused for at least idle.
func (s *Sender) closeIdle(idle time.Duration) {
	for _, c := range s.conns {
		if c.c != nil && time.Since(c.last) >= idle {
			c.close()
		}
	}
}

func (c *smtpConn) close() {
	if c.c != nil {
		c.c.Quit()
		c.c.Close()
		c.c = nil
	}
}

// Drain sends the notices that are due now, up to one batch, spread over
// the workers, and returns how many it handled (sent, deferred or failed).
func (s *Sender) Drain(ctx context.Context) (int, error) {
	s.init()
	batch := s.Batch
	if batch <= 0 {
		batch = 256
	}
	due, err := s.Outbox.Due(batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	workers := min(len(s.conns), (len(due)+MarkSentEvery-1)/MarkSentEvery)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		var mine []tickets.Pending
		for i := w; i < len(due); i += workers {
			mine = append(mine, due[i])
		}
		wg.Go(func() { errs[w] = s.work(ctx, s.conns[w], mine) })
	}
	wg.Wait()
	return len(due), errors.Join(errs...)
}

// work sends one worker's share of a batch over its connection.
func (s *Sender) work(ctx context.Context, conn *smtpConn, due []tickets.Pending) error {
	var sent []uint64
	crashed := false
	defer func() {
		if crashed {
			return
		}
		if err := s.Outbox.Sent(sent); err != nil {
			s.log().Error("sender: mark sent", "err", err, "count", len(sent))
		}
	}()
	for _, p := range due {
		if ctx.Err() != nil {
			return nil
		}
		nt := p.Notice
		out, err := s.Composer.Compose(p, nil)
		if err != nil {
			s.log().Error("sender: render", "notice", nt.ID, "kind", nt.Kind, "err", err)
			if err := s.Outbox.Failed(nt.ID, fmt.Errorf("render: %w", err)); err != nil {
				return err
			}
			continue
		}
		err = s.send(conn, out)
		switch {
		case err == nil:
			if s.AfterAccept != nil {
				if err := s.AfterAccept(nt); err != nil {
					crashed = true
					return err
				}
			}
			sent = append(sent, nt.ID)
			// Mark sent in small groups: a crash resends at most one
			// group, and one commit per group keeps fsyncs few.
			if len(sent) >= MarkSentEvery {
				if err := s.Outbox.Sent(sent); err != nil {
					return err
				}
				sent = sent[:0]
			}
		case isPermanent(err):
			s.log().Warn("sender: rejected", "notice", nt.ID, "to", nt.To.Email, "err", err)
			if err := s.Outbox.Failed(nt.ID, err); err != nil {
				return err
			}
		default:
			s.log().Warn("sender: will retry", "notice", nt.ID, "err", err)
			if err := s.Outbox.Retry(nt.ID, err); err != nil {
				return err
			}
			// A connection-level failure will hit the rest of this share
			// too: stop here and let the backoff work.
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				return nil
			}
		}
	}
	return nil
}

func (s *Sender) send(conn *smtpConn, out *Outgoing) error {
	if conn.c == nil {
		c, err := s.SMTP.dial()
		if err != nil {
			return fmt.Errorf("connect %s: %w", s.SMTP.Addr, err)
		}
		conn.c = c
	}
	err := conn.c.SendMail(out.From, out.To, bytes.NewReader(out.Data))
	conn.last = time.Now()
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			// The server refused this mail; the connection is still good.
			if rerr := conn.c.Reset(); rerr != nil {
				conn.close()
			}
		} else {
			conn.close()
		}
	}
	return err
}

// DefaultWorkers is the default of Sender.Workers.
const DefaultWorkers = 4

// MarkSentEvery is how many accepted mails are marked sent in one commit.
const MarkSentEvery = 8

// isPermanent reports whether an SMTP error is a 5xx reply.
func isPermanent(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500
}

// Close closes the sender's SMTP connections (Run closes them itself when
// it returns).
func (s *Sender) Close() error {
	s.closeIdle(0)
	return nil
}
