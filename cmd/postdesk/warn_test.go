package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

func TestServeWarnsAboutTheExampleConfig(t *testing.T) {
	c, err := ParseConfig(exampleConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	warnConfig(c, slog.New(slog.NewTextHandler(&b, nil)))
	for _, want := range []string{"imap.addr imap.example.org:993 is the example host", "smtp.addr smtp.example.org:587 is the example host",
		"imap.password is empty", "POSTDESK_SMTP_PASSWORD", "desk.secret is empty"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("serve's warnings lack %q:\n%s", want, b.String())
		}
	}
	// Microsoft 365 with the example hosts: the right ones are named.
	m := c
	m.IMAP.Auth, m.OAuth.Provider = "xoauth2", "microsoft"
	b.Reset()
	warnConfig(m, slog.New(slog.NewTextHandler(&b, nil)))
	if !strings.Contains(b.String(), `set imap.addr = \"outlook.office365.com:993\"`) {
		t.Errorf("no hint at the Microsoft 365 IMAP server:\n%s", b.String())
	}
	// A finished config draws no warning about hosts or passwords.
	_, good := checkEnv(t)
	b.Reset()
	warnConfig(good, slog.New(slog.NewTextHandler(&b, nil)))
	if b.Len() != 0 {
		t.Errorf("warnings for a finished config:\n%s", b.String())
	}
}
