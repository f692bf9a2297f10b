package main

import "testing"

// TestIncidentDovecot runs the incident scenarios with the support mailbox
// on a real Dovecot, the mail appended there as an MTA would deliver it,
// and the IMAP settings a deployment runs with (IDLE on, the default
// 30-second poll interval): new mail reaches postdesk through Dovecot's
// IDLE, as it would for a support lead. What postdesk sends goes to the
// in-process SMTP server. The candidate alert's delay after the fifth
// report is logged, not asserted.
//
// Without the dovecot binary the test is skipped with a message, or fails
// when the CI environment variable is set (see mail/dovecottest).
func TestIncidentDovecot(t *testing.T) {
	deployed := func(t *testing.T, configure func(*Config)) *testEnv {
		return dovecotEnv(t, func(c *Config) {
			def := defaultConfig().IMAP
			c.IMAP.IDLE, c.IMAP.PollInterval = def.IDLE, def.PollInterval
			if configure != nil {
				configure(c)
			}
		})
	}
	for _, c := range []struct {
		name  string
		check func(*testing.T, envMaker)
	}{
		{"busy morning makes no candidate", checkNoIncidentOnABusyMorning},
		{"outage proposed, declared, updated, resolved", checkIncidentEndToEnd},
	} {
		t.Run(c.name, func(t *testing.T) { c.check(t, deployed) })
	}
}
