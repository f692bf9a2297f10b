// Package web serves the tracking pages: a customer opens the link from
// their confirmation mail and sees the ticket's status and public timeline,
// and, once it is resolved, can confirm or reopen it with one click.
//
// Every page is addressed by a signed token; a bad, tampered or unknown
// token gets the same plain 404. All content is escaped by html/template;
// customer HTML is never served.
package web

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/postdesk/postdesk/kb"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
)

// Tickets is what the web server needs of the domain: *tickets.Desk.
type Tickets interface {
	Get(n int64) (*tickets.Ticket, error)
	CustomerAction(n int64, purpose, text string) (bool, error)
	RequesterTickets(anchor int64, max int) ([]*tickets.Ticket, error)
	FirstTicketOf(email string) (int64, error)
	SolvedBySelfHelp(n int64, slug string) (bool, error)
}

var _ Tickets = (*tickets.Desk)(nil)

// Server is the tracking web server's handler. Set the fields, then use
// Handler. Safe for concurrent use.
type Server struct {
	Tickets   Tickets
	Signer    *tickets.Signer
	Templates *templates.Set
	Viewer    *templates.Viewer
	Desk      templates.Desk
	Lang      string
	// KB is the self-help knowledge base served under /kb/; nil serves
	// no /kb/ pages.
	KB *kb.Live
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
	// RatePerSecond and Burst limit requests per client address; zero
	// RatePerSecond means 20/s with a burst of 40.
	RatePerSecond float64
	Burst         int
	// TrustProxy takes the client address from X-Forwarded-For (only
	// behind a reverse proxy you run).
	TrustProxy bool

	once     sync.Once
	mu       sync.Mutex
	limiters map[string]*limiter
	mux      *http.ServeMux
}

