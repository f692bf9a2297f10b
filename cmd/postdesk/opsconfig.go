package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"

	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/mail/oauth"
)

// OAuthConfig is [oauth]: how the mailbox account gets OAuth2 tokens when
// imap.auth or smtp.auth is "xoauth2".
type OAuthConfig struct {
	// Provider is "microsoft", "google", or "" for a generic provider
	// given by the URLs below.
	Provider string `toml:"provider"`
	// Tenant is the Microsoft 365 directory (id or domain); "" means
	// "organizations".
	Tenant       string   `toml:"tenant"`
	ClientID     string   `toml:"client_id"`
	ClientSecret string   `toml:"client_secret"`
	TokenURL     string   `toml:"token_url"`
	AuthURL      string   `toml:"auth_url"`
	DeviceURL    string   `toml:"device_auth_url"`
	Scopes       []string `toml:"scopes"`
}

// MetricsConfig is [metrics].
type MetricsConfig struct {
	// Listen is where /metrics (Prometheus) is served; "" is off.
	Listen string `toml:"listen"`
}

// LogConfig is [log].
type LogConfig struct {
	// Format is "text" (default) or "json".
	Format string `toml:"format"`
	// Level is "debug", "info" (default), "warn" or "error".
	Level string `toml:"level"`
}

// usesOAuth reports whether either mailbox connection logs in with OAuth2.
func (c *Config) usesOAuth() bool { return c.IMAP.Auth == "xoauth2" || c.SMTP.Auth == "xoauth2" }

// validateOps checks the operator keys.
func (c *Config) validateOps() error {
	bad := func(key, format string, args ...any) error {
		return &ConfigError{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	for key, v := range map[string]string{"imap.auth": c.IMAP.Auth, "smtp.auth": c.SMTP.Auth} {
		if v != "" && v != "password" && v != "xoauth2" {
			return bad(key, "must be \"password\" or \"xoauth2\", got %q", v)
		}
	}
	if c.SMTP.Auth == "xoauth2" && c.SMTP.Username == "" {
		return bad("smtp.username", "is needed with smtp.auth = \"xoauth2\"")
	}
	o := c.OAuth
	if o.Provider != "" {
		if _, ok := oauth.Preset(o.Provider, o.Tenant); !ok {
			return bad("oauth.provider", "must be \"microsoft\", \"google\" or \"\" (generic, with oauth.token_url), got %q", o.Provider)
		}
	}
	for key, u := range map[string]string{"oauth.token_url": o.TokenURL, "oauth.auth_url": o.AuthURL, "oauth.device_auth_url": o.DeviceURL} {
		if u == "" {
			continue
		}
		if pu, err := url.Parse(u); err != nil || (pu.Scheme != "https" && !(pu.Scheme == "http" && isLoopback(pu.Hostname()))) || pu.Host == "" {
			return bad(key, "must be an https URL, got %q", u)
		}
	}
	if c.usesOAuth() {
		if o.ClientID == "" {
			return bad("oauth.client_id", "is needed with imap.auth or smtp.auth = \"xoauth2\" (the id of the app registered with your mail provider)")
		}
		if o.Provider == "" && o.TokenURL == "" {
			return bad("oauth.provider", "set \"microsoft\" or \"google\", or oauth.token_url for another provider")
		}
		if o.Provider == "" && o.DeviceURL == "" && o.AuthURL == "" {
			return bad("oauth.device_auth_url", "set it (or oauth.auth_url) so `postdesk oauth login` can sign in")
		}
	}
	if c.Metrics.Listen != "" {
		if _, _, err := net.SplitHostPort(c.Metrics.Listen); err != nil {
			return bad("metrics.listen", "must be host:port (e.g. \"127.0.0.1:9090\") or empty, got %q", c.Metrics.Listen)
		}
	}
	switch c.Log.Format {
	case "", "text", "json":
	default:
		return bad("log.format", "must be \"text\" or \"json\", got %q", c.Log.Format)
	}
	if _, err := logLevel(c.Log.Level); err != nil {
		return bad("log.level", "%v", err)
	}
	return nil
}

// oauthProvider returns the provider [oauth] describes: a preset with the
// URLs and scopes given in the config taking precedence.
func (c *Config) oauthProvider() (oauth.Provider, *oauth2.Config) {
	o := c.OAuth
	p, _ := oauth.Preset(o.Provider, o.Tenant)
	if o.TokenURL != "" {
		p.Endpoint.TokenURL = o.TokenURL
	}
	if o.AuthURL != "" {
		p.Endpoint.AuthURL = o.AuthURL
	}
	if o.DeviceURL != "" {
		p.Endpoint.DeviceAuthURL = o.DeviceURL
		p.Device = true
	} else if o.Provider == "" {
		p.Device = false
	}
	if len(o.Scopes) > 0 {
		p.Scopes = o.Scopes
	}
	return p, &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: p.Endpoint, Scopes: p.Scopes}
}

func logLevel(s string) (slog.Level, error) {
	var l slog.Level
	if s == "" {
		s = "info"
	}
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return l, fmt.Errorf("must be \"debug\", \"info\", \"warn\" or \"error\", got %q", s)
	}
	return l, nil
}

// configLogger is the logger [log] asks for, writing to w. POSTDESK_DEBUG
// still turns on debug logs.
func configLogger(c LogConfig, w io.Writer) *slog.Logger {
	level, _ := logLevel(c.Level)
	if os.Getenv("POSTDESK_DEBUG") != "" {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
