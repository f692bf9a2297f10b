package mail

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/postdesk/postdesk/tickets"
)

// IMAPConfig says where to fetch mail.
type IMAPConfig struct {
	Addr     string
	TLS      string // "implicit", "starttls" or "none"
	Username string
	Password string
	Mailbox  string // default "INBOX"
	// ProcessedMailbox, if set, receives handled mail (UID MOVE); else it
	// is only flagged \Seen.
	ProcessedMailbox string
	// FailedMailbox receives mail that failed processing; "" keeps it in
	// place (flagged \Seen and \Flagged).
	FailedMailbox string
	IDLE          bool
	// PollInterval is the safety-net resync period (default 30s).
	PollInterval time.Duration
	// TLSConfig verifies the server; nil means the system roots.
	TLSConfig *tls.Config
	// Token, if set, logs in with OAuth2 (XOAUTH2, or OAUTHBEARER where
	// only that is offered) instead of Password.
	Token TokenFunc
}

// Intaker is what the poller needs of the domain: *tickets.Desk.
type Intaker interface {
	Intake(msgs []*tickets.Message, cp *tickets.Checkpoint) ([]tickets.Outcome, error)
	Checkpoint(key string) ([]byte, error)
	SaveCheckpoint(cp tickets.Checkpoint) error
}

var _ Intaker = (*tickets.Desk)(nil)

// Poller fetches new mail by UID, hands it to the desk, and only after the
// desk committed it flags (and optionally moves) it on the server. Its
// position (UIDVALIDITY, last UID, UIDs not yet flagged) is stored in the
// same transaction as the ticket changes. Set the fields, then call Run.
type Poller struct {
	Config IMAPConfig
	Desk   Intaker
	Parse  ParseOptions
	// Logger receives operational messages; nil discards them (the rule
	// for every Logger field in postdesk).
	Logger *slog.Logger
	// Batch bounds the mails per fetch and per transaction (default 200).
	Batch int
	// ChunkBytes bounds the mail bytes fetched into one batch (default
	// 64 MiB); a single larger mail is a batch of its own. With it, memory
	// stays a small multiple of the largest mail.
	ChunkBytes int64
	// Handled is called after each committed batch (e.g. to wake the
	// sender); it must not block.
	Handled func(out []tickets.Outcome)

	// BeforeFlag is a TEST HOOK for crash tests; production leaves it nil.
	// If set, it runs after a batch is committed and before it is flagged
	// on the server. Returning an error aborts the session as a network
	// failure would.
	BeforeFlag func(uids []imap.UID) error

	mu     sync.Mutex
	status PollerStatus
}

// PollerStatus is what the poller last did, for logs and health checks.
type PollerStatus struct {
	Connected bool
	LastSync  time.Time
	LastError string
	Fetched   int
}

// Status returns a snapshot of the poller's state.
func (p *Poller) Status() PollerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status
}

func (p *Poller) log() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// position is the poller's durable place in one mailbox.
type position struct {
	Validity uint32     `json:"validity"`
	Last     imap.UID   `json:"last"`
	Pending  []imap.UID `json:"pending,omitempty"` // committed, not yet flagged
}

func (p *Poller) stateKey() string {
	return "imap:" + p.Config.Username + "@" + p.Config.Addr + "/" + p.mailbox()
}

func (p *Poller) mailbox() string {
	if p.Config.Mailbox == "" {
		return "INBOX"
	}
	return p.Config.Mailbox
}

func (p *Poller) loadPosition() (position, error) {
	var pos position
	v, err := p.Desk.Checkpoint(p.stateKey())
	if err != nil || len(v) == 0 {
		return pos, err
	}
	return pos, json.Unmarshal(v, &pos)
}

// checkpoint is pos as the value stored with the batch it follows.
func (p *Poller) checkpoint(pos position) *tickets.Checkpoint {
	v, _ := json.Marshal(pos) // a struct of numbers always marshals
	return &tickets.Checkpoint{Key: p.stateKey(), Value: v}
}

func (p *Poller) savePosition(pos position) error {
	return p.Desk.SaveCheckpoint(*p.checkpoint(pos))
}

