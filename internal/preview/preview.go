// Package preview plays one realistic support conversation through a real
// desk (bbolt store, triage, SLA clock, composer and web server, all in
// process) and keeps every mail and page it produces, so people can look
// at them (scripts/screenshots.sh renders them with headless Chromium) and
// tests can check their HTML.
//
// Nothing here is used by postdesk itself.
package preview

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/emersion/go-message/mail"

	"github.com/postdesk/postdesk/kb"
	"github.com/postdesk/postdesk/mail"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
	"github.com/postdesk/postdesk/web"
)

// Sample is what the customer writes: every value here reaches mails and
// pages, so tests put hostile markup in it.
type Sample struct {
	Name    string // display name of the teacher
	Email   string
	Subject string
	Body    string
	Answer  string // their answer when support asks for details
	Broken  string // what still fails when they reopen
	Second  string // subject of their second ticket
}

// DefaultSample returns a teacher's report in lang ("zh-CN" or "en").
func DefaultSample(lang string) Sample {
	if lang == "en" {
		return Sample{Name: "Ms Zhang", Email: "zhang.li@school.test", Subject: "Live class: students see a black screen",
			Body:   "Hello, in this morning's live class for grade 3 class 2 the students' screens stayed black; they could only hear the sound.\nPlease fix it soon, thank you!",
			Answer: "The students use Huawei tablets with Chrome. It happened from 9:00 to 9:40.",
			Broken: "Two students still see a black screen on iPads.",
			Second: "Homework submit button does nothing"}
	}
	return Sample{Name: "张老师", Email: "zhang.li@school.test", Subject: "直播课教室中学生看不到画面",
		Body:   "老师们好，今天上午三年级二班的直播课，学生端一直黑屏，只能听到声音。\n请尽快处理，谢谢！",
		Answer: "学生用的是华为平板，Chrome 浏览器。9 点到 9 点 40 分一直这样。",
		Broken: "还有两个学生用 iPad 仍然黑屏。",
		Second: "作业提交按钮点了没反应"}
}

// File is one rendered mail or page.
type File struct {
	Name  string // e.g. "mail-03-progress-waiting": unique, sortable
	Page  bool   // a web page (else a mail)
	Kind  string // mail kind ("confirmation", ...) or page state ("ticket", "close", ...)
	Title string // what it shows, in words
	HTML  string // the HTML alternative or the page; "" for a text-only mail
	Text  string // the text alternative of a mail
	// Header fields of a mail.
	From, ReplyTo, To, Subject string
	// Links the mail or page must offer, by role ("track", "close",
	// "reopen", "mine"); pages name form actions under "post-close" and
	// "post-reopen".
	Links map[string]string
	// URL is the address of a page (relative to the server).
	URL string
}

// Start is the moment the conversation starts: a Monday morning in
// working hours, Beijing time.
var Start = time.Date(2026, 11, 30, 9, 12, 0, 0, time.FixedZone("CST", 8*3600))

const (
	support = "support@desk.test"
	staffLi = "li@desk.test"
	baseURL = "https://support.school.test"
)

// Run plays the conversation in lang with customer sample s, keeping its
// database in dir, and returns every mail and page in order.
func Run(dir, lang string, s Sample) ([]File, error) {
	r, err := newRun(dir, lang)
	if err != nil {
		return nil, err
	}
	defer r.close()
	return r.play(s)
}

type run struct {
	lang     string
	now      time.Time
	db       *bolt.DB
	desk     *tickets.Desk
	composer *mail.Composer
	signer   *tickets.Signer
	ts       *httptest.Server
	files    []File
	staffRef map[int64]string // Message-ID of the latest notification to staff per ticket (it carries the reply token)
	seq      int
}

