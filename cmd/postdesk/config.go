package main

import (
	"crypto/tls"
	"crypto/x509"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
	"github.com/postdesk/postdesk/tickets/triage"
)

// exampleConfig is written by `postdesk init`; it documents every key and
// is parsed by the tests, so it stays valid.
//
//go:embed example.toml
var exampleConfig string

// Duration is a Go duration string in the config ("30s", "2h").
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("not a duration (e.g. \"30s\", \"2h\"): %q", b)
	}
	d.Duration = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Config is the whole configuration file. The zero values of optional keys
// are replaced by defaultConfig.
type Config struct {
	Desk   DeskConfig    `toml:"desk"`
	IMAP   IMAPConfig    `toml:"imap"`
	SMTP   SMTPConfig    `toml:"smtp"`
	Web    WebConfig     `toml:"web"`
	Staff  []StaffConfig `toml:"staff"`
	SLA    SLAConfig     `toml:"sla"`
	Hours  HoursConfig   `toml:"hours"`
	Triage TriageConfig  `toml:"triage"`
	// Incident is [incident] (config_incident.go).
	Incident IncidentConfig `toml:"incident"`
	KB       KBConfig       `toml:"kb"`
	Digest   DigestConfig   `toml:"digest"`

	// Operator keys (see opsconfig.go).
	OAuth   OAuthConfig   `toml:"oauth"`
	Metrics MetricsConfig `toml:"metrics"`
	Log     LogConfig     `toml:"log"`
}

// KBConfig is [kb], the self-help knowledge base.
type KBConfig struct {
	// Dir is a folder of Markdown articles; empty: no knowledge base.
	Dir string `toml:"dir"`
}

// DeskConfig is [desk].
type DeskConfig struct {
	Name      string `toml:"name"`
	Address   string `toml:"address"`
	BaseURL   string `toml:"base_url"`
	Language  string `toml:"language"`
	Data      string `toml:"data"`
	Secret    string `toml:"secret"`
	TagPrefix string `toml:"tag_prefix"`
	// MaxMailSize bounds the attachment bytes kept from one mail.
	MaxMailSize int `toml:"max_mail_size"`
	// StaffAttachMax bounds the attachment bytes attached to one staff
	// notification; beyond it attachments are listed.
	StaffAttachMax int `toml:"staff_attach_max"`
	// PlusAddressing puts the staff reply token into the Reply-To address
	// (support+TOKEN@domain) as well.
	PlusAddressing bool `toml:"plus_addressing"`
	// TrustAuthResults is the authserv-id of our own receiving server; a
	// staff mail whose topmost Authentication-Results header from it shows
	// dkim=pass or dmarc=pass for the From domain counts as verified.
	TrustAuthResults string `toml:"trust_auth_results"`

	// Staff proof and fan-out (README "Security").

	// RequireAuthResults makes a staff mail need a valid reply token AND
	// dkim=pass or dmarc=pass for its From domain in the topmost
	// Authentication-Results from trust_auth_results.
	RequireAuthResults bool `toml:"require_auth_results"`
	// TokenTTL is how long a staff reply token works.
	TokenTTL Duration `toml:"token_ttl"`
	// MaxParticipants bounds the participants a ticket takes from To/Cc
	// and a staff reply's fan-out beyond the requester.
	MaxParticipants int `toml:"max_participants"`
	// StaffReceipts sends a receipt for every staff reply with commands;
	// false (the default) sends one only when a command failed.
	StaffReceipts bool `toml:"staff_receipts"`
	// CapsConfig bounds automatic mail (its keys sit in [desk]).
	CapsConfig
}

// IMAPConfig is [imap].
type IMAPConfig struct {
	Addr             string   `toml:"addr"`
	TLS              string   `toml:"tls"`
	CAFile           string   `toml:"ca_file"`
	Username         string   `toml:"username"`
	Password         string   `toml:"password"`
	Mailbox          string   `toml:"mailbox"`
	ProcessedMailbox string   `toml:"processed_mailbox"`
	FailedMailbox    string   `toml:"failed_mailbox"`
	IDLE             bool     `toml:"idle"`
	PollInterval     Duration `toml:"poll_interval"`
	// Auth is "password" (default) or "xoauth2" (token from [oauth]).
	Auth string `toml:"auth"`
}

// SMTPConfig is [smtp].
type SMTPConfig struct {
	Addr     string `toml:"addr"`
	TLS      string `toml:"tls"`
	CAFile   string `toml:"ca_file"`
	Username string `toml:"username"`
	Password string `toml:"password"`
	// Auth is "password" (default) or "xoauth2" (token from [oauth]).
	Auth string `toml:"auth"`
}

