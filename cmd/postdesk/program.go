package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/postdesk/postdesk/kb"
	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
	"github.com/postdesk/postdesk/web"
)

// Program is postdesk wired together: the database, the desk, the IMAP
// poller, the SMTP sender, the timer scheduler and the web server. Build it
// with Open, run it with Run, and Close it.
type Program struct {
	Config Config
	// Logger receives every component's log; nil discards it (as for
	// every Logger field in postdesk). serve logs to stderr.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	DB       *bolt.DB
	Desk     *tickets.Desk
	Poller   *mail.Poller
	Sender   *mail.Sender
	Composer *mail.Composer
	Web      *web.Server
	// KB is the self-help knowledge base; Open loads kb.dir when it is
	// nil (the demo sets the starter articles).
	KB *kb.Live
	// Parse are the options every intake path parses mail with (set by
	// openDesk).
	Parse mail.ParseOptions
	// Digester sends the [digest] mail; nil when none is configured.
	Digester *tickets.Digester
	// WebAddr is where the web server listens (known after Open).
	WebAddr string

	ln  net.Listener
	ctl net.Listener
	srv *http.Server

	ops operations // OAuth, metrics, digest: see operations.go
}

// openDesk opens the database and builds the desk from Config: the one
// place that does, for serve and for the operator commands alike.
func (p *Program) openDesk() error {
	c := p.Config
	db, err := bolt.Open(c.Desk.Data, nil)
	if err != nil {
		return err
	}
	p.DB = db
	secret, err := p.secret()
	if err != nil {
		return err
	}
	policy, err := c.Policy()
	if err != nil {
		return err
	}
	var staff []tickets.Staff
	for _, s := range c.Staff {
		staff = append(staff, tickets.Staff{Email: tickets.NormalizeEmail(s.Email), Name: s.Name, NotifyNew: s.NotifyNew == nil || *s.NotifyNew})
	}
	p.Desk = &tickets.Desk{
		Store:     db,
		Signer:    &tickets.Signer{Secret: secret},
		Now:       p.Now,
		Logger:    p.Logger,
		Addresses: []string{tickets.NormalizeEmail(c.Desk.Address), tickets.NormalizeEmail(c.IMAP.Username)},
		Domain:    c.Desk.Address[strings.LastIndexByte(c.Desk.Address, '@')+1:],
		Lang:      c.Desk.Language,
		TagPrefix: c.Desk.TagPrefix,
		Staff:     staff,
		Policy:    policy,
		Caps:      c.Desk.CapsConfig.caps(),

		TrustAuthResults:   c.Desk.TrustAuthResults != "",
		RequireAuthResults: c.Desk.RequireAuthResults,
		TokenTTL:           c.Desk.TokenTTL.Duration,
		MaxParticipants:    c.Desk.MaxParticipants,
		StaffReceipts:      c.Desk.StaffReceipts,
	}
	if p.KB == nil && c.KB.Dir != "" {
		if p.KB, err = kb.NewLive(c.KB.Dir, p.Logger); err != nil {
			return &ConfigError{Key: "kb.dir", Msg: err.Error()}
		}
	}
	if p.KB != nil {
		p.Desk.KB = p.KB
	}
	p.Parse = mail.IntakeOptions(c.Desk.MaxMailSize, mail.LoopID(c.Desk.Address, secret), c.Desk.TrustAuthResults)
	return nil
}

// secretKey is where a generated HMAC key is kept in the database.
const secretKey = "desk:secret"

