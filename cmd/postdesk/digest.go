package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// DigestConfig is [digest]: the periodic digest mail to the leads.
type DigestConfig struct {
	// To are the leads' addresses; empty disables the digest.
	To []string `toml:"to"`
	// At is the local time ([hours] timezone) it is sent, "08:30" (the
	// default).
	At string `toml:"at"`
	// Weekly is a weekday name ("monday"): one digest a week on that day
	// instead of one a day.
	Weekly string `toml:"weekly"`
}

// defaultDigestAt is digest.at when the key is left out.
const defaultDigestAt = "08:30"

// checkDigest validates [digest], filling in the default time.
func (c *Config) checkDigest() error {
	if strings.TrimSpace(c.Digest.At) == "" {
		c.Digest.At = defaultDigestAt
	}
	for i, a := range c.Digest.To {
		if !strings.Contains(a, "@") {
			return &ConfigError{Key: fmt.Sprintf("digest.to[%d]", i), Msg: fmt.Sprintf("must be an email address, got %q", a)}
		}
	}
	if len(c.Digest.To) == 0 {
		return nil
	}
	if _, err := tickets.ParseDigestSchedule(c.Digest.At, "", nil); err != nil {
		return &ConfigError{Key: "digest.at", Msg: err.Error()}
	}
	if _, err := tickets.ParseDigestSchedule("00:00", c.Digest.Weekly, nil); err != nil {
		return &ConfigError{Key: "digest.weekly", Msg: err.Error()}
	}
	return nil
}

// digester builds the digest scheduler from [digest]; nil when no
// addresses are configured.
func (p *Program) digester() (*tickets.Digester, error) {
	c := p.Config.Digest
	if len(c.To) == 0 {
		return nil, nil
	}
	s, err := tickets.ParseDigestSchedule(c.At, c.Weekly, p.Desk.Policy.Hours.Loc)
	if err != nil {
		return nil, &ConfigError{Key: "digest.at", Msg: err.Error()}
	}
	g := &tickets.Digester{Desk: p.Desk, Schedule: s}
	for _, a := range c.To {
		g.To = append(g.To, tickets.Address{Email: tickets.NormalizeEmail(a)})
	}
	return g, nil
}

// digest queues the digest when it is due, checking every second; the
// check is a clock comparison until the send time.
func (p *Program) digest(ctx context.Context) error {
	if p.Digester == nil {
		return nil
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if _, err := p.Digester.Tick(); err != nil {
			p.Logger.Error("digest: tick", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
