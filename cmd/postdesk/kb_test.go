package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

func TestKBStarterAndCheck(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"kb", "starter", dir}, &out, io.Discard); err != nil {
		t.Fatalf("kb starter: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"kb", "check", "--dir", dir}, &out, io.Discard); err != nil {
		t.Fatalf("kb check on the starter articles: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "16 articles (8 zh-CN, 8 en), 0 problems") {
		t.Errorf("kb check output = %q", out.String())
	}
	// A broken article and a broken link: named, and the check fails.
	os.WriteFile(filepath.Join(dir, "broken.md"), []byte("---\ntitle: Broken\nlang: de\n---\ntext\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "linker.md"), []byte("---\ntitle: Linker\nlang: en\n---\nSee [this](no-such-article).\n"), 0o644)
	out.Reset()
	err := run(context.Background(), []string{"kb", "check", "--dir", dir}, &out, io.Discard)
	if err == nil {
		t.Fatalf("kb check with problems succeeded:\n%s", out.String())
	}
	for _, want := range []string{"broken.md: front matter: lang \"de\"", "linker.md: links to \"no-such-article\""} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("kb check output lacks %q:\n%s", want, out.String())
		}
	}
	// Starter never overwrites an operator's edits.
	os.WriteFile(filepath.Join(dir, "replays.md"), []byte("edited"), 0o644)
	out.Reset()
	if err := run(context.Background(), []string{"kb", "starter", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "replays.md")); string(b) != "edited" {
		t.Errorf("kb starter overwrote an existing file")
	}
	// kb.dir that is not a folder fails at start, naming the key.
	c := demoConfig("127.0.0.1:1143", "127.0.0.1:1025", filepath.Join(t.TempDir(), "pd.db"), "127.0.0.1:0")
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.KB.Dir = filepath.Join(dir, "nope")
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "kb.dir") {
		t.Errorf("Validate with a missing kb.dir = %v, want an error naming kb.dir", err)
	}
}

var kbLinkRe = regexp.MustCompile(`http://[^\s]+/kb/([a-z0-9-]+)\?t=[0-9]+-[a-z2-7]+`)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSelfHelpEndToEnd: a teacher whose camera will not open gets the
// camera article in her confirmation; opened from the mail, the article
// offers "this solved my problem", which resolves the ticket and tells
// staff. Urgent (P0) reports and reports no article fits get none.
func TestSelfHelpEndToEnd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	if err := run(context.Background(), []string{"kb", "starter", dir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, nil)
	e.stop()
	e.cfg.KB.Dir = dir
	e.start()
	base := "http://" + e.p.WebAddr

	e.deliver(report("张老师 <alice@school.test>", "kb1@school.test", "摄像头打不开",
		"老师好，我上课要开摄像头，点了开启以后一直是黑的，没有画面，提示设备被占用。用的是联想笔记本，谷歌浏览器。"))
	conf := e.mailsTo(demoCustomer, 1)[0]
	m := kbLinkRe.FindStringSubmatch(conf.Text)
	if m == nil || m[1] != "camera-mic" {
		t.Fatalf("confirmation does not suggest camera-mic first (match %v):\n%s", m, conf.Text)
	}
	if !strings.Contains(conf.Text, "摄像头或麦克风打不开") {
		t.Errorf("confirmation lacks the article's title:\n%s", conf.Text)
	}
	link := m[0]
	if tk := e.ticket(1); len(tk.Suggested) == 0 || tk.Suggested[0] != "camera-mic" {
		t.Errorf("ticket 1 Suggested = %v, want camera-mic first", tk.Suggested)
	}

	// The tracking page lists the suggestion.
	track := linkRe.FindString(conf.Text)
	if code, page := get(t, track); code != 200 || !strings.Contains(page, "/kb/camera-mic?t=") {
		t.Errorf("tracking page (%d) does not link the suggested article", code)
	}

	// Without a token, or with a bad one, the article shows no button.
	for _, u := range []string{base + "/kb/camera-mic", link[:len(link)-1] + "a"} {
		code, page := get(t, u)
		if code != 200 || !strings.Contains(page, "浏览器没有权限") || strings.Contains(page, "/solve/") {
			t.Errorf("GET %s: status %d, article shown with a solve button or not at all", u, code)
		}
	}
	// Opened from the mail: the button is a POST form; the GET changed nothing.
	code, page := get(t, link)
	solve := regexp.MustCompile(`action="(/kb/camera-mic/solve/[^"]+)"`).FindStringSubmatch(page)
	if code != 200 || solve == nil || !strings.Contains(page, "这解决了我的问题") {
		t.Fatalf("article from the mail: status %d, no solve form:\n%s", code, page)
	}
	if tk := e.ticket(1); !tk.Status.Open() {
		t.Fatalf("a GET changed the ticket: %s", tk.Status)
	}
	code, page = post(t, base+solve[1])
	if code != 200 || !strings.Contains(page, "工单已标记为已解决") {
		t.Errorf("POST solve: status %d:\n%s", code, page)
	}
	tk := e.ticket(1)
	last := tk.Events[len(tk.Events)-1]
	found := false
	for _, ev := range tk.Events {
		found = found || ev.Kind == tickets.EventSelfHelp && ev.Article == "camera-mic"
	}
	if tk.Status != tickets.StatusResolved || !found {
		t.Errorf("after solve: status %s, self-help event %v (last %+v)", tk.Status, found, last)
	}
	alert := e.mailsTo(demoStaff, 2)[1]
	if !strings.Contains(alert.Text, "自助文章") || !strings.Contains(alert.Text, "/kb/camera-mic") {
		t.Errorf("staff alert does not say the ticket was solved by self-help:\n%s", alert.Text)
	}
	if code, page = post(t, base+solve[1]); code != 200 || !strings.Contains(page, "无需再操作") {
		t.Errorf("second POST solve: status %d, want the no-op message", code)
	}
	// A tampered solve token is a plain 404.
	if code, _ = post(t, base+solve[1][:len(solve[1])-1]+"a"); code != 404 {
		t.Errorf("tampered solve: status %d, want 404", code)
	}

	// P0: a person now, no reading list.
	e.deliver(report("bob@school.test", "kb2@school.test", "紧急！全校直播课都进不去了",
		"马上要上课了，所有学生都进不去直播间，无法上课，页面一直转圈。"))
	if c := e.mailsTo("bob@school.test", 1)[0]; strings.Contains(c.Text, "/kb/") {
		t.Errorf("a P0 confirmation suggests articles:\n%s", c.Text)
	}
	// Nothing fits: no suggestion.
	e.deliver(report("eve@evil.test", "kb3@school.test", "发票", "你好，我们学校购买了平台服务，请问怎么开发票？"))
	if c := e.mailsTo("eve@evil.test", 1)[0]; strings.Contains(c.Text, "/kb/") {
		t.Errorf("a report no article fits got suggestions:\n%s", c.Text)
	}

	// The list and the search box.
	if code, page = get(t, base+"/kb/"); code != 200 || !strings.Contains(page, "忘记密码") || !strings.Contains(page, `name="q"`) {
		t.Errorf("GET /kb/: status %d, list or search box missing", code)
	}
	if code, page = get(t, base+"/kb/?q=%E5%BF%98%E8%AE%B0%E5%AF%86%E7%A0%81"); code != 200 || !strings.Contains(page, `href="/kb/password-reset"`) {
		t.Errorf("search 忘记密码: status %d, password-reset not found", code)
	}
	if code, page = get(t, base+"/kb/?lang=en"); code != 200 || !strings.Contains(page, "Forgotten password") {
		t.Errorf("GET /kb/?lang=en: status %d, English list missing", code)
	}
	if code, _ = get(t, base+"/kb/no-such-article"); code != 404 {
		t.Errorf("unknown article: status %d, want 404", code)
	}
}

