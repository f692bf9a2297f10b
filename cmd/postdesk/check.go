package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/mail/oauth"
)

// checkTimeout bounds each network step of `postdesk check`.
const checkTimeout = 10 * time.Second

// checkReport collects the findings of `postdesk check`: each is ok, a
// warning (works, but worth changing) or a problem (will not work), and
// every warning and problem carries the fix in plain words.
type checkReport struct {
	w        io.Writer
	problems int
	warnings int
}

func (r *checkReport) ok(format string, args ...any) {
	fmt.Fprintf(r.w, "ok       %s\n", fmt.Sprintf(format, args...))
}

func (r *checkReport) warn(fix, format string, args ...any) {
	r.warnings++
	fmt.Fprintf(r.w, "WARNING  %s\n         fix: %s\n", fmt.Sprintf(format, args...), fix)
}

func (r *checkReport) problem(fix, format string, args ...any) {
	r.problems++
	fmt.Fprintf(r.w, "PROBLEM  %s\n         fix: %s\n", fmt.Sprintf(format, args...), fix)
}

const checkUsage = `usage: postdesk check [--config FILE]

Checks the config and everything it points at, without sending mail:
resolves the mail hosts, logs in to IMAP (selects the mailbox, reports IDLE,
MOVE and UIDPLUS), speaks SMTP (EHLO, STARTTLS, AUTH), checks the web and
metrics listen addresses and desk.base_url. Prints a fix for every problem.
Exit status 0 only when there is no problem.
`

