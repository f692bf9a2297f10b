package tickets

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// StaffToken is the stored half of a staff reply token: it says "staff
// address Email was sent notice Notice about ticket Ticket", until Expires,
// unless it was exposed. The token itself (see RefCodec) travels in the
// notice's Message-ID; only its ID is the key here.
type StaffToken struct {
	ID      string     `json:"-"`
	Ticket  int64      `json:"t"`
	Email   string     `json:"email"`
	Notice  NoticeKind `json:"kind"`
	Issued  time.Time  `json:"issued"`
	Expires time.Time  `json:"expires"`
	// Exposed is when the token was seen where someone other than its
	// staff member could read it (a reply-all, a forwarded copy); from then
	// on it proves nothing. Zero: not exposed.
	Exposed time.Time `json:"exposed,omitzero"`
	// Why says how it was exposed.
	Why string `json:"why,omitempty"`
}

// DefaultTokenTTL is how long a staff reply token works when Desk.TokenTTL
// is zero.
const DefaultTokenTTL = 30 * 24 * time.Hour

// DefaultMaxParticipants bounds a ticket's participants when
// Desk.MaxParticipants is zero.
const DefaultMaxParticipants = 10

func (d *Desk) tokenTTL() time.Duration {
	if d.TokenTTL > 0 {
		return d.TokenTTL
	}
	return DefaultTokenTTL
}

func (d *Desk) maxParticipants() int {
	if d.MaxParticipants > 0 {
		return d.MaxParticipants
	}
	return DefaultMaxParticipants
}

// refs returns the codec of our Message-IDs and tokens.
func (d *Desk) refs() *RefCodec {
	rc := &RefCodec{Domain: d.Domain}
	if d.Signer != nil {
		rc.Secret = d.Signer.Secret
	}
	return rc
}

// issueToken mints and stores a token for staff address email about
// ticket n, for a notice of kind k.
func (d *Desk) issueToken(tx Tx, n int64, email string, k NoticeKind) (string, error) {
	tok, id := d.refs().NewToken(n, email)
	now := d.now()
	st := &StaffToken{ID: id, Ticket: n, Email: NormalizeEmail(email), Notice: k, Issued: now, Expires: now.Add(d.tokenTTL())}
	if err := tx.PutStaffToken(st); err != nil {
		return "", fmt.Errorf("store staff token: %w", err)
	}
	return tok, nil
}

// lookupToken returns the stored record of a token whose MAC is good, or
// nil when the token is unknown, pruned or forged.
func (d *Desk) lookupToken(tx Tx, tok string) (*StaffToken, error) {
	rc := d.refs()
	id := rc.TokenID(tok)
	if id == "" {
		return nil, nil
	}
	st, err := tx.StaffToken(id)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !rc.CheckToken(tok, st.Ticket, st.Email) {
		return nil, nil
	}
	return st, nil
}

// tokenProof is what the tokens of a staff mail prove.
type tokenProof struct {
	ticket int64 // the ticket a valid token names, 0 if none
	// refused says why a token for this address did not count (expired,
	// exposed), for the alert; "" when none was refused.
	refused string
}

// proveByToken finds a token among m's reply headers that was issued to
// m's From address and still works.
func (d *Desk) proveByToken(tx Tx, m *Message) (tokenProof, error) {
	var p tokenProof
	from := NormalizeEmail(m.From.Email)
	now := d.now()
	for _, tok := range d.refs().HeaderTokens(m) {
		st, err := d.lookupToken(tx, tok)
		if err != nil {
			return p, err
		}
		if st == nil || st.Email != from {
			continue // someone else's token proves nothing
		}
		switch {
		case !st.Exposed.IsZero():
			p.refused = "revoked" // the details (st.Why) stay in the token record and the log
		case !now.Before(st.Expires):
			p.refused = "expired"
		default:
			p.ticket = st.Ticket
			return p, nil
		}
	}
	return p, nil
}