// WebConfig is [web].
type WebConfig struct {
	Listen        string  `toml:"listen"`
	RatePerSecond float64 `toml:"rate_per_second"`
	TrustProxy    bool    `toml:"trust_proxy"`
}

// StaffConfig is one [[staff]].
type StaffConfig struct {
	Email     string `toml:"email"`
	Name      string `toml:"name"`
	NotifyNew *bool  `toml:"notify_new"`
}

// SLAConfig is [sla].
type SLAConfig struct {
	ReopenWindow Duration     `toml:"reopen_window"`
	P0           TargetConfig `toml:"p0"`
	P1           TargetConfig `toml:"p1"`
	P2           TargetConfig `toml:"p2"`
	P3           TargetConfig `toml:"p3"`
	WarnAt       float64      `toml:"warn_at"`
	EscalateTo   []string     `toml:"escalate_to"`
	AutoClose    Duration     `toml:"auto_close"`
	Reminders    []Duration   `toml:"reminders"`
	WaitOutcome  string       `toml:"wait_outcome"`
	WaitFinal    Duration     `toml:"wait_final"`
	// IncidentThreshold and IncidentWindow are the keys of earlier
	// versions, mapped to incident.min_reporters and incident.window.
	IncidentThreshold int      `toml:"incident_threshold,omitzero"`
	IncidentWindow    Duration `toml:"incident_window,omitempty"`
	// Typical maps a category to its typical resolution time ("30m-2h",
	// "4h-1d"), over the built-in tickets.DefaultTypical.
	Typical map[string]string `toml:"typical"`
}

// TargetConfig is [sla.pN].
type TargetConfig struct {
	Response Length `toml:"response"`
	Resolve  Length `toml:"resolve"`
	AllHours bool   `toml:"all_hours"`
}

// Length is a target in the config: working days ("1d") or a Go duration
// ("30m", "2h", counted on working hours unless all_hours).
type Length struct{ tickets.Length }

// UnmarshalText implements encoding.TextUnmarshaler.
func (l *Length) UnmarshalText(b []byte) error {
	v, err := tickets.ParseLength(string(b))
	if err != nil {
		return err
	}
	l.Length = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (l Length) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// days returns l in working days, counting a working day as workday of
// working time, for comparing a response with a resolution target.
func (l Length) days(workday time.Duration) float64 {
	if l.Days > 0 {
		return float64(l.Days)
	}
	return float64(l.D) / float64(workday)
}

// TriageConfig is [triage].
type TriageConfig struct {
	UrgentWords []string `toml:"urgent_words"`
	QueryWords  []string `toml:"query_words"`
	// LearnDurations: confirmations promise the median resolution time
	// of the category's history once it has tickets.DefaultLearnMin
	// finished tickets.
	LearnDurations bool `toml:"learn_durations"`
}

// HoursConfig is [hours].
type HoursConfig struct {
	Timezone string   `toml:"timezone"`
	Week     string   `toml:"week"`
	Holidays []string `toml:"holidays"`
	Workdays []string `toml:"workdays"`
}

func defaultConfig() Config {
	return Config{
		Desk: DeskConfig{Name: "postdesk", Language: "zh-CN", Data: "postdesk.db", BaseURL: "http://127.0.0.1:8080", MaxMailSize: 25 << 20, StaffAttachMax: 10 << 20,
			TokenTTL: Duration{tickets.DefaultTokenTTL}, MaxParticipants: tickets.DefaultMaxParticipants, CapsConfig: defaultCapsConfig()},
		IMAP: IMAPConfig{TLS: "implicit", Mailbox: "INBOX", IDLE: true, PollInterval: Duration{30 * time.Second}, FailedMailbox: "postdesk-failed"},
		SMTP: SMTPConfig{TLS: "starttls"},
		Web:  WebConfig{Listen: "127.0.0.1:8080"},
		SLA: SLAConfig{ReopenWindow: Duration{7 * 24 * time.Hour},
			P0:     TargetConfig{Length{tickets.Length{D: 30 * time.Minute}}, Length{tickets.Length{D: 4 * time.Hour}}, true},
			P1:     TargetConfig{Length{tickets.Length{D: 2 * time.Hour}}, Length{tickets.Length{D: 8 * time.Hour}}, false},
			P2:     TargetConfig{Length{tickets.Length{Days: 1}}, Length{tickets.Length{Days: 3}}, false},
			P3:     TargetConfig{Length{tickets.Length{Days: 3}}, Length{tickets.Length{Days: 7}}, false},
			WarnAt: 0.8, AutoClose: Duration{72 * time.Hour},
			Reminders:   []Duration{{24 * time.Hour}, {48 * time.Hour}},
			WaitOutcome: "resolved", WaitFinal: Duration{24 * time.Hour}},
		Hours:    HoursConfig{Timezone: "Asia/Shanghai", Week: "Mon-Fri 09:00-17:30"},
		Incident: defaultIncidentConfig(),
	}
}

// ConfigError names the key that is wrong.
type ConfigError struct {
	Key string
	Msg string
}

func (e *ConfigError) Error() string { return fmt.Sprintf("config: %s: %s", e.Key, e.Msg) }

// LoadConfig reads a TOML file over the defaults, applies the environment
// overrides (POSTDESK_SECRET, POSTDESK_IMAP_PASSWORD, POSTDESK_SMTP_PASSWORD)
// and validates it. Unknown keys are errors, so typos do not pass silently.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return ParseConfig(string(data), os.Getenv)
}

