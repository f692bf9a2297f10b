// Package memserver runs an in-process mail system for `postdesk demo` and
// for tests: an IMAP server (go-imap's imapmemserver) and an SMTP server
// (go-smtp) that delivers into its mailboxes, both on 127.0.0.1.
//
// Mail to a known user is appended to that user's INBOX; mail to unknown
// addresses is kept in a list (Delivered) only. Every accepted mail is
// recorded, so tests can assert what postdesk sent, and Reject lets tests
// make the SMTP server answer with errors.
package memserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Delivered is one mail the SMTP server accepted.
type Delivered struct {
	From string
	To   []string
	Data []byte
	At   time.Time
}

// Server is a running pair of IMAP and SMTP servers.
type Server struct {
	IMAPAddr string
	SMTPAddr string

	// Reject, if set, is asked for each mail before it is accepted; a
	// non-nil error (e.g. &smtp.SMTPError{Code: 451}) is sent to the
	// client instead. It may be replaced while the server runs, under Lock.
	Reject func(from string, to []string, data []byte) error

	mu        sync.Mutex
	users     map[string]*imapmemserver.User // by address and by login
	passwords map[string]string
	tokens    map[string]string // OAuth2 access token -> address
	delivered []Delivered
	notify    chan struct{}

	mem   *imapmemserver.Server
	imap  *imapserver.Server
	smtp  *smtp.Server
	lnI   net.Listener
	lnS   net.Listener
	close sync.Once
}

// Start starts both servers on 127.0.0.1 on free ports (or the given
// addresses when not empty) with no users. It does I/O: it listens.
func Start(imapAddr, smtpAddr string) (*Server, error) {
	if imapAddr == "" {
		imapAddr = "127.0.0.1:0"
	}
	if smtpAddr == "" {
		smtpAddr = "127.0.0.1:0"
	}
	s := &Server{
		users:     map[string]*imapmemserver.User{},
		passwords: map[string]string{},
		tokens:    map[string]string{},
		notify:    make(chan struct{}),
		mem:       imapmemserver.New(),
	}
	var err error
	if s.lnI, err = net.Listen("tcp", imapAddr); err != nil {
		return nil, fmt.Errorf("listen imap: %w", err)
	}
	if s.lnS, err = net.Listen("tcp", smtpAddr); err != nil {
		s.lnI.Close()
		return nil, fmt.Errorf("listen smtp: %w", err)
	}
	s.IMAPAddr = s.lnI.Addr().String()
	s.SMTPAddr = s.lnS.Addr().String()
	s.imap = imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{s: s}, nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}, imap.CapMove: {}, imap.CapUIDPlus: {}, imap.CapIdle: {}},
		InsecureAuth: true,
		Logger:       nopLogger{},
	})
	s.smtp = smtp.NewServer(backend{s})
	s.smtp.Domain = "localhost"
	s.smtp.ErrorLog = nopLogger{}
	s.smtp.AllowInsecureAuth = true
	s.smtp.MaxMessageBytes = 64 << 20
	s.smtp.ReadTimeout = time.Minute
	s.smtp.WriteTimeout = time.Minute
	go s.imap.Serve(s.lnI)
	go s.smtp.Serve(s.lnS)
	return s, nil
}

type nopLogger struct{}

func (nopLogger) Printf(string, ...any) {}
func (nopLogger) Println(...any)        {}

// Close stops both servers.
func (s *Server) Close() error {
	s.close.Do(func() {
		s.imap.Close()
		s.smtp.Close()
	})
	return nil
}

// AddUser creates a user with an INBOX. The login is the address.
func (s *Server) AddUser(address, password string) {
	address = strings.ToLower(address)
	u := imapmemserver.NewUser(address, password)
	u.Create("INBOX", nil)
	s.mem.AddUser(u)
	s.mu.Lock()
	s.users[address] = u
	s.passwords[address] = password
	s.mu.Unlock()
}

// Append puts a raw mail into a user's mailbox, as a delivery would.
func (s *Server) Append(address, mailbox string, raw []byte) error {
	u, err := s.user(address)
	if err != nil {
		return err
	}
	_, err = u.Append(mailbox, literal{bytes.NewReader(raw), int64(len(raw))}, &imap.AppendOptions{Time: time.Now()})
	return err
}

// CreateMailbox creates a mailbox for a user.
func (s *Server) CreateMailbox(address, mailbox string) error {
	u, err := s.user(address)
	if err != nil {
		return err
	}
	return u.Create(mailbox, nil)
}

// DeleteMailbox deletes a user's mailbox (not INBOX).
func (s *Server) DeleteMailbox(address, mailbox string) error {
	u, err := s.user(address)
	if err != nil {
		return err
	}
	return u.Delete(mailbox)
}

func (s *Server) user(address string) (*imapmemserver.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.users[strings.ToLower(address)]; u != nil {
		return u, nil
	}
	return nil, fmt.Errorf("no user %s", address)
}

type literal struct {
	*bytes.Reader
	n int64
}

func (l literal) Size() int64 { return l.n }

// Delivered returns a copy of every mail the SMTP server accepted so far.
func (s *Server) Delivered() []Delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Delivered(nil), s.delivered...)
}

// Wait blocks until cond holds for the delivered mail or timeout passes,
// and returns the delivered mail and whether cond held.
func (s *Server) Wait(timeout time.Duration, cond func([]Delivered) bool) ([]Delivered, bool) {
	deadline := time.Now().Add(timeout)
	for {
		s.mu.Lock()
		d := append([]Delivered(nil), s.delivered...)
		ch := s.notify
		s.mu.Unlock()
		if cond(d) {
			return d, true
		}
		left := time.Until(deadline)
		if left <= 0 {
			return d, false
		}
		select {
		case <-ch:
		case <-time.After(left):
		}
	}
}

