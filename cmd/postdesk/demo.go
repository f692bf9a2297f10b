package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emersion/go-sasl"

	"github.com/emersion/go-smtp"
	"github.com/postdesk/postdesk/kb"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/mail/memserver"
)

// Demo accounts of the embedded mail server.
const (
	demoSupport  = "support@desk.test"
	demoCustomer = "alice@school.test"
	demoStaff    = "li@desk.test"
	demoPassword = "demo"
)

// demoConfig is the configuration `postdesk demo` runs with.
func demoConfig(imapAddr, smtpAddr, data, listen string) Config {
	c := defaultConfig()
	c.Desk.Name = "智慧教育云平台技术支持"
	c.Desk.Address = demoSupport
	c.Desk.Data = data
	c.Desk.Secret = ""
	c.IMAP = IMAPConfig{Addr: imapAddr, TLS: "none", Username: demoSupport, Password: demoPassword, Mailbox: "INBOX",
		FailedMailbox: "postdesk-failed", IDLE: true, PollInterval: Duration{2 * time.Second}}
	c.SMTP = SMTPConfig{Addr: smtpAddr, TLS: "none", Username: demoSupport, Password: demoPassword}
	c.Web.Listen = listen
	c.Staff = []StaffConfig{{Email: demoStaff, Name: "李工"}}
	return c
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	data := fs.String("data", "", "database file (default: a new temporary file)")
	listen := fs.String("listen", "127.0.0.1:8080", "web address")
	imapAddr := fs.String("imap", "127.0.0.1:1143", "embedded IMAP server address")
	smtpAddr := fs.String("smtp", "127.0.0.1:1025", "embedded SMTP server address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	ms, err := memserver.Start(*imapAddr, *smtpAddr)
	if err != nil && !explicit["imap"] && !explicit["smtp"] {
		// The default ports are taken: any free ones will do.
		ms, err = memserver.Start("", "")
	}
	if err != nil {
		return fmt.Errorf("demo mail server: %w (use --imap/--smtp for other ports)", err)
	}
	defer ms.Close()
	for _, u := range []string{demoSupport, demoCustomer, demoStaff} {
		ms.AddUser(u, demoPassword)
	}
	if *data == "" {
		dir, err := os.MkdirTemp("", "postdesk-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*data = filepath.Join(dir, "postdesk.db")
	}
	c := demoConfig(ms.IMAPAddr, ms.SMTPAddr, *data, *listen)
	if err := c.Validate(); err != nil {
		return err
	}
	c.Desk.BaseURL = "http://" + *listen
	starter, err := kb.NewLiveFS(kb.Starter(), "starter")
	if err != nil {
		return err
	}
	p := &Program{Config: c, Logger: newLogger(stderr), KB: starter}
	err = p.Open()
	if err != nil && !explicit["listen"] && strings.Contains(err.Error(), "web: listen") {
		p.Close()
		p = &Program{Config: c, Logger: newLogger(stderr), KB: starter}
		p.Config.Web.Listen = "127.0.0.1:0" // the default port is taken
		err = p.Open()
	}
	if err != nil {
		p.Close()
		return err
	}
	defer p.Close()
	if p.WebAddr != *listen {
		p.Composer.BaseURL = "http://" + p.WebAddr
	}
	fmt.Fprintf(stdout, `postdesk demo is running.

Embedded mail server (plain, no TLS, 127.0.0.1 only). Point any mail client at it:
  IMAP  %s    SMTP  %s
  users (password %q for all):
    %-22s the support mailbox postdesk watches
    %-22s a customer (teacher)
    %-22s a staff member (李工)
Tracking pages: http://%s/t/<token>   Database: %s

Sending a sample report from %s ...
`, ms.IMAPAddr, ms.SMTPAddr, demoPassword, demoSupport, demoCustomer, demoStaff, p.WebAddr, *data, demoCustomer)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx) }()

	sample := "From: =?utf-8?B?5byg6ICB5biI?= <" + demoCustomer + ">\r\n" +
		"To: " + demoSupport + "\r\n" +
		"Subject: =?utf-8?B?55u05pKt6K++5pWZ5a6k5Lit5a2m55Sf55yL5LiN5Yiw55S76Z2i?=\r\n" +
		"Message-ID: <demo-" + fmt.Sprint(time.Now().UnixNano()) + "@school.test>\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"老师们好，今天上午三年级二班的直播课，学生端一直黑屏，只能听到声音。\r\n请尽快处理，谢谢！\r\n"
	if err := sendPlain(ms.SMTPAddr, demoCustomer, demoPassword, demoSupport, sample); err != nil {
		fmt.Fprintf(stdout, "could not send the sample report: %v\n", err)
	} else if d, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return hasMailTo(d, demoCustomer) }); ok {
		for _, m := range d {
			if hasMailTo([]memserver.Delivered{m}, demoCustomer) {
				fmt.Fprintf(stdout, "\nThe confirmation %s received:\n\n%s\n", demoCustomer, indent(demoText(m.Data)))
				break
			}
		}
	} else {
		fmt.Fprintln(stdout, "the confirmation did not arrive within 10 s; see the log")
	}
	fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	return <-errc
}

func hasMailTo(d []memserver.Delivered, addr string) bool {
	for _, m := range d {
		for _, t := range m.To {
			if strings.EqualFold(t, addr) {
				return true
			}
		}
	}
	return false
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n    ")
}

// demoText shows a mail as a person would read it.
func demoText(raw []byte) string {
	m := mail.Parse(raw, nil)
	return "Subject: " + m.Subject + "\n\n" + m.Text
}

// sendPlain submits one mail over plain SMTP with AUTH PLAIN (loopback only).
func sendPlain(addr, user, password, to, data string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", user, password)); err != nil {
		return err
	}
	if err := c.SendMail(user, []string{to}, strings.NewReader(data)); err != nil {
		return err
	}
	return c.Quit()
}
