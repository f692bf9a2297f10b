package kb

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestStarterLoadsWithoutProblems(t *testing.T) {
	b, probs, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range probs {
		t.Errorf("starter: %s", p)
	}
	langs := map[string]int{}
	for _, a := range b.Articles() {
		langs[a.Lang]++
		if a.Summary == "" || a.Title == "" || len(a.Categories) == 0 {
			t.Errorf("%s: title %q summary %q categories %v", a.Slug, a.Title, a.Summary, a.Categories)
		}
	}
	if langs["zh-CN"] < 8 || langs["en"] < 8 {
		t.Errorf("starter articles per language = %v, want at least 8 each", langs)
	}
}

func TestLoadReportsProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.md":          {Data: []byte("---\ntitle: OK\nlang: en\ncategories: [av]\n---\nSee [the other](missing-one) and [web](https://example.org).\n")},
		"no-front.md":    {Data: []byte("# Title\ntext\n")},
		"bad-lang.md":    {Data: []byte("---\ntitle: X\nlang: fr\n---\ntext\n")},
		"bad-cat.md":     {Data: []byte("---\ntitle: X\nlang: en\ncategories: [billing]\n---\ntext\n")},
		"no-title.md":    {Data: []byte("---\nlang: en\n---\ntext\n")},
		"unknown-key.md": {Data: []byte("---\ntitle: X\nlang: en\nauthor: me\n---\ntext\n")},
		"Upper.md":       {Data: []byte("---\ntitle: X\nlang: en\n---\ntext\n")},
		"unclosed.md":    {Data: []byte("---\ntitle: X\nlang: en\ntext\n")},
		"notes.txt":      {Data: []byte("not an article")},
		"zz/ok.md":       {Data: []byte("---\ntitle: OK in English\nlang: en\n---\ntext\n")},
		"zh-CN/zh.md":    {Data: []byte("---\ntitle: 中文\nlang: zh-CN\n---\n正文\n")},
		"a/b/deep.md":    {Data: []byte("---\ntitle: too deep\nlang: en\n---\ntext\n")},
	}
	b, probs, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 {
		t.Errorf("Len() = %d, want 2 (ok.md and zh-CN/zh.md)", b.Len())
	}
	if _, ok := b.Article("deep"); ok {
		t.Errorf("an article two folders down was loaded")
	}
	got := map[string]string{}
	for _, p := range probs {
		got[p.File] += p.Message + ";"
	}
	for _, f := range []string{"no-front.md", "bad-lang.md", "bad-cat.md", "no-title.md", "unknown-key.md", "Upper.md", "unclosed.md", "zz/ok.md"} {
		if got[f] == "" {
			t.Errorf("no problem reported for %s (got %v)", f, got)
		}
	}
	if !strings.Contains(got["zz/ok.md"], "duplicate slug") {
		t.Errorf("duplicate slug not reported: %q", got["zz/ok.md"])
	}
	if !strings.Contains(got["ok.md"], `"missing-one"`) {
		t.Errorf("broken internal link not reported: %q", got["ok.md"])
	}
	if got["notes.txt"] != "" {
		t.Errorf("a non-article file was reported: %q", got["notes.txt"])
	}
}

func TestRenderingIsSafe(t *testing.T) {
	fsys := fstest.MapFS{
		"x.md": {Data: []byte("---\ntitle: X\nlang: en\n---\nHello <script>alert(1)</script> <b>bold</b>\n\n[click](javascript:alert(1)) and [y](y.md)\n")},
		"y.md": {Data: []byte("---\ntitle: Y\nlang: en\n---\ny\n")},
	}
	b, probs, err := Load(fsys)
	if err != nil || len(probs) != 0 {
		t.Fatal(err, probs)
	}
	a, _ := b.Article("x")
	for _, bad := range []string{"<script", "<b>", "javascript:"} {
		if strings.Contains(a.HTML, bad) {
			t.Errorf("HTML contains %q: %s", bad, a.HTML)
		}
	}
	if !strings.Contains(a.HTML, `href="/kb/y"`) {
		t.Errorf("internal link not rewritten to /kb/y: %s", a.HTML)
	}
}