// cmdCheck is `postdesk check`.
func cmdCheck(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() { fmt.Fprint(stdout, checkUsage); fs.PrintDefaults() }
	path := fs.String("config", "postdesk.toml", "config file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := &checkReport{w: stdout}
	c, err := LoadConfig(*path)
	if err != nil {
		var ce *ConfigError
		if errors.As(err, &ce) {
			r.problem(fmt.Sprintf("edit %s in %s (`postdesk init -` prints every key with its explanation)", ce.Key, *path), "%v", err)
		} else {
			r.problem("give the config file with --config, or create one with `postdesk init`", "%v", err)
		}
		return r.result()
	}
	r.ok("config %s is valid", *path)
	checkConfig(c, r)
	checkMail(ctx, c, r)
	checkWeb(c, r)
	return r.result()
}

func (r *checkReport) result() error {
	if r.problems > 0 {
		return fmt.Errorf("check: %d problem(s), %d warning(s)", r.problems, r.warnings)
	}
	fmt.Fprintf(r.w, "all well (%d warning(s))\n", r.warnings)
	return nil
}

// configWarning is a value that is valid but almost certainly wrong.
type configWarning struct {
	key, msg, fix string
	// fatal: it cannot work (e.g. the example host); check reports a
	// problem, serve a warning.
	fatal bool
}

// exampleHosts are the placeholder hosts of the example config.
var exampleHosts = []string{"example.org", "example.com", "example.net"}

func isExampleHost(addr string) bool {
	host, _, _ := net.SplitHostPort(addr)
	host = strings.ToLower(host)
	for _, e := range exampleHosts {
		if host == e || strings.HasSuffix(host, "."+e) {
			return true
		}
	}
	return false
}

// configWarnings lists what serve warns about at start and check reports.
func configWarnings(c Config) []configWarning {
	var ws []configWarning
	for _, s := range []struct{ sec, addr, auth, user, pass string }{
		{"imap", c.IMAP.Addr, c.IMAP.Auth, c.IMAP.Username, c.IMAP.Password},
		{"smtp", c.SMTP.Addr, c.SMTP.Auth, c.SMTP.Username, c.SMTP.Password},
	} {
		if isExampleHost(s.addr) {
			ws = append(ws, configWarning{s.sec + ".addr", fmt.Sprintf("%s is the example host from `postdesk init`", s.addr),
				fmt.Sprintf("set %s.addr to your mail server's host:port", s.sec), true})
		}
		if s.auth != "xoauth2" && s.user != "" && s.pass == "" {
			env := "POSTDESK_" + strings.ToUpper(s.sec) + "_PASSWORD"
			ws = append(ws, configWarning{s.sec + ".password", "is empty",
				fmt.Sprintf("set %s.password or the environment variable %s (or %s.auth = \"xoauth2\")", s.sec, env, s.sec), true})
		}
	}
	if c.Desk.Secret == "" {
		ws = append(ws, configWarning{key: "desk.secret", msg: "is empty: a key is generated and kept in the database",
			fix: "set desk.secret (or POSTDESK_SECRET) to 32 random characters, so links survive a new database and a copy of the database alone cannot mint them"})
	}
	if strings.HasSuffix(strings.ToLower(c.Desk.Address), ".test") {
		ws = append(ws, configWarning{key: "desk.address", msg: fmt.Sprintf("%s is in the reserved .test domain (the example)", c.Desk.Address), fix: "set desk.address to your support mailbox"})
	}
	if prov, ok := oauth.Preset(c.OAuth.Provider, c.OAuth.Tenant); ok && c.usesOAuth() {
		for _, s := range []struct{ key, addr, want string }{{"imap.addr", c.IMAP.Addr, prov.IMAPAddr}, {"smtp.addr", c.SMTP.Addr, prov.SMTPAddr}} {
			host, _, _ := net.SplitHostPort(s.addr)
			wantHost, _, _ := net.SplitHostPort(s.want)
			if !strings.EqualFold(host, wantHost) {
				ws = append(ws, configWarning{key: s.key, msg: fmt.Sprintf("%s is not the %s server %s", s.addr, c.OAuth.Provider, s.want),
					fix: fmt.Sprintf("set %s = %q unless you know better", s.key, s.want)})
			}
		}
	}
	if len(c.Staff) == 0 {
		ws = append(ws, configWarning{key: "staff", msg: "no [[staff]]: nobody is told about new tickets", fix: "add a [[staff]] block per support engineer"})
	}
	return ws
}

// warnConfig logs the config warnings at the start of serve.
func warnConfig(c Config, log *slog.Logger) {
	for _, w := range configWarnings(c) {
		log.Warn("config: "+w.key+" "+w.msg, "fix", w.fix)
	}
}

func checkConfig(c Config, r *checkReport) {
	for _, w := range configWarnings(c) {
		if w.fatal {
			r.problem(w.fix, "%s %s", w.key, w.msg)
		} else {
			r.warn(w.fix, "%s %s", w.key, w.msg)
		}
	}
}

// checkMail resolves the mail hosts, then logs in to IMAP and SMTP.
func checkMail(ctx context.Context, c Config, r *checkReport) {
	imapOK := resolve(ctx, r, "imap.addr", c.IMAP.Addr)
	smtpOK := resolve(ctx, r, "smtp.addr", c.SMTP.Addr)
	var token mail.TokenFunc
	if c.usesOAuth() {
		tok, err := checkToken(c)
		if err != nil {
			r.problem("run `postdesk oauth login --config <this config>` and sign in as the mailbox account", "OAuth2 token: %v", err)
			imapOK = imapOK && c.IMAP.Auth != "xoauth2"
			smtpOK = smtpOK && c.SMTP.Auth != "xoauth2"
		} else {
			_, cfg := c.oauthProvider()
			r.ok("OAuth2 access token obtained from %s", cfg.Endpoint.TokenURL)
			token = func() (string, error) { return tok, nil }
		}
	}
	if imapOK {
		checkIMAP(c, token, r)
	}
	if smtpOK {
		checkSMTP(c, token, r)
	}
}

// resolve reports whether the host of addr resolves.
func resolve(ctx context.Context, r *checkReport, key, addr string) bool {
	if isExampleHost(addr) {
		return false
	}
	host, _, _ := net.SplitHostPort(addr)
	if net.ParseIP(host) != nil {
		return true
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	ips, err := net.DefaultResolver.LookupHost(ctx, host)
	if err != nil {
		r.problem(fmt.Sprintf("check the spelling of %s and that this machine's DNS works (try: getent hosts %s)", key, host), "%s: %s does not resolve: %v", key, host, err)
		return false
	}
	r.ok("%s resolves to %s", host, strings.Join(ips, ", "))
	return true
}

func checkIMAP(c Config, token mail.TokenFunc, r *checkReport) {
	tlsc, err := tlsConfig(c.IMAP.CAFile)
	if err != nil {
		r.problem("fix imap.ca_file", "imap.ca_file: %v", err)
		return
	}
	ic := mail.IMAPConfig{Addr: c.IMAP.Addr, TLS: c.IMAP.TLS, Username: c.IMAP.Username, Password: c.IMAP.Password, TLSConfig: tlsc}
	if c.IMAP.Auth == "xoauth2" {
		ic.Token = token
	}
	cl, err := ic.Dial(&imapclient.Options{Dialer: &net.Dialer{Timeout: checkTimeout}})
	if err != nil {
		r.problem(connectFix("imap", c.IMAP.TLS), "IMAP connect to %s (tls %s): %v", c.IMAP.Addr, c.IMAP.TLS, err)
		return
	}
	defer cl.Close()
	r.ok("IMAP connected to %s (tls %s)", c.IMAP.Addr, c.IMAP.TLS)
	if err := ic.Login(cl); err != nil {
		fix := "check imap.username and imap.password (or POSTDESK_IMAP_PASSWORD); some providers need an app password"
		if c.IMAP.Auth == "xoauth2" {
			fix = "the token was refused: check that the app has IMAP permission (Microsoft: IMAP.AccessAsUser.All, and IMAP enabled for the mailbox) and that you signed in as " + c.IMAP.Username
		}
		r.problem(fix, "IMAP login as %s: %v", c.IMAP.Username, err)
		return
	}
	r.ok("IMAP login as %s (%s)", c.IMAP.Username, authName(c.IMAP.Auth))
	sel, err := cl.Select(c.IMAP.Mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		r.problem("set imap.mailbox to an existing mailbox (usually INBOX)", "IMAP select %q: %v", c.IMAP.Mailbox, err)
		return
	}
	r.ok("IMAP mailbox %q: %d messages, UIDVALIDITY %d", c.IMAP.Mailbox, sel.NumMessages, sel.UIDValidity)
	caps := cl.Caps()
	has := func(cp imap.Cap) string {
		if caps.Has(cp) {
			return "yes"
		}
		return "no"
	}
	r.ok("IMAP server supports IDLE: %s, MOVE: %s, UIDPLUS: %s", has(imap.CapIdle), has(imap.CapMove), has(imap.CapUIDPlus))
	if c.IMAP.IDLE && !caps.Has(imap.CapIdle) {
		r.warn(fmt.Sprintf("nothing to do; new mail is found every imap.poll_interval (%s): lower it for faster intake", c.IMAP.PollInterval), "IMAP server has no IDLE")
	}
	if c.IMAP.ProcessedMailbox != "" {
		if !caps.Has(imap.CapMove) {
			r.warn("unset imap.processed_mailbox (handled mail is then only flagged \\Seen), or use a server with MOVE", "IMAP server has no MOVE: imap.processed_mailbox is emulated with COPY+EXPUNGE")
		}
		if _, err := cl.Status(c.IMAP.ProcessedMailbox, &imap.StatusOptions{NumMessages: true}).Wait(); err != nil {
			r.problem(fmt.Sprintf("create the mailbox %q in your mail client, or fix imap.processed_mailbox", c.IMAP.ProcessedMailbox), "IMAP processed mailbox %q: %v", c.IMAP.ProcessedMailbox, err)
		}
	}
	if !caps.Has(imap.CapUIDPlus) && c.IMAP.ProcessedMailbox != "" {
		r.warn("unset imap.processed_mailbox: without UIDPLUS moving mail may expunge other mail marked \\Deleted", "IMAP server has no UIDPLUS")
	}
	cl.Logout().Wait()
}

func checkSMTP(c Config, token mail.TokenFunc, r *checkReport) {
	tlsc, err := tlsConfig(c.SMTP.CAFile)
	if err != nil {
		r.problem("fix smtp.ca_file", "smtp.ca_file: %v", err)
		return
	}
	sc := mail.SMTPConfig{Addr: c.SMTP.Addr, TLS: c.SMTP.TLS, Username: c.SMTP.Username, Password: c.SMTP.Password, TLSConfig: tlsc, Timeout: checkTimeout}
	if c.SMTP.Auth == "xoauth2" {
		sc.Token = token
	}
	cl, err := sc.Dial()
	if err != nil {
		switch {
		case strings.Contains(err.Error(), "auth"):
			fix := "check smtp.username and smtp.password (or POSTDESK_SMTP_PASSWORD); Microsoft 365 needs SMTP AUTH enabled for the mailbox, or smtp.auth = \"xoauth2\""
			if c.SMTP.Auth == "xoauth2" {
				fix = "the token was refused: check that the app has SMTP.Send (Microsoft: and SMTP AUTH enabled for the mailbox) and that you signed in as " + c.SMTP.Username
			}
			r.problem(fix, "SMTP AUTH as %s: %v", c.SMTP.Username, err)
		default:
			r.problem(connectFix("smtp", c.SMTP.TLS), "SMTP connect to %s (tls %s): %v", c.SMTP.Addr, c.SMTP.TLS, err)
		}
		return
	}
	defer cl.Close()
	_, auths := cl.Extension("AUTH")
	if c.SMTP.Username == "" {
		r.ok("SMTP %s: EHLO done, no AUTH (smtp.username is empty); server offers AUTH %s", c.SMTP.Addr, orNone(auths))
	} else {
		r.ok("SMTP %s: EHLO, %s, AUTH as %s (%s) accepted; no mail sent", c.SMTP.Addr, tlsName(c.SMTP.TLS), c.SMTP.Username, authName(c.SMTP.Auth))
	}
	if ok, size := cl.Extension("SIZE"); ok && size != "" {
		r.ok("SMTP server accepts mails up to %s bytes", size)
	}
	cl.Quit()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func tlsName(mode string) string {
	switch mode {
	case "starttls":
		return "STARTTLS"
	case "implicit":
		return "TLS"
	}
	return "no TLS (loopback)"
}

func authName(a string) string {
	if a == "xoauth2" {
		return "OAuth2"
	}
	return "password"
}

// connectFix says what to check when a connection fails.
func connectFix(sec, mode string) string {
	port := map[string]string{"imap implicit": "993", "imap starttls": "143", "smtp implicit": "465", "smtp starttls": "587"}[sec+" "+mode]
	s := fmt.Sprintf("check %s.addr and that a firewall lets this machine reach it", sec)
	if port != "" {
		s += fmt.Sprintf("; %s.tls = %q usually goes with port %s", sec, mode, port)
	}
	return s + fmt.Sprintf("; for a self-signed certificate set %s.ca_file", sec)
}

// checkToken gets an access token: from the running server over the
// control socket, or by refreshing with the stored refresh token.
func checkToken(c Config) (string, error) {
	var b bytes.Buffer
	if err := ops(c, opsRequest{Cmd: "oauth-token"}, &b); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// checkWeb checks that the web (and metrics) addresses can be listened on
// and that desk.base_url is one customers can reach.
func checkWeb(c Config, r *checkReport) {
	running := controlCall(controlPath(c), opsRequest{Cmd: "ping"}, io.Discard) == nil
	listen := func(key, addr string) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			if running {
				r.ok("%s %s is in use by the running postdesk", key, addr)
				return
			}
			r.problem(fmt.Sprintf("choose a free port for %s, or stop what uses %s (try: ss -ltnp)", key, addr), "%s %s: %v", key, addr, err)
			return
		}
		ln.Close()
		r.ok("%s %s is free to listen on", key, addr)
	}
	listen("web.listen", c.Web.Listen)
	if c.Metrics.Listen != "" {
		listen("metrics.listen", c.Metrics.Listen)
	}
	u, _ := url.Parse(c.Desk.BaseURL)
	host := u.Hostname()
	switch {
	case isLoopback(host):
		r.warn("set desk.base_url to the public https:// address of your reverse proxy", "desk.base_url %s is a loopback address: tracking links in mail will not open for customers", c.Desk.BaseURL)
	case u.Scheme != "https":
		r.warn("serve the pages through an HTTPS reverse proxy and set desk.base_url to https://...", "desk.base_url %s is not https: tracking links travel unencrypted", c.Desk.BaseURL)
	default:
		r.ok("desk.base_url %s", c.Desk.BaseURL)
	}
}
