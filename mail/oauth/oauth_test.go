package oauth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/mail/oauth/oauthtest"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

func openStore(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func testConfig(p *oauthtest.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: oauthtest.ClientID, ClientSecret: oauthtest.ClientSecret, Endpoint: p.Endpoint(), Scopes: []string{"mail"}}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestDeviceLoginThenRefresh(t *testing.T) {
	p := oauthtest.Start()
	defer p.Close()
	p.PendingPolls = 1
	cfg := testConfig(p)
	var out bytes.Buffer
	tok, err := DeviceLogin(context.Background(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "WDJB-MJHT") || !strings.Contains(out.String(), p.URL+"/verify") {
		t.Errorf("device login told the operator %q, want the code and the URL", out.String())
	}
	db := openStore(t)
	key, _ := KeyFrom([]byte("0123456789abcdef0123"))
	clk := &clock{t: time.Now()}
	if err := SaveRefresh(db, key, "support@desk.test", tok.RefreshToken, clk.Now()); err != nil {
		t.Fatal(err)
	}
	// The database holds no readable token.
	db.View(func(tx tickets.Tx) error {
		v, _ := tx.State(stateKey)
		if bytes.Contains(v, []byte(tok.RefreshToken)) {
			t.Errorf("refresh token stored in plain text")
		}
		return nil
	})

	s := &Source{Config: cfg, Store: db, Key: key, Now: clk.Now}
	a1, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	if a2, _ := s.Token(); a2 != a1 || p.Count("refresh_token") != 1 {
		t.Errorf("second Token() = %q after %d refreshes, want the cached %q after 1", a2, p.Count("refresh_token"), a1)
	}
	// 56 minutes on, less than Early (5 min) of the hour is left: refresh.
	clk.Add(56 * time.Minute)
	a3, err := s.Token()
	if err != nil || a3 == a1 {
		t.Fatalf("Token() near expiry = %q, %v; want a new token", a3, err)
	}
	// The provider rotated the refresh token; the stored one is the new one.
	rt, account, err := LoadRefresh(db, key)
	if err != nil || !p.ValidRefresh(rt) || rt == tok.RefreshToken || account != "support@desk.test" {
		t.Errorf("stored refresh = %q (valid %v), account %q, err %v; want the rotated one", rt, p.ValidRefresh(rt), account, err)
	}
}

func TestRefreshFailureAlertsOnce(t *testing.T) {
	p := oauthtest.Start()
	defer p.Close()
	db := openStore(t)
	key, _ := KeyFrom([]byte("0123456789abcdef0123"))
	cfg := testConfig(p)
	tok, err := DeviceLogin(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	SaveRefresh(db, key, "", tok.RefreshToken, time.Now())
	var failed, recovered int
	var lastErr error
	s := &Source{Config: cfg, Store: db, Key: key, Early: 2 * time.Hour, // every call refreshes
		Failed: func(err error) { failed++; lastErr = err }, Recovered: func() { recovered++ }}
	p.SetFailing(true)
	for range 3 {
		if _, err := s.Token(); err == nil {
			t.Fatal("Token() succeeded while the provider refuses")
		}
	}
	if failed != 1 || !s.Status().Failing || s.Status().Failures != 3 {
		t.Errorf("Failed called %d times, status %+v; want once, failing, 3 failures", failed, s.Status())
	}
	if lastErr == nil || !strings.Contains(lastErr.Error(), "invalid_grant") {
		t.Errorf("failure = %v, want the provider's invalid_grant", lastErr)
	}
	p.SetFailing(false)
	if _, err := s.Token(); err != nil {
		t.Fatal(err)
	}
	if recovered != 1 || s.Status().Failing || s.Status().LastError != "" {
		t.Errorf("after recovery: Recovered %d, status %+v", recovered, s.Status())
	}
}

func TestSealedTokenNeedsTheSecret(t *testing.T) {
	db := openStore(t)
	k1, _ := KeyFrom([]byte("first secret 0123456"))
	k2, _ := KeyFrom([]byte("other secret 0123456"))
	if _, _, err := LoadRefresh(db, k1); !errors.Is(err, ErrNoToken) {
		t.Errorf("LoadRefresh on an empty store = %v, want ErrNoToken", err)
	}
	if err := SaveRefresh(db, k1, "a@b", "rt-secret", time.Now()); err != nil {
		t.Fatal(err)
	}
	if rt, _, err := LoadRefresh(db, k1); err != nil || rt != "rt-secret" {
		t.Errorf("LoadRefresh = %q, %v", rt, err)
	}
	if _, _, err := LoadRefresh(db, k2); err == nil || !strings.Contains(err.Error(), "desk.secret") {
		t.Errorf("LoadRefresh with another key = %v, want an error naming desk.secret", err)
	}
}

// lineWriter hands each written chunk to a channel.
type lineWriter chan string

func (w lineWriter) Write(b []byte) (int, error) { w <- string(b); return len(b), nil }

func TestBrowserLogin(t *testing.T) {
	p := oauthtest.Start()
	defer p.Close()
	out := make(lineWriter, 4)
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := BrowserLogin(context.Background(), testConfig(p), nil, out)
		done <- result{tok, err}
	}()
	authURL := regexp.MustCompile(`http://\S+/authorize\S*`).FindString(<-out)
	if authURL == "" {
		t.Fatal("no authorization URL printed")
	}
	// The browser follows the provider's redirect to the loopback address.
	resp, err := http.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := <-done
	if r.err != nil || r.tok.RefreshToken == "" || p.Count("authorization_code") != 1 {
		t.Fatalf("BrowserLogin = %+v, %v", r.tok, r.err)
	}
}

func TestPresets(t *testing.T) {
	for _, name := range []string{"microsoft", "google"} {
		p, ok := Preset(name, "")
		if !ok || p.Endpoint.TokenURL == "" || len(p.Scopes) == 0 || p.IMAPAddr == "" || p.SMTPAddr == "" {
			t.Errorf("Preset(%q) = %+v, %v", name, p, ok)
		}
		if p.Device && p.Endpoint.DeviceAuthURL == "" {
			t.Errorf("Preset(%q) uses the device flow without a device URL", name)
		}
	}
	if p, _ := Preset("microsoft", "school.edu.cn"); !strings.Contains(p.Endpoint.TokenURL, "/school.edu.cn/") {
		t.Errorf("tenant not in token URL: %s", p.Endpoint.TokenURL)
	}
	if _, ok := Preset("yahoo", ""); ok {
		t.Error("unknown preset accepted")
	}
}

// TestBrowserLoginPasted is the headless case: the browser runs on another
// machine, cannot reach the loopback redirect, and the operator pastes the
// address it ended on.
func TestBrowserLoginPasted(t *testing.T) {
	p := oauthtest.Start()
	defer p.Close()
	out := make(lineWriter, 4)
	in, paste := io.Pipe()
	defer paste.Close()
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := BrowserLogin(context.Background(), testConfig(p), in, out)
		done <- result{tok, err}
	}()
	authURL := regexp.MustCompile(`http://\S+/authorize\S*`).FindString(<-out)
	// A browser that does not follow the redirect to this machine.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	landed := resp.Header.Get("Location")
	if landed == "" {
		t.Fatal("the provider did not redirect")
	}
	io.WriteString(paste, "  "+landed+"\n")
	r := <-done
	if r.err != nil || r.tok.RefreshToken == "" {
		t.Fatalf("BrowserLogin with a pasted address = %+v, %v", r.tok, r.err)
	}
}