// TestStaffAnswersWithAnArticle: "#kb <slug>" (or #知识库) sends the
// article's title, summary and link with the staff reply; an unknown slug
// is refused whole, nothing sent.
func TestStaffAnswersWithAnArticle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	if err := run(context.Background(), []string{"kb", "starter", dir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	e := newEnvConfig(t, func(c *Config) { c.KB.Dir = dir }, nil)
	_, note := e.openTicket("张老师 <alice@school.test>", "ka1@school.test", "孩子的作业交不上去", "点了提交按钮没有反应，今晚就截止了。")

	e.deliver(staffReply(demoStaff, note, "ka2@desk.test", "#kb no-such-article\n\n请看这篇文章。"))
	e.waitMail(demoStaff, "没有名为「no-such-article」的知识库文章")
	if got := len(filterTo(e.ms.Delivered(), demoCustomer)); got != 1 {
		t.Errorf("mails to the customer after a refused #kb = %d, want 1 (the confirmation)", got)
	}

	e.deliver(staffReply(demoStaff, note, "ka3@desk.test", "#知识库 homework-upload\n\n您好，请先按这篇文章检查一下文件大小。"))
	reply := e.mailsTo(demoCustomer, 2)[1]
	for _, want := range []string{"请先按这篇文章检查一下文件大小", "作业提交失败、上传不了图片或文件", "/kb/homework-upload?t="} {
		if !strings.Contains(reply.Text, want) {
			t.Errorf("staff reply to the customer lacks %q:\n%s", want, reply.Text)
		}
	}
	tk := e.ticket(1)
	if last := tk.Events[len(tk.Events)-1]; last.Kind != tickets.EventStaffReply || last.Article != "homework-upload" {
		t.Errorf("last event = %s (article %q), want a staff reply naming homework-upload", last.Kind, last.Article)
	}
}

// TestKBMetrics: the self-help counters (suggested, opened from mail,
// solved) are Prometheus metrics.
func TestKBMetrics(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	if err := run(context.Background(), []string{"kb", "starter", dir}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	ms, c := metricsEnv(t)
	c.KB.Dir = dir
	p := startProgram(t, c)
	ms.Append(demoSupport, "INBOX", []byte(strings.ReplaceAll(report("张老师 <alice@school.test>", "km1@school.test", "摄像头打不开",
		"上课要开摄像头，点了开启以后一直是黑的，提示设备被占用。"), "\n", "\r\n")))
	d, ok := ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return len(filterTo(d, demoCustomer)) >= 1 })
	if !ok {
		t.Fatal("no confirmation")
	}
	link := kbLinkRe.FindString(filterTo(d, demoCustomer)[0].Text)
	if link == "" {
		t.Fatal("the confirmation suggests no article")
	}
	_, page := get(t, "http://"+p.WebAddr+link[strings.Index(link, "/kb/"):]) // base_url is not the test's port
	solve := regexp.MustCompile(`action="(/kb/[a-z0-9-]+/solve/[^"]+)"`).FindStringSubmatch(page)
	if solve == nil {
		t.Fatal("no solve form")
	}
	post(t, "http://"+p.WebAddr+solve[1])
	_, body := get(t, "http://"+p.ops.metricsAddr+"/metrics")
	for _, series := range []string{"postdesk_kb_suggested_total", "postdesk_kb_opened_total", "postdesk_kb_solved_total"} {
		if v := metricValue(body, series); v != 1 {
			t.Errorf("%s = %v, want 1", series, v)
		}
	}
}
