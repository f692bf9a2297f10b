// Package kb is postdesk's self-help knowledge base: a folder of Markdown
// articles, one per file, each with YAML front matter, rendered to safe
// HTML, and an in-memory index that finds the articles that answer a
// report (BM25 over title, keywords, summary and body; Chinese by
// character bigrams, English by words).
//
// A Base is immutable once loaded and safe for concurrent use. Live wraps a
// folder and rebuilds the Base when the folder changes.
package kb

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
)

// Languages are the article languages postdesk knows.
var Languages = []string{"zh-CN", "en"}

// Categories are the triage categories an article may name.
var Categories = []string{"account", "network", "av", "feature", "outage", "other"}

// Article is one knowledge-base article.
type Article struct {
	// Slug is the file name without ".md"; it is the article's address
	// (/kb/<slug>) and what `#kb <slug>` names.
	Slug       string
	Title      string
	Lang       string // "zh-CN" or "en"
	Categories []string
	Keywords   []string
	// Summary is one line shown in mail beside the link; when the front
	// matter has none, the first paragraph of the body.
	Summary string
	// HTML is the body rendered to HTML with raw HTML disabled: safe to
	// insert into a page as it is.
	HTML string
	// Text is the body as plain text (for matching).
	Text string
	// Links are the internal links of the body (other slugs it names).
	Links []string
}

// Problem is one thing wrong with the folder, as `postdesk kb check`
// reports it.
type Problem struct {
	File    string
	Message string
}

func (p Problem) String() string { return p.File + ": " + p.Message }

// Base is a loaded knowledge base.
type Base struct {
	articles []*Article
	bySlug   map[string]*Article
	idx      *index
}

// frontMatter is the YAML between the leading "---" lines.
type frontMatter struct {
	Title      string   `yaml:"title"`
	Lang       string   `yaml:"lang"`
	Categories []string `yaml:"categories"`
	Keywords   []string `yaml:"keywords"`
	Summary    string   `yaml:"summary"`
}

// MaxArticleSize bounds one article file.
const MaxArticleSize = 256 << 10

