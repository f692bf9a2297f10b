package web

import (
	"bytes"
	htmltemplate "html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/postdesk/postdesk/kb"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
)

// kbPage is what the knowledge-base pages (templates/pages/kb.html)
// receive.
type kbPage struct {
	Lang    string
	Desk    templates.Desk
	Query   string
	Results []templates.ArticleView
	Groups  []kbGroup
	Article *templates.ArticleView
	// Body is the article rendered by package kb from Markdown with raw
	// HTML disabled, so it is safe as it is.
	Body     htmltemplate.HTML
	Ticket   int64
	SolveURL string
	Flash    string
}

type kbGroup struct {
	Label    string
	Articles []templates.ArticleView
}

// maxQuery bounds a search-box query.
const maxQuery = 200

func (s *Server) kbRoutes() {
	s.mux.HandleFunc("GET /kb/{$}", s.kbList)
	s.mux.HandleFunc("GET /kb/{slug}", s.kbArticle)
	s.mux.HandleFunc("POST /kb/{slug}/solve/{token}", s.kbSolve)
}

// kbList is the list of articles by category, with a search box (a plain
// GET form: no scripts). ?lang=en picks the language; the default is the
// desk's.
func (s *Server) kbList(w http.ResponseWriter, r *http.Request) {
	base := s.KB.Base()
	lang := s.Templates.Lang(s.Lang)
	if l := r.URL.Query().Get("lang"); l != "" {
		lang = s.Templates.Lang(l)
	}
	page := kbPage{Lang: lang, Desk: s.Desk}
	if q := strings.TrimSpace(r.URL.Query().Get("q")); q != "" {
		if rs := []rune(q); len(rs) > maxQuery {
			q = string(rs[:maxQuery])
		}
		page.Query = q
		for _, m := range base.Search(q, kb.DetectLang(q), 10) {
			page.Results = append(page.Results, articleView(m.Article, ""))
		}
	}
	for _, cat := range kb.Categories {
		g := kbGroup{Label: s.Templates.Word(lang, "kb.cat."+cat)}
		for _, a := range base.Articles() {
			if a.Lang == lang && len(a.Categories) > 0 && a.Categories[0] == cat {
				g.Articles = append(g.Articles, articleView(a, ""))
			}
		}
		if len(g.Articles) > 0 {
			page.Groups = append(page.Groups, g)
		}
	}
	s.kbRender(w, "kb_list", page)
}

// kbArticle shows one article. Opened from a ticket's mail, its link
// carries the ticket's self-help token (?t=): the page then offers "this
// solved my problem" as a POST form, so a link scanner changes nothing.
// A bad token shows the article without the button.
func (s *Server) kbArticle(w http.ResponseWriter, r *http.Request) {
	a, ok := s.KB.Base().Article(r.PathValue("slug"))
	if !ok {
		notFound(w)
		return
	}
	page := s.articlePage(a)
	if tok := r.URL.Query().Get("t"); tok != "" {
		if t := s.load(tickets.PurposeSelfHelp, tok); t != nil {
			s.KB.Stats.Opened.Add(1)
			if t.Status.Open() {
				page.Ticket = t.Number
				page.SolveURL = "/kb/" + url.PathEscape(a.Slug) + "/solve/" + url.PathEscape(tok)
			}
		}
	}
	s.kbRender(w, "kb_article", page)
}

func (s *Server) kbSolve(w http.ResponseWriter, r *http.Request) {
	a, ok := s.KB.Base().Article(r.PathValue("slug"))
	var t *tickets.Ticket
	if ok {
		t = s.load(tickets.PurposeSelfHelp, r.PathValue("token"))
	}
	if t == nil {
		notFound(w)
		return
	}
	changed, err := s.Tickets.SolvedBySelfHelp(t.Number, a.Slug)
	if err != nil {
		if s.Logger != nil {
			s.Logger.Error("web: self-help solved", "ticket", t.Number, "article", a.Slug, "err", err)
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	page := s.articlePage(a)
	page.Flash = s.Templates.Word(page.Lang, "kb.solved_noop")
	if changed {
		s.KB.Stats.Solved.Add(1)
		page.Flash = s.Templates.Word(page.Lang, "kb.solved_done")
	}
	s.kbRender(w, "kb_article", page)
}

func (s *Server) articlePage(a *kb.Article) kbPage {
	v := articleView(a, "")
	return kbPage{Lang: s.Templates.Lang(a.Lang), Desk: s.Desk, Article: &v, Body: htmltemplate.HTML(a.HTML)}
}

func articleView(a *kb.Article, token string) templates.ArticleView {
	u := "/kb/" + url.PathEscape(a.Slug)
	if token != "" {
		u += "?t=" + url.QueryEscape(token)
	}
	return templates.ArticleView{Title: a.Title, Summary: a.Summary, URL: u}
}

func (s *Server) kbRender(w http.ResponseWriter, name string, page kbPage) {
	var b bytes.Buffer
	if err := s.Templates.Page(&b, name, page.Lang, page); err != nil {
		if s.Logger != nil {
			s.Logger.Error("web: render", "page", name, "err", err)
		}
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
