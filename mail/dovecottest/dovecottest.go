// Package dovecottest runs a private Dovecot IMAP server for one test, so
// that mail code is tested against a real server and not only against
// go-imap's in-memory server, which hides real behaviour (RFC 2047 words
// left encoded in ENVELOPE, UIDVALIDITY changes, sessions cut by a restart).
//
// A test asks for a server with users and gets its addresses:
//
//	srv := dovecottest.Start(t, map[string]string{"support": "secret"})
//	srv.Append(t, "support", "INBOX", raw)
//	c, err := imapclient.DialInsecure(srv.Addr, nil)
//	...
//	c.Login("support", srv.Password("support")).Wait()
//
// Start runs the Debian dovecot binary ("dovecot -F") as a child of the test
// process, with its configuration, sockets, logs and Maildir storage in a
// fresh temporary directory, listening on 127.0.0.1 only. When the binary is
// missing the test is skipped, unless the CI environment variable is set,
// in which case it fails: CI must run the real-server tests.
// .ci/dovecot-setup.sh installs it.
//
// The server is configured like a stock Debian Dovecot 2.3 with Maildir
// (hierarchy separator "."), except that LOGIN is allowed without TLS,
// failed logins are answered within 0.5 s (Dovecot's default: 2 s, and up
// to 15 s for repeated failures from one IP), and up to 50 connections per
// user and IP are allowed (Debian: 10).
//
// Methods that take a testing.TB call its Fatal on error and so must be
// called from the goroutine running the test. A Server's methods must not
// be called concurrently with Restart or RecreateMailbox; Append and
// Password are safe for concurrent use otherwise.
package dovecottest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

const (
	// readyTimeout bounds how long Start and Restart wait for Dovecot to
	// greet a client.
	readyTimeout = 10 * time.Second
	// stopTimeout bounds how long Dovecot may take to exit after SIGTERM
	// before the whole process group is killed.
	stopTimeout = 5 * time.Second
)

// Server is a Dovecot instance private to one test. Its fields must not be
// modified.
type Server struct {
	// Addr is the plain IMAP listener, "127.0.0.1:port". LOGIN and
	// AUTHENTICATE PLAIN are allowed on it without TLS; STARTTLS is offered.
	Addr string
	// TLSAddr is the implicit-TLS (imaps) listener, "127.0.0.1:port".
	// Its certificate is valid for 127.0.0.1 and localhost.
	TLSAddr string
	// CAFile is the PEM file of the CA that signed the server certificate.
	CAFile string
	// Dir holds the configuration, the log (dovecot.log), the runtime
	// sockets (run/) and the users' homes (mail/<user>/Maildir).
	Dir string

	users    map[string]string
	oauth2   string // token introspection URL; "" means no OAuth2 logins
	dovecot  string // path of the dovecot binary
	conf     string // path of dovecot.conf
	logFile  string // dovecot.log, written by Dovecot
	errFile  string // stdout and stderr of the master process
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{} // closed when cmd has been waited for
	stopping bool
}

// Start starts Dovecot for the test with the given users (name to
// password) and stops it when the test and its subtests end. It blocks
// until the server greets clients, for at most 10 seconds.
//
// User names must be non-empty and, like passwords, must not contain ':',
// '/', '%' or line breaks. Each user's INBOX is created at first login.
//
// If the dovecot binary is not installed, Start skips the test, or fails it
// when the CI environment variable is set.
func Start(t testing.TB, users map[string]string) *Server {
	t.Helper()
	return start(t, users, "")
}

// StartOAuth2 is Start with OAuth2 logins as well: AUTHENTICATE XOAUTH2 and
// OAUTHBEARER are checked by Dovecot's oauth2 passdb, which asks the token
// introspection endpoint at introspectionURL (RFC 7662, POST token=...)
// and accepts a token whose answer is {"active": true, "username": user}.
func StartOAuth2(t testing.TB, users map[string]string, introspectionURL string) *Server {
	t.Helper()
	return start(t, users, introspectionURL)
}

