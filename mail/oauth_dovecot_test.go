package mail

import (
	"context"
	"io"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"
	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/mail/dovecottest"
	"github.com/postdesk/postdesk/mail/oauth"
	"github.com/postdesk/postdesk/mail/oauth/oauthtest"
)

// TestOAuthLoginDovecot logs in to a real Dovecot whose oauth2 passdb checks
// the token with the provider's introspection endpoint.
func TestOAuthLoginDovecot(t *testing.T) {
	prov := oauthtest.Start()
	defer prov.Close()
	prov.Account = "support"
	srv := dovecottest.StartOAuth2(t, map[string]string{"support": "a password postdesk is never told"}, prov.IntrospectionURL())
	cfg := &oauth2.Config{ClientID: oauthtest.ClientID, ClientSecret: oauthtest.ClientSecret, Endpoint: prov.Endpoint()}
	tok, err := oauth.DeviceLogin(context.Background(), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		token string
		ok    bool
	}{
		{"issued token", tok.AccessToken, true},
		{"unknown token", "forged-token", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ic := IMAPConfig{Addr: srv.Addr, TLS: "none", Username: "support", Token: func() (string, error) { return tc.token, nil }}
			cl, err := ic.Dial(nil)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			err = ic.Login(cl)
			if err == nil {
				_, err = cl.Select("INBOX", nil).Wait()
			}
			if (err == nil) != tc.ok {
				t.Errorf("XOAUTH2 login + select on Dovecot: err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
	if n := prov.Count("introspect"); n < 2 {
		t.Errorf("Dovecot asked the provider %d times, want at least 2", n)
	}
	// RFC 7628 OAUTHBEARER, as chosen for a server that offers only it.
	cl, err := imapclient.DialInsecure(srv.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	sc, err := oauthClient([]string{"OAUTHBEARER"}, srv.Addr, "support", func() (string, error) { return tok.AccessToken, nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := cl.Authenticate(sc); err != nil {
		t.Errorf("OAUTHBEARER login on Dovecot: %v", err)
	}
}
