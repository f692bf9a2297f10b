package mail

import (
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

// Outbox is what the Sender needs of the store: *tickets.Outbox (a desk's
// Desk.Outbox) implements it.
type Outbox interface {
	Due(max int) ([]tickets.Pending, error)
	NextDue() (time.Time, error)
	Sent(ids []uint64) error
	Retry(id uint64, cause error) error
	Failed(id uint64, cause error) error
}

var _ Outbox = (*tickets.Outbox)(nil)

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
// only after the server accepted it, so a crash in between sends it again:
// the marks of all workers are group-committed (to the SentLog journal
// when it is set, else to the outbox), and a worker completes
// its next mail only once its previous mark is durable, so the window
// between a server's 250 and the mark is one commit: a crash re-sends at
// most one mail per worker, and in practice about one.
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
	// SentLog is the path of the journal of accepted mail (see sentLog),
	// e.g. next to the database. Empty: accepted mail is marked sent in
	// the outbox directly (group-committed), which is as safe and slower
	// while the intake writes.
	SentLog string

	// AfterAccept is a TEST HOOK for crash tests; production leaves it
	// nil. If set, it is called after the server accepted a mail and
	// before it is marked sent. If it returns an error, that worker stops
	// at once without marking the notice sent, as if the process had died
	// there.
	AfterAccept func(n *tickets.Notice) error

	wake      chan struct{}
	conns     []*smtpConn
	journal   *sentLog // nil without SentLog
	noJournal bool     // SentLog could not be opened
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
	if s.SentLog != "" && s.journal == nil && !s.noJournal {
		j, err := openSentLog(s.SentLog)
		if err != nil {
			// Mail must still go out: mark sent in the outbox directly.
			s.log().Error("sender: no sent journal; marking sent in the outbox directly", "err", err)
			s.noJournal = true
		}
		s.journal = j
	}
	if s.journal != nil {
		// Whatever an earlier Drain (or a crashed process) journaled.
		if err := s.journal.flush(s.Outbox); err != nil {
			return 0, fmt.Errorf("mark journaled mail sent: %w", err)
		}
	}
	due, err := s.Outbox.Due(batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	workers := min(len(s.conns), (len(due)+minShare-1)/minShare)
	errs := make([]error, workers)
	var record func([]uint64) error = s.Outbox.Sent
	if s.journal != nil {
		record = s.journal.append
		defer func() {
			if ferr := s.journal.flush(s.Outbox); ferr != nil {
				// Kept in the journal: the next Drain tries again.
				s.log().Error("sender: mark journaled mail sent", "err", ferr)
			}
		}()
	}
	marks := startMarker(record)
	defer close(marks.reqs)
	var wg sync.WaitGroup
	for w := range workers {
		var mine []tickets.Pending
		for i := w; i < len(due); i += workers {
			mine = append(mine, due[i])
		}
		wg.Go(func() { errs[w] = s.work(ctx, s.conns[w], mine, marks) })
	}
	wg.Wait()
	return len(due), errors.Join(errs...)
}

// work sends one worker's share of a batch over its connection. Each
// accepted mail is handed to marks, which commits it with the other
// workers' marks while this worker already sends its next mail; before
// that next mail is completed (its end of DATA), the previous mark must be
// durable. So each worker has at most one mail accepted and not yet
// recorded at any time.
func (s *Sender) work(ctx context.Context, conn *smtpConn, due []tickets.Pending, marks *marker) (err error) {
	var pending <-chan error // the previous mail's mark
	settle := func() error {
		if pending == nil {
			return nil
		}
		err := <-pending
		pending = nil
		if err != nil {
			return fmt.Errorf("%w: %w", errMarkSent, err)
		}
		return nil
	}
	defer func() {
		if serr := settle(); err == nil {
			err = serr
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
		var crashed error
		err = s.send(conn, out, settle, func() error {
			if s.AfterAccept != nil {
				if crashed = s.AfterAccept(nt); crashed != nil {
					return crashed
				}
			}
			pending = marks.mark(nt.ID)
			return nil
		})
		switch {
		case crashed != nil:
			pending = nil
			return crashed
		case err == nil:
		case errors.Is(err, errMarkSent):
			return err
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

// marker group-commits sent marks: the workers hand it each accepted
// notice and wait; it marks sent, in one commit, every notice that arrived
// while the previous commit ran. The window between a server's 250 and
// the durable mark is thus one commit, and fsyncs stay few under load.
type marker struct {
	record func(ids []uint64) error
	reqs   chan markReq
}

type markReq struct {
	id   uint64
	done chan error
}

// startMarker starts the commit loop; stop it with close(m.reqs).
func startMarker(record func([]uint64) error) *marker {
	m := &marker{record: record, reqs: make(chan markReq)}
	go m.loop()
	return m
}

// mark hands notice id to the commit loop; the channel receives the
// outcome once the mark is durable (or failed).
func (m *marker) mark(id uint64) <-chan error {
	done := make(chan error, 1)
	m.reqs <- markReq{id, done}
	return done
}

func (m *marker) loop() {
	for r := range m.reqs {
		group := []markReq{r}
	more:
		for {
			select {
			case r, ok := <-m.reqs:
				if !ok {
					break more
				}
				group = append(group, r)
			default:
				break more
			}
		}
		ids := make([]uint64, len(group))
		for i, r := range group {
			ids[i] = r.id
		}
		err := m.record(ids)
		for _, r := range group {
			r.done <- err
		}
	}
}

// errMarkSent wraps a failure to record an accepted mail as sent.
var errMarkSent = errors.New("mark sent")

// send transmits out over conn; it calls before just ahead of the end of
// DATA, and accepted once the server has taken the mail (its 250).
func (s *Sender) send(conn *smtpConn, out *Outgoing, before, accepted func() error) error {
	if conn.c == nil {
		c, err := s.SMTP.dial()
		if err != nil {
			return fmt.Errorf("connect %s: %w", s.SMTP.Addr, err)
		}
		conn.c = c
	}
	err := s.transmit(conn.c, out, before, accepted)
	conn.last = time.Now()
	if err != nil {
		// A failed mark (errMarkSent) leaves this mail inside DATA:
		// closing the connection abandons it, unsent.
		var se *smtp.SMTPError
		if !errors.Is(err, errMarkSent) && (errors.As(err, &se) || errors.Is(err, errNoSMTPUTF8)) {
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

// errNoSMTPUTF8 is the permanent failure of a mail whose addresses need
// SMTPUTF8 (RFC 6531) when the server does not offer it: no retry can
// change that.
var errNoSMTPUTF8 = errors.New("address needs SMTPUTF8, which the server does not offer")

// transmit is smtp.Client.SendMail with the accepted callback and a
// permanent error for a missing SMTPUTF8.
func (s *Sender) transmit(c *smtp.Client, out *Outgoing, before, accepted func() error) error {
	var opts *smtp.MailOptions
	if !isASCII(out.From) || !isASCII(out.To...) {
		if ok, _ := c.Extension("SMTPUTF8"); !ok {
			return errNoSMTPUTF8
		}
		opts = &smtp.MailOptions{UTF8: true}
	}
	if err := c.Mail(out.From, opts); err != nil {
		return err
	}
	for _, to := range out.To {
		if err := c.Rcpt(to, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(out.Data); err != nil {
		return err
	}
	if err := before(); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return accepted()
}

func isASCII(ss ...string) bool {
	for _, s := range ss {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return false
			}
		}
	}
	return true
}

// DefaultWorkers is the default of Sender.Workers.
const DefaultWorkers = 4

// minShare is the fewest notices of a batch worth a worker (and its
// connection) of their own.
const minShare = 8

// isPermanent reports whether a send failed for good: a 5xx reply, or an
// address the server cannot take (errNoSMTPUTF8).
func isPermanent(err error) bool {
	var se *smtp.SMTPError
	return errors.As(err, &se) && se.Code >= 500 || errors.Is(err, errNoSMTPUTF8)
}

// Close closes the sender's SMTP connections (Run closes them itself when
// it returns) and its journal.
func (s *Sender) Close() error {
	s.closeIdle(0)
	if s.journal != nil {
		return s.journal.close()
	}
	return nil
}