func start(t testing.TB, users map[string]string, introspectionURL string) *Server {
	t.Helper()
	bin := findBinary("dovecot", "/usr/sbin/dovecot")
	if bin == "" {
		msg := "dovecottest: dovecot is not installed (apt-get install dovecot-imapd, or run .ci/dovecot-setup.sh)"
		if os.Getenv("CI") == "" {
			t.Skip(msg)
		}
		t.Fatal(msg)
	}
	for name, pass := range users {
		if name == "" || strings.ContainsAny(name, ":/%\r\n\x00") || strings.ContainsAny(pass, ":\r\n\x00") {
			t.Fatalf("dovecottest: unusable user %q or password", name)
		}
	}

	dir, err := makeDir()
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	s := &Server{
		oauth2:  introspectionURL,
		Dir:     dir,
		users:   make(map[string]string, len(users)),
		dovecot: bin,
		conf:    filepath.Join(dir, "dovecot.conf"),
		logFile: filepath.Join(dir, "dovecot.log"),
		errFile: filepath.Join(dir, "dovecot.stderr"),
	}
	for name, pass := range users {
		s.users[name] = pass
	}
	t.Cleanup(func() {
		// A clean stop takes Dovecot over a second (its master sleeps a
		// second for its log process to finish): only worth it when the
		// log will be read.
		if t.Failed() {
			if err := s.stop(); err != nil {
				t.Errorf("dovecottest: %v", err)
			}
			s.dumpLogs(t)
		} else {
			s.kill()
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("dovecottest: remove %s: %v", dir, err)
		}
	})

	ids, err := lookupIDs()
	if err != nil {
		t.Fatalf("dovecottest: %v", err)
	}
	if err := s.writeFiles(ids); err != nil {
		t.Fatalf("dovecottest: %v", err)
	}

	// The free ports are found by listening on port 0 and closing the
	// listener, so another process may take one before Dovecot binds it:
	// try again with new ports in that case.
	for attempt := 1; ; attempt++ {
		plain, tls, err := freePorts()
		if err != nil {
			t.Fatalf("dovecottest: %v", err)
		}
		s.Addr, s.TLSAddr = plain, tls
		if err := s.writeConfig(ids); err != nil {
			t.Fatalf("dovecottest: %v", err)
		}
		err = s.start()
		if err == nil {
			return s
		}
		if attempt < 3 && s.logContains("Address already in use") {
			s.kill()
			continue
		}
		t.Fatalf("dovecottest: %v", err) // the log is dumped at cleanup
	}
}

// Password returns the password of user, or "" if there is no such user.
func (s *Server) Password(user string) string {
	return s.users[user]
}

// Restart stops Dovecot cleanly and starts it again on the same ports and
// data, blocking until it greets clients again; it takes about 1.1 s.
// Every open connection gets "* BYE Shutting down" and is closed, within
// about 0.1 s of the stop (shutdown_clients = yes); messages, flags and
// UIDVALIDITY are kept.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("dovecottest: restart: %v", err)
	}
	if err := s.start(); err != nil {
		t.Fatalf("dovecottest: restart: %v", err)
	}
}

// Append delivers raw to user's mailbox through IMAP APPEND on a new
// connection, creating the mailbox if the server answers TRYCREATE. raw is
// sent as is: use CRLF line endings as on the wire.
func (s *Server) Append(t testing.TB, user, mailbox string, raw []byte) {
	t.Helper()
	c := s.login(t, user)
	defer logout(c)
	err := appendRaw(c, mailbox, raw, nil)
	var imapErr *imap.Error
	if errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeTryCreate {
		if err := c.Create(mailbox, nil).Wait(); err != nil {
			t.Fatalf("dovecottest: create %s/%s: %v", user, mailbox, err)
		}
		err = appendRaw(c, mailbox, raw, nil)
	}
	if err != nil {
		t.Fatalf("dovecottest: append to %s/%s: %v", user, mailbox, err)
	}
}

