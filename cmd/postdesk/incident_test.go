package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

// outageReports are six schools reporting one live-class outage in their
// own words, Chinese and English.
var outageReports = []struct{ from, subject, body string }{
	{"张老师 <zhang@yucai.edu.cn>", "直播课进不去", "老师您好，今天上午九点的直播课学生都进不去，一直在转圈，麻烦看一下。"},
	{"Tom Smith <t.smith@oakwood.org>", "live class won't load", "Hi, our 10am live class won't load for any of the students, just a spinning wheel. Please help asap."},
	{"李老师 <li@shiyan.cn>", "直播间打不开", "你好，我们班的直播间打不开了，点进去就是白屏，刚才还好好的。"},
	{"吴妈妈 <parent.wu@qq.com>", "上不了课", "孩子现在上不了课，点了进入课堂没反应，是不是你们系统出问题了？"},
	{"Riverside Office <office@riverside.school>", "Live lesson not starting", "Dear support, the live lesson for Grade 5 is not starting. Kids see \"loading\" forever. Thanks"},
	{"信息中心 <it@no2middle.edu.cn>", "紧急！直播课堂进不去", "三年级二班的学生全部进不去直播课堂，老师那边也进不去，请尽快处理！"},
}

func addrOf(from string) string {
	return strings.Trim(from[strings.LastIndex(from, " ")+1:], "<>")
}

// mailsWhere waits until n delivered mails satisfy pred and returns them.
func (e *testEnv) mailsWhere(n int, what string, pred func(to string, m *tickets.Message) bool) []*tickets.Message {
	e.t.Helper()
	var got []*tickets.Message
	_, ok := e.ms.Wait(10*time.Second, func(d []memserver.Delivered) bool {
		got = got[:0]
		for _, dm := range d {
			for _, to := range dm.To {
				if m := parseDelivered(dm); pred(to, m) {
					got = append(got, m)
				}
			}
		}
		return len(got) >= n
	})
	if !ok {
		e.t.Fatalf("%s: got %d mails, want %d", what, len(got), n)
	}
	return got
}

// firstAt returns when the SMTP server accepted the first delivered mail
// that satisfies pred.
func (e *testEnv) firstAt(pred func(to string, m *tickets.Message) bool) time.Time {
	e.t.Helper()
	for _, d := range e.ms.Delivered() {
		for _, to := range d.To {
			if pred(to, parseDelivered(d)) {
				return d.At
			}
		}
	}
	e.t.Fatal("firstAt: no such mail")
	return time.Time{}
}

func parseDelivered(d memserver.Delivered) *tickets.Message {
	return filterTo([]memserver.Delivered{d}, d.To[0])[0]
}

func isCandidateAlert(to string, m *tickets.Message) bool {
	return to == demoStaff && strings.Contains(m.Subject, "疑似平台级故障")
}

func page(t *testing.T, link string) string {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", link, resp.StatusCode)
	}
	return string(b)
}

// TestNoIncidentOnABusyMorning: five unrelated account requests from five
// schools, and five mails from one teacher about her own camera, make no
// candidate, raise nothing to P0 and tell nobody "platform-wide".
func TestNoIncidentOnABusyMorning(t *testing.T) { checkNoIncidentOnABusyMorning(t, memEnv) }

func checkNoIncidentOnABusyMorning(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	morning := []struct{ from, subject, body string }{
		{"a@yucai.edu.cn", "忘记密码", "老师您好，我忘记密码了，怎么找回？我的账号是 zhang_t01。"},
		{"b@oakwood.org", "Account locked", "My account is locked after too many attempts, please unlock it. Thanks, Mr Li"},
		{"c@shiyan.cn", "收不到验证码", "手机收不到验证码，没法登录，号码是 138****5678。"},
		{"d@riverside.school", "修改密码", "你好，请问在哪里修改密码？想换个好记的。"},
		{"e@no2middle.edu.cn", "换了新手机号", "我换了新手机号，原来的手机号不用了，怎么更换绑定？"},
	}
	for i, r := range morning {
		e.deliver(report(r.from, fmt.Sprintf("am%d@x.test", i), r.subject, r.body))
	}
	for i := range 5 {
		e.deliver(report("王老师 <wang.t@yucai.edu.cn>", fmt.Sprintf("cam%d@yucai.edu.cn", i), "摄像头又打不开了", fmt.Sprintf("第%d次写信了，上课时我的摄像头还是打不开，提示设备被占用。", i+1)))
	}
	for _, r := range morning {
		e.mailsTo(r.from, 1)
	}
	e.mailsTo("wang.t@yucai.edu.cn", 5)
	e.mailsTo(demoStaff, 10) // the new-ticket notifications: everything is handled
	time.Sleep(300 * time.Millisecond)
	for _, d := range e.ms.Delivered() {
		m := parseDelivered(d)
		if isCandidateAlert(d.To[0], m) || strings.Contains(m.Text, "平台级故障") || strings.Contains(m.Text, "多位用户") {
			t.Errorf("mail to %s speaks of an incident: %s\n%s", d.To[0], m.Subject, m.Text)
		}
	}
	for n := int64(1); n <= 10; n++ {
		if tk := e.ticket(n); tk.Priority == tickets.P0 || tk.Incident != 0 {
			t.Errorf("#%d %q: priority %s, incident %d", n, tk.Subject, tk.Priority, tk.Incident)
		}
	}
}

