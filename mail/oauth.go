package mail

import (
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-sasl"
)

// TokenFunc returns a current OAuth2 access token for the mailbox account.
// It may refresh the token over the network, so it can block.
type TokenFunc func() (string, error)

// XOAuth2 is the SASL mechanism name Google and Microsoft use for OAuth2
// bearer tokens (before RFC 7628 OAUTHBEARER existed).
const XOAuth2 = "XOAUTH2"

// NewXOAuth2Client returns a SASL client for XOAUTH2: the initial response
// is "user=<username>^Aauth=Bearer <token>^A^A". A failed login gets a JSON
// challenge from the server, answered with an empty response as the
// mechanism requires; the server then fails the command.
func NewXOAuth2Client(username, token string) sasl.Client {
	return &xoauth2Client{username: username, token: token}
}

type xoauth2Client struct{ username, token string }

func (c *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + c.username + "\x01auth=Bearer " + c.token + "\x01\x01"), nil
}

func (c *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	// The challenge is the server's JSON error; we must answer with an
	// empty line to receive the final failure.
	return []byte{}, nil
}

// oauthClient picks the SASL mechanism for an OAuth2 login from what the
// server announces: XOAUTH2 (Microsoft 365, Gmail) when offered, else
// OAUTHBEARER (RFC 7628) when offered, else XOAUTH2 anyway.
func oauthClient(offered []string, addr, username string, token TokenFunc) (sasl.Client, error) {
	tok, err := token()
	if err != nil {
		return nil, fmt.Errorf("oauth2 token: %w", err)
	}
	has := func(m string) bool {
		return slices.ContainsFunc(offered, func(o string) bool { return strings.EqualFold(o, m) })
	}
	if !has(XOAuth2) && has(sasl.OAuthBearer) {
		host, p, _ := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		return sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: username, Token: tok, Host: host, Port: port}), nil
	}
	return NewXOAuth2Client(username, tok), nil
}
