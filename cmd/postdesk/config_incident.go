package main

import (
	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/tickets"
)

// IncidentConfig is [incident]: how platform-wide incidents are proposed
// to staff and declared.
type IncidentConfig struct {
	MinReporters  int      `toml:"min_reporters"`
	Window        Duration `toml:"window"`
	MinDomains    int      `toml:"min_domains"`
	AutoDeclare   bool     `toml:"auto_declare"`
	AutoReporters int      `toml:"auto_reporters"`
	AutoDomains   int      `toml:"auto_domains"`
	RaiseTo       string   `toml:"raise_to"`
	MaxRecent     int      `toml:"max_recent"`
}

func defaultIncidentConfig() IncidentConfig {
	p := tickets.DefaultIncidentPolicy()
	return IncidentConfig{MinReporters: p.MinReporters, Window: Duration{p.Window}, MinDomains: p.MinDomains,
		AutoReporters: p.AutoReporters, AutoDomains: p.AutoDomains, RaiseTo: p.RaiseTo.String(), MaxRecent: p.MaxRecent}
}

// mapOldIncidentKeys keeps the keys of earlier versions working:
// sla.incident_threshold and sla.incident_window set incident.min_reporters
// and incident.window. Setting both an old key and its new one is an
// error naming the new key.
func (c *Config) mapOldIncidentKeys(md toml.MetaData) error {
	if md.IsDefined("sla", "incident_threshold") {
		if md.IsDefined("incident", "min_reporters") {
			return &ConfigError{Key: "sla.incident_threshold", Msg: "replaced by incident.min_reporters: set only that"}
		}
		c.Incident.MinReporters = c.SLA.IncidentThreshold
	}
	if md.IsDefined("sla", "incident_window") {
		if md.IsDefined("incident", "window") {
			return &ConfigError{Key: "sla.incident_window", Msg: "replaced by incident.window: set only that"}
		}
		c.Incident.Window = c.SLA.IncidentWindow
	}
	return nil
}

// validateIncident checks [incident].
func (c *Config) validateIncident() error {
	bad := func(key, msg string) error { return &ConfigError{Key: "incident." + key, Msg: msg} }
	in := c.Incident
	if in.MinReporters < 0 || in.MinReporters == 1 {
		return bad("min_reporters", "must be 0 (detection off) or at least 2")
	}
	if in.MinReporters > 0 && in.Window.Duration <= 0 {
		return bad("window", "must be a positive duration, e.g. \"15m\"")
	}
	if in.MinDomains < 1 {
		return bad("min_domains", "must be at least 1")
	}
	if in.AutoReporters < in.MinReporters {
		return bad("auto_reporters", "must not be below incident.min_reporters")
	}
	if in.AutoDomains < in.MinDomains {
		return bad("auto_domains", "must not be below incident.min_domains")
	}
	if _, ok := tickets.ParsePriority(in.RaiseTo); !ok {
		return bad("raise_to", "must be P0, P1, P2 or P3, got \""+in.RaiseTo+"\"")
	}
	if in.MaxRecent < 10 || in.MaxRecent > 5000 {
		return bad("max_recent", "must be between 10 and 5000")
	}
	return nil
}

// incidentPolicy is [incident] as the desk's policy.
func (c *Config) incidentPolicy() tickets.IncidentPolicy {
	raise, _ := tickets.ParsePriority(c.Incident.RaiseTo)
	in := c.Incident
	return tickets.IncidentPolicy{MinReporters: in.MinReporters, Window: in.Window.Duration, MinDomains: in.MinDomains,
		AutoDeclare: in.AutoDeclare, AutoReporters: in.AutoReporters, AutoDomains: in.AutoDomains, RaiseTo: raise, MaxRecent: in.MaxRecent}
}