// MaxArticles bounds the number of articles in a folder.
const MaxArticles = 2000

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,79}$`)

var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// Load reads every "*.md" file of fsys, at the top or one folder down
// (e.g. zh-CN/ and en/); the file name without ".md" is the article's
// slug, so two files of the same name in different folders are reported
// as duplicate slugs. Articles with problems are left out and listed;
// Load returns an error only when the folder cannot be read at all. An
// empty folder is a valid, empty Base.
func Load(fsys fs.FS) (*Base, []Problem, error) {
	files, err := articleFiles(fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("read knowledge base: %w", err)
	}
	b := &Base{bySlug: map[string]*Article{}}
	var probs []Problem
	where := map[string]string{} // slug -> file
	for _, name := range files {
		if len(b.articles) >= MaxArticles {
			probs = append(probs, Problem{name, fmt.Sprintf("more than %d articles; the rest are ignored", MaxArticles)})
			break
		}
		slug := strings.TrimSuffix(path.Base(name), ".md")
		if prev, dup := where[slug]; dup {
			probs = append(probs, Problem{name, fmt.Sprintf("duplicate slug %q: %s has the same name (each article needs its own file name)", slug, prev)})
			continue
		}
		raw, err := readBounded(fsys, name)
		if err != nil {
			probs = append(probs, Problem{name, err.Error()})
			continue
		}
		a, err := parseArticle(slug, raw)
		if err != nil {
			probs = append(probs, Problem{name, err.Error()})
			continue
		}
		where[slug] = name
		b.articles = append(b.articles, a)
		b.bySlug[a.Slug] = a
	}
	for _, a := range b.articles {
		for _, l := range a.Links {
			if _, ok := b.bySlug[l]; !ok {
				probs = append(probs, Problem{where[a.Slug], fmt.Sprintf("links to %q, which is not an article", l)})
			}
		}
	}
	sort.Slice(b.articles, func(i, j int) bool { return b.articles[i].Slug < b.articles[j].Slug })
	b.idx = buildIndex(b.articles)
	return b, probs, nil
}

// articleFiles lists the "*.md" files at the top of fsys and one folder
// down, in a stable order; hidden files and folders are skipped.
func articleFiles(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := path.Base(name)
		if name != "." && strings.HasPrefix(base, ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if name != "." && strings.Count(name, "/") >= 1 {
				return fs.SkipDir // only one level of folders
			}
			return nil
		}
		if strings.HasSuffix(base, ".md") {
			out = append(out, name)
		}
		return nil
	})
	return out, err
}

func readBounded(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxArticleSize {
		return nil, fmt.Errorf("larger than %d KiB", MaxArticleSize>>10)
	}
	return fs.ReadFile(fsys, name)
}

// parseArticle splits front matter from the body and checks both.
func parseArticle(slug string, raw []byte) (*Article, error) {
	if !slugRE.MatchString(slug) {
		return nil, errors.New("file name must be lower-case letters, digits and dashes (it becomes the address /kb/<name>)")
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return nil, errors.New("missing front matter: the file must start with a line \"---\"")
	}
	head, body, ok := strings.Cut(s[4:], "\n---\n")
	if !ok {
		head, ok = strings.CutSuffix(s[4:], "\n---")
		if !ok {
			return nil, errors.New("front matter is not closed by a line \"---\"")
		}
		body = ""
	}
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return nil, fmt.Errorf("front matter: %v", err)
	}
	a := &Article{Slug: slug, Title: strings.TrimSpace(fm.Title), Lang: fm.Lang, Categories: fm.Categories,
		Keywords: fm.Keywords, Summary: strings.TrimSpace(fm.Summary)}
	if a.Title == "" {
		return nil, errors.New("front matter: title is missing")
	}
	if !contains(Languages, a.Lang) {
		return nil, fmt.Errorf("front matter: lang %q: must be one of %s", a.Lang, strings.Join(Languages, ", "))
	}
	for _, c := range a.Categories {
		if !contains(Categories, c) {
			return nil, fmt.Errorf("front matter: category %q: must be one of %s", c, strings.Join(Categories, ", "))
		}
	}
	if strings.TrimSpace(body) == "" {
		return nil, errors.New("the article has no text")
	}
	if err := render(a, []byte(body)); err != nil {
		return nil, err
	}
	if a.Summary == "" {
		a.Summary = firstParagraph(a.Text)
	}
	if r := []rune(a.Summary); len(r) > 160 {
		a.Summary = string(r[:160]) + "…"
	}
	return a, nil
}

// render fills HTML, Text and Links from the Markdown body. goldmark
// escapes raw HTML by default (html.WithUnsafe is not set), so the output
// is safe to insert into a page.
func render(a *Article, src []byte) error {
	doc := md.Parser().Parse(text.NewReader(src))
	var plain strings.Builder
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Link:
			if entering {
				if slug, ok := internalLink(string(n.Destination)); ok {
					a.Links = append(a.Links, slug)
					n.Destination = []byte("/kb/" + slug)
				}
			}
		case *ast.Text:
			if entering {
				plain.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					plain.WriteByte('\n')
				}
			}
		case *ast.String:
			if entering {
				plain.Write(n.Value)
			}
		case *ast.Paragraph, *ast.Heading, *ast.ListItem:
			if !entering {
				plain.WriteString("\n\n")
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := md.Renderer().Render(&out, src, doc); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	a.HTML = out.String()
	a.Text = strings.TrimSpace(plain.String())
	return nil
}

// internalLink recognises links to other articles: "other-slug",
// "other-slug.md", "/kb/other-slug", "./other-slug.md".
func internalLink(dest string) (string, bool) {
	if dest == "" || strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:") || strings.HasPrefix(dest, "#") {
		return "", false
	}
	dest, _, _ = strings.Cut(dest, "#")
	dest = strings.TrimPrefix(dest, "./")
	dest = strings.TrimPrefix(dest, "/kb/")
	if strings.HasPrefix(dest, "/") {
		return "", false
	}
	slug := strings.TrimSuffix(path.Base(dest), ".md")
	if !slugRE.MatchString(slug) || strings.Contains(dest, "/") {
		return "", false
	}
	return slug, true
}

func firstParagraph(s string) string {
	p, _, _ := strings.Cut(strings.TrimSpace(s), "\n\n")
	return strings.Join(strings.Fields(p), " ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Articles returns every article, by slug.
func (b *Base) Articles() []*Article {
	if b == nil {
		return nil
	}
	return b.articles
}

// Article returns the article with that slug.
func (b *Base) Article(slug string) (*Article, bool) {
	if b == nil {
		return nil, false
	}
	a, ok := b.bySlug[slug]
	return a, ok
}

// Len is the number of articles.
func (b *Base) Len() int {
	if b == nil {
		return 0
	}
	return len(b.articles)
}
