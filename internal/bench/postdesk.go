package bench

import (
	"context"
	"log/slog"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// The support account on the embedded mail servers, and the first staff
// member (the same as `postdesk demo` uses).
const (
	demoSupport  = "support@desk.test"
	demoStaff    = "li@desk.test"
	demoPassword = "demo"
)

// Postdesk opens postdesk for a measurement. cmd/postdesk implements it
// with the Program that `postdesk serve` runs, configured as `postdesk
// demo` is and then changed as Setup says.
type Postdesk interface {
	// Open opens the database, builds every component and listens for
	// HTTP on 127.0.0.1 (any free port); it fetches and sends nothing
	// until Run. On error nothing stays open.
	Open(s Setup) (Program, error)
}

// Setup is what a measurement changes in the demo configuration.
type Setup struct {
	// IMAPAddr and SMTPAddr are the embedded mail servers (plain, no TLS).
	IMAPAddr, SMTPAddr string
	// Address and Password are the support account on them: the desk's
	// address and its IMAP and SMTP login.
	Address, Password string
	// Data is the database file.
	Data string
	// Secret is desk.secret.
	Secret string
	// Poll is imap.poll_interval; zero keeps the demo's.
	Poll time.Duration
	// Staff are the [[staff]] members.
	Staff []Staff
	// NoRateLimit switches the tracking pages' per-client limiter off
	// (web.rate_per_second = -1).
	NoRateLimit bool
	// Logger receives postdesk's log; nil discards it.
	Logger *slog.Logger
	// Handled, if set, is called after each batch of mail the poller
	// committed (mail.Poller.Handled); it must not block.
	Handled func(out []tickets.Outcome)
}

// Staff is one [[staff]] member.
type Staff struct {
	Email, Name string
}

// Program is an opened postdesk.
type Program interface {
	// Run runs the poller, the sender, the scheduler and the web server
	// until ctx is done.
	Run(ctx context.Context) error
	// Close releases the database and the listeners.
	Close() error
	// Desk is the program's desk.
	Desk() *tickets.Desk
	// Store is the program's database.
	Store() tickets.Store
	// ServeWeb serves the tracking pages on the program's listener
	// without Run, for a load on the web server alone; it returns the
	// address and a function that shuts the server down.
	ServeWeb() (addr string, stop func())
	// WebAddr is where the web server listens (Run serves it).
	WebAddr() string
}
