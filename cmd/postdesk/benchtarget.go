package main

import (
	"context"
	"time"

	"github.com/postdesk/postdesk/internal/bench"
	"github.com/postdesk/postdesk/tickets"
)

// benchTarget opens the Program for `postdesk bench` (package bench): the
// demo configuration, changed as the bench's Setup says.
type benchTarget struct{}

var _ bench.Postdesk = benchTarget{}

// Open validates the configuration and opens a Program; on error nothing
// stays open.
func (benchTarget) Open(s bench.Setup) (bench.Program, error) {
	c := demoConfig(s.IMAPAddr, s.SMTPAddr, s.Data, "127.0.0.1:0")
	c.Desk.Address, c.IMAP.Username, c.SMTP.Username = s.Address, s.Address, s.Address
	c.IMAP.Password, c.SMTP.Password = s.Password, s.Password
	c.Desk.Secret = s.Secret
	if s.Poll > 0 {
		c.IMAP.PollInterval = Duration{s.Poll}
	}
	c.Staff = nil
	for _, st := range s.Staff {
		c.Staff = append(c.Staff, StaffConfig{Email: st.Email, Name: st.Name})
	}
	if s.NoRateLimit {
		c.Web.RatePerSecond = -1
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	p := &Program{Config: c, Logger: s.Logger}
	if err := p.Open(); err != nil {
		p.Close()
		return nil, err
	}
	p.Poller.Handled = s.Handled
	return benchProgram{p}, nil
}

// benchProgram is a Program as the bench sees it.
type benchProgram struct{ p *Program }

func (b benchProgram) Run(ctx context.Context) error { return b.p.Run(ctx) }
func (b benchProgram) Close() error                  { return b.p.Close() }
func (b benchProgram) Desk() *tickets.Desk           { return b.p.Desk }
func (b benchProgram) Store() tickets.Store          { return b.p.DB }
func (b benchProgram) WebAddr() string               { return b.p.WebAddr }

func (b benchProgram) ServeWeb() (string, func()) {
	go b.p.srv.Serve(b.p.ln)
	return b.p.WebAddr, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b.p.srv.Shutdown(ctx)
		cancel()
	}
}
