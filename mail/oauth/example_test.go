package oauth_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/mail/oauth"
	"github.com/postdesk/postdesk/mail/oauth/oauthtest"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// Sign in once, keep the refresh token sealed in the database, and give
// the mail code a token function.
func Example() {
	prov := oauthtest.Start() // stands in for Microsoft 365 or Google
	defer prov.Close()
	dir, _ := os.MkdirTemp("", "oauth-example")
	defer os.RemoveAll(dir)
	db, _ := bolt.Open(filepath.Join(dir, "postdesk.db"), nil)
	defer db.Close()

	cfg := &oauth2.Config{ClientID: oauthtest.ClientID, ClientSecret: oauthtest.ClientSecret, Endpoint: prov.Endpoint()}
	tok, err := oauth.DeviceLogin(context.Background(), cfg, io.Discard) // prints a URL and a code
	if err != nil {
		fmt.Println(err)
		return
	}
	key, _ := oauth.KeyFrom([]byte("the desk.secret of this desk"))
	oauth.SaveRefresh(db, key, "support@school.edu.cn", tok.RefreshToken, tok.Expiry)

	src := &oauth.Source{Config: cfg, Store: db, Key: key}
	imap := mail.IMAPConfig{Addr: "outlook.office365.com:993", TLS: "implicit", Username: "support@school.edu.cn", Token: src.Token}
	access, err := imap.Token()
	fmt.Println(access != "", err, src.Status().Failing)
	// Output: true <nil> false
}
