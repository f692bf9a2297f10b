package mail

import (
	"errors"
	"testing"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"

	"github.com/postdesk/postdesk/mail/memserver"
)

func startOAuthServer(t *testing.T) *memserver.Server {
	t.Helper()
	ms, err := memserver.Start("", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ms.Close() })
	// The password is never given to the client: only the token works.
	ms.AddUser("support@desk.test", "secret-the-client-does-not-know")
	ms.SetToken("support@desk.test", "good-token")
	return ms
}

func TestOAuthLogin(t *testing.T) {
	ms := startOAuthServer(t)
	tokenOf := func(tok string) TokenFunc { return func() (string, error) { return tok, nil } }
	for _, tc := range []struct {
		name  string
		token TokenFunc
		ok    bool
	}{
		{"valid token", tokenOf("good-token"), true},
		{"wrong token", tokenOf("stale-token"), false},
		{"token source fails", func() (string, error) { return "", errors.New("refresh failed") }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ic := IMAPConfig{Addr: ms.IMAPAddr, TLS: "none", Username: "support@desk.test", Token: tc.token}
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
				t.Errorf("IMAP login+select err = %v, want ok=%v", err, tc.ok)
			}

			sc := SMTPConfig{Addr: ms.SMTPAddr, TLS: "none", Username: "support@desk.test", Token: tc.token}
			c, err := sc.Dial()
			if err == nil {
				c.Close()
			}
			if (err == nil) != tc.ok {
				t.Errorf("SMTP dial+auth err = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestOAuthBearerLogin logs in with RFC 7628 OAUTHBEARER, which the client
// picks when a server offers it and not XOAUTH2.
func TestOAuthBearerLogin(t *testing.T) {
	ms := startOAuthServer(t)
	token := func() (string, error) { return "good-token", nil }
	sc, err := oauthClient([]string{"PLAIN", "OAUTHBEARER"}, ms.IMAPAddr, "support@desk.test", token)
	if err != nil {
		t.Fatal(err)
	}
	if mech, _, _ := sc.Start(); mech != sasl.OAuthBearer {
		t.Fatalf("mechanism = %q, want %q", mech, sasl.OAuthBearer)
	}
	cl, err := imapclient.DialInsecure(ms.IMAPAddr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.Authenticate(sc); err != nil {
		t.Fatalf("OAUTHBEARER login: %v", err)
	}
	if _, err := cl.Select("INBOX", nil).Wait(); err != nil {
		t.Fatalf("select after OAUTHBEARER: %v", err)
	}
	if sc, _ := oauthClient([]string{"XOAUTH2", "OAUTHBEARER"}, "", "u", token); sc != nil {
		if mech, _, _ := sc.Start(); mech != XOAuth2 {
			t.Errorf("with both offered, mechanism = %q, want %q", mech, XOAuth2)
		}
	}
}
