package kb

import (
	"io/fs"

	"github.com/postdesk/postdesk/tickets"
)

var _ tickets.KnowledgeBase = (*Live)(nil)

// Suggest implements tickets.KnowledgeBase: articles in the report's own
// language (DetectLang) that answer it well, best first.
func (l *Live) Suggest(subject, text string, max int) []tickets.Article {
	var out []tickets.Article
	for _, m := range l.Base().Suggest(subject, text, DetectLang(subject+"\n"+text), max) {
		out = append(out, articleRef(m.Article))
	}
	if len(out) > 0 {
		l.Stats.Suggested.Add(1)
	}
	return out
}

// Article implements tickets.KnowledgeBase.
func (l *Live) Article(slug string) (tickets.Article, bool) {
	a, ok := l.Base().Article(slug)
	if !ok {
		return tickets.Article{}, false
	}
	return articleRef(a), true
}

func articleRef(a *Article) tickets.Article {
	return tickets.Article{Slug: a.Slug, Title: a.Title, Summary: a.Summary, Lang: a.Lang}
}

// NewLiveFS returns a Live over a fixed file system (the starter articles
// of the demo); it never changes, so it is loaded once.
func NewLiveFS(fsys fs.FS, name string) (*Live, error) {
	l := &Live{FS: fsys, Dir: name, Every: 1<<62 - 1}
	if _, err := l.reload(); err != nil {
		return nil, err
	}
	return l, nil
}