type limiter struct {
	l    *rate.Limiter
	seen time.Time
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler {
	s.once.Do(func() {
		s.limiters = map[string]*limiter{}
		s.mux = http.NewServeMux()
		s.mux.HandleFunc("GET /t/{token}", s.ticket)
		s.mux.HandleFunc("GET /a/{purpose}/{token}", s.actionPage)
		s.mux.HandleFunc("POST /a/{purpose}/{token}", s.action)
		if s.KB != nil {
			s.kbRoutes()
		}
		s.mux.HandleFunc("GET /m/{token}", s.mine)
		s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	})
	return http.HandlerFunc(s.serve)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !s.allow(s.client(r)) {
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) client(r *http.Request) string {
	if s.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			return strings.TrimSpace(strings.Split(f, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) allow(client string) bool {
	rps, burst := s.RatePerSecond, s.Burst
	if rps == 0 {
		rps, burst = 20, 40
	}
	if rps < 0 {
		return true
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.limiters[client]
	if l == nil {
		if len(s.limiters) > 10000 {
			for k, v := range s.limiters {
				if now.Sub(v.seen) > time.Minute {
					delete(s.limiters, k)
				}
			}
		}
		l = &limiter{l: rate.NewLimiter(rate.Limit(rps), max(burst, 1))}
		s.limiters[client] = l
	}
	l.seen = now
	return l.l.Allow()
}

func notFound(w http.ResponseWriter) {
	http.Error(w, "404 page not found", http.StatusNotFound)
}

// load checks a token for purpose and loads its ticket; nil means 404.
func (s *Server) load(purpose, token string) *tickets.Ticket {
	n, ok := s.Signer.Check(purpose, token)
	if !ok {
		return nil
	}
	t, err := s.Tickets.Get(n)
	if err != nil {
		if !errors.Is(err, tickets.ErrNotFound) && s.Logger != nil {
			s.Logger.Error("web: load ticket", "ticket", n, "err", err)
		}
		return nil
	}
	return t
}

func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	t := s.load(tickets.PurposeTrack, r.PathValue("token"))
	if t == nil {
		notFound(w)
		return
	}
	s.render(w, t, "", "")
}

// lang is the language pages about t are shown in.
func (s *Server) lang(t *tickets.Ticket) string {
	if t == nil || t.Lang == "" {
		return s.Templates.Lang(s.Lang)
	}
	return s.Templates.Lang(t.Lang)
}

// pageData is what every page about t shows: the ticket, its links and
// its incident banner.
func (s *Server) pageData(t *tickets.Ticket, state, flash string) templates.PageData {
	lang := s.lang(t)
	data := templates.PageData{
		Lang:      lang,
		Desk:      s.Desk,
		T:         s.Viewer.Ticket(t, lang),
		CloseURL:  "/a/" + tickets.PurposeClose + "/" + s.Signer.Token(tickets.PurposeClose, t.Number),
		ReopenURL: "/a/" + tickets.PurposeReopen + "/" + s.Signer.Token(tickets.PurposeReopen, t.Number),
		Track:     "/t/" + s.Signer.Token(tickets.PurposeTrack, t.Number),
		Flash:     flash,
		State:     state,
		Incident:  s.incidentView(t),
	}
	if s.KB != nil {
		tok := s.Signer.Token(tickets.PurposeSelfHelp, t.Number)
		for _, slug := range t.Suggested {
			if a, ok := s.KB.Base().Article(slug); ok {
				data.Articles = append(data.Articles, articleView(a, tok))
			}
		}
	}
	if state == "" {
		data.Events = s.Viewer.Events(t, lang, false)
	}
	if first, err := s.Tickets.FirstTicketOf(t.Requester.Email); err == nil && first > 0 {
		data.Mine = "/m/" + s.Signer.Token(tickets.PurposeMine, first)
	}
	return data
}

// render shows the page of t in state (see templates.PageData.State).
func (s *Server) render(w http.ResponseWriter, t *tickets.Ticket, state, flash string) {
	s.page(w, "ticket", s.pageData(t, state, flash))
}

func (s *Server) page(w http.ResponseWriter, name string, data templates.PageData) {
	var b bytes.Buffer
	if err := s.Templates.Page(&b, name, data.Lang, data); err != nil {
		if s.Logger != nil {
			s.Logger.Error("web: render", "page", name, "ticket", data.T.Number, "err", err)
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}

func validPurpose(p string) bool { return p == tickets.PurposeClose || p == tickets.PurposeReopen }

// actionPage shows only the one action of the link from the mail, with
// one button that POSTs it: a GET never changes anything, so link scanners
// in mail systems cannot close tickets. An action that no longer fits the
// ticket shows where the ticket is instead.
func (s *Server) actionPage(w http.ResponseWriter, r *http.Request) {
	t, purpose := s.loadAction(w, r)
	if t == nil {
		return
	}
	state := purpose
	if !tickets.CustomerCan(purpose, t.Status) {
		state = "noop"
	}
	s.render(w, t, state, "")
}

// loadAction checks the purpose and token of an action URL and loads its
// ticket; on failure it has answered 404 and returns nil.
func (s *Server) loadAction(w http.ResponseWriter, r *http.Request) (*tickets.Ticket, string) {
	purpose := r.PathValue("purpose")
	var t *tickets.Ticket
	if validPurpose(purpose) {
		t = s.load(purpose, r.PathValue("token"))
	}
	if t == nil {
		notFound(w)
	}
	return t, purpose
}

// doneState is the page state after an action changed the ticket.
var doneState = map[string]string{tickets.PurposeClose: "closed", tickets.PurposeReopen: "reopened"}

// maxForm bounds the body of an action POST (the optional text).
const maxForm = 64 << 10

func (s *Server) action(w http.ResponseWriter, r *http.Request) {
	t, purpose := s.loadAction(w, r)
	if t == nil {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	text := ""
	if err := r.ParseForm(); err == nil && purpose == tickets.PurposeReopen {
		text = r.PostForm.Get("text")
	}
	changed, err := s.Tickets.CustomerAction(t.Number, purpose, text)
	if err != nil {
		if s.Logger != nil {
			s.Logger.Error("web: action", "ticket", t.Number, "purpose", purpose, "err", err)
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if t, err = s.Tickets.Get(t.Number); err != nil {
		notFound(w)
		return
	}
	lang := s.lang(t)
	state, flash := "noop", s.Templates.Word(lang, "page.action_noop")
	if changed {
		state, flash = doneState[purpose], s.Templates.Word(lang, "page.action_done_"+purpose)
	}
	s.render(w, t, state, flash)
}

// maxMine bounds the "my tickets" list to the newest tickets of a person
// (a school's IT admin may have reported hundreds).
const maxMine = 200

// mine lists every ticket of the requester the token names, open first.
func (s *Server) mine(w http.ResponseWriter, r *http.Request) {
	n, ok := s.Signer.Check(tickets.PurposeMine, r.PathValue("token"))
	if !ok {
		notFound(w)
		return
	}
	list, err := s.Tickets.RequesterTickets(n, maxMine)
	if err != nil || len(list) == 0 {
		if err != nil && !errors.Is(err, tickets.ErrNotFound) && s.Logger != nil {
			s.Logger.Error("web: my tickets", "anchor", n, "err", err)
		}
		notFound(w)
		return
	}
	anchor := list[0]
	for _, t := range list {
		if t.Number == n {
			anchor = t
		}
	}
	data := s.pageData(anchor, "mine", "")
	data.Mine = "/m/" + r.PathValue("token")
	for _, t := range list {
		tv := s.Viewer.Ticket(t, data.Lang)
		tv.Track = "/t/" + s.Signer.Token(tickets.PurposeTrack, t.Number)
		data.Tickets = append(data.Tickets, tv)
	}
	s.page(w, "mine", data)
}
