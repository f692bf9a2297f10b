package reply

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTML returns the new text of an HTML-only reply, as plain text. It
// removes the containers mail clients put quoted mail in — Gmail
// div.gmail_quote and div.gmail_attr, Outlook div#appendonsend,
// div#divRplyFwdMsg and the border-top block starting "From:" (and
// everything after them), Thunderbird div.moz-cite-prefix and
// blockquote[type=cite], Apple Mail blockquote[type=cite], QQ Mail
// div#original-content, NetEase blockquote#isReplyContent, Yahoo
// div.yahoo_quoted, GMX/web.de div[name=quote], Lotus Notes
// div.domino-section — converts the rest to text and applies Text.
//
// The conversion keeps line structure (div, p, br, li, tr), renders other
// blockquotes as ">" lines (Gmail's borderless indent as indentation),
// drops images, styles, scripts and link targets, and turns no-break
// spaces into spaces. When nothing but quotes and signature is left, HTML
// returns Text of the whole converted document, so that, like Text, it
// never returns "" for a body with visible text. HTML does no I/O and is
// safe for concurrent use.
func HTML(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		// html.Parse only fails on reader errors; be safe anyway.
		return Text(s)
	}
	full := render(doc)
	// Answers written between the quotes keep the quotes they answer.
	if lines := splitLines(full); countText(lines) > 0 {
		m := scan(lines, true)
		if top := stripSignature(lines[:m.first]); countText(top) <= 3 {
			if out, ok := interleavedReply(lines, top); ok {
				return out
			}
		}
	}
	removeQuotes(doc)
	if out, ok := extract(render(doc)); ok {
		return out
	}
	return Text(full)
}

// HTMLText converts a whole HTML document to plain text, quotes included:
// the text of a mail that has no text/plain part. It keeps the line
// structure HTML does (div, p, br, li, tr), renders blockquotes as ">"
// lines, drops styles and scripts, shows an image by its alt text, and
// writes a link's target after its text as "text (https://...)" unless
// the text already shows it or there is none (an image-only link).
// It does no I/O and is safe for concurrent use.
func HTMLText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	return strings.TrimSpace(renderLinks(doc, true))
}

// removeQuotes deletes quoted-mail containers from doc.
func removeQuotes(doc *html.Node) {
	var cut *html.Node    // first node from which everything is old
	var drop []*html.Node // subtrees that are old
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case cut == nil && cutsHere(n):
				cut = n
				return
			case isQuoteContainer(n):
				drop = append(drop, n)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
	if cut != nil && cut.Parent != nil {
		// Remove the node, its following siblings and those of every
		// ancestor: the rest of the document in reading order.
		for a := cut; a.Parent != nil; a = a.Parent {
			for s := a.NextSibling; s != nil; {
				next := s.NextSibling
				a.Parent.RemoveChild(s)
				s = next
			}
		}
		cut.Parent.RemoveChild(cut)
	}
}

// cutsHere reports whether n starts the quoted original so that it and
// everything after it is old: Outlook's reply markers and header block,
// QQ Mail's original-content, Lotus Notes' section.
func cutsHere(n *html.Node) bool {
	switch id := attr(n, "id"); {
	case id == "appendonsend", id == "divRplyFwdMsg", id == "x_divRplyFwdMsg",
		id == "x_appendonsend", id == "original-content", id == "stopSpelling",
		id == "mail-editor-reference-message-container":
		return true
	}
	if hasClass(n, "domino-section") {
		return true
	}
	// Outlook desktop: <div style="border:none;border-top:solid #E1E1E1
	// 1.0pt;..."><p><b>From:</b> ...
	if (n.DataAtom == atom.Div || n.DataAtom == atom.P) &&
		strings.Contains(strings.ToLower(attr(n, "style")), "border-top") {
		return headerField(textPrefix(n, 80))&hasFrom != 0
	}
	return false
}

// isQuoteContainer reports whether n is a container of quoted mail, or of
// a signature that the client marks up (Gmail, Thunderbird).
func isQuoteContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Blockquote:
		return attr(n, "type") == "cite" || hasClass(n, "gmail_quote") ||
			attr(n, "id") == "isReplyContent"
	case atom.Div:
		return hasClass(n, "gmail_quote") || hasClass(n, "gmail_quote_container") ||
			hasClass(n, "gmail_attr") || hasClass(n, "moz-cite-prefix") ||
			hasClass(n, "moz-forward-container") || hasClass(n, "yahoo_quoted") ||
			strings.HasPrefix(attr(n, "id"), "yahoo_quoted") || attr(n, "name") == "quote" ||
			hasClass(n, "gmail_signature")
	case atom.Span:
		return hasClass(n, "gmail_signature_prefix")
	}
	return hasClass(n, "moz-signature")
}

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasClass reports whether n has class c.
func hasClass(n *html.Node, c string) bool {
	for _, f := range strings.Fields(attr(n, "class")) {
		if f == c {
			return true
		}
	}
	return false
}

// textPrefix returns about the first max bytes of n's text.
func textPrefix(n *html.Node, max int) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() < max; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// render converts the document to text with the line structure a reader
// sees.
func render(doc *html.Node) string {
	return renderLinks(doc, false)
}