// TestIncidentEndToEnd: six schools report one outage in their own words;
// staff get one candidate alert, confirm it with one reply, and from then
// on every reporter hears about it and about the fix on their own ticket.
func TestIncidentEndToEnd(t *testing.T) { checkIncidentEndToEnd(t, memEnv) }

func checkIncidentEndToEnd(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	var confs []*tickets.Message
	for i, r := range outageReports {
		e.deliver(report(r.from, fmt.Sprintf("out%d@x.test", i), r.subject, r.body))
		delivered := time.Now() // the report is in the support mailbox
		confs = append(confs, e.mailsTo(addrOf(r.from), 1)[0])
		if i == 4 {
			e.mailsWhere(1, "candidate alert", isCandidateAlert)
			t.Logf("candidate alert accepted by SMTP %v after the fifth report was delivered", e.firstAt(isCandidateAlert).Sub(delivered).Round(time.Millisecond))
		}
	}
	e.mailsTo(demoStaff, 6)
	time.Sleep(300 * time.Millisecond)
	alerts := e.mailsWhere(1, "candidate alert", isCandidateAlert)
	if len(alerts) != 1 {
		t.Fatalf("candidate alerts = %d, want 1", len(alerts))
	}
	alert := alerts[0]
	lead := tickets.SubjectTag(alert.Subject, "")
	if lead < 1 || lead > 6 {
		t.Fatalf("alert subject %q carries no lead tag", alert.Subject)
	}
	for _, r := range outageReports[:5] { // the alert goes out with the fifth
		if !strings.Contains(alert.Text, addrOf(r.from)) {
			t.Errorf("alert does not list %s:\n%s", addrOf(r.from), alert.Text)
		}
	}
	if !strings.Contains(alert.Text, "#incident") {
		t.Errorf("alert does not say how to confirm:\n%s", alert.Text)
	}

	// One reply declares it: six mails, each on the reporter's own thread.
	e.deliver(staffReply(demoStaff, alert, "inc1@desk.test", "#incident"))
	isDeclared := func(to string, m *tickets.Message) bool { return strings.Contains(m.Subject, "[平台级故障]") }
	e.mailsWhere(6, "declared mails", isDeclared)
	time.Sleep(300 * time.Millisecond)
	if got := e.mailsWhere(6, "declared mails", isDeclared); len(got) != 6 {
		t.Errorf("declared mails = %d, want 6", len(got))
	}
	for i, r := range outageReports {
		to := addrOf(r.from)
		mails := e.mailsTo(to, 2)
		own := tickets.SubjectTag(confs[i].Subject, "")
		if got := tickets.SubjectTag(mails[1].Subject, ""); got != own || !strings.Contains(mails[1].Text, "平台级故障") {
			t.Errorf("%s: second mail %q (tag %d, want their own #%d):\n%s", to, mails[1].Subject, got, own, mails[1].Text)
		}
		if len(mails[1].InReplyTo) == 0 || !slices.Contains(mails[1].References, confs[i].MessageID) {
			t.Errorf("%s: the declared mail (In-Reply-To %v, References %v) is not on their thread (confirmation %s)", to, mails[1].InReplyTo, mails[1].References, confs[i].MessageID)
		}
		if p := page(t, linkRe.FindString(confs[i].Text)); !strings.Contains(p, "技术团队已知晓") {
			t.Errorf("%s: tracking page has no incident banner", to)
		}
		if tk := e.ticket(own); tk.Incident != lead || tk.Priority != tickets.P0 {
			t.Errorf("#%d: incident %d, priority %s; want %d, P0", own, tk.Incident, tk.Priority, lead)
		}
	}

	// A seventh report is linked at intake, and its confirmation says so.
	e.deliver(report("Head <head@sunshine.edu.cn>", "out7@x.test", "直播课打不开", "我们学校的直播课也打不开，学生进不去，一直转圈。"))
	seventh := e.mailsTo("head@sunshine.edu.cn", 1)[0]
	if !strings.Contains(seventh.Text, "已知的平台级故障") {
		t.Errorf("7th confirmation does not say it is linked:\n%s", seventh.Text)
	}
	reporters := append([]string{}, "head@sunshine.edu.cn")
	for _, r := range outageReports {
		reporters = append(reporters, addrOf(r.from))
	}

	// A public reply on the lead reaches every reporter on their own ticket.
	e.deliver(staffReply(demoStaff, alert, "inc2@desk.test", "已定位到直播服务器故障，正在修复，预计 30 分钟内恢复。"))
	for _, to := range reporters {
		want := 3
		if to == "head@sunshine.edu.cn" {
			want = 2
		}
		ms := e.mailsTo(to, want)
		if last := ms[want-1]; !strings.Contains(last.Text, "已定位到直播服务器故障") {
			t.Errorf("%s: progress mail lacks the lead's reply:\n%s", to, last.Text)
		}
	}
	if p := page(t, linkRe.FindString(seventh.Text)); !strings.Contains(p, "已定位到直播服务器故障") {
		t.Errorf("the banner does not show the incident's public status")
	}

	// Resolving the lead with a text resolves every reporter with it.
	e.deliver(staffReply(demoStaff, alert, "inc3@desk.test", "#resolve\n\n直播服务器已恢复，请刷新页面重新进入。"))
	for _, to := range reporters {
		want := 4
		if to == "head@sunshine.edu.cn" {
			want = 3
		}
		ms := e.mailsTo(to, want)
		if last := ms[want-1]; !strings.Contains(last.Text, "直播服务器已恢复") || !strings.Contains(last.Text, "已解决") {
			t.Errorf("%s: resolved mail lacks the resolution:\n%s", to, last.Text)
		}
	}
	time.Sleep(300 * time.Millisecond)
	for _, to := range reporters {
		want := 4
		if to == "head@sunshine.edu.cn" {
			want = 3
		}
		if got := len(filterTo(e.ms.Delivered(), to)); got != want {
			t.Errorf("%s got %d mails, want %d", to, got, want)
		}
	}
	for n := int64(1); n <= 7; n++ {
		if tk := e.ticket(n); tk.Status != tickets.StatusResolved {
			t.Errorf("#%d: %s, want resolved", n, tk.Status)
		}
	}
}

