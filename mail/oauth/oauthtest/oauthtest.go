// Package oauthtest runs an OAuth2 provider in-process for tests: a device
// authorization endpoint (RFC 8628), an authorization endpoint that
// redirects at once with a code, and a token endpoint that issues access
// tokens and rotating refresh tokens.
package oauthtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"

	"golang.org/x/oauth2"
)

// Client credentials the provider accepts.
const (
	ClientID     = "postdesk-test-client"
	ClientSecret = "postdesk-test-secret"
)

// Provider is a running fake provider. Set its fields before use or under
// Lock-free setters below while it runs.
type Provider struct {
	URL string
	// Issued is called with every access token issued (e.g. to make the
	// in-process mail servers accept it).
	Issued func(access string)
	// ExpiresIn is the access token lifetime in seconds (default 3600).
	ExpiresIn int
	// PendingPolls is how many device-token polls answer
	// authorization_pending before the token is issued.
	PendingPolls int
	// Account is the user name the introspection endpoint reports for
	// the access tokens issued.
	Account string

	srv     *httptest.Server
	mu      sync.Mutex
	n       int
	refresh map[string]bool
	access  map[string]bool
	failing bool
	counts  map[string]int
}

// Start starts a provider on a loopback address.
func Start() *Provider {
	p := &Provider{refresh: map[string]bool{}, access: map[string]bool{}, counts: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /device", p.device)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /introspect", p.introspect)
	p.srv = httptest.NewServer(mux)
	p.URL = p.srv.URL
	return p
}

// Close stops the provider.
func (p *Provider) Close() { p.srv.Close() }

// Endpoint is the provider's endpoint for an oauth2.Config.
func (p *Provider) Endpoint() oauth2.Endpoint {
	return oauth2.Endpoint{AuthURL: p.URL + "/authorize", DeviceAuthURL: p.URL + "/device", TokenURL: p.URL + "/token"}
}

// SetExpiresIn changes the lifetime of the access tokens issued from now.
func (p *Provider) SetExpiresIn(seconds int) { p.mu.Lock(); p.ExpiresIn = seconds; p.mu.Unlock() }

// SetFailing makes every refresh fail with invalid_grant (true) or work
// again (false).
func (p *Provider) SetFailing(v bool) { p.mu.Lock(); p.failing = v; p.mu.Unlock() }

// Count returns how many token requests of a grant type were answered
// with a token ("refresh_token", "device_code", "authorization_code"), or
// ("introspect") how many introspection requests were made.
func (p *Provider) Count(grant string) int { p.mu.Lock(); defer p.mu.Unlock(); return p.counts[grant] }

// ValidRefresh reports whether rt is a refresh token the provider still
// honours (rotation revokes the previous one).
func (p *Provider) ValidRefresh(rt string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refresh[rt]
}

func (p *Provider) device(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("client_id") != ClientID {
		oauthError(w, "invalid_client", "unknown client")
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"device_code": "dev-1", "user_code": "WDJB-MJHT",
		"verification_uri": p.URL + "/verify", "expires_in": 600, "interval": 1})
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != ClientID || q.Get("code_challenge") == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("%s?code=good-code&state=%s", q.Get("redirect_uri"), q.Get("state")), http.StatusFound)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.FormValue("client_id"), r.FormValue("client_secret")
	}
	if id != ClientID || secret != ClientSecret {
		oauthError(w, "invalid_client", "bad client credentials")
		return
	}
	grant := r.FormValue("grant_type")
	p.mu.Lock()
	defer p.mu.Unlock()
	switch grant {
	case "urn:ietf:params:oauth:grant-type:device_code":
		if r.FormValue("device_code") != "dev-1" {
			oauthError(w, "invalid_grant", "unknown device code")
			return
		}
		if p.PendingPolls > 0 {
			p.PendingPolls--
			oauthError(w, "authorization_pending", "")
			return
		}
		grant = "device_code"
	case "authorization_code":
		if r.FormValue("code") != "good-code" || r.FormValue("code_verifier") == "" {
			oauthError(w, "invalid_grant", "bad code")
			return
		}
	case "refresh_token":
		rt := r.FormValue("refresh_token")
		if p.failing || !p.refresh[rt] {
			oauthError(w, "invalid_grant", "AADSTS70000: The refresh token has expired or was revoked.")
			return
		}
		delete(p.refresh, rt)
	default:
		oauthError(w, "unsupported_grant_type", grant)
		return
	}
	p.n++
	access, refresh := fmt.Sprintf("access-%d", p.n), fmt.Sprintf("refresh-%d", p.n)
	p.refresh[refresh] = true
	p.access[access] = true
	p.counts[grant]++
	if p.Issued != nil {
		p.Issued(access)
	}
	exp := p.ExpiresIn
	if exp == 0 {
		exp = 3600
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": exp})
}

// IntrospectionURL is the token introspection endpoint (RFC 7662).
func (p *Provider) IntrospectionURL() string { return p.URL + "/introspect" }

func (p *Provider) introspect(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	ok := p.access[r.FormValue("token")]
	account := p.Account
	p.counts["introspect"]++
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		json.NewEncoder(w).Encode(map[string]any{"active": false})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"active": true, "username": account})
}

func oauthError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