// Open opens the database, builds every component from Config and starts
// listening for HTTP. It does not fetch or send mail until Run.
func (p *Program) Open() error {
	c := p.Config
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	if err := p.openDesk(); err != nil {
		return err
	}
	signer, policy := p.Desk.Signer, p.Desk.Policy
	set, err := templates.Load()
	if err != nil {
		return err
	}
	loopID := p.Parse.LoopID
	// Decode no more than may be attached to one notification.
	attachParse := p.Parse
	attachParse.MaxAttachmentBytes = min(c.Desk.MaxMailSize, c.Desk.StaffAttachMax)
	// Intake keeps no attachment bytes: staff mail re-reads the stored raw.
	intakeParse := p.Parse
	intakeParse.SkipAttachmentData = true
	viewer := &templates.Viewer{Set: set, Loc: policy.Hours.Loc, TagPrefix: c.Desk.TagPrefix, Category: policy.CategoryInfo, Policy: policy, Now: p.Now}
	p.Composer = &mail.Composer{
		Templates: set,
		Viewer:    viewer,
		Signer:    signer,
		Desk:      tickets.Address{Name: c.Desk.Name, Email: c.Desk.Address},
		BaseURL:   c.Desk.BaseURL,
		LoopID:    loopID,
		Now:       p.Now,

		PlusAddressing: c.Desk.PlusAddressing,
		MaxAttach:      c.Desk.StaffAttachMax,
		Policy:         policy,
		Messages:       p.DB,
		// Decode no more than may be attached to one notification.
		AttachParse: attachParse,
	}
	smtpTLS, err := tlsConfig(c.SMTP.CAFile)
	if err != nil {
		return &ConfigError{Key: "smtp.ca_file", Msg: err.Error()}
	}
	imapTLS, err := tlsConfig(c.IMAP.CAFile)
	if err != nil {
		return &ConfigError{Key: "imap.ca_file", Msg: err.Error()}
	}
	p.Sender = &mail.Sender{
		Outbox:   p.Desk.Outbox(),
		Composer: p.Composer,
		SentLog:  c.Desk.Data + ".sent",
		SMTP:     mail.SMTPConfig{Addr: c.SMTP.Addr, TLS: c.SMTP.TLS, Username: c.SMTP.Username, Password: c.SMTP.Password, TLSConfig: smtpTLS},
		Logger:   p.Logger,
	}
	p.Poller = &mail.Poller{
		Config: mail.IMAPConfig{
			Addr: c.IMAP.Addr, TLS: c.IMAP.TLS, Username: c.IMAP.Username, Password: c.IMAP.Password,
			Mailbox: c.IMAP.Mailbox, ProcessedMailbox: c.IMAP.ProcessedMailbox, FailedMailbox: c.IMAP.FailedMailbox,
			IDLE: c.IMAP.IDLE, PollInterval: c.IMAP.PollInterval.Duration, TLSConfig: imapTLS,
		},
		Desk:   p.Desk,
		Parse:  intakeParse,
		Logger: p.Logger,
	}
	p.Desk.Queued = p.Sender.Wake
	if p.Digester, err = p.digester(); err != nil {
		return err
	}
	if err := p.openOperations(set); err != nil {
		return err
	}
	p.Web = &web.Server{
		Tickets:       p.Desk,
		Signer:        signer,
		Templates:     set,
		Viewer:        viewer,
		Desk:          templates.Desk{Name: c.Desk.Name, Address: c.Desk.Address},
		Lang:          c.Desk.Language,
		Logger:        p.Logger,
		RatePerSecond: c.Web.RatePerSecond,
		Burst:         int(c.Web.RatePerSecond * 2),
		TrustProxy:    c.Web.TrustProxy,
		KB:            p.KB,
	}
	ln, err := net.Listen("tcp", c.Web.Listen)
	if err != nil {
		return fmt.Errorf("web: listen %s: %w", c.Web.Listen, err)
	}
	p.ln = ln
	p.WebAddr = ln.Addr().String()
	if p.ctl, err = listenControl(controlPath(c)); err != nil {
		if strings.Contains(err.Error(), "another postdesk") {
			return err
		}
		// Serving mail matters more than the operator commands: without
		// the socket they work only while the server is stopped.
		p.Logger.Warn("control socket unavailable; ticket/failed/backup need the server stopped", "err", err)
		p.ctl = nil
	} else {
		go p.serveControl(p.ctl)
	}
	p.srv = &http.Server{Handler: p.webHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	return nil
}

// secret returns the configured HMAC key, or the one generated on first
// start and kept in the database.
func (p *Program) secret() ([]byte, error) {
	if p.Config.Desk.Secret != "" {
		return []byte(p.Config.Desk.Secret), nil
	}
	var key []byte
	err := p.DB.Update(func(tx tickets.Tx) error {
		v, err := tx.State(secretKey)
		if err != nil {
			return err
		}
		if len(v) >= 32 {
			key = v
			return nil
		}
		key = make([]byte, 32)
		rand.Read(key)
		return tx.PutState(secretKey, key)
	})
	return key, err
}

// Run runs the poller, the sender, the scheduler and the web server until
// ctx is done, then stops them: in-flight transactions finish, unsent mail
// stays in the outbox for the next start.
func (p *Program) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, 8+len(p.ops.tasks))
	run := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
				cancel()
			}
		}()
	}
	run("sender", p.Sender.Run)
	run("poller", p.Poller.Run)
	run("scheduler", p.schedule)
	run("digest", p.digest)
	for _, t := range p.ops.tasks {
		run(t.name, t.run)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := p.srv.Serve(p.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("web: %w", err)
			cancel()
		}
	}()
	p.Logger.Info("postdesk running", "web", p.WebAddr, "imap", p.Config.IMAP.Addr, "smtp", p.Config.SMTP.Addr, "data", p.Config.Desk.Data)
	<-ctx.Done()
	shut, c2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer c2()
	p.srv.Shutdown(shut)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// schedule fires due timers every second and prunes expired staff
// reply tokens once a day.
func (p *Program) schedule(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var pruned time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			n, err := p.Desk.Tick()
			p.ops.lastTick.Store(time.Now().UnixNano())
			if err != nil {
				p.Logger.Error("scheduler: tick", "err", err)
			}
			if n > 0 {
				p.Sender.Wake()
			}
			if time.Since(pruned) > 24*time.Hour {
				pruned = time.Now()
				if _, err := p.Desk.PruneTokens(); err != nil {
					p.Logger.Error("scheduler: prune staff tokens", "err", err)
				}
			}
		}
	}
}

// Close releases the database and the listener.
func (p *Program) Close() error {
	if p.ln != nil {
		p.ln.Close()
	}
	if p.ctl != nil {
		p.ctl.Close()
	}
	p.ops.close()
	if p.DB != nil {
		return p.DB.Close()
	}
	return nil
}