// ParseConfig is LoadConfig on a string, with getenv for the overrides.
func ParseConfig(data string, getenv func(string) string) (Config, error) {
	c := defaultConfig()
	md, err := toml.Decode(data, &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			key := pe.LastKey
			if key == "" {
				key = fmt.Sprintf("line %d", pe.Position.Line)
			}
			return Config{}, &ConfigError{Key: key, Msg: strings.TrimPrefix(pe.Message, "toml: ")}
		}
		return Config{}, fmt.Errorf("config: %w", err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return Config{}, &ConfigError{Key: und[0].String(), Msg: "unknown key"}
	}
	if err := c.mapOldIncidentKeys(md); err != nil {
		return Config{}, err
	}
	if getenv != nil {
		if v := getenv("POSTDESK_SECRET"); v != "" {
			c.Desk.Secret = v
		}
		if v := getenv("POSTDESK_IMAP_PASSWORD"); v != "" {
			c.IMAP.Password = v
		}
		if v := getenv("POSTDESK_SMTP_PASSWORD"); v != "" {
			c.SMTP.Password = v
		}
		if v := getenv("POSTDESK_OAUTH_CLIENT_SECRET"); v != "" {
			c.OAuth.ClientSecret = v
		}
	}
	return c, c.Validate()
}

// Validate checks every key and returns the first problem.
func (c *Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return &ConfigError{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	if !strings.Contains(c.Desk.Address, "@") {
		return bad("desk.address", "must be an email address, got %q", c.Desk.Address)
	}
	if u, err := url.Parse(c.Desk.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return bad("desk.base_url", "must be an http(s) URL, got %q", c.Desk.BaseURL)
	}
	c.Desk.BaseURL = strings.TrimRight(c.Desk.BaseURL, "/")
	if c.Desk.Language != "zh-CN" && c.Desk.Language != "en" {
		return bad("desk.language", "must be \"zh-CN\" or \"en\", got %q", c.Desk.Language)
	}
	if c.Desk.Data == "" {
		return bad("desk.data", "must name the database file")
	}
	if c.Desk.Secret != "" && len(c.Desk.Secret) < 16 {
		return bad("desk.secret", "must be at least 16 characters (or empty to generate one)")
	}
	if c.Desk.MaxMailSize < 0 {
		return bad("desk.max_mail_size", "must not be negative")
	}
	if c.Desk.StaffAttachMax < 0 {
		return bad("desk.staff_attach_max", "must not be negative")
	}
	if c.Desk.RequireAuthResults && c.Desk.TrustAuthResults == "" {
		return bad("desk.require_auth_results", "needs desk.trust_auth_results (the authserv-id of your receiving server)")
	}
	if c.Desk.TokenTTL.Duration < time.Hour {
		return bad("desk.token_ttl", "must be at least 1h, got %s", c.Desk.TokenTTL)
	}
	if c.Desk.MaxParticipants < 1 || c.Desk.MaxParticipants > 100 {
		return bad("desk.max_participants", "must be between 1 and 100, got %d", c.Desk.MaxParticipants)
	}
	if err := c.Desk.CapsConfig.validate(); err != nil {
		return err
	}
	if err := checkEndpoint("imap", c.IMAP.Addr, c.IMAP.TLS, c.IMAP.CAFile); err != nil {
		return err
	}
	if c.IMAP.Username == "" {
		return bad("imap.username", "missing")
	}
	if c.IMAP.Mailbox == "" {
		return bad("imap.mailbox", "missing")
	}
	if c.IMAP.PollInterval.Duration < 100*time.Millisecond {
		return bad("imap.poll_interval", "must be at least 100ms, got %s", c.IMAP.PollInterval)
	}
	if c.IMAP.ProcessedMailbox != "" && c.IMAP.ProcessedMailbox == c.IMAP.Mailbox {
		return bad("imap.processed_mailbox", "must differ from imap.mailbox")
	}
	if c.IMAP.FailedMailbox == c.IMAP.Mailbox || strings.EqualFold(c.IMAP.FailedMailbox, "INBOX") && strings.EqualFold(c.IMAP.Mailbox, "INBOX") {
		// Failed mail moved into the watched mailbox comes back at once.
		return bad("imap.failed_mailbox", "must differ from imap.mailbox (or be empty to leave failed mail in place)")
	}
	if err := checkEndpoint("smtp", c.SMTP.Addr, c.SMTP.TLS, c.SMTP.CAFile); err != nil {
		return err
	}
	if _, _, err := net.SplitHostPort(c.Web.Listen); err != nil {
		return bad("web.listen", "must be host:port, got %q", c.Web.Listen)
	}
	seen := map[string]bool{}
	for i, s := range c.Staff {
		key := fmt.Sprintf("staff[%d].email", i)
		if !strings.Contains(s.Email, "@") {
			return bad(key, "must be an email address, got %q", s.Email)
		}
		e := strings.ToLower(strings.TrimSpace(s.Email))
		if seen[e] {
			return bad(key, "%s is listed twice", s.Email)
		}
		if e == strings.ToLower(c.Desk.Address) {
			return bad(key, "must not be the desk address")
		}
		seen[e] = true
	}
	for i, tg := range []TargetConfig{c.SLA.P0, c.SLA.P1, c.SLA.P2, c.SLA.P3} {
		if tg.Response.Zero() {
			return bad(fmt.Sprintf("sla.p%d.response", i), "must be a positive duration or number of working days")
		}
		if tg.AllHours && (tg.Response.Days > 0 || tg.Resolve.Days > 0) {
			return bad(fmt.Sprintf("sla.p%d.all_hours", i), "working days (\"1d\") do not go with all_hours; use hours (\"24h\")")
		}
		if tg.Resolve.days(8*time.Hour) < tg.Response.days(8*time.Hour) {
			return bad(fmt.Sprintf("sla.p%d.resolve", i), "must not be shorter than sla.p%d.response", i)
		}
	}
	if _, err := c.typical(); err != nil {
		return err
	}
	if c.SLA.WarnAt < 0 || c.SLA.WarnAt >= 1 {
		return bad("sla.warn_at", "must be between 0 (off) and 1, e.g. 0.8")
	}
	for i, a := range c.SLA.EscalateTo {
		if !strings.Contains(a, "@") {
			return bad(fmt.Sprintf("sla.escalate_to[%d]", i), "must be an email address, got %q", a)
		}
	}
	switch c.SLA.WaitOutcome {
	case "", "none", "resolved", "closed":
	default:
		return bad("sla.wait_outcome", "must be \"resolved\", \"closed\" or \"none\", got %q", c.SLA.WaitOutcome)
	}
	if c.SLA.WaitFinal.Duration < 0 {
		// A negative wait would end the wait before the last reminder.
		return bad("sla.wait_final", "must not be negative, got %s", c.SLA.WaitFinal)
	}
	for i, r := range c.SLA.Reminders {
		if r.Duration <= 0 || i > 0 && r.Duration <= c.SLA.Reminders[i-1].Duration {
			return bad(fmt.Sprintf("sla.reminders[%d]", i), "must be positive and increasing")
		}
	}
	if err := c.validateIncident(); err != nil {
		return err
	}
	if _, err := c.Calendar(); err != nil {
		return err
	}
	if err := c.checkDigest(); err != nil {
		return err
	}
	if c.KB.Dir != "" {
		if st, err := os.Stat(c.KB.Dir); err != nil || !st.IsDir() {
			return bad("kb.dir", "must be a folder of Markdown articles, got %q", c.KB.Dir)
		}
	}
	return c.validateOps()
}

// Policy builds the desk's service-level policy from [sla], [hours] and
// [triage].
func (c *Config) Policy() (*tickets.Policy, error) {
	cal, err := c.Calendar()
	if err != nil {
		return nil, err
	}
	rules := triage.DefaultRules()
	if len(c.Triage.UrgentWords) > 0 {
		rules.Urgent = c.Triage.UrgentWords
	}
	p := tickets.DefaultPolicy()
	p.Hours = cal
	p.Rules = rules
	for i, tg := range []TargetConfig{c.SLA.P0, c.SLA.P1, c.SLA.P2, c.SLA.P3} {
		p.Targets[i] = tickets.Target{Response: tg.Response.D, Resolve: tg.Resolve.D,
			ResponseDays: tg.Response.Days, ResolveDays: tg.Resolve.Days, AllHours: tg.AllHours}
	}
	if p.Typical, err = c.typical(); err != nil {
		return nil, err
	}
	p.ReopenWindow = c.SLA.ReopenWindow.Duration
	if len(c.Triage.QueryWords) > 0 {
		p.QueryWords = c.Triage.QueryWords
	}
	p.WarnAt = c.SLA.WarnAt
	p.EscalateTo = nil
	for _, a := range c.SLA.EscalateTo {
		p.EscalateTo = append(p.EscalateTo, tickets.Address{Email: tickets.NormalizeEmail(a)})
	}
	p.AutoClose = c.SLA.AutoClose.Duration
	p.Reminders = nil
	for _, r := range c.SLA.Reminders {
		p.Reminders = append(p.Reminders, r.Duration)
	}
	p.WaitOutcome = ""
	if c.SLA.WaitOutcome == "resolved" || c.SLA.WaitOutcome == "closed" {
		p.WaitOutcome = tickets.Status(c.SLA.WaitOutcome)
	}
	p.WaitFinal = c.SLA.WaitFinal.Duration
	p.Incident = c.incidentPolicy()
	p.LearnDurations = c.Triage.LearnDurations
	return p, nil
}

// typical returns the categories' typical times: the built-in ones with
// [sla.typical] over them.
func (c *Config) typical() (map[string]tickets.Typical, error) {
	out := tickets.DefaultTypical()
	known := triage.DefaultRules()
	for name, v := range c.SLA.Typical {
		key := "sla.typical." + name
		if _, ok := known.Category(name); !ok {
			return nil, &ConfigError{Key: key, Msg: "unknown category"}
		}
		typ, err := tickets.ParseTypical(v)
		if err != nil {
			return nil, &ConfigError{Key: key, Msg: err.Error()}
		}
		out[name] = typ
	}
	return out, nil
}

func checkEndpoint(section, addr, mode, caFile string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "" {
		return &ConfigError{Key: section + ".addr", Msg: fmt.Sprintf("must be host:port, got %q", addr)}
	}
	switch mode {
	case "implicit", "starttls":
	case "none":
		if !isLoopback(host) {
			return &ConfigError{Key: section + ".tls", Msg: fmt.Sprintf("\"none\" is only allowed for a loopback address, not %q", host)}
		}
	default:
		return &ConfigError{Key: section + ".tls", Msg: fmt.Sprintf("must be \"implicit\", \"starttls\" or \"none\", got %q", mode)}
	}
	if caFile != "" {
		if _, err := os.ReadFile(caFile); err != nil {
			return &ConfigError{Key: section + ".ca_file", Msg: err.Error()}
		}
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig returns the TLS settings for a server: system roots, or the
// roots in caFile. Certificates are always verified.
func tlsConfig(caFile string) (*tls.Config, error) {
	if caFile == "" {
		return &tls.Config{MinVersion: tls.VersionTLS12}, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificates", caFile)
	}
	return &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// Calendar builds the business-hours calendar from [hours].
func (c *Config) Calendar() (*hours.Calendar, error) {
	cal := hours.Default()
	if c.Hours.Timezone != "" {
		loc, err := time.LoadLocation(c.Hours.Timezone)
		if err != nil {
			return nil, &ConfigError{Key: "hours.timezone", Msg: err.Error()}
		}
		cal.Loc = loc
	}
	if c.Hours.Week != "" {
		w, err := hours.ParseWeek(c.Hours.Week)
		if err != nil {
			return nil, &ConfigError{Key: "hours.week", Msg: err.Error()}
		}
		cal.Week = w
	}
	for i, d := range c.Hours.Holidays {
		if _, err := time.Parse(hours.DateLayout, d); err != nil {
			return nil, &ConfigError{Key: fmt.Sprintf("hours.holidays[%d]", i), Msg: fmt.Sprintf("want YYYY-MM-DD, got %q", d)}
		}
		cal.Holidays[d] = true
	}
	for i, d := range c.Hours.Workdays {
		if _, err := time.Parse(hours.DateLayout, d); err != nil {
			return nil, &ConfigError{Key: fmt.Sprintf("hours.workdays[%d]", i), Msg: fmt.Sprintf("want YYYY-MM-DD, got %q", d)}
		}
		cal.Workdays[d] = true
	}
	if err := cal.Validate(); err != nil {
		return nil, &ConfigError{Key: "hours.week", Msg: err.Error()}
	}
	return cal, nil
}