func newRun(dir, lang string) (*run, error) {
	db, err := bolt.Open(filepath.Join(dir, "preview-"+lang+".db"), &bolt.Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	set, err := templates.Load()
	if err != nil {
		db.Close()
		return nil, err
	}
	r := &run{lang: lang, now: Start, db: db, staffRef: map[int64]string{}}
	clock := func() time.Time { return r.now }
	policy := tickets.DefaultPolicy()
	r.signer = &tickets.Signer{Secret: []byte("preview-secret-0123456789")}
	staffName := "李工"
	deskName := "智慧教育云平台技术支持"
	if lang == "en" {
		staffName, deskName = "Li Wei", "Smart Education Cloud Support"
	}
	starter, err := kb.NewLiveFS(kb.Starter(), "starter")
	if err != nil {
		db.Close()
		return nil, err
	}
	r.desk = &tickets.Desk{Store: db, Signer: r.signer, Now: clock, Domain: "desk.test", Lang: lang, KB: starter,
		Addresses: []string{support}, Staff: []tickets.Staff{{Email: staffLi, Name: staffName, NotifyNew: true}}, Policy: policy}
	viewer := &templates.Viewer{Set: set, Loc: policy.Hours.Loc, Category: policy.CategoryInfo, Policy: policy, Now: clock}
	r.composer = &mail.Composer{Templates: set, Viewer: viewer, Signer: r.signer, Desk: tickets.Address{Name: deskName, Email: support},
		BaseURL: baseURL, LoopID: "preview", Now: clock, ShowCommand: "postdesk ticket show %d --config /etc/postdesk.toml",
		Policy: policy}
	srv := &web.Server{Tickets: r.desk, Signer: r.signer, Templates: set, Viewer: viewer,
		Desk: templates.Desk{Name: deskName, Address: support}, Lang: lang, RatePerSecond: -1, KB: starter}
	r.ts = httptest.NewServer(srv.Handler())
	return r, nil
}

func (r *run) close() {
	r.ts.Close()
	r.db.Close()
}

// words returns the zh-CN or en variant.
func (r *run) words(zh, en string) string {
	if r.lang == "en" {
		return en
	}
	return zh
}

func (r *run) play(s Sample) ([]File, error) {
	cust := tickets.Address{Name: s.Name, Email: s.Email}
	// 1. The report: confirmation to the teacher, notification to staff.
	if err := r.intake(cust, s.Subject, s.Body, ""); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"confirmation": "new report", "staff_new": "new ticket"}); err != nil {
		return nil, err
	}
	if err := r.page("ticket-new", "/t/"+r.signer.Token(tickets.PurposeTrack, 1), "tracking page, new ticket"); err != nil {
		return nil, err
	}
	// 2. Staff answer: the ticket is in progress.
	r.now = r.now.Add(25 * time.Minute)
	if err := r.staff(1, r.words("您好，我们已经定位到直播服务器的转码节点异常，正在切换到备用节点，预计 30 分钟内恢复。\n恢复后会第一时间通知您。",
		"Hello, we found a faulty transcoding node on the live server and are switching to a spare one; it should be back within 30 minutes.\nWe will tell you as soon as it is.")); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"progress": "staff answer, in progress"}); err != nil {
		return nil, err
	}
	// 3. Staff ask for details: waiting for the customer.
	r.now = r.now.Add(15 * time.Minute)
	if err := r.staff(1, "#wait\n\n"+r.words("请问学生使用的是什么设备和浏览器？方便的话请截一张图发给我们。", "Which devices and browsers do the students use? A screenshot would help.")); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"progress": "staff question, waiting for you"}); err != nil {
		return nil, err
	}
	if err := r.page("ticket-waiting", "/t/"+r.signer.Token(tickets.PurposeTrack, 1), "tracking page, waiting for the customer"); err != nil {
		return nil, err
	}
	// 4. A day passes: the reminder.
	r.now = r.now.Add(25 * time.Hour)
	if _, err := r.desk.Tick(); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"reminder": "reminder"}); err != nil {
		return nil, err
	}
	// 5. The teacher answers: staff are told.
	r.now = r.now.Add(10 * time.Minute)
	if err := r.intake(cust, "Re: [#1] "+s.Subject, s.Answer, ""); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"staff_reply": "the customer answered"}); err != nil {
		return nil, err
	}
	// 6. A mistyped command: the receipt says nothing was done.
	r.now = r.now.Add(5 * time.Minute)
	if err := r.staff(1, "#priority P9\n\n"+r.words("已收到，谢谢。", "Got it, thanks.")); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"receipt": "receipt of a failed command"}); err != nil {
		return nil, err
	}
	// 7. Resolved: the mail with the two buttons, the one-action pages.
	r.now = r.now.Add(20 * time.Minute)
	if err := r.staff(1, "#status resolved\n\n"+r.words("已切换到备用转码节点，并为平板端更新了解码设置，学生端画面已经恢复。请您再上课试一次。",
		"We moved the class to the spare transcoding node and updated the decoder settings for tablets; the students' picture is back. Please try it in your next class.")); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"progress": "resolved, two buttons"}); err != nil {
		return nil, err
	}
	if err := r.page("ticket-resolved", "/t/"+r.signer.Token(tickets.PurposeTrack, 1), "tracking page, resolved"); err != nil {
		return nil, err
	}
	closeURL := "/a/close/" + r.signer.Token(tickets.PurposeClose, 1)
	reopenURL := "/a/reopen/" + r.signer.Token(tickets.PurposeReopen, 1)
	if err := r.page("close", closeURL, "one click from the mail: it works"); err != nil {
		return nil, err
	}
	if err := r.page("reopen", reopenURL, "one click from the mail: still broken, with a text box"); err != nil {
		return nil, err
	}
	// 8. Still broken: the text lands on the ticket, staff are alerted.
	r.now = r.now.Add(30 * time.Minute)
	if err := r.post("reopened", reopenURL, url.Values{"text": {s.Broken}}, "after \"still broken\""); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"staff_alert": "alert: reopened by the customer", "progress": "reopened, in progress"}); err != nil {
		return nil, err
	}
	// 9. Resolved again, and the teacher confirms.
	r.now = r.now.Add(40 * time.Minute)
	if err := r.staff(1, "#status resolved\n\n"+r.words("iPad 端的问题是 Safari 的自动播放限制，已在播放器中修复。", "The iPad problem was Safari's autoplay rule; the player is fixed.")); err != nil {
		return nil, err
	}
	if err := r.flush(nil); err != nil {
		return nil, err
	}
	r.now = r.now.Add(15 * time.Minute)
	if err := r.post("closed", closeURL, nil, "after \"it works\": thank you"); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"progress": "closed"}); err != nil {
		return nil, err
	}
	if err := r.page("noop", closeURL, "an old link: nothing to do"); err != nil {
		return nil, err
	}
	if err := r.page("ticket-closed", "/t/"+r.signer.Token(tickets.PurposeTrack, 1), "tracking page, closed"); err != nil {
		return nil, err
	}
	// 10. A second ticket, a status query, and the "my tickets" page.
	r.now = r.now.Add(2 * time.Hour)
	if err := r.intake(cust, s.Second, r.words("学生点“提交作业”按钮没有任何反应，换了浏览器也一样。", "When students press Submit on their homework nothing happens, in any browser."), ""); err != nil {
		return nil, err
	}
	if err := r.flush(nil); err != nil {
		return nil, err
	}
	if err := r.intake(cust, r.words("查询", "status"), "", ""); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"status_list": "status of my tickets"}); err != nil {
		return nil, err
	}
	if err := r.page("mine", "/m/"+r.signer.Token(tickets.PurposeMine, 1), "my tickets"); err != nil {
		return nil, err
	}
	// 11. A platform incident: teachers of five schools cannot log in;
	// staff get a candidate alert, declare it with #incident, and a sixth
	// report is linked at intake.
	r.now = r.now.Add(20 * time.Minute)
	report := func(i int) error {
		r.now = r.now.Add(time.Minute)
		who := tickets.Address{Name: r.words(fmt.Sprintf("王老师%d", i), fmt.Sprintf("Mr Wang %d", i)), Email: fmt.Sprintf("wang%d@school%d.test", i, i)}
		return r.intake(who, r.words("平台登录不了，一直提示密码错误", "Cannot log in: it says the password is wrong"),
			r.words("今天早上开始所有老师都登录不了平台，提示密码错误，但密码没改过。", "Since this morning no teacher can log in; it says the password is wrong, but nobody changed it."), "")
	}
	var lead int64
	for i := 1; i <= 5; i++ {
		if err := report(i); err != nil {
			return nil, err
		}
		if i == 1 {
			var err error
			if lead, err = r.lastTicket(); err != nil {
				return nil, err
			}
		}
	}
	if err := r.flush(map[string]string{"incident_candidate": "candidate platform incident"}); err != nil {
		return nil, err
	}
	r.now = r.now.Add(5 * time.Minute)
	if err := r.staff(lead, "#incident\n\n"+r.words("登录服务出现故障，技术团队正在处理。", "The sign-in service is down; the technical team is on it.")); err != nil {
		return nil, err
	}
	if err := r.flush(map[string]string{"incident_declared": "platform incident declared"}); err != nil {
		return nil, err
	}
	if err := report(6); err != nil {
		return nil, err
	}
	n, err := r.lastTicket()
	if err != nil {
		return nil, err
	}
	if err := r.flushFor(n, map[string]string{"confirmation": "new report, part of a platform incident"}); err != nil {
		return nil, err
	}
	if err := r.page("ticket-incident", "/t/"+r.signer.Token(tickets.PurposeTrack, n), "tracking page, part of an incident"); err != nil {
		return nil, err
	}
	return r.files, nil
}

