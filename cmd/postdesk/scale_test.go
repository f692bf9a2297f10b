//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/postdesk/postdesk/internal/bench"
)

// TestBenchScale runs the scale mode at a tiny size and checks that its
// lookups read only what they need.
func TestBenchScale(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"bench", "-scale", "300", "-duration", "300ms", "-clients", "4", "-json"}, &out, &errs); err != nil {
		t.Fatalf("bench -scale: %v\nstderr:\n%s", err, errs.String())
	}
	var sc struct{ Scale bench.ScaleResult }
	if err := json.Unmarshal(out.Bytes(), &sc); err != nil {
		t.Fatalf("bench -scale output: %v\n%s", err, out.String())
	}
	s := sc.Scale
	if s.Storage.Tickets != 300 || s.LookupRead != 1 || s.Web.Requests == 0 || s.Web.Errors != 0 {
		t.Errorf("bench -scale 300: %d tickets, %.1f reads per lookup, %d requests, %d errors; want 300, 1, some, 0",
			s.Storage.Tickets, s.LookupRead, s.Web.Requests, s.Web.Errors)
	}
	if s.StatusQueryReads != s.HeavyTickets {
		t.Errorf("status query read %d tickets, want the sender's %d (index, not a scan)", s.StatusQueryReads, s.HeavyTickets)
	}
}