func TestLiveRebuildsWhenTheFolderChanges(t *testing.T) {
	dir := t.TempDir()
	write := func(name, title string) {
		t.Helper()
		if err := os.WriteFile(dir+"/"+name, []byte("---\ntitle: "+title+"\nlang: en\nkeywords: [camera]\n---\nCamera help.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.md", "Camera A")
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	l, err := NewLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Now = func() time.Time { return now }
	l.Every = time.Second
	if n := l.Base().Len(); n != 1 {
		t.Fatalf("Len() = %d, want 1", n)
	}
	write("b.md", "Camera B")
	if n := l.Base().Len(); n != 1 {
		t.Errorf("rebuilt before Every passed: Len() = %d", n)
	}
	now = now.Add(2 * time.Second)
	if n := l.Base().Len(); n != 2 {
		t.Errorf("after a new file and Every: Len() = %d, want 2", n)
	}
}

func TestTerms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"摄像头打不开", "摄像 像头 头打 打不 不开"},
		{"Camera won't start, freezing!", "camera start freez"},
		{"用Chrome浏览器", "用 chrom 浏览 览器"},
		{"老师您好", "师您"},
	}
	for _, tt := range tests {
		if got := strings.Join(Terms(tt.in), " "); got != tt.want {
			t.Errorf("Terms(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDetectLang(t *testing.T) {
	for in, want := range map[string]string{
		"摄像头打不开，用的是Chrome":                  "zh-CN",
		"The camera does not work in class": "en",
		"Hi, 直播卡":                           "zh-CN",
		"":                                  "en",
	} {
		if got := DetectLang(in); got != want {
			t.Errorf("DetectLang(%q) = %q, want %q", in, got, want)
		}
	}
}

// labelled is one report of kb/testdata with the articles that answer it.
type labelled struct {
	want          []string // empty: no article fits
	subject, body string
}

func readLabelled(t *testing.T, name string) []labelled {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.SplitN(line, "\t", 3)
		if len(cols) != 3 {
			t.Fatalf("%s: bad line %q", name, line)
		}
		l := labelled{subject: cols[1], body: cols[2]}
		if cols[0] != "-" {
			l.want = strings.Split(cols[0], "|")
		}
		out = append(out, l)
	}
	return out
}

// topic names an article without its language: the labels name the
// Chinese slug, and "-en" marks the English article on the same topic.
func topic(slug string) string { return strings.TrimSuffix(slug, "-en") }

// score is what TestSuggestAccuracy measures on one set.
type score struct {
	fits, top1, top3, none, falseSuggest int
	shown                                int // suggestions listed where an article fits
}

func (s score) String() string {
	return fmt.Sprintf("precision@1 %.2f (%d/%d), precision@3 %.2f (%d/%d), false suggestions where none fits %.2f (%d/%d), %.2f articles listed per fitting report",
		ratio(s.top1, s.fits), s.top1, s.fits, ratio(s.top3, s.fits), s.top3, s.fits,
		ratio(s.falseSuggest, s.none), s.falseSuggest, s.none, ratio(s.shown, s.fits))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestSuggestAccuracy measures suggestions on the labelled reports of
// kb/testdata against the starter articles: dev.tsv was used to set
// SuggestThreshold, heldout.tsv was written before and never tuned on.
// Targets (issue 15): precision@1 >= 0.8 where an article fits, false
// suggestions <= 10% where none does.
func TestSuggestAccuracy(t *testing.T) {
	b, _, err := Load(Starter())
	if err != nil {
		t.Fatal(err)
	}
	floors := map[string]struct{ p1, p3, maxFalse float64 }{
		"dev.tsv":     {0.85, 0.95, 0.10},
		"heldout.tsv": {0.80, 0.90, 0.10},
	}
	for _, name := range []string{"dev.tsv", "heldout.tsv"} {
		var s score
		for _, l := range readLabelled(t, name) {
			got := b.Suggest(l.subject, l.body, DetectLang(l.subject+" "+l.body), 3)
			if len(l.want) == 0 {
				s.none++
				if len(got) > 0 {
					s.falseSuggest++
					t.Logf("%s: false suggestion %s (%.1f) for %q", name, got[0].Article.Slug, got[0].Score, l.subject)
				}
				continue
			}
			s.fits++
			s.shown += len(got)
			ok1, ok3 := false, false
			for i, m := range got {
				if contains(l.want, topic(m.Article.Slug)) {
					ok3 = true
					ok1 = ok1 || i == 0
				}
			}
			if ok1 {
				s.top1++
			}
			if ok3 {
				s.top3++
			}
			if !ok1 {
				var names []string
				for _, m := range got {
					names = append(names, fmt.Sprintf("%s(%.1f)", m.Article.Slug, m.Score))
				}
				t.Logf("%s: %q want %v, got %v", name, l.subject, l.want, names)
			}
		}
		t.Logf("%s: %s", name, s)
		fmt.Printf("kb suggestions, %s: %s\n", name, s)
		f := floors[name]
		if ratio(s.top1, s.fits) < f.p1 || ratio(s.top3, s.fits) < f.p3 || ratio(s.falseSuggest, s.none) > f.maxFalse {
			t.Errorf("%s below the floors %+v: %s", name, f, s)
		}
	}
}

// BenchmarkSuggest is the cost added to the intake of one new report.
func BenchmarkSuggest(b *testing.B) {
	base, _, err := Load(Starter())
	if err != nil {
		b.Fatal(err)
	}
	body := "老师好，我上课要开摄像头，点了开启以后一直是黑的，没有画面，提示设备被占用。用的是联想笔记本，谷歌浏览器。"
	for b.Loop() {
		base.Suggest("摄像头打不开", body, DetectLang(body), 3)
	}
}
