// Package templates holds every customer- and staff-facing text of postdesk:
// the email templates (subject, plain text and HTML alternatives) and the
// tracking pages, in zh-CN and en, embedded in the binary, together with
// the view types and functions they use.
//
// Subjects and plain text are rendered with text/template, HTML with
// html/template, so HTML is always escaped.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"

	"github.com/BurntSushi/toml"
)

//go:embed lang/*.toml mail/*/* pages/*.html
var files embed.FS

// Languages lists the supported languages; the first is the default.
var Languages = []string{"zh-CN", "en"}

// Set is the parsed templates of every language. It is safe for
// concurrent use.
type Set struct {
	words map[string]map[string]string      // lang -> key -> text
	text  map[string]*texttemplate.Template // lang -> mail text templates
	html  map[string]*htmltemplate.Template // lang -> mail HTML templates
	pages map[string]*htmltemplate.Template // lang -> page templates
	kinds map[string]map[string]bool        // lang -> kinds with a .txt
}

// Load parses the embedded templates. It does no I/O beyond reading the
// embedded files and fails only if a template is broken.
func Load() (*Set, error) {
	s := &Set{
		words: map[string]map[string]string{},
		text:  map[string]*texttemplate.Template{},
		html:  map[string]*htmltemplate.Template{},
		pages: map[string]*htmltemplate.Template{},
		kinds: map[string]map[string]bool{},
	}
	for _, lang := range Languages {
		data, err := files.ReadFile("lang/" + lang + ".toml")
		if err != nil {
			return nil, err
		}
		w := map[string]string{}
		if err := toml.Unmarshal(data, &w); err != nil {
			return nil, fmt.Errorf("lang/%s.toml: %w", lang, err)
		}
		s.words[lang] = w
		funcs := map[string]any{"t": func(key string) string { return s.word(lang, key) }, "lines": lines, "mso": mso}
		tt := texttemplate.New(lang).Funcs(funcs)
		ht := htmltemplate.New(lang).Funcs(funcs)
		s.kinds[lang] = map[string]bool{}
		entries, err := fs.ReadDir(files, "mail/"+lang)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			name := e.Name()
			body, err := files.ReadFile("mail/" + lang + "/" + name)
			if err != nil {
				return nil, err
			}
			kind := strings.TrimSuffix(name, path.Ext(name))
			switch path.Ext(name) {
			case ".txt":
				// Each kind's file defines "subject" and "text"; rename
				// them per kind so kinds share one template set.
				src := strings.NewReplacer(`{{define "subject"}}`, `{{define "`+kind+`.subject"}}`,
					`{{define "text"}}`, `{{define "`+kind+`.text"}}`).Replace(string(body))
				if _, err := tt.New(name).Parse(src); err != nil {
					return nil, fmt.Errorf("mail/%s/%s: %w", lang, name, err)
				}
				s.kinds[lang][kind] = true
			case ".html":
				src := strings.Replace(string(body), `{{define "html"}}`, `{{define "`+kind+`.html"}}`, 1)
				if _, err := ht.New(name).Parse(src); err != nil {
					return nil, fmt.Errorf("mail/%s/%s: %w", lang, name, err)
				}
			}
		}
		// Language-neutral HTML layouts (the words come from the text).
		shared, err := fs.Glob(files, "mail/shared/*.html")
		if err != nil {
			return nil, err
		}
		for _, name := range shared {
			body, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			kind := strings.TrimSuffix(path.Base(name), ".html")
			src := strings.Replace(string(body), `{{define "html"}}`, `{{define "`+kind+`.html"}}`, 1)
			if _, err := ht.New(path.Base(name)).Parse(src); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
		}
		s.text[lang] = tt
		s.html[lang] = ht
		pt := htmltemplate.New("pages").Funcs(funcs)
		if _, err := pt.ParseFS(files, "pages/*.html"); err != nil {
			return nil, fmt.Errorf("pages: %w", err)
		}
		s.pages[lang] = pt
	}
	return s, nil
}

// Lang returns lang if it is supported, else the default language.
func (s *Set) Lang(lang string) string {
	if _, ok := s.words[lang]; ok {
		return lang
	}
	for _, l := range Languages {
		if strings.EqualFold(l, lang) || strings.HasPrefix(strings.ToLower(lang), strings.ToLower(l[:2])) {
			return l
		}
	}
	return Languages[0]
}

// Word returns the text for key in lang (falling back to the default
// language, then the key itself).
func (s *Set) Word(lang, key string) string { return s.word(s.Lang(lang), key) }

func (s *Set) word(lang, key string) string {
	if v, ok := s.words[lang][key]; ok {
		return v
	}
	if v, ok := s.words[Languages[0]][key]; ok {
		return v
	}
	return key
}

// Mail renders mail kind (e.g. "confirmation") in lang. html is empty when
// the kind has no HTML alternative. The subject is one line, capped at 200
// characters.
func (s *Set) Mail(kind, lang string, data *MailData) (subject, text, html string, err error) {
	lang = s.Lang(lang)
	if !s.kinds[lang][kind] {
		return "", "", "", fmt.Errorf("no mail template %q for %s", kind, lang)
	}
	var b bytes.Buffer
	if err := s.text[lang].ExecuteTemplate(&b, kind+".subject", data); err != nil {
		return "", "", "", fmt.Errorf("render %s subject: %w", kind, err)
	}
	subject = OneLine(b.String(), 200)
	b.Reset()
	if err := s.text[lang].ExecuteTemplate(&b, kind+".text", data); err != nil {
		return "", "", "", fmt.Errorf("render %s text: %w", kind, err)
	}
	text = b.String()
	htmlKind := kind + ".html"
	if s.html[lang].Lookup(htmlKind) == nil && s.html[lang].Lookup("customer.html") != nil && isCustomerKind(kind) {
		htmlKind = "customer.html"
	}
	if s.html[lang].Lookup(htmlKind) != nil {
		b.Reset()
		if err := s.html[lang].ExecuteTemplate(&b, htmlKind, htmlData{MailData: data, Kind: kind, Subject: subject}); err != nil {
			return "", "", "", fmt.Errorf("render %s html: %w", kind, err)
		}
		html = b.String()
	}
	return subject, text, html, nil
}

func isCustomerKind(kind string) bool {
	return kind == "confirmation" || kind == "progress" || kind == "status_list" || kind == "reminder" ||
		kind == "incident_declared" || kind == "incident_update" || kind == "summary"
}

// htmlData is what the shared customer.html layout receives: the mail's
// data, its kind and its subject.
type htmlData struct {
	*MailData
	Kind    string // the mail kind, e.g. "confirmation"
	Subject string // the rendered subject
}

// mso returns Outlook's conditional comments around the 600 px mail body
// ("open" or "close"): Outlook for Windows ignores max-width, so it gets a
// fixed-width table that other clients never see. html/template drops
// comments written in a template, hence a function with constant output.
func mso(which string) htmltemplate.HTML {
	if which == "open" {
		return `<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->`
	}
	return `<!--[if mso]></td></tr></table><![endif]-->`
}

// lines splits text into lines, for templates that show line breaks as
// <br> (mail clients differ on white-space:pre-wrap).
func lines(text string) []string {
	return strings.Split(strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), "\n")
}

// Page renders page name (e.g. "ticket") in lang to w.
func (s *Set) Page(w io.Writer, name, lang string, data any) error {
	return s.pages[s.Lang(lang)].ExecuteTemplate(w, name, data)
}

// OneLine folds s to one line (no CR, LF or other controls) of at most max
// runes: the defence against header injection through subjects.
func OneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}