func (r *run) lastTicket() (int64, error) {
	var n int64
	err := r.db.View(func(tx tickets.Tx) error {
		var err error
		n, err = tx.LastTicket()
		return err
	})
	return n, err
}

// intake hands the desk one mail from a customer.
func (r *run) intake(from tickets.Address, subject, body string, irt string) error {
	r.seq++
	m := &tickets.Message{MessageID: fmt.Sprintf("p%d@school.test", r.seq), From: from, To: []tickets.Address{{Email: support}},
		Subject: subject, Date: r.now, Text: body, Raw: []byte("Subject: preview\r\n\r\n" + body)}
	if irt != "" {
		m.InReplyTo = []string{irt}
	}
	_, err := r.desk.Intake([]*tickets.Message{m}, nil)
	return err
}

// staff hands the desk a verified reply of the staff member on ticket n.
func (r *run) staff(n int64, body string) error {
	r.seq++
	m := &tickets.Message{MessageID: fmt.Sprintf("s%d@desk.test", r.seq), From: tickets.Address{Email: staffLi}, To: []tickets.Address{{Email: support}},
		Subject: fmt.Sprintf("Re: [#%d]", n), Date: r.now, Text: body, Raw: []byte("Subject: preview\r\n\r\n" + body),
		InReplyTo: []string{r.staffRef[n]}}
	_, err := r.desk.Intake([]*tickets.Message{m}, nil)
	return err
}