// SetReject replaces the Reject hook safely while the server runs.
func (s *Server) SetReject(f func(from string, to []string, data []byte) error) {
	s.mu.Lock()
	s.Reject = f
	s.mu.Unlock()
}

type backend struct{ s *Server }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: b.s}, nil }

type session struct {
	s    *Server
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string { return authMechanisms }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	bad := &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
	return ss.s.saslServer(mech, func(string) error { return nil }, bad)
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	reject := s.Reject
	s.mu.Unlock()
	if reject != nil {
		if err := reject(ss.from, ss.to, data); err != nil {
			return err
		}
	}
	for _, rcpt := range ss.to {
		s.mu.Lock()
		u := s.users[strings.ToLower(rcpt)]
		s.mu.Unlock()
		if u != nil {
			u.Append("INBOX", literal{bytes.NewReader(data), int64(len(data))}, &imap.AppendOptions{Time: time.Now()})
		}
	}
	s.mu.Lock()
	s.delivered = append(s.delivered, Delivered{From: ss.from, To: append([]string(nil), ss.to...), Data: data, At: time.Now()})
	close(s.notify)
	s.notify = make(chan struct{})
	s.mu.Unlock()
	return nil
}

// SetToken makes token a valid OAuth2 access token for the user at
// address (for XOAUTH2 and OAUTHBEARER logins on both servers); an empty
// address revokes it.
func (s *Server) SetToken(address, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if address == "" {
		delete(s.tokens, token)
		return
	}
	s.tokens[token] = strings.ToLower(address)
}

// xoauth2 is the SASL mechanism of Google and Microsoft for OAuth2 tokens.
const xoauth2 = "XOAUTH2"

// xoauth2Authenticator checks an XOAUTH2 login on a server.
type xoauth2Authenticator func(username, token string) error

// newXOAuth2Server returns a SASL server for XOAUTH2, for tests and the
// in-process servers: it parses the initial response and calls auth. On
// failure it sends the JSON error challenge and fails after the client's
// empty answer, as Gmail does.
func newXOAuth2Server(auth xoauth2Authenticator) sasl.Server {
	return &xoauth2Server{auth: auth}
}

type xoauth2Server struct {
	auth   xoauth2Authenticator
	failed error
}

func (s *xoauth2Server) Next(response []byte) ([]byte, bool, error) {
	if s.failed != nil {
		return nil, true, s.failed
	}
	if response == nil {
		return []byte{}, false, nil
	}
	var user, token string
	for _, f := range strings.Split(string(response), "\x01") {
		switch {
		case strings.HasPrefix(f, "user="):
			user = f[len("user="):]
		case strings.HasPrefix(f, "auth="):
			a := f[len("auth="):]
			if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
				token = a[7:]
			}
		}
	}
	if user == "" || token == "" {
		return nil, true, errors.New("xoauth2: malformed initial response")
	}
	if err := s.auth(user, token); err != nil {
		s.failed = err
		blob, _ := json.Marshal(map[string]string{"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"})
		return blob, false, nil
	}
	return nil, true, nil
}

// authMechanisms are the SASL mechanisms both servers offer.
var authMechanisms = []string{sasl.Plain, xoauth2, sasl.OAuthBearer}

// saslServer verifies a login by mech, then calls login with the
// authenticated address; bad is the error for wrong credentials.
func (s *Server) saslServer(mech string, login func(address string) error, bad error) (sasl.Server, error) {
	byToken := func(username, token string) error {
		s.mu.Lock()
		addr, ok := s.tokens[token]
		s.mu.Unlock()
		if !ok || addr != strings.ToLower(username) {
			return bad
		}
		return login(addr)
	}
	switch strings.ToUpper(mech) {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			s.mu.Lock()
			p, ok := s.passwords[strings.ToLower(username)]
			s.mu.Unlock()
			if !ok || p != password {
				return bad
			}
			return login(strings.ToLower(username))
		}), nil
	case xoauth2:
		return newXOAuth2Server(byToken), nil
	case sasl.OAuthBearer:
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if byToken(o.Username, o.Token) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, fmt.Errorf("unsupported SASL mechanism %s", mech)
}

// imapSession is an imapmemserver session whose logins (LOGIN, PLAIN,
// XOAUTH2, OAUTHBEARER) are checked against the server's passwords and
// tokens.
type imapSession struct {
	*imapmemserver.UserSession // nil until logged in
	s                          *Server
}

var _ imapserver.SessionSASL = (*imapSession)(nil)

func (sess *imapSession) Login(username, password string) error {
	s := sess.s
	s.mu.Lock()
	p, ok := s.passwords[strings.ToLower(username)]
	s.mu.Unlock()
	if !ok || p != password {
		return imapserver.ErrAuthFailed
	}
	return sess.loginAs(strings.ToLower(username))
}

func (sess *imapSession) loginAs(address string) error {
	u, err := sess.s.user(address)
	if err != nil {
		return imapserver.ErrAuthFailed
	}
	sess.UserSession = imapmemserver.NewUserSession(u)
	return nil
}

func (sess *imapSession) AuthenticateMechanisms() []string { return authMechanisms }

func (sess *imapSession) Authenticate(mech string) (sasl.Server, error) {
	return sess.s.saslServer(mech, sess.loginAs, imapserver.ErrAuthFailed)
}