// TestStrangersCannotSeedAnIncident: six random mails from strangers make
// no candidate, and a later real outage is proposed without them.
func TestStrangersCannotSeedAnIncident(t *testing.T) {
	e := newEnv(t, nil)
	junk := []string{"hello", "test test 123", "在吗", "Check out our new spring collection! 50% off", "周六的春游改到下周了", "are we still on for lunch on friday"}
	for i, s := range junk {
		e.deliver(report(fmt.Sprintf("x%d@stranger%d.test", i, i), fmt.Sprintf("j%d@x.test", i), s, s))
	}
	for i, r := range outageReports {
		e.deliver(report(r.from, fmt.Sprintf("out%d@x.test", i), r.subject, r.body))
	}
	e.mailsTo(demoStaff, 12)
	alert := e.mailsWhere(1, "candidate alert", isCandidateAlert)[0]
	if lead := tickets.SubjectTag(alert.Subject, ""); lead <= 6 {
		t.Errorf("proposed lead #%d is a stranger's mail", lead)
	}
	if strings.Contains(alert.Text, "stranger") {
		t.Errorf("the alert lists strangers' mail:\n%s", alert.Text)
	}
}

// TestSpoofedStaffCannotDeclareLinkOrUnlink: without the reply token
// issued to the sending staff member, #incident does nothing.
func TestSpoofedStaffCannotDeclareLinkOrUnlink(t *testing.T) {
	e := newEnv(t, nil)
	for i, r := range outageReports[:5] {
		e.deliver(report(r.from, fmt.Sprintf("out%d@x.test", i), r.subject, r.body))
	}
	alert := e.mailsWhere(1, "candidate alert", isCandidateAlert)[0]
	lead := tickets.SubjectTag(alert.Subject, "")
	wangAlert := e.mailsWhere(1, "alert to wang", func(to string, m *tickets.Message) bool {
		return to == "wang@desk.test" && strings.Contains(m.Subject, "疑似平台级故障")
	})[0]
	e.deliver(fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <f1@evil.test>\n\n#incident\n", demoStaff, alert.Subject))
	e.deliver(staffReply(demoStaff, wangAlert, "f2@evil.test", "#incident"))
	e.mailsWhere(2, "spoof warnings", func(to string, m *tickets.Message) bool {
		return to == demoStaff && strings.Contains(m.Text, "它没有发送给用户")
	})
	if tk := e.ticket(lead); tk.Incident != 0 {
		t.Fatalf("forged #incident declared #%d", lead)
	}
	// Declared for real, then forged link and unlink change nothing.
	e.deliver(staffReply(demoStaff, alert, "real@desk.test", "#incident"))
	e.mailsWhere(5, "declared mails", func(to string, m *tickets.Message) bool { return strings.Contains(m.Subject, "[平台级故障]") })
	other := int64(1)
	if lead == 1 {
		other = 2
	}
	e.deliver(fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: [#%d] x\nMessage-ID: <f3@evil.test>\n\n#incident off\n", demoStaff, other))
	e.deliver(report("eve@evil.test", "f4@evil.test", fmt.Sprintf("Re: [#%d]", other), "#incident off"))
	e.mailsTo("eve@evil.test", 1)
	e.mailsWhere(3, "spoof warnings", func(to string, m *tickets.Message) bool {
		return to == demoStaff && strings.Contains(m.Text, "它没有发送给用户")
	})
	if tk := e.ticket(other); tk.Incident != lead {
		t.Errorf("forged #incident off unlinked #%d (incident %d)", other, tk.Incident)
	}
}
