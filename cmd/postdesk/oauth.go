package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/oauth2"

	"github.com/postdesk/postdesk/mail/oauth"
)

const oauthUsage = `usage: postdesk oauth login [--config FILE]

Signs the support mailbox in with OAuth2 ([oauth] in the config, imap.auth
or smtp.auth = "xoauth2") and stores the refresh token in the database,
encrypted with a key derived from desk.secret. Works while serve runs.
`

// cmdOAuth is `postdesk oauth login`.
func cmdOAuth(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "login" {
		if len(args) > 0 && isHelp(args[0]) {
			fmt.Fprint(stdout, oauthUsage)
			return nil
		}
		return errors.New("usage: postdesk oauth login [--config FILE]")
	}
	c, _, err := configFlag("oauth login", args[1:])
	if err != nil {
		return err
	}
	if !c.usesOAuth() {
		return &ConfigError{Key: "imap.auth", Msg: "set imap.auth and/or smtp.auth = \"xoauth2\" (and [oauth]) before `postdesk oauth login`"}
	}
	prov, cfg := c.oauthProvider()
	var tok *oauth2.Token
	if prov.Device {
		tok, err = oauth.DeviceLogin(ctx, cfg, stdout)
	} else {
		tok, err = oauth.BrowserLogin(ctx, cfg, stdin, stdout)
	}
	if err != nil {
		return fmt.Errorf("oauth login: %w", err)
	}
	if err := ops(c, opsRequest{Cmd: "oauth-store", Target: tok.RefreshToken}, stdout); err != nil {
		return fmt.Errorf("oauth login: %w", err)
	}
	fmt.Fprintln(stdout, "Next: `postdesk check` logs in to IMAP and SMTP with it.")
	return nil
}

// oauthStore keeps a refresh token (req.Target) for the mailbox account.
func oauthStore(p *Program, req opsRequest, w io.Writer) error {
	key, err := oauth.KeyFrom(p.Desk.Signer.Secret)
	if err != nil {
		return err
	}
	now := time.Now()
	if p.Now != nil {
		now = p.Now()
	}
	if err := oauth.SaveRefresh(p.DB, key, p.Config.IMAP.Username, req.Target, now); err != nil {
		return err
	}
	fmt.Fprintf(w, "Signed in: the refresh token for %s is stored (encrypted) in %s.\n", p.Config.IMAP.Username, p.Config.Desk.Data)
	return nil
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

// oauthToken prints a current access token (for `postdesk check`): the
// running server's, or one refreshed with the stored refresh token.
func oauthToken(p *Program, req opsRequest, w io.Writer) error {
	src := p.ops.oauth
	if src == nil {
		key, err := oauth.KeyFrom(p.Desk.Signer.Secret)
		if err != nil {
			return err
		}
		_, cfg := p.Config.oauthProvider()
		src = &oauth.Source{Config: cfg, Store: p.DB, Key: key, Now: p.Now}
	}
	tok, err := src.Token()
	if err != nil {
		return err
	}
	fmt.Fprintln(w, tok)
	return nil
}