// RecreateMailbox gives user's mailbox a new, larger UIDVALIDITY and new
// UIDs counting from 1 for the same messages, with their flags, as an
// administrator who rebuilds or migrates a mailbox would. It works on
// INBOX too, which IMAP cannot delete. It fails the test if the
// UIDVALIDITY did not change or messages were lost.
//
// It stops Dovecot, removes the mailbox's dovecot-uidlist, its index files
// and the mailbox list index, and starts Dovecot again: as with Restart,
// every connection gets "* BYE Shutting down" and is closed, and it takes
// about 1.2 s. (Removing them under a running
// Dovecot leaves sessions that have the mailbox open with a stale view:
// STATUS answers the old UIDVALIDITY, IDLE gets "* NO Internal error
// occurred" and the next command "* BYE IMAP session state is
// inconsistent, please relogin.")
func (s *Server) RecreateMailbox(t testing.TB, user, mailbox string) {
	t.Helper()
	before := s.examine(t, user, mailbox)
	control := s.mailboxPath(t, user, mailbox, "control")
	index := s.mailboxPath(t, user, mailbox, "index")
	root := s.mailboxPath(t, user, "INBOX", "index")
	files := []string{filepath.Join(control, "dovecot-uidlist")}
	for _, name := range []string{"dovecot.index", "dovecot.index.log", "dovecot.index.log.2", "dovecot.index.cache"} {
		files = append(files, filepath.Join(index, name))
	}
	for _, name := range []string{"dovecot.list.index", "dovecot.list.index.log", "dovecot.list.index.log.2"} {
		files = append(files, filepath.Join(root, name))
	}

	if err := s.stop(); err != nil {
		t.Fatalf("dovecottest: recreate %s/%s: %v", user, mailbox, err)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("dovecottest: recreate %s/%s: %v", user, mailbox, err)
		}
	}
	if err := s.start(); err != nil {
		t.Fatalf("dovecottest: recreate %s/%s: %v", user, mailbox, err)
	}

	after := s.examine(t, user, mailbox)
	if after.UIDValidity == before.UIDValidity || after.NumMessages != before.NumMessages {
		t.Fatalf("dovecottest: recreate %s/%s: UIDVALIDITY %d -> %d, %d -> %d messages",
			user, mailbox, before.UIDValidity, after.UIDValidity, before.NumMessages, after.NumMessages)
	}
}

// mailboxPath returns the directory where Dovecot keeps the files of kind
// ("control", "index" or "mailbox") of user's mailbox.
func (s *Server) mailboxPath(t testing.TB, user, mailbox, kind string) string {
	t.Helper()
	out, err := exec.Command(findBinary("doveadm", "/usr/bin/doveadm"), "-c", s.conf,
		"mailbox", "path", "-u", user, "-t", kind, mailbox).CombinedOutput()
	path := strings.TrimSpace(string(out))
	if err != nil || !filepath.IsAbs(path) {
		t.Fatalf("dovecottest: doveadm mailbox path %s %s: %v: %s", user, mailbox, err, out)
	}
	return path
}

// examine returns what EXAMINE mailbox answers for user.
func (s *Server) examine(t testing.TB, user, mailbox string) *imap.SelectData {
	t.Helper()
	c := s.login(t, user)
	defer logout(c)
	data, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatalf("dovecottest: examine %s/%s: %v", user, mailbox, err)
	}
	return data
}

// login returns a client logged in as user on the plain listener.
func (s *Server) login(t testing.TB, user string) *imapclient.Client {
	t.Helper()
	pass, ok := s.users[user]
	if !ok {
		t.Fatalf("dovecottest: no user %q", user)
	}
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatalf("dovecottest: dial %s: %v", s.Addr, err)
	}
	if err := c.Login(user, pass).Wait(); err != nil {
		c.Close()
		t.Fatalf("dovecottest: login %s: %v", user, err)
	}
	return c
}

func logout(c *imapclient.Client) {
	c.Logout().Wait()
	c.Close()
}

func appendRaw(c *imapclient.Client, mailbox string, raw []byte, opts *imap.AppendOptions) error {
	cmd := c.Append(mailbox, int64(len(raw)), opts)
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return err
	}
	if err := cmd.Close(); err != nil {
		return err
	}
	_, err := cmd.Wait()
	return err
}

