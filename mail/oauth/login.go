package oauth

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"
)

// DeviceLogin runs the device-code flow (RFC 8628): it asks the provider
// for a code, tells the operator on out where to enter it, and waits until
// the operator has signed in (or the code expires, or ctx ends).
func DeviceLogin(ctx context.Context, cfg *oauth2.Config, out io.Writer) (*oauth2.Token, error) {
	ctx = withClient(ctx)
	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		return nil, fmt.Errorf("device code: %w", describe(err))
	}
	uri := da.VerificationURI
	if da.VerificationURIComplete != "" {
		uri = da.VerificationURIComplete
	}
	fmt.Fprintf(out, "Sign in as the support mailbox account:\n  open %s\n  and enter the code %s\n", uri, da.UserCode)
	if !da.Expiry.IsZero() {
		fmt.Fprintf(out, "The code is valid until %s. Waiting...\n", da.Expiry.Format("15:04:05"))
	}
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		return nil, fmt.Errorf("device login: %w", describe(err))
	}
	return tok, nil
}

// BrowserLogin runs the authorization-code flow with PKCE and a redirect
// to a loopback address: it prints a URL to open in a browser and waits
// for the provider to redirect there. When the browser runs on another
// machine, the redirect fails to load: the operator pastes the address
// from the browser's address bar into in instead.
func BrowserLogin(ctx context.Context, cfg *oauth2.Config, in io.Reader, out io.Writer) (*oauth2.Token, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("loopback listener: %w", err)
	}
	defer ln.Close()
	c := *cfg
	c.RedirectURL = "http://" + ln.Addr().String() + "/"
	var b [16]byte
	rand.Read(b[:])
	state := hex.EncodeToString(b[:])
	verifier := oauth2.GenerateVerifier()
	fmt.Fprintf(out, "Sign in as the support mailbox account: open\n  %s\n"+
		"If the browser runs on another machine, paste here the address it ends on (starting %s):\n",
		c.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.ApprovalForce, oauth2.S256ChallengeOption(verifier)), c.RedirectURL)

	codes := make(chan url.Values, 2)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case codes <- r.URL.Query():
		default:
		}
		io.WriteString(w, "postdesk: sign-in received; you may close this window.\n")
	})}
	go srv.Serve(ln)
	defer srv.Close()
	if in != nil {
		go func() {
			sc := bufio.NewScanner(in)
			for sc.Scan() {
				if u, err := url.Parse(strings.TrimSpace(sc.Text())); err == nil && u.Query().Get("state") != "" {
					codes <- u.Query()
					return
				}
			}
		}()
	}
	var q url.Values
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case q = <-codes:
	}
	if q.Get("state") != state {
		return nil, errors.New("browser login: the answer does not match this login (state differs)")
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("browser login: %s %s", e, q.Get("error_description"))
	}
	tok, err := c.Exchange(withClient(ctx), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("browser login: %w", describe(err))
	}
	return tok, nil
}
