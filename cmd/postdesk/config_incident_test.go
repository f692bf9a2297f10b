package main

import (
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func TestIncidentConfig(t *testing.T) {
	c, err := ParseConfig(exampleConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Policy()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Incident, tickets.DefaultIncidentPolicy(); got != want {
		t.Errorf("example [incident] = %+v, want the defaults %+v", got, want)
	}
	tests := []struct {
		name, from, to, key string
	}{
		{"bad raise_to", `raise_to = "P0"`, `raise_to = "urgent"`, "incident.raise_to"},
		{"one reporter", `min_reporters = 5`, `min_reporters = 1`, "incident.min_reporters"},
		{"no domains", `min_domains = 2`, `min_domains = 0`, "incident.min_domains"},
		{"auto bar below", `auto_reporters = 20`, `auto_reporters = 3`, "incident.auto_reporters"},
		{"bad window", `window = "15m"`, `window = "0s"`, "incident.window"},
		{"old and new key", `wait_final = "24h"`, "wait_final = \"24h\"\nincident_threshold = 6", "sla.incident_threshold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(exampleConfig, tt.from, tt.to, 1)
			if src == exampleConfig {
				t.Fatalf("%q not found in the example", tt.from)
			}
			if _, err := ParseConfig(src, nil); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Errorf("error %v, want one naming %s", err, tt.key)
			}
		})
	}
}

// TestOldIncidentKeysStillWork: a config of an earlier version, with
// sla.incident_threshold and sla.incident_window and no [incident], keeps
// its meaning.
func TestOldIncidentKeysStillWork(t *testing.T) {
	start := strings.Index(exampleConfig, "[incident]")
	end := strings.Index(exampleConfig, "[triage]")
	src := exampleConfig[:start] + exampleConfig[end:]
	src = strings.Replace(src, `wait_final = "24h"`, "wait_final = \"24h\"\nincident_threshold = 8\nincident_window = \"30m\"", 1)
	c, err := ParseConfig(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := c.Policy()
	if p.Incident.MinReporters != 8 || p.Incident.Window != 30*time.Minute {
		t.Errorf("old keys read as min_reporters %d, window %s; want 8, 30m", p.Incident.MinReporters, p.Incident.Window)
	}
	src = strings.Replace(src, "incident_threshold = 8", "incident_threshold = 0", 1)
	if c, err = ParseConfig(src, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.Policy(); p.Incident.MinReporters != 0 {
		t.Errorf("incident_threshold = 0 no longer disables detection")
	}
}
