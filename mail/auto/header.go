package auto

import (
	"strings"

	"github.com/emersion/go-message/textproto"
)

// headerFacts is what the top-level header says, before any decision.
type headerFacts struct {
	// dsn is set when Content-Type or X-Failed-Recipients says this is a bounce.
	dsn string
	// report is the report-type of a top-level multipart/report other than
	// delivery-status ("disposition-notification", "feedback-report", ...).
	report string

	bounceSubject string // label of the bounce subject pattern that matched
	sender        string // "mailer-daemon" or "null sender" when the sender is a robot that bounces
	warning       bool   // the subject or Auto-Submitted says it is a delay warning
	autoSubmitted bool   // Auto-Submitted is present and not "no"

	autoReply string // reason for AutoReply
	automatic string // reason for Automatic

	failed    []string // X-Failed-Recipients addresses
	ownAddrs  []string // lower-case addresses of the bounce's own header (never a failed recipient)
	inReplyTo []string
	refs      []string
}

// readHeaderFacts applies the header rules (RFC 3834 section 5, RFC 3464,
// RFC 2369/2919 list fields and common practice) to a top-level header.
func readHeaderFacts(h textproto.Header) *headerFacts {
	f := &headerFacts{}
	get := func(k string) string { return strings.TrimSpace(h.Get(k)) }

	mt, params := parseContentType(h.Get("Content-Type"))
	switch {
	case mt == "multipart/report":
		rt := strings.ToLower(params["report-type"])
		switch rt {
		case "delivery-status", "global-delivery-status":
			f.dsn = "multipart/report " + rt
		case "":
			// Decided by the parts, when there is a body.
		default:
			f.report = clean(rt, 64)
		}
	case isDSNType(mt):
		f.dsn = mt
	}
	if v := get("X-Failed-Recipients"); v != "" {
		f.failed = addresses(v)
		if f.dsn == "" {
			f.dsn = "X-Failed-Recipients"
		}
	}

	subject := decodeHeader(h.Get("Subject"))
	f.bounceSubject = matchAny(subject, bounceSubjects, false)
	f.warning = matchAny(subject, warningSubjects, false) != ""

	// Senders: From and Sender name the author, Return-Path the envelope.
	from := h.Get("From") + "," + h.Get("Sender")
	nullRP, daemonRP := false, false
	for _, rp := range h.Values("Return-Path") {
		switch a := strings.Trim(strings.TrimSpace(rp), "<> \t"); {
		case a == "":
			nullRP = true
		case isDaemon(a):
			daemonRP = true
		}
	}
	switch {
	case isDaemon(from):
		f.sender = "mailer-daemon"
	case nullRP:
		f.sender = "null sender"
	case daemonRP:
		f.sender = "mailer-daemon"
	}

	autoSubmitted := strings.ToLower(get("Auto-Submitted"))
	if i := strings.IndexAny(autoSubmitted, "(; \t"); i >= 0 {
		if strings.Contains(autoSubmitted[i:], "warning") {
			f.warning = true
		}
		autoSubmitted = autoSubmitted[:i]
	}
	f.autoSubmitted = autoSubmitted != "" && autoSubmitted != "no"
	precedence := strings.ToLower(get("Precedence"))

	// AutoReply: RFC 3834, vendor fields, then the subject.
	switch {
	case autoSubmitted == "auto-replied":
		f.autoReply = "Auto-Submitted: auto-replied"
	case h.Has("X-Autoreply"):
		f.autoReply = "X-Autoreply"
	case h.Has("X-Autorespond"):
		f.autoReply = "X-Autorespond"
	case h.Has("X-Autoresponder"):
		f.autoReply = "X-Autoresponder"
	case h.Has("X-Autoreply-From"):
		f.autoReply = "X-Autoreply-From"
	case h.Has("X-Mail-Autoreply"):
		f.autoReply = "X-Mail-Autoreply"
	case strings.EqualFold(get("X-Apple-Action"), "vacation"):
		f.autoReply = "X-Apple-Action: VACATION"
	case precedence == "auto_reply":
		f.autoReply = "Precedence: auto_reply"
	default:
		if l := matchAny(subject, autoReplySubjects, true); l != "" {
			f.autoReply = "Subject: " + l
		} else if l := matchAny(subject, autoReplySubjectsAnywhere, false); l != "" {
			f.autoReply = "Subject: " + l
		}
	}

	// Automatic: any other sign of a robot or a list.
	switch {
	case f.autoSubmitted:
		f.automatic = "Auto-Submitted: " + clean(autoSubmitted, 64)
	case precedence == "bulk" || precedence == "junk" || precedence == "list":
		f.automatic = "Precedence: " + precedence
	case h.Has("List-Id"):
		f.automatic = "List-Id"
	case h.Has("List-Unsubscribe"):
		f.automatic = "List-Unsubscribe"
	case h.Has("List-Post"):
		f.automatic = "List-Post"
	case nullRP:
		f.automatic = "Return-Path: <>"
	case f.sender == "mailer-daemon":
		f.automatic = "sender: mailer-daemon"
	case isNoReply(from):
		f.automatic = "sender: no-reply"
	case h.Has("X-Auto-Response-Suppress"):
		f.automatic = "X-Auto-Response-Suppress"
	case h.Has("X-Jira-Fingerprint"):
		f.automatic = "X-JIRA-FingerPrint"
	case f.report != "":
		f.automatic = "multipart/report " + f.report
	}

	for _, k := range []string{"From", "Sender", "To", "Cc", "Return-Path", "Delivered-To", "X-Original-To", "Reply-To"} {
		for _, v := range h.Values(k) {
			f.ownAddrs = append(f.ownAddrs, addresses(v)...)
		}
	}
	f.inReplyTo = msgIDs(h.Get("In-Reply-To"))
	for _, v := range h.Values("References") {
		f.refs = append(f.refs, msgIDs(v)...)
	}
	return f
}

// isDSNType reports whether a media type is a delivery status report (RFC
// 3464, RFC 6533).
func isDSNType(mt string) bool {
	return mt == "message/delivery-status" || mt == "message/global-delivery-status"
}

// isDaemon reports whether a header value (one or more addresses) names a
// mailer daemon or postmaster, by address or by the usual display names.
func isDaemon(v string) bool {
	l := strings.ToLower(v)
	for _, s := range []string{"mailer-daemon", "mailer_daemon", "mailerdaemon", "mailer daemon", "mail-daemon",
		"mail delivery subsystem", "mail delivery system"} {
		if strings.Contains(l, s) {
			return true
		}
	}
	for _, a := range addresses(v) {
		if local(a) == "postmaster" {
			return true
		}
	}
	return false
}

// isNoReply reports whether a header value holds a no-reply address, like
// noreply@, no-reply+x@, donotreply@ or do_not_reply@.
func isNoReply(v string) bool {
	for _, a := range addresses(v) {
		l := strings.NewReplacer("-", "", "_", "", ".", "").Replace(local(a))
		if strings.HasPrefix(l, "noreply") || strings.HasPrefix(l, "donotreply") {
			return true
		}
	}
	return false
}

// local returns the lower-case local part of an address.
func local(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		addr = addr[:i]
	}
	return strings.ToLower(addr)
}