// authPassed reports whether the receiving server attested m's From
// domain (Message.AuthPass, filled only for a trusted authserv-id).
func authPassed(m *Message) bool {
	_, domain, _ := strings.Cut(NormalizeEmail(m.From.Email), "@")
	return domain != "" && slices.Contains(m.AuthPass, domain)
}

// Reasons a staff reply token was exposed (Notice.Reason of a
// NoticeStaffRenewed).
const (
	ExposedReplyAll = "reply_all" // a mail carrying it also went to (or came from) an outsider
	ExposedForward  = "forwarded" // a forwarded copy of the notification reached the desk
)

// exposure collects the tokens a mail exposed, to be revoked once the
// mail has been handled.
type exposure struct {
	tokens []string
	reason string // ExposedReplyAll, ExposedForward
	detail string // the outsider's address, or who forwarded what
	why    string // for the token record and the log
}

// exposedBy returns the tokens m exposes: those in the headers of a mail
// that also went to (or came from) someone who is neither staff nor the
// desk, and every token inside a forwarded copy of one of our notices.
func (d *Desk) exposedBy(m *Message) []exposure {
	rc := d.refs()
	var out []exposure
	if hdr := rc.HeaderTokens(m); len(hdr) > 0 {
		if outsider := d.outsider(m); outsider != "" {
			out = append(out, exposure{tokens: hdr, reason: ExposedReplyAll, detail: outsider, why: "a mail carrying it also went to " + outsider})
		}
	}
	if emb := rc.EmbeddedTokens(m); len(emb) > 0 {
		detail := fmt.Sprintf("%s: %s", m.From.Email, firstLine(m.Subject))
		out = append(out, exposure{tokens: emb, reason: ExposedForward, detail: detail, why: "a copy of its notification was forwarded in a mail from " + detail})
	}
	return out
}

// outsider returns the first sender or recipient of m who is neither
// staff nor one of the desk's addresses, or "".
func (d *Desk) outsider(m *Message) string {
	for _, a := range append(append([]Address{m.From}, m.To...), m.Cc...) {
		if a.Email == "" || d.isOwnAddress(a.Email) {
			continue
		}
		if _, ok := d.StaffByEmail(a.Email); ok {
			continue
		}
		return a.Email
	}
	return ""
}

// revokeExposed marks the tokens of each exposure as exposed and sends
// each staff member concerned a fresh notification (with a new token)
// saying why. Unknown and already exposed tokens are skipped.
func (d *Desk) revokeExposed(tx Tx, ex []exposure, now time.Time) error {
	type key struct {
		ticket int64
		email  string
	}
	done := map[key]bool{}
	for _, e := range ex {
		for _, tok := range e.tokens {
			st, err := d.lookupToken(tx, tok)
			if err != nil {
				return err
			}
			if st == nil || !st.Exposed.IsZero() {
				continue
			}
			st.Exposed, st.Why = now, e.why
			if err := tx.PutStaffToken(st); err != nil {
				return fmt.Errorf("revoke staff token: %w", err)
			}
			d.log().Warn("desk: staff reply token exposed and revoked", "ticket", st.Ticket, "staff", st.Email, "why", e.why)
			k := key{st.Ticket, st.Email}
			if done[k] {
				continue
			}
			done[k] = true
			s, ok := d.StaffByEmail(st.Email)
			if !ok {
				continue // no longer staff: nothing to replace
			}
			t, err := d.follow(tx, st.Ticket)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			nt := d.staffNotice(t, NoticeStaffRenewed, s)
			nt.Reason, nt.Text = e.reason, e.detail
			if err := d.enqueue(tx, t, nt); err != nil {
				return err
			}
		}
	}
	return nil
}

// PruneTokens deletes staff token records that expired before now minus a
// grace week (kept that long so a late reply is told "expired", not
// "forged"). It returns how many it deleted.
func (d *Desk) PruneTokens() (int, error) {
	var n int
	before := d.now().Add(-7 * 24 * time.Hour)
	err := d.Store.Update(func(tx Tx) error {
		var err error
		n, err = tx.DeleteStaffTokens(before)
		return err
	})
	return n, err
}