// Run fetches mail until ctx is done, reconnecting with backoff (1s
// doubling to 1 min) after any error. It returns nil on shutdown.
func (p *Poller) Run(ctx context.Context) error {
	backoff := time.Second
	for {
		start := time.Now()
		err := p.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		p.mu.Lock()
		p.status.Connected = false
		if err != nil {
			p.status.LastError = err.Error()
		}
		p.mu.Unlock()
		if time.Since(start) > time.Minute {
			backoff = time.Second
		}
		p.log().Warn("poller: session ended; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, time.Minute)
	}
}

func (p *Poller) dial(h *imapclient.UnilateralDataHandler) (*imapclient.Client, error) {
	return p.Config.Dial(&imapclient.Options{UnilateralDataHandler: h})
}

// Dial connects to the IMAP server with the configured TLS mode; it does
// not log in. TLSConfig and WordDecoder in opts are set from c (opts may
// be nil).
func (c IMAPConfig) Dial(opts *imapclient.Options) (*imapclient.Client, error) {
	var o imapclient.Options
	if opts != nil {
		o = *opts
	}
	o.TLSConfig, o.WordDecoder = c.TLSConfig, WordDecoder
	switch c.TLS {
	case "implicit":
		return imapclient.DialTLS(c.Addr, &o)
	case "starttls":
		return imapclient.DialStartTLS(c.Addr, &o)
	default:
		return imapclient.DialInsecure(c.Addr, &o)
	}
}

// Login authenticates cl: with OAuth2 when Token is set, else with LOGIN
// and the password.
func (c IMAPConfig) Login(cl *imapclient.Client) error {
	if c.Token == nil {
		return cl.Login(c.Username, c.Password).Wait()
	}
	sc, err := oauthClient(cl.Caps().AuthMechanisms(), c.Addr, c.Username, c.Token)
	if err != nil {
		return err
	}
	return cl.Authenticate(sc)
}

// session is one connection: log in, select, then sync and wait in turn.
func (p *Poller) session(ctx context.Context) error {
	newMail := make(chan struct{}, 1)
	h := &imapclient.UnilateralDataHandler{
		Mailbox: func(d *imapclient.UnilateralDataMailbox) {
			if d.NumMessages != nil {
				select {
				case newMail <- struct{}{}:
				default:
				}
			}
		},
	}
	c, err := p.dial(h)
	if err != nil {
		return fmt.Errorf("connect %s: %w", p.Config.Addr, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if err := p.Config.Login(c); err != nil {
		return fmt.Errorf("login as %s: %w", p.Config.Username, err)
	}
	sel, err := c.Select(p.mailbox(), nil).Wait()
	if err != nil {
		return fmt.Errorf("select %q: %w", p.mailbox(), err)
	}
	p.mu.Lock()
	p.status.Connected = true
	p.mu.Unlock()
	p.log().Info("poller: connected", "addr", p.Config.Addr, "mailbox", p.mailbox(), "uidvalidity", sel.UIDValidity, "messages", sel.NumMessages)
	useIdle := p.Config.IDLE && c.Caps().Has(imap.CapIdle)
	interval := p.Config.PollInterval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	validity := sel.UIDValidity
	selected := time.Now()
	for {
		// Re-select once per poll interval: the safety net also catches a
		// mailbox recreated under an open session (a new UIDVALIDITY that
		// some servers do not announce to an IDLE connection).
		if time.Since(selected) >= interval {
			sel, err := c.Select(p.mailbox(), nil).Wait()
			if err != nil {
				return fmt.Errorf("select %q: %w", p.mailbox(), err)
			}
			validity, selected = sel.UIDValidity, time.Now()
		}
		if err := p.sync(ctx, c, validity); err != nil {
			return err
		}
		if useIdle {
			if err := p.idle(ctx, c, newMail, min(interval, 25*time.Minute)); err != nil {
				return err
			}
		} else {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(interval):
			}
			if err := c.Noop().Wait(); err != nil {
				return fmt.Errorf("noop: %w", err)
			}
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

// idle waits in IDLE until new mail is announced, the interval passes or
// ctx is done.
func (p *Poller) idle(ctx context.Context, c *imapclient.Client, newMail <-chan struct{}, interval time.Duration) error {
	cmd, err := c.Idle()
	if err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	t := time.NewTimer(interval)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-newMail:
	case <-t.C:
	case <-c.Closed():
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("idle done: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("idle: %w", err)
	}
	return nil
}

// sync handles every message above the stored position.
func (p *Poller) sync(ctx context.Context, c *imapclient.Client, validity uint32) error {
	pos, err := p.loadPosition()
	if err != nil {
		return fmt.Errorf("load position: %w", err)
	}
	if pos.Validity != validity {
		if pos.Validity != 0 {
			p.log().Warn("poller: UIDVALIDITY changed; rescanning (duplicates are recognised)", "old", pos.Validity, "new", validity)
		}
		pos = position{Validity: validity}
	}
	if len(pos.Pending) > 0 {
		if err := p.markHandled(c, pos.Pending, nil); err != nil {
			return err
		}
		pos.Pending = nil
		if err := p.savePosition(pos); err != nil {
			return err
		}
	}
	crit := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: pos.Last + 1, Stop: 0}}}}
	res, err := c.UIDSearch(crit, nil).Wait()
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	var uids []imap.UID
	for _, u := range res.AllUIDs() {
		if u > pos.Last {
			uids = append(uids, u)
		}
	}
	slices.Sort(uids)
	batch := p.Batch
	if batch <= 0 {
		batch = 200
	}
	for len(uids) > 0 {
		if ctx.Err() != nil {
			return nil
		}
		// Size the next chunk by count and by bytes, so a burst of large
		// mails never sits in memory at once.
		window := uids[:min(len(uids), batch)]
		sizes, err := p.sizes(c, window)
		if err != nil {
			return err
		}
		n, total := 0, int64(0)
		limit := p.ChunkBytes
		if limit <= 0 {
			limit = defaultChunkBytes
		}
		for n < len(window) && (n == 0 || total+sizes[window[n]] <= limit) {
			total += sizes[window[n]]
			n++
		}
		if err := p.handleChunk(c, &pos, uids[:n]); err != nil {
			return err
		}
		uids = uids[n:]
	}
	p.mu.Lock()
	p.status.LastSync = time.Now()
	p.mu.Unlock()
	return nil
}

// defaultChunkBytes is the default of Poller.ChunkBytes.
const defaultChunkBytes = 64 << 20

// sizes returns RFC822.SIZE of each UID.
func (p *Poller) sizes(c *imapclient.Client, uids []imap.UID) (map[imap.UID]int64, error) {
	set := imap.UIDSetNum(uids...)
	msgs, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return nil, fmt.Errorf("fetch sizes: %w", err)
	}
	out := make(map[imap.UID]int64, len(msgs))
	for _, m := range msgs {
		out[m.UID] = m.RFC822Size
	}
	return out, nil
}

