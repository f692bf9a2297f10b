package oauth

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/tickets"
)

// Source hands out access tokens for the mailbox account. It refreshes the
// token with the stored refresh token when less than Early of its life is
// left, and stores a rotated refresh token at once. Token and Status are
// safe for concurrent use; Token blocks while it refreshes.
type Source struct {
	Config *oauth2.Config
	Store  tickets.Store
	// Key seals the refresh token (see KeyFrom).
	Key []byte
	// Early is how long before expiry a token is replaced (default 5 min).
	Early time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Failed is called once when refreshing starts to fail (not again
	// until a refresh has succeeded); it must not block for long.
	Failed func(err error)
	// Recovered is called when a refresh succeeds after Failed.
	Recovered func()

	mu     sync.Mutex
	tok    *oauth2.Token
	status Status
}

// Status is the state of a Source, for health checks and metrics.
type Status struct {
	// Expiry is when the current access token expires (zero: none yet).
	Expiry time.Time
	// LastRefresh is when a token was last obtained.
	LastRefresh time.Time
	// Failing is set while refreshing fails; LastError says why.
	Failing   bool
	LastError string
	// Refreshes and Failures count attempts since start.
	Refreshes, Failures int
}

// Status returns a snapshot.
func (s *Source) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

func (s *Source) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Source) early() time.Duration {
	if s.Early > 0 {
		return s.Early
	}
	return 5 * time.Minute
}

// Token returns a valid access token, refreshing it first if it expires
// within Early. It implements mail.TokenFunc.
func (s *Source) Token() (string, error) {
	return s.TokenContext(context.Background())
}

// TokenContext is Token with a context for the refresh request.
func (s *Source) TokenContext(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.tok.AccessToken != "" && (s.tok.Expiry.IsZero() || s.now().Add(s.early()).Before(s.tok.Expiry)) {
		return s.tok.AccessToken, nil
	}
	tok, err := s.refresh(ctx)
	if err != nil {
		s.status.Failures++
		s.status.LastError = err.Error()
		if !s.status.Failing {
			s.status.Failing = true
			if s.Failed != nil {
				s.Failed(err)
			}
		}
		return "", err
	}
	s.tok = tok
	s.status.Refreshes++
	s.status.Expiry, s.status.LastRefresh, s.status.LastError = tok.Expiry, s.now(), ""
	if s.status.Failing {
		s.status.Failing = false
		if s.Recovered != nil {
			s.Recovered()
		}
	}
	return tok.AccessToken, nil
}

// refresh trades the refresh token for a new access token and stores a
// rotated refresh token. Called with s.mu held.
func (s *Source) refresh(ctx context.Context) (*oauth2.Token, error) {
	rt, account, err := LoadRefresh(s.Store, s.Key)
	if err != nil {
		return nil, err
	}
	tok, err := s.Config.TokenSource(withClient(ctx), &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		return nil, fmt.Errorf("refresh access token: %w", describe(err))
	}
	if tok.AccessToken == "" {
		return nil, errors.New("refresh access token: the provider returned no access token")
	}
	if tok.RefreshToken != "" && tok.RefreshToken != rt {
		if err := SaveRefresh(s.Store, s.Key, account, tok.RefreshToken, s.now()); err != nil {
			return nil, fmt.Errorf("store rotated refresh token: %w", err)
		}
	}
	return tok, nil
}

// Run keeps the token fresh until ctx is done: it checks every interval
// (default 1 min) and refreshes when the token is due, so a failing
// refresh is noticed (and alerted) before a login needs the token.
func (s *Source) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.TokenContext(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
