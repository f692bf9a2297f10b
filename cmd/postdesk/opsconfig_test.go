package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestOpsConfigErrorsNameTheKey(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, key string
	}{
		{"bad imap auth", "auth = \"password\"\n", "auth = \"oauth\"\n", "imap.auth"},
		{"xoauth2 without client id", "auth = \"password\"\n", "auth = \"xoauth2\"\n", "oauth.client_id"},
		{"unknown provider", `provider = ""`, `provider = "yahoo"`, "oauth.provider"},
		{"plain http token url", `token_url = ""`, `token_url = "http://login.example.com/token"`, "oauth.token_url"},
		{"bad metrics listen", "e.g. \"127.0.0.1:9090\".\nlisten = \"\"", "e.g. \"127.0.0.1:9090\".\nlisten = \"9090\"", "metrics.listen"},
		{"bad log format", `format = "text"`, `format = "xml"`, "log.format"},
		{"bad log level", `level = "info"`, `level = "loud"`, "log.level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(exampleConfig, tc.from) {
				t.Fatalf("example config lacks %q", tc.from)
			}
			_, err := ParseConfig(strings.Replace(exampleConfig, tc.from, tc.to, 1), nil)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tc.key {
				t.Errorf("err = %v, want a ConfigError naming %s", err, tc.key)
			}
		})
	}
	// A complete Microsoft 365 setup passes, and the client secret can come
	// from the environment.
	m365 := strings.Replace(exampleConfig, "auth = \"password\"\n", "auth = \"xoauth2\"\n", 2)
	m365 = strings.Replace(m365, `provider = ""`, `provider = "microsoft"`, 1)
	m365 = strings.Replace(m365, `client_id = ""`, `client_id = "11111111-2222-3333-4444-555555555555"`, 1)
	c, err := ParseConfig(m365, func(k string) string {
		if k == "POSTDESK_OAUTH_CLIENT_SECRET" {
			return "from-env"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	prov, cfg := c.oauthProvider()
	if !prov.Device || cfg.ClientSecret != "from-env" || !strings.Contains(cfg.Endpoint.DeviceAuthURL, "/organizations/") {
		t.Errorf("microsoft provider = %+v, config %+v", prov, cfg)
	}
}

func TestLogConfig(t *testing.T) {
	var b bytes.Buffer
	log := configLogger(LogConfig{Format: "json", Level: "warn"}, &b)
	log.Info("hidden")
	log.Warn("shown", "ticket", 7)
	var rec map[string]any
	if err := json.Unmarshal(b.Bytes(), &rec); err != nil {
		t.Fatalf("json log line %q: %v", b.String(), err)
	}
	if rec["msg"] != "shown" || rec["ticket"] != float64(7) || strings.Contains(b.String(), "hidden") {
		t.Errorf("log output %q", b.String())
	}
	b.Reset()
	configLogger(LogConfig{}, &b).Info("plain", "k", "v")
	if !strings.Contains(b.String(), "msg=plain k=v") {
		t.Errorf("text log output %q", b.String())
	}
}
