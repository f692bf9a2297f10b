package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/postdesk/postdesk/mail/oauth"
	"github.com/postdesk/postdesk/templates"
)

// operations are the parts of a Program that serve its operators rather
// than its customers: OAuth2 tokens for the mailbox, metrics and health,
// the digest. Open builds them with openOperations; Run starts tasks.
type operations struct {
	tasks    []task
	oauth    *oauth.Source
	metrics  *metrics
	closers  []io.Closer
	lastTick atomic.Int64 // unix nanoseconds of the scheduler's last tick
	// metricsAddr is where the metrics server listens (after Open).
	metricsAddr string
	// countEvery is how often tickets are counted for the metrics
	// (default 1 min); set before Run.
	countEvery time.Duration
}

// task is a background loop Run starts beside the poller and sender; it
// returns when ctx is done.
type task struct {
	name string
	run  func(context.Context) error
}

func (o *operations) close() {
	for _, c := range o.closers {
		c.Close()
	}
	o.closers = nil
}

// openOperations builds the operator parts from Config. Called by Open
// after the poller and the sender exist.
func (p *Program) openOperations(set *templates.Set) error {
	m := newMetrics(p)
	p.ops.metrics = m
	p.Poller.Desk = &countingIntaker{Intaker: p.Poller.Desk, m: m}
	p.Sender.Outbox = &countingOutbox{Outbox: p.Sender.Outbox, m: m}
	if addr := p.Config.Metrics.Listen; addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("metrics: listen %s: %w", addr, err)
		}
		p.ops.metricsAddr = ln.Addr().String()
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.handler())
		mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
		mux.HandleFunc("GET /readyz", p.serveReadyz)
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		p.ops.closers = append(p.ops.closers, ln)
		p.ops.tasks = append(p.ops.tasks,
			task{"metrics", func(ctx context.Context) error {
				stop := context.AfterFunc(ctx, func() { srv.Close() })
				defer stop()
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && ctx.Err() == nil {
					return err
				}
				return nil
			}},
			task{"ticket-count", func(ctx context.Context) error {
				return m.countTickets(ctx, p, cmp.Or(p.ops.countEvery, time.Minute))
			}})
	}
	if p.Config.usesOAuth() {
		src, err := p.oauthSource(set)
		if err != nil {
			return err
		}
		p.ops.oauth = src
		if p.Config.IMAP.Auth == "xoauth2" {
			p.Poller.Config.Token = src.Token
		}
		if p.Config.SMTP.Auth == "xoauth2" {
			p.Sender.SMTP.Token = src.Token
		}
		p.ops.tasks = append(p.ops.tasks, task{"oauth", func(ctx context.Context) error {
			src.Run(ctx, time.Minute)
			return nil
		}})
	}
	return nil
}

// oauthSource builds the token source of the mailbox account; a refresh
// that starts failing is logged and mailed to staff (the mail waits in the
// outbox if sending needs the token too).
func (p *Program) oauthSource(set *templates.Set) (*oauth.Source, error) {
	key, err := oauth.KeyFrom(p.Desk.Signer.Secret)
	if err != nil {
		return nil, err
	}
	_, cfg := p.Config.oauthProvider()
	lang := p.Config.Desk.Language
	return &oauth.Source{
		Config: cfg,
		Store:  p.DB,
		Key:    key,
		Now:    p.Now,
		Failed: func(err error) {
			p.Logger.Error("oauth: token refresh failing; run `postdesk oauth login`", "err", err)
			if aerr := p.Desk.AlertStaff(fmt.Sprintf(set.Word(lang, "alert.oauth_failed"), err)); aerr != nil {
				p.Logger.Error("oauth: alert staff", "err", aerr)
			}
		},
		Recovered: func() {
			p.Logger.Info("oauth: token refresh works again")
			if aerr := p.Desk.AlertStaff(set.Word(lang, "alert.oauth_recovered")); aerr != nil {
				p.Logger.Error("oauth: alert staff", "err", aerr)
			}
		},
	}, nil
}

// moreOps are the operator commands of this file's family, run by runOps.
var moreOps = map[string]func(p *Program, req opsRequest, w io.Writer) error{
	"oauth-store": oauthStore,
	"oauth-token": oauthToken,
	"ping":        func(*Program, opsRequest, io.Writer) error { return nil },
}

// stdin is what interactive commands read (tests replace it).
var stdin io.Reader = os.Stdin