// flush sends every queued notice; the first of each kind named in keep
// is kept as a file titled with its value.
func (r *run) flush(keep map[string]string) error { return r.flushFor(0, keep) }

// flushFor is flush keeping only notices about ticket only (0: any).
func (r *run) flushFor(only int64, keep map[string]string) error {
	due, err := r.desk.Outbox().Due(1000)
	if err != nil {
		return err
	}
	var ids []uint64
	for _, p := range due {
		ids = append(ids, p.Notice.ID)
		if p.Notice.Token != "" && p.Notice.To.Email == staffLi {
			r.staffRef[p.Notice.Ticket] = p.Notice.MessageID
		}
		kind := string(p.Notice.Kind)
		title, ok := keep[kind]
		if !ok || (only != 0 && p.Notice.Ticket != only) {
			continue
		}
		delete(keep, kind)
		out, err := r.composer.Compose(p, nil)
		if err != nil {
			return fmt.Errorf("compose %s: %w", kind, err)
		}
		f, err := parseMail(out.Data)
		if err != nil {
			return fmt.Errorf("parse %s: %w", kind, err)
		}
		f.Kind, f.Title = kind, title
		f.Links = map[string]string{}
		if p.Ticket != nil {
			f.Links["track"] = r.composer.TrackURL(p.Ticket.Number)
			if p.Ticket.Status == tickets.StatusResolved {
				f.Links["close"] = r.composer.ActionURL(tickets.PurposeClose, p.Ticket.Number)
				f.Links["reopen"] = r.composer.ActionURL(tickets.PurposeReopen, p.Ticket.Number)
			}
		}
		if p.Mine > 0 && f.HTML != "" {
			f.Links["mine"] = r.composer.MineURL(p.Mine)
		}
		r.add(f, "mail", kind+"-"+slug(title))
	}
	if len(keep) > 0 {
		return fmt.Errorf("no notice of kind %v was queued", keys(keep))
	}
	return r.desk.Outbox().Sent(ids)
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func slug(s string) string {
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.Join(strings.Fields(strings.NewReplacer(",", "", "\"", "", ":", "").Replace(s)), "-"))
}

