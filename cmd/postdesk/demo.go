package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"mime"
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

// demoOwnConfig is the operator's own configuration run by `postdesk demo
// --config`: every key of own applies except the mail servers (the
// embedded ones of demo), the database (demo's) and the web address.
func demoOwnConfig(own, demo Config) Config {
	c := own
	c.IMAP = demo.IMAP
	c.IMAP.Username = own.Desk.Address
	c.SMTP = demo.SMTP
	c.SMTP.Username = own.Desk.Address
	c.Desk.Data = demo.Desk.Data
	c.Web.Listen = demo.Web.Listen
	if len(c.Staff) == 0 {
		c.Staff = demo.Staff
	}
	return c
}

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
	lang := fs.String("lang", "", `language of the desk and the sample report: "zh-CN" or "en" (default: the config's, else zh-CN)`)
	cfgPath := fs.String("config", "", "your config file: its keys apply, but the mail servers stay the embedded ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *lang != "" && *lang != "zh-CN" && *lang != "en" {
		return fmt.Errorf("demo: --lang must be \"zh-CN\" or \"en\", got %q", *lang)
	}
	var own *Config
	if *cfgPath != "" {
		c, err := LoadConfig(*cfgPath)
		if err != nil {
			return err
		}
		own = &c
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
	users := []string{demoSupport, demoCustomer, demoStaff}
	if own != nil {
		users = append(users, own.Desk.Address)
		for _, st := range own.Staff {
			users = append(users, st.Email)
		}
	}
	for _, u := range users {
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
	if own != nil {
		c = demoOwnConfig(*own, c)
	}
	if *lang != "" {
		c.Desk.Language = *lang
		if own == nil && *lang == "en" {
			c.Desk.Name = "Smart Education Cloud Support"
			c.Staff[0].Name = "Li Wei"
		}
	}
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
	p.Composer.ShowCommand = showCommand(*cfgPath, *data)
	support, staffAddr, staffName := c.Desk.Address, c.Staff[0].Email, c.Staff[0].Name
	fmt.Fprintf(stdout, `postdesk demo is running.

Embedded mail server (plain, no TLS, 127.0.0.1 only). Point any mail client at it:
  IMAP  %s    SMTP  %s
  users (password %q for all):
    %-22s the support mailbox postdesk watches
    %-22s a customer (teacher)
    %-22s a staff member (%s)
Tracking pages: http://%s/t/<token>   Database: %s
Staff view of ticket N: %s

Sending a sample report from %s ...
`, ms.IMAPAddr, ms.SMTPAddr, demoPassword, support, demoCustomer, staffAddr, staffName, p.WebAddr, *data,
		strings.Replace(p.Composer.ShowCommand, "%d", "N", 1), demoCustomer)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx) }()

	name, subject, body := "张老师", "直播课教室中学生看不到画面", "老师们好，今天上午三年级二班的直播课，学生端一直黑屏，只能听到声音。\r\n请尽快处理，谢谢！\r\n"
	if c.Desk.Language == "en" {
		name, subject, body = "Ms Zhang", "Live class: students see a black screen", "Hello, in this morning's live class for grade 3 class 2 the students' screens stayed black; they could only hear the sound.\r\nPlease fix it soon, thank you!\r\n"
	}
	sample := "From: " + mime.QEncoding.Encode("utf-8", name) + " <" + demoCustomer + ">\r\n" +
		"To: " + support + "\r\n" +
		"Subject: " + mime.BEncoding.Encode("utf-8", subject) + "\r\n" +
		"Message-ID: <demo-" + fmt.Sprint(time.Now().UnixNano()) + "@school.test>\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
	if err := sendPlain(ms.SMTPAddr, demoCustomer, demoPassword, support, sample); err != nil {
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
