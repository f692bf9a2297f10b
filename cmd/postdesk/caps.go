package main

import (
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// CapsConfig is the part of [desk] that bounds automatic mail (see
// tickets.Caps): desk.confirm_burst, desk.summary_every,
// desk.auto_cap_per_address and desk.auto_cap_per_ticket.
type CapsConfig struct {
	ConfirmBurst      int      `toml:"confirm_burst"`
	SummaryEvery      Duration `toml:"summary_every"`
	AutoCapPerAddress int      `toml:"auto_cap_per_address"`
	AutoCapPerTicket  int      `toml:"auto_cap_per_ticket"`
}

func defaultCapsConfig() CapsConfig {
	d := tickets.DefaultCaps()
	return CapsConfig{ConfirmBurst: d.ConfirmBurst, SummaryEvery: Duration{d.SummaryEvery},
		AutoCapPerAddress: d.PerAddress, AutoCapPerTicket: d.PerTicket}
}

func (c CapsConfig) validate() error {
	switch {
	case c.ConfirmBurst < 1:
		return &ConfigError{Key: "desk.confirm_burst", Msg: "must be at least 1"}
	case c.SummaryEvery.Duration < time.Minute || c.SummaryEvery.Duration > 24*time.Hour:
		return &ConfigError{Key: "desk.summary_every", Msg: "must be between 1m and 24h, got " + c.SummaryEvery.String()}
	case c.AutoCapPerAddress < 0:
		return &ConfigError{Key: "desk.auto_cap_per_address", Msg: "must not be negative (0 disables)"}
	case c.AutoCapPerTicket < 0:
		return &ConfigError{Key: "desk.auto_cap_per_ticket", Msg: "must not be negative (0 disables)"}
	}
	return nil
}

// caps copies the keys into the domain's Caps.
func (c CapsConfig) caps() *tickets.Caps {
	return &tickets.Caps{ConfirmBurst: c.ConfirmBurst, SummaryEvery: c.SummaryEvery.Duration,
		PerAddress: c.AutoCapPerAddress, PerTicket: c.AutoCapPerTicket}
}