// renderLinks is render; with links set it also writes link targets and
// image alt text (HTMLText).
func renderLinks(doc *html.Node, links bool) string {
	r := renderer{links: links}
	r.node(doc)
	lines := strings.Split(r.b.String(), "\n")
	out := make([]string, 0, len(lines))
	blank := 0
	for _, l := range lines {
		l = strings.TrimRightFunc(strings.ReplaceAll(l, "\u00a0", " "), unicode.IsSpace)
		if l == "" {
			blank++
			if blank > 1 {
				continue // one blank line is enough between blocks
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// renderer accumulates the text of an HTML tree.
type renderer struct {
	b     strings.Builder
	pre   int  // depth of <pre> elements
	li    int  // depth of lists
	links bool // whole-mail mode (HTMLText): link targets, image alt text
}

// last returns the last rune written, or '\n' at the start.
func (r *renderer) last() rune {
	s := r.b.String()
	if s == "" {
		return '\n'
	}
	c, _ := utf8.DecodeLastRuneInString(s)
	return c
}

// newline ends the current line unless it is empty.
func (r *renderer) newline() {
	if r.last() != '\n' {
		r.b.WriteByte('\n')
	}
}

// text writes a text node, collapsing white space outside <pre>.
func (r *renderer) text(s string) {
	if s == "" {
		return
	}
	if r.pre > 0 {
		r.b.WriteString(strings.ReplaceAll(s, "\r\n", "\n"))
		return
	}
	space := func() {
		if l := r.last(); l != ' ' && l != '\n' {
			r.b.WriteByte(' ')
		}
	}
	fields := strings.FieldsFunc(s, isHTMLSpace)
	if len(fields) == 0 || isHTMLSpace(firstRune(s)) {
		space()
	}
	r.b.WriteString(strings.Join(fields, " "))
	if len(fields) > 0 && isHTMLSpace(lastRune(s)) {
		space()
	}
}

// isHTMLSpace reports whether c is white space that HTML collapses (not
// the no-break space).
func isHTMLSpace(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func firstRune(s string) rune { c, _ := utf8.DecodeRuneInString(s); return c }
func lastRune(s string) rune  { c, _ := utf8.DecodeLastRuneInString(s); return c }

// node renders n and its children.
func (r *renderer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		r.text(n.Data)
		return
	case html.ElementNode:
	default:
		r.children(n)
		return
	}
	switch n.DataAtom {
	case atom.Img:
		if alt := strings.TrimSpace(attr(n, "alt")); r.links && alt != "" {
			r.text(" " + alt + " ")
		}
		return
	case atom.Head, atom.Style, atom.Script, atom.Title, atom.Template, atom.Noscript,
		atom.Object, atom.Iframe, atom.Svg, atom.Meta, atom.Link:
		return
	case atom.Br:
		r.b.WriteByte('\n')
	case atom.Blockquote:
		// A quote, unless it is Gmail's "indent" (no border): then the
		// lines are only indented.
		prefix := "> "
		if st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""); strings.Contains(st, "border:none") {
			prefix = "    "
		}
		sub := renderer{links: r.links}
		sub.children(n)
		r.newline()
		for _, l := range strings.Split(strings.Trim(sub.b.String(), "\n"), "\n") {
			if strings.TrimSpace(l) == "" {
				l = ""
			}
			r.b.WriteString(strings.TrimRight(prefix+l, " ") + "\n")
		}
	case atom.Pre:
		r.newline()
		r.pre++
		r.children(n)
		r.pre--
		r.newline()
	case atom.Li:
		r.newline()
		r.b.WriteString("- ")
		r.children(n)
		r.newline()
	case atom.Td, atom.Th:
		if l := r.last(); l != '\n' && l != ' ' {
			r.b.WriteByte(' ')
		}
		r.children(n)
	case atom.A:
		start := r.b.Len()
		r.children(n)
		href := strings.TrimSpace(attr(n, "href"))
		lower := strings.ToLower(href)
		if !r.links || !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
			return
		}
		shown := r.b.String()[start:]
		switch {
		case strings.Contains(shown, href), strings.TrimSpace(shown) == "":
		default:
			if l := r.last(); l != ' ' && l != '\n' {
				r.b.WriteByte(' ')
			}
			r.b.WriteString("(" + href + ")")
		}
	case atom.Hr:
		r.newline()
		r.b.WriteByte('\n')
	case atom.P, atom.Div, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Ul, atom.Ol, atom.Dl, atom.Dt, atom.Dd, atom.Table, atom.Tr, atom.Section,
		atom.Article, atom.Header, atom.Footer, atom.Address, atom.Center, atom.Form,
		atom.Fieldset, atom.Figure, atom.Main, atom.Nav, atom.Aside, atom.Caption,
		atom.Tbody, atom.Thead, atom.Tfoot:
		r.newline()
		r.children(n)
		r.newline()
	default:
		r.children(n)
	}
}

// children renders n's children.
func (r *renderer) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.node(c)
	}
}
