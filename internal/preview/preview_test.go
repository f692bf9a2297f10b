package preview

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/postdesk/postdesk/templates"
)

// hostile is customer text that must reach every mail and page as text,
// never as markup.
const hostile = `<script>alert(1)</script><img src=x onerror=alert(2)><b>x</b>"'&`

func hostileSample(lang string) Sample {
	s := DefaultSample(lang)
	s.Name = `张<b>老师</b>"` + hostile
	s.Subject += " " + hostile
	s.Body += "\n" + hostile
	s.Answer += " " + hostile
	s.Broken += " " + hostile
	s.Second += " " + hostile
	return s
}

// node helpers over golang.org/x/net/html trees.

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// anchors returns href -> visible text of every <a>.
func anchors(doc *html.Node) map[string][]string {
	out := map[string][]string{}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "a" {
			href, _ := attr(n, "href")
			out[href] = append(out[href], text(n))
		}
	})
	return out
}

type form struct {
	method, action string
	fields         map[string]string // name -> element
	submit         string            // the submit button's text
}

func forms(doc *html.Node) []form {
	var out []form
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "form" {
			return
		}
		f := form{fields: map[string]string{}}
		f.method, _ = attr(n, "method")
		f.action, _ = attr(n, "action")
		walk(n, func(c *html.Node) {
			if c.Type != html.ElementNode {
				return
			}
			if name, ok := attr(c, "name"); ok {
				f.fields[name] = c.Data
			}
			if typ, _ := attr(c, "type"); c.Data == "button" && typ == "submit" {
				f.submit = text(c)
			}
		})
		out = append(out, f)
	})
	return out
}

// emptyField matches a line that is only a field label, e.g. "首次响应期限：".
var emptyField = regexp.MustCompile(`^[\p{L}\p{Zs}]{1,24}[：:]$`)

var widthRE = regexp.MustCompile(`(?:^|[;\s])(?:max-)?width:\s*(\d+)px`)

// TestEveryMailAndPage plays the whole conversation with hostile customer
// values in both languages and checks every mail and page as a browser or
// mail client would parse it.
func TestEveryMailAndPage(t *testing.T) {
	set, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range templates.Languages {
		t.Run(lang, func(t *testing.T) {
			s := hostileSample(lang)
			files, err := Run(t.TempDir(), lang, s)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, f := range files {
				seen[f.Kind] = true
				t.Run(f.Name, func(t *testing.T) {
					if f.Page {
						checkPage(t, set, lang, f, s)
					} else {
						checkMail(t, set, lang, f, s)
					}
				})
			}
			for _, k := range []string{"confirmation", "progress", "reminder", "status_list", "staff_new", "staff_reply", "receipt", "staff_alert",
				"ticket-new", "ticket-waiting", "ticket-resolved", "close", "reopen", "reopened", "closed", "noop", "ticket-closed", "mine", "ticket-incident"} {
				if !seen[k] {
					t.Errorf("the conversation produced no %q", k)
				}
			}
		})
	}
}

// checkCommon: parses, has no script, no event handler, no remote or
// injected image, no element made of customer text.
func checkCommon(t *testing.T, src string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script", "img", "b", "iframe", "object", "embed", "link":
			t.Errorf("element <%s> in the output (customer markup not escaped, or a remote resource)", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s=...>: event handler", n.Data, a.Key)
			}
			if (a.Key == "href" || a.Key == "action" || a.Key == "src") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
	})
	return doc
}