func (r *run) add(f File, prefix, name string) {
	f.Name = fmt.Sprintf("%s-%02d-%s", prefix, len(r.files)+1, name)
	r.files = append(r.files, f)
}

// page fetches a page with GET.
func (r *run) page(state, path, title string) error {
	resp, err := http.Get(r.ts.URL + path)
	if err != nil {
		return err
	}
	return r.keepPage(resp, state, path, title)
}

// post submits a page's form.
func (r *run) post(state, path string, form url.Values, title string) error {
	resp, err := http.PostForm(r.ts.URL+path, form)
	if err != nil {
		return err
	}
	return r.keepPage(resp, state, path, title)
}

func (r *run) keepPage(resp *http.Response, state, path, title string) error {
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	n := int64(1)
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		fmt.Sscanf(path[i+1:], "%d-", &n)
	}
	links := map[string]string{"track": "/t/" + r.signer.Token(tickets.PurposeTrack, n)}
	if state == "mine" {
		links = map[string]string{"mine": path}
	}
	switch state {
	case "ticket-resolved":
		links["post-close"] = "/a/close/" + r.signer.Token(tickets.PurposeClose, n)
		links["reopen"] = "/a/reopen/" + r.signer.Token(tickets.PurposeReopen, n)
	case "close":
		links["post-close"] = path
	case "reopen":
		links["post-reopen"] = path
	}
	r.add(File{Page: true, Kind: state, Title: title, HTML: string(b), URL: path, Links: links}, "page", state)
	return nil
}

// parseMail splits a composed mail into its header fields and its text
// and HTML alternatives.
func parseMail(raw []byte) (File, error) {
	var f File
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	if err != nil {
		return f, err
	}
	h := mr.Header
	f.Subject, _ = h.Subject()
	f.From = addrs(h.AddressList("From"))
	f.To = addrs(h.AddressList("To"))
	f.ReplyTo = addrs(h.AddressList("Reply-To"))
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return f, err
		}
		ih, ok := p.Header.(*gomail.InlineHeader)
		if !ok {
			continue
		}
		ct, _, _ := ih.ContentType()
		b, err := io.ReadAll(p.Body)
		if err != nil {
			return f, err
		}
		switch ct {
		case "text/plain":
			f.Text = string(b)
		case "text/html":
			f.HTML = string(b)
		}
	}
	return f, nil
}

func addrs(list []*gomail.Address, err error) string {
	if err != nil {
		return ""
	}
	var out []string
	for _, a := range list {
		if a.Name == "" {
			out = append(out, a.Address)
		} else {
			out = append(out, a.Name+" <"+a.Address+">")
		}
	}
	return strings.Join(out, ", ")
}

// TextPage shows a text-only mail as a plain-text mail client would: its
// header fields above the text in a monospace block.
func TextPage(f File) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` + html.EscapeString(f.Subject) + `</title></head>` +
		`<body style="margin:0;padding:16px;background:#fff;color:#1f2937;font-family:-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif">`)
	b.WriteString(`<table style="font-size:14px;line-height:1.6;border-collapse:collapse;margin-bottom:12px">`)
	for _, kv := range [][2]string{{"From", f.From}, {"Reply-To", f.ReplyTo}, {"To", f.To}, {"Subject", f.Subject}} {
		if kv[1] == "" {
			continue
		}
		b.WriteString(`<tr><td style="color:#5b6472;padding-right:12px;vertical-align:top">` + kv[0] + `</td><td style="font-weight:600;word-break:break-word">` + html.EscapeString(kv[1]) + `</td></tr>`)
	}
	b.WriteString(`</table><pre style="white-space:pre-wrap;word-break:break-word;font-family:'Noto Sans Mono CJK SC','DejaVu Sans Mono',monospace;font-size:14px;line-height:1.6;border-top:1px solid #e3e7ee;padding-top:12px;margin:0">`)
	b.WriteString(html.EscapeString(f.Text))
	b.WriteString(`</pre></body></html>`)
	return b.String()
}