// readFetched reads one message's UID and body. Unlike Collect, it sizes
// the body buffer from the literal's length, so a mail of N bytes costs N
// bytes here, not the up to 2N of a growing buffer.
func readFetched(md *imapclient.FetchMessageData) (imap.UID, []byte, error) {
	var uid imap.UID
	var raw []byte
	for {
		item := md.Next()
		if item == nil {
			return uid, raw, nil
		}
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			uid = item.UID
		case imapclient.FetchItemDataBodySection:
			if item.Literal == nil || raw != nil {
				continue
			}
			raw = make([]byte, item.Literal.Size())
			if _, err := io.ReadFull(item.Literal, raw); err != nil {
				return 0, nil, err
			}
		}
	}
}

// handleChunk fetches, commits and then flags one chunk of messages.
func (p *Poller) handleChunk(c *imapclient.Client, pos *position, uids []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	fetch := c.Fetch(set, &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	type fetched struct {
		uid imap.UID
		raw []byte
		msg *tickets.Message
	}
	var got []fetched
	for {
		md := fetch.Next()
		if md == nil {
			break
		}
		uid, raw, err := readFetched(md)
		if err != nil {
			fetch.Close()
			return fmt.Errorf("fetch: %w", err)
		}
		if uid == 0 || raw == nil {
			continue
		}
		got = append(got, fetched{uid: uid, raw: raw})
	}
	if err := fetch.Close(); err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	// Parse on every core: parsing is pure, and the commit below keeps
	// the order.
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(got)) {
		wg.Go(func() {
			for i := range next {
				got[i].msg = Parse(got[i].raw, &p.Parse)
			}
		})
	}
	for i := range got {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(got) == 0 {
		// Expunged meanwhile: move past them.
		pos.Last = max(pos.Last, slices.Max(uids))
		return p.savePosition(*pos)
	}
	msgs := make([]*tickets.Message, len(got))
	handled := make([]imap.UID, len(got))
	for i, f := range got {
		msgs[i] = f.msg
		handled[i] = f.uid
	}
	np := *pos
	np.Last = max(pos.Last, slices.Max(uids))
	np.Pending = handled
	out, err := p.Desk.Intake(msgs, p.checkpoint(np))
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	*pos = np
	p.mu.Lock()
	p.status.Fetched += len(msgs)
	p.mu.Unlock()
	if p.Handled != nil {
		p.Handled(out)
	}
	for i, o := range out {
		if o.Action == tickets.ActionFailed {
			p.log().Error("poller: mail quarantined", "uid", handled[i], "err", o.Err)
		}
	}
	if p.BeforeFlag != nil {
		if err := p.BeforeFlag(handled); err != nil {
			return err
		}
	}
	var failed []imap.UID
	for i, o := range out {
		if o.Action == tickets.ActionFailed {
			failed = append(failed, handled[i])
		}
	}
	if err := p.markHandled(c, handled, failed); err != nil {
		return err
	}
	pos.Pending = nil
	return nil
}

// markHandled flags handled mail \Seen and, if configured, moves it; failed
// mail is also flagged \Flagged and moved to the failed mailbox. MOVE is
// used only when the server supports it: its fallback would EXPUNGE.
func (p *Poller) markHandled(c *imapclient.Client, uids, failed []imap.UID) error {
	set := imap.UIDSetNum(uids...)
	err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
	if err != nil {
		return fmt.Errorf("flag seen: %w", err)
	}
	canMove := c.Caps().Has(imap.CapMove)
	failedSet := imap.UIDSetNum(failed...)
	if len(failed) > 0 {
		if err := c.Store(failedSet, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagFlagged}}, nil).Close(); err != nil {
			return fmt.Errorf("flag failed: %w", err)
		}
		if p.Config.FailedMailbox != "" && canMove {
			if err := p.moveTo(c, failedSet, p.Config.FailedMailbox); err != nil {
				return err
			}
		}
	}
	if p.Config.ProcessedMailbox != "" {
		if !canMove {
			p.log().Warn("poller: server lacks MOVE; leaving handled mail in place", "mailbox", p.Config.ProcessedMailbox)
			return nil
		}
		var ok []imap.UID
		for _, u := range uids {
			if !slices.Contains(failed, u) || p.Config.FailedMailbox == "" {
				ok = append(ok, u)
			}
		}
		if len(ok) > 0 {
			return p.moveTo(c, imap.UIDSetNum(ok...), p.Config.ProcessedMailbox)
		}
	}
	return nil
}

func (p *Poller) moveTo(c *imapclient.Client, set imap.UIDSet, mailbox string) error {
	_, err := c.Move(set, mailbox).Wait()
	if err == nil {
		return nil
	}
	var ie *imap.Error
	if errors.As(err, &ie) && ie.Code == imap.ResponseCodeTryCreate || errors.As(err, &ie) && ie.Type == imap.StatusResponseTypeNo {
		if cerr := c.Create(mailbox, nil).Wait(); cerr != nil {
			p.log().Warn("poller: create mailbox", "mailbox", mailbox, "err", cerr)
		}
		_, err = c.Move(set, mailbox).Wait()
	}
	if err != nil {
		return fmt.Errorf("move to %q: %w", mailbox, err)
	}
	return nil
}
