// Package oauth gives the mailbox OAuth2 access tokens (for XOAUTH2 and
// OAUTHBEARER logins, see mail.TokenFunc): provider presets for Microsoft
// 365 and Google, the interactive login of `postdesk oauth login`
// (device-code flow, RFC 8628, or a browser with a loopback redirect and
// PKCE), the refresh token kept in the database encrypted with a key
// derived from the desk secret, and a Source that refreshes access tokens
// before they expire.
package oauth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/endpoints"

	"github.com/postdesk/postdesk/tickets"
)

// Provider is where and how an account gets its tokens.
type Provider struct {
	Endpoint oauth2.Endpoint
	// Scopes grant IMAP and SMTP access and a refresh token.
	Scopes []string
	// Device says the login uses the device-code flow (the operator types
	// a code on any browser); false uses a browser redirect to a loopback
	// address, for providers whose device flow refuses mail scopes.
	Device bool
	// IMAPAddr and SMTPAddr are the provider's mail servers.
	IMAPAddr, SMTPAddr string
}

// Preset returns the provider named "microsoft" (Microsoft 365; tenant is
// the directory id or domain, "" meaning "organizations") or "google"
// (Google Workspace and Gmail).
func Preset(name, tenant string) (Provider, bool) {
	switch name {
	case "microsoft":
		if tenant == "" {
			tenant = "organizations"
		}
		return Provider{
			Endpoint: endpoints.AzureAD(tenant),
			Scopes: []string{"https://outlook.office.com/IMAP.AccessAsUser.All",
				"https://outlook.office.com/SMTP.Send", "offline_access"},
			Device:   true,
			IMAPAddr: "outlook.office365.com:993", SMTPAddr: "smtp.office365.com:587",
		}, true
	case "google":
		// Google's device flow does not grant the mail scope: use the
		// browser flow.
		return Provider{
			Endpoint: endpoints.Google,
			Scopes:   []string{"https://mail.google.com/"},
			IMAPAddr: "imap.gmail.com:993", SMTPAddr: "smtp.gmail.com:587",
		}, true
	}
	return Provider{}, false
}

// stateKey is where the sealed refresh token is kept (tickets.Tx.State).
const stateKey = "oauth:refresh"

// ErrNoToken means no refresh token is stored yet.
var ErrNoToken = errors.New("no OAuth2 refresh token stored: run `postdesk oauth login`")

// KeyFrom derives the 256-bit key that seals the refresh token from the
// desk secret (HKDF-SHA256 with a fixed label), so a copy of the database
// without the secret does not reveal the token.
func KeyFrom(secret []byte) ([]byte, error) {
	return hkdf.Key(sha256.New, secret, nil, "postdesk oauth2 refresh token v1", 32)
}

// stored is the sealed value.
type stored struct {
	Refresh string    `json:"refresh"`
	Account string    `json:"account,omitempty"`
	Saved   time.Time `json:"saved"`
}

// sealVersion prefixes the sealed value so the format can change.
const sealVersion = 1

func seal(key, plain []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+gcm.NonceSize(), 1+gcm.NonceSize()+len(plain)+gcm.Overhead())
	out[0] = sealVersion
	rand.Read(out[1:])
	return gcm.Seal(out, out[1:], plain, []byte(stateKey)), nil
}

func unseal(key, box []byte) ([]byte, error) {
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(box) < 1+gcm.NonceSize() || box[0] != sealVersion {
		return nil, errors.New("sealed token: unknown format")
	}
	plain, err := gcm.Open(nil, box[1:1+gcm.NonceSize()], box[1+gcm.NonceSize():], []byte(stateKey))
	if err != nil {
		return nil, errors.New("sealed token: cannot decrypt (was desk.secret changed? run `postdesk oauth login` again)")
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SaveRefresh stores the refresh token for account, sealed with key.
func SaveRefresh(store tickets.Store, key []byte, account, refresh string, now time.Time) error {
	if refresh == "" {
		return errors.New("the provider returned no refresh token (is offline_access / access_type=offline granted?)")
	}
	plain, _ := json.Marshal(stored{Refresh: refresh, Account: account, Saved: now})
	box, err := seal(key, plain)
	if err != nil {
		return err
	}
	return store.Update(func(tx tickets.Tx) error { return tx.PutState(stateKey, box) })
}

// LoadRefresh returns the stored refresh token and its account, or
// ErrNoToken.
func LoadRefresh(store tickets.Store, key []byte) (refresh, account string, err error) {
	var box []byte
	if err := store.View(func(tx tickets.Tx) error {
		v, err := tx.State(stateKey)
		box = append([]byte(nil), v...)
		return err
	}); err != nil {
		return "", "", err
	}
	if len(box) == 0 {
		return "", "", ErrNoToken
	}
	plain, err := unseal(key, box)
	if err != nil {
		return "", "", err
	}
	var s stored
	if err := json.Unmarshal(plain, &s); err != nil {
		return "", "", fmt.Errorf("sealed token: %w", err)
	}
	return s.Refresh, s.Account, nil
}

// describe turns a token endpoint error into one line an operator can act
// on, without echoing the response body (it may hold secrets).
func describe(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := re.ErrorCode
		if re.ErrorDescription != "" {
			msg += ": " + strings.SplitN(re.ErrorDescription, "\n", 2)[0]
		}
		if msg == "" {
			msg = re.Response.Status
		}
		return fmt.Errorf("token endpoint: %s", msg)
	}
	return err
}

// withClient puts an HTTP client with a timeout into ctx for oauth2.
func withClient(ctx context.Context) context.Context {
	if ctx.Value(oauth2.HTTPClient) != nil {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, httpClient)
}

var httpClient = &http.Client{Timeout: 30 * time.Second}