func checkMail(t *testing.T, set *templates.Set, lang string, f File, s Sample) {
	staff := strings.HasPrefix(f.Kind, "staff_") || f.Kind == "receipt" || f.Kind == "incident_candidate"
	if staff {
		if f.Kind == "staff_new" || f.Kind == "staff_reply" {
			if !strings.Contains(f.From, s.Name) || !strings.Contains(f.From, "(via ") || !strings.HasSuffix(f.From, "<"+support+">") {
				t.Errorf("From = %q, want the customer's name via the desk, with the desk's address", f.From)
			}
			if !strings.Contains(f.ReplyTo, support) {
				t.Errorf("Reply-To = %q, want the desk", f.ReplyTo)
			}
		}
		for _, line := range strings.Split(f.Text, "\n") {
			if l := strings.TrimSpace(line); emptyField.MatchString(l) {
				t.Errorf("empty field %q in:\n%s", l, f.Text)
			}
		}
		return
	}
	// A customer mail: complete text alternative, designed HTML.
	if f.Text == "" || f.HTML == "" {
		t.Fatalf("text %d bytes, HTML %d bytes: want both", len(f.Text), len(f.HTML))
	}
	if f.Kind == "incident_declared" && !strings.Contains(f.HTML, set.Word(lang, "mail.incident")) {
		t.Errorf("the incident-declared mail has no incident banner in its HTML")
	}
	for role, u := range f.Links {
		if !strings.Contains(f.Text, u) {
			t.Errorf("the text alternative lacks the %s link %s", role, u)
		}
	}
	doc := checkCommon(t, f.HTML)
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "style" {
			t.Errorf("a <style> block: mail clients drop them; style inline")
		}
		if n.Type != html.ElementNode {
			return
		}
		if w, ok := attr(n, "width"); ok && !strings.HasSuffix(w, "%") {
			if px, _ := strconv.Atoi(w); px > 600 {
				t.Errorf("<%s width=%s> is wider than 600 px", n.Data, w)
			}
		}
		if st, ok := attr(n, "style"); ok {
			for _, m := range widthRE.FindAllStringSubmatch(st, -1) {
				if px, _ := strconv.Atoi(m[1]); px > 600 {
					t.Errorf("<%s style=%q> is wider than 600 px", n.Data, st)
				}
			}
		}
	})
	links := anchors(doc)
	button := func(role, word string) {
		t.Helper()
		u := f.Links[role]
		if u == "" {
			t.Errorf("no %s link expected for this mail; the test data is wrong", role)
			return
		}
		want := set.Word(lang, word)
		for _, txt := range links[u] {
			if txt == want {
				return
			}
		}
		t.Errorf("no link %q to %s (links: %v)", want, u, links)
	}
	if f.Kind == "status_list" {
		if len(links) < 2 {
			t.Errorf("status list has links %v, want one per ticket and my tickets", links)
		}
	} else {
		button("track", "mail.track")
	}
	if f.Links["close"] != "" {
		button("close", "mail.works")
		button("reopen", "mail.broken")
	}
	if f.Links["mine"] != "" {
		button("mine", "mail.mine")
	}
	// Customer values arrive as text.
	body := text(doc)
	subject := s.Subject
	if strings.Contains(f.Title, "incident") { // another ticket of the conversation
		subject = ""
	}
	if subject != "" && f.Kind != "status_list" && !strings.Contains(body, subject) {
		t.Errorf("the subject is not shown as text; body text:\n%s", body)
	}
	if f.Kind == "confirmation" && subject != "" && !strings.Contains(body, s.Name) {
		t.Errorf("the customer's name is not shown as text; body text:\n%s", body)
	}
}

func checkPage(t *testing.T, set *templates.Set, lang string, f File, s Sample) {
	doc := checkCommon(t, f.HTML)
	links := anchors(doc)
	fs := forms(doc)
	body := text(doc)
	switch f.Kind {
	case "close", "reopen":
		// Only the one action, as one POST button.
		if len(fs) != 1 {
			t.Fatalf("%d forms, want exactly one", len(fs))
		}
		want := f.Links["post-"+f.Kind]
		if fs[0].method != "post" || fs[0].action != want || fs[0].submit == "" {
			t.Errorf("form %+v, want one POST to %s with a submit button", fs[0], want)
		}
		if f.Kind == "reopen" && fs[0].fields["text"] != "textarea" {
			t.Errorf("reopen form fields %v, want an optional textarea named text", fs[0].fields)
		}
		if f.Kind == "close" && len(fs[0].fields) != 0 {
			t.Errorf("close form fields %v, want none", fs[0].fields)
		}
	case "ticket-resolved":
		if len(fs) != 1 || fs[0].method != "post" || fs[0].action != f.Links["post-close"] {
			t.Errorf("forms %+v, want the close POST to %s", fs, f.Links["post-close"])
		}
		if links[f.Links["reopen"]] == nil {
			t.Errorf("no link to the reopen page %s", f.Links["reopen"])
		}
	case "mine":
		n := 0
		for href := range links {
			if strings.HasPrefix(href, "/t/") {
				n++
			}
		}
		if n != 2 {
			t.Errorf("my tickets links to %d tracking pages, want 2: %v", n, links)
		}
		if !strings.Contains(body, s.Second) || !strings.Contains(body, s.Subject) {
			t.Errorf("my tickets lacks a subject as text:\n%s", body)
		}
	default:
		if len(fs) != 0 {
			t.Errorf("forms %+v on a page without actions", fs)
		}
	}
	if f.Kind != "mine" && links[f.Links["track"]] == nil && !strings.HasPrefix(f.Kind, "ticket-") {
		t.Errorf("no link back to the tracking page %s", f.Links["track"])
	}
	if f.Kind != "ticket-incident" && f.Kind != "mine" && !strings.Contains(body, s.Subject) {
		t.Errorf("the subject is not shown as text:\n%s", body)
	}
	if f.Kind == "ticket-waiting" && !strings.Contains(body, s.Body[:strings.IndexByte(s.Body, '\n')]) {
		t.Errorf("the report is not in the timeline:\n%s", body)
	}
	if f.Kind == "reopened" || f.Kind == "closed" {
		if !strings.Contains(body, set.Word(lang, "page.action_done_"+strings.TrimSuffix(f.Kind, "d"))) &&
			!strings.Contains(body, set.Word(lang, "page.action_done_"+strings.TrimSuffix(f.Kind, "ed"))) {
			t.Errorf("no thank-you text:\n%s", body)
		}
	}
	if f.Kind == "ticket-closed" && !strings.Contains(body, s.Broken) {
		t.Errorf("what the customer wrote when reopening is not on the ticket:\n%s", body)
	}
	if f.Kind == "ticket-incident" && !strings.Contains(body, set.Word(lang, "incident.banner.title")) {
		t.Errorf("no incident banner:\n%s", body)
	}
}