// start starts the master process and waits until it greets clients.
func (s *Server) start() error {
	// A master.pid left by a killed master would make Dovecot refuse to
	// start if its pid had been reused.
	os.Remove(filepath.Join(s.Dir, "run", "master.pid"))

	out, err := os.OpenFile(s.errFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(s.dovecot, "-F", "-c", s.conf)
	cmd.Dir = s.Dir
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start dovecot: %w", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited, s.stopping = cmd, exited, false
	s.mu.Unlock()
	return waitReady(s.Addr, exited)
}

// stop stops the master process, if running, and everything in its process
// group, and waits for the master to exit.
func (s *Server) stop() error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	already := s.stopping
	s.stopping = true
	s.mu.Unlock()
	if cmd == nil || already {
		if exited != nil {
			<-exited
		}
		return nil
	}
	pgid := cmd.Process.Pid // Setpgid: the master leads its own group
	cmd.Process.Signal(syscall.SIGTERM)
	var err error
	select {
	case <-exited:
	case <-time.After(stopTimeout):
		err = fmt.Errorf("dovecot did not exit %v after SIGTERM; killed", stopTimeout)
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-exited
	}
	// Children that outlived the master (none, normally) must not hold
	// the ports or the files.
	syscall.Kill(-pgid, syscall.SIGKILL)
	return err
}

// kill kills the master and everything in its process group at once, and
// waits for the master to exit.
func (s *Server) kill() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.stopping = true
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-exited: // stopped already: its process group id may be reused
		return
	default:
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	<-exited
}

// waitReady waits until the server at addr sends its real greeting, not
// Dovecot's "* OK Waiting for authentication process to respond..", which
// it sends while the auth process is still starting.
func waitReady(addr string, exited <-chan struct{}) error {
	deadline := time.Now().Add(readyTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return errors.New("dovecot exited during startup (see its log)")
		default:
		}
		lastErr = readGreeting(addr, deadline)
		if lastErr == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("dovecot not ready on %s after %v: %w", addr, readyTimeout, lastErr)
}

func readGreeting(addr string, deadline time.Time) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(deadline)
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("read greeting: %w", err)
		}
		if !strings.HasPrefix(line, "* OK") {
			return fmt.Errorf("greeting %q", strings.TrimSpace(line))
		}
		if !strings.Contains(line, "Waiting for authentication") {
			return nil
		}
	}
}

// ids are the accounts Dovecot runs as.
type ids struct {
	loginUser, internalUser string // default_login_user, default_internal_user
	internalGroup           string // default_internal_group
	uid, gid                int    // owner of the mail files
	root                    bool
}

// lookupIDs chooses the accounts: as root, Debian's dovenull and dovecot
// users, with mail owned by dovecot (Dovecot refuses mail access as uid 0);
// otherwise the current user for everything.
func lookupIDs() (ids, error) {
	if os.Geteuid() != 0 {
		u, err := user.Current()
		if err != nil {
			return ids{}, fmt.Errorf("current user: %w", err)
		}
		g, err := user.LookupGroupId(strconv.Itoa(os.Getegid()))
		if err != nil {
			return ids{}, fmt.Errorf("current group: %w", err)
		}
		return ids{loginUser: u.Username, internalUser: u.Username, internalGroup: g.Name,
			uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	if _, err := user.Lookup("dovenull"); err != nil {
		return ids{}, fmt.Errorf("dovenull user: %w", err)
	}
	u, err := user.Lookup("dovecot")
	if err != nil {
		return ids{}, fmt.Errorf("dovecot user: %w", err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return ids{}, fmt.Errorf("dovecot uid %q: %w", u.Uid, err)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return ids{}, fmt.Errorf("dovecot gid %q: %w", u.Gid, err)
	}
	return ids{loginUser: "dovenull", internalUser: "dovecot", internalGroup: "dovecot",
		uid: uid, gid: gid, root: true}, nil
}

// makeDir creates the server directory. It is not t.TempDir: its path holds
// the test name and can make socket paths longer than the 108 bytes a unix
// socket name allows. It is 0755 so that Dovecot's unprivileged processes
// can reach their sockets and files.
func makeDir() (string, error) {
	parent := os.TempDir()
	if len(parent) > 40 {
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "dovecottest")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// writeFiles writes the passwd-file and the TLS files and creates the
// directories.
func (s *Server) writeFiles(id ids) error {
	for _, d := range []string{"run", "state", "mail"} {
		if err := os.Mkdir(filepath.Join(s.Dir, d), 0o755); err != nil {
			return err
		}
	}
	if id.root {
		if err := os.Chown(filepath.Join(s.Dir, "mail"), id.uid, id.gid); err != nil {
			return err
		}
	}
	var b strings.Builder
	for name, pass := range s.users {
		fmt.Fprintf(&b, "%s:{PLAIN}%s::::::\n", name, pass)
	}
	if err := os.WriteFile(filepath.Join(s.Dir, "passwd"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	if s.oauth2 != "" {
		ext := "introspection_mode = post\nintrospection_url = " + s.oauth2 + "\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n"
		if err := os.WriteFile(filepath.Join(s.Dir, "oauth2.conf.ext"), []byte(ext), 0o644); err != nil {
			return err
		}
	}
	ca, cert, key, err := makeCerts()
	if err != nil {
		return fmt.Errorf("tls certificates: %w", err)
	}
	s.CAFile = filepath.Join(s.Dir, "ca.pem")
	for name, data := range map[string][]byte{"ca.pem": ca, "cert.pem": cert, "key.pem": key} {
		if err := os.WriteFile(filepath.Join(s.Dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// writeConfig writes dovecot.conf for the current ports.
func (s *Server) writeConfig(id ids) error {
	_, plainPort, _ := net.SplitHostPort(s.Addr)
	_, tlsPort, _ := net.SplitHostPort(s.TLSAddr)
	d := s.Dir
	conf := `# Written by postdesk mail/dovecottest for one test.
protocols = imap
listen = 127.0.0.1
base_dir = ` + d + `/run
state_dir = ` + d + `/state
instance_name = ` + filepath.Base(d) + `
log_path = ` + d + `/dovecot.log
info_log_path = ` + d + `/dovecot.log
auth_verbose = yes

default_login_user = ` + id.loginUser + `
default_internal_user = ` + id.internalUser + `
default_internal_group = ` + id.internalGroup + `
first_valid_uid = 1
first_valid_gid = 1

ssl = yes
ssl_cert = <` + d + `/cert.pem
ssl_key = <` + d + `/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login` + s.oauth2Conf() + `
auth_failure_delay = 0
mail_max_userip_connections = 50

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ` + d + `/passwd
}
userdb {
  driver = static
  args = uid=` + strconv.Itoa(id.uid) + ` gid=` + strconv.Itoa(id.gid) + ` home=` + d + `/mail/%u
}
mail_location = maildir:~/Maildir

namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \Drafts
  }
  mailbox Junk {
    special_use = \Junk
  }
  mailbox Trash {
    special_use = \Trash
  }
  mailbox Sent {
    special_use = \Sent
  }
}

# Failed logins are answered within 0.5 s (failures are flushed every
# 0.5 s): no auth_failure_delay, no anvil penalty (Dovecot's default: 2 s,
# doubling per IP up to 15 s).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ` + plainPort + `
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ` + tlsPort + `
    ssl = yes
  }
}
`
	if !id.root {
		// chroot needs root.
		for _, svc := range []string{"imap-login", "anvil", "ipc", "old-stats", "aggregator", "director", "pop3-login", "imap-urlauth-login"} {
			conf += "service " + svc + " {\n  chroot =\n}\n"
		}
	}
	return os.WriteFile(s.conf, []byte(conf), 0o644)
}

// oauth2Conf is the end of the auth_mechanisms line and the oauth2 passdb,
// when OAuth2 logins are on.
func (s *Server) oauth2Conf() string {
	if s.oauth2 == "" {
		return ""
	}
	return ` xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ` + s.Dir + `/oauth2.conf.ext
}`
}

// freePorts returns two free "127.0.0.1:port" addresses.
func freePorts() (string, string, error) {
	var addrs []string
	for range 2 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close()
		addrs = append(addrs, l.Addr().String())
	}
	return addrs[0], addrs[1], nil
}

// logContains reports whether Dovecot's log or output contains s.
func (s *Server) logContains(str string) bool {
	for _, f := range []string{s.logFile, s.errFile} {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), str) {
			return true
		}
	}
	return false
}

// dumpLogs writes Dovecot's log and output to the test log.
func (s *Server) dumpLogs(t testing.TB) {
	t.Helper()
	for _, f := range []string{s.errFile, s.logFile} {
		b, err := os.ReadFile(f)
		if err != nil || len(b) == 0 {
			continue
		}
		t.Logf("dovecottest: %s:\n%s", f, b)
	}
}

// findBinary returns the path of name in PATH, or fallback if it exists
// (Debian puts dovecot in /usr/sbin, which is not in every PATH), or "".
func findBinary(name, fallback string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if _, err := os.Stat(fallback); err == nil {
		return fallback
	}
	return ""
}
