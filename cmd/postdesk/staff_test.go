package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// staffReply builds what a mail client sends when staff member from hits
// Reply on notification n, with body as the new text above a quote.
func staffReply(from string, n *tickets.Message, id, body string) string {
	return fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nReferences: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n\n在 2026年11月21日 10:00，support@desk.test 写道：\n> %s\n",
		from, n.Subject, id, n.MessageID, n.MessageID, body, strings.ReplaceAll(n.Text, "\n", "\n> "))
}

func (e *testEnv) openTicket(from, id, subject, body string) (confirmation, notification *tickets.Message) {
	e.t.Helper()
	before := len(filterTo(e.ms.Delivered(), demoStaff))
	e.deliver(report(from, id, subject, body))
	addr := strings.Trim(from[strings.LastIndex(from, " ")+1:], "<>")
	confs := e.mailsTo(addr, 1)
	notes := e.mailsTo(demoStaff, before+1)
	return confs[len(confs)-1], notes[len(notes)-1]
}

func TestStaffReplyResolves(t *testing.T) {
	e := newEnv(t, func(p *Program) { p.Desk.StaffReceipts = true }) // desk.staff_receipts = true
	_, note := e.openTicket("张老师 <alice@school.test>", "s1@school.test", "摄像头打不开", "上课时摄像头一直打不开。")
	if !strings.Contains(note.Text, "摄像头一直打不开") {
		t.Errorf("staff notification lacks the customer's text:\n%s", note.Text)
	}
	e.deliver(staffReply(demoStaff, note, "li1@desk.test", "#status resolved\n\n已为您重置摄像头权限，请刷新页面后重试。\n\n--\n李工"))
	got := e.mailsTo(demoCustomer, 2)[1]
	if got.NewText == "" || !strings.Contains(got.Text, "已为您重置摄像头权限，请刷新页面后重试。") {
		t.Fatalf("progress mail lacks the staff text:\n%s", got.Text)
	}
	for _, leak := range []string{"#status", "写道", "李工\n", "> "} {
		if strings.Contains(got.Text, leak) {
			t.Errorf("progress mail leaks %q:\n%s", leak, got.Text)
		}
	}
	if !strings.Contains(got.Text, "已解决") || !strings.Contains(got.Text, "/a/close/") || !strings.Contains(got.Text, "/a/reopen/") {
		t.Errorf("progress mail lacks the resolved status or the one-click links:\n%s", got.Text)
	}
	if !strings.Contains(got.From.Name, "李工") || got.From.Email != demoSupport {
		t.Errorf("progress From = %+v, want 李工 via %s", got.From, demoSupport)
	}
	tk := e.ticket(1)
	if tk.Status != tickets.StatusResolved || tk.FirstResponse.IsZero() {
		t.Errorf("ticket status %s, first response %v; want resolved and set", tk.Status, tk.FirstResponse)
	}
	kinds := map[tickets.EventKind]bool{}
	for _, ev := range tk.Events {
		kinds[ev.Kind] = true
	}
	if !kinds[tickets.EventStaffReply] || !kinds[tickets.EventStatus] {
		t.Errorf("timeline kinds = %v, want staff_reply and status", kinds)
	}
	receipt := e.mailsTo(demoStaff, 2)[1]
	if !strings.Contains(receipt.Text, "状态已改为「已解决」") || !strings.Contains(receipt.Text, "回复已发送给用户（1 位收件人）") {
		t.Errorf("receipt:\n%s", receipt.Text)
	}

	// One click on "it works" closes the ticket; a GET alone changes nothing.
	closeURL := regexp.MustCompile(`http://\S+/a/close/\S+`).FindString(got.Text)
	if resp, err := http.Get(closeURL); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", closeURL, resp, err)
	}
	if tk := e.ticket(1); tk.Status != tickets.StatusResolved {
		t.Fatalf("GET changed the status to %s", tk.Status)
	}
	if resp, err := http.Post(closeURL[:len(closeURL)-2]+"aa", "", nil); err != nil || resp.StatusCode != 404 {
		t.Fatalf("POST tampered link: %v %v, want 404", resp, err)
	}
	if tk := e.ticket(1); tk.Status != tickets.StatusResolved {
		t.Fatalf("tampered link changed the status to %s", tk.Status)
	}
	if resp, err := http.Post(closeURL, "", nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST %s: %v %v", closeURL, resp, err)
	}
	if tk := e.ticket(1); tk.Status != tickets.StatusClosed {
		t.Fatalf("after close: %s", tk.Status)
	}
	e.mailsTo(demoCustomer, 3) // the close is announced
}

func TestStaffSpoofing(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "sp1@school.test", "登录失败", "无法登录")
	wangNote := e.mailsTo("wang@desk.test", 1)[0]
	cases := []struct{ name, raw string }{
		{"no token", fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: [#1] 登录失败\nMessage-ID: <fake1@evil.test>\n\n#status closed\n\n请把密码发给我。\n", demoStaff)},
		{"token of another staff member", staffReply(demoStaff, wangNote, "fake2@evil.test", "#status closed\n\n请把密码发给我。")},
		{"token forwarded to a stranger", staffReply("eve@evil.test", note, "fake3@evil.test", "#status closed\n\n请把密码发给我。")},
	}
	for _, c := range cases {
		e.deliver(c.raw)
	}
	// The forwarded-token case opens a ticket for eve (she is a stranger).
	e.mailsTo("eve@evil.test", 1)
	time.Sleep(300 * time.Millisecond)
	if got := filterTo(e.ms.Delivered(), demoCustomer); len(got) != 1 {
		t.Errorf("customer got %d mails, want only the confirmation", len(got))
	}
	tk := e.ticket(1)
	if tk.Status != tickets.StatusNew {
		t.Errorf("status = %s, want new (no command applied)", tk.Status)
	}
	unverified := 0
	for _, ev := range tk.Events {
		if ev.Public && strings.Contains(ev.Text, "密码") {
			t.Errorf("forged text is public: %+v", ev)
		}
		if ev.Kind == tickets.EventUnverified {
			unverified++
		}
	}
	if unverified != 2 {
		t.Errorf("unverified notes = %d, want 2", unverified)
	}
	alerts := 0
	for _, m := range filterTo(e.ms.Delivered(), demoStaff) {
		if strings.Contains(m.Text, "没有发送给用户") {
			alerts++
		}
	}
	if alerts != 2 {
		t.Errorf("alerts to the real staff member = %d, want 2", alerts)
	}
}

func TestStaffNoteAndInvalidCommand(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "n1@school.test", "视频卡顿", "视频很卡")
	e.deliver(staffReply(demoStaff, note, "li-n1@desk.test", "#note\n#priority P1\n客户网络较差，先观察。"))
	e.deliver(staffReply(demoStaff, note, "li-n2@desk.test", "#priority P9\n#assign 王工\n\n我们正在处理。"))
	// Without desk.staff_receipts only the failed command gets a receipt.
	receipts := e.mailsTo(demoStaff, 2)
	var invalid string
	for _, r := range receipts {
		if strings.Contains(r.Text, "P9") {
			invalid = r.Text
		}
	}
	if !strings.Contains(invalid, "没有「P9」这个优先级") || !strings.Contains(invalid, "都没有执行") {
		t.Errorf("receipt for the invalid command:\n%s", invalid)
	}
	time.Sleep(300 * time.Millisecond)
	if got := filterTo(e.ms.Delivered(), demoStaff); len(got) != 2 {
		t.Errorf("staff got %d mails, want the notification and the one receipt for the failed command", len(got))
	}
	if got := filterTo(e.ms.Delivered(), demoCustomer); len(got) != 1 {
		for _, m := range got {
			t.Logf("to customer: %s\n%s", m.Subject, m.Text)
		}
		t.Errorf("customer got %d mails, want only the confirmation", len(got))
	}
	tk := e.ticket(1)
	if tk.Priority != tickets.P1 || tk.Assignee != "" {
		t.Errorf("priority %s, assignee %q; want P1 (from #note mail) and no assignee (invalid mail)", tk.Priority, tk.Assignee)
	}
	var noteEv *tickets.Event
	for i, ev := range tk.Events {
		if ev.Kind == tickets.EventNote {
			noteEv = &tk.Events[i]
		}
		if ev.Public && strings.Contains(ev.Text, "正在处理") {
			t.Errorf("reply of the invalid mail is public: %+v", ev)
		}
	}
	if noteEv == nil || noteEv.Public || noteEv.Text != "客户网络较差，先观察。" {
		t.Errorf("note event = %+v", noteEv)
	}
	// The rest of the team sees the note.
	wang := e.mailsTo("wang@desk.test", 2)
	if !strings.Contains(wang[1].Text, "客户网络较差，先观察。") {
		t.Errorf("note not shown to the other staff member:\n%s", wang[1].Text)
	}
}

func TestStatusQuery(t *testing.T) {
	e := newEnv(t, nil)
	e.openTicket("alice@school.test", "q1@school.test", "登录失败", "无法登录")
	e.openTicket("alice@school.test", "q2@school.test", "视频卡顿", "很卡")
	e.openTicket("bob@school.test", "q3@school.test", "bob 的问题", "bob")
	e.deliver(report("alice@school.test", "q4@school.test", "查询", ""))
	list := e.mailsTo(demoCustomer, 3)[2]
	if !strings.Contains(list.Text, "#1 登录失败") || !strings.Contains(list.Text, "#2 视频卡顿") || strings.Contains(list.Text, "bob") {
		t.Errorf("status list:\n%s", list.Text)
	}
	if n := e.ticketCount(); n != 3 {
		t.Errorf("tickets = %d, want 3 (a query opens none)", n)
	}
	if c := strings.Count(list.Text, "/t/"); c != 2 {
		t.Errorf("tracking links in the list = %d, want 2", c)
	}
	// A query on a ticket's own thread gets that ticket's status only.
	e.deliver(report("alice@school.test", "q5@school.test", "Re: [#2] 视频卡顿", "查询进度"))
	one := e.mailsTo(demoCustomer, 4)[3]
	if !strings.Contains(one.Text, "#2 视频卡顿") || strings.Contains(one.Text, "#1 ") {
		t.Errorf("thread query answer:\n%s", one.Text)
	}
	if tk := e.ticket(2); tk.Messages != 1 {
		t.Errorf("the query was added to ticket 2 as a reply (%d messages)", tk.Messages)
	}
}

// TestReplyAllIsNotSentTwice: a staff member who replies to all (the
// customer in Cc) is recorded, and the customer gets no second copy.
func TestReplyAllIsNotSentTwice(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "ra1@school.test", "登录失败", "无法登录")
	raw := staffReply(demoStaff, note, "ra2@desk.test", "请清除浏览器缓存后重试。")
	raw = strings.Replace(raw, "To: support@desk.test\n", "To: support@desk.test\nCc: alice@school.test\n", 1)
	e.deliver(raw)
	deadline := time.Now().Add(5 * time.Second)
	for {
		tk := e.ticket(1)
		if ev := tk.Events[len(tk.Events)-1]; ev.Kind == tickets.EventStaffReply || ev.Kind == tickets.EventStatus {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("staff reply not recorded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	if got := filterTo(e.ms.Delivered(), demoCustomer); len(got) != 1 {
		t.Errorf("customer got %d mails from postdesk, want only the confirmation", len(got))
	}
	found := false
	for _, ev := range e.ticket(1).Events {
		if ev.Kind == tickets.EventStaffReply && ev.Public && ev.Text == "请清除浏览器缓存后重试。" {
			found = true
		}
	}
	if !found {
		t.Error("the reply-all answer is not on the public timeline")
	}
}

// TestHTMLOnlyStaffReply: commands and the answer work in an HTML-only
// reply (Outlook on the web, Gmail with rich text), quote removed.
func TestHTMLOnlyStaffReply(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "h1@school.test", "麦克风没声音", "上课时麦克风没声音")
	html := `<html><body><div dir="ltr"><div>#status waiting</div><div><br></div><div>请问您用的是哪个浏览器？</div></div><br><div class="gmail_quote"><div class="gmail_attr">On Sat, support wrote:</div><blockquote class="gmail_quote">` + note.Text + `</blockquote></div></body></html>`
	raw := fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <h2@desk.test>\nIn-Reply-To: <%s>\nReferences: <%s>\nContent-Type: text/html; charset=utf-8\n\n%s\n",
		demoStaff, note.Subject, note.MessageID, note.MessageID, html)
	e.deliver(raw)
	got := e.mailsTo(demoCustomer, 2)[1]
	if !strings.Contains(got.Text, "请问您用的是哪个浏览器？") || strings.Contains(got.Text, "#status") || strings.Contains(got.Text, "上课时麦克风没声音") {
		t.Errorf("progress mail from an HTML reply:\n%s", got.Text)
	}
	if tk := e.ticket(1); tk.Status != tickets.StatusWaiting {
		t.Errorf("status = %s, want waiting", tk.Status)
	}
}

// TestStaffAttachmentReachesTheCustomer: a file the staff member attaches
// to the reply goes to the customer with the answer.
func TestStaffAttachmentReachesTheCustomer(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "at1@school.test", "不会设置摄像头", "怎么设置？")
	raw := fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <at2@desk.test>\nIn-Reply-To: <%s>\nReferences: <%s>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain; charset=utf-8\n\n请按附件中的步骤设置。\n--XX\nContent-Type: application/pdf; name=\"guide.pdf\"\nContent-Disposition: attachment; filename=\"guide.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOf\n--XX--\n",
		demoStaff, note.Subject, note.MessageID, note.MessageID)
	e.deliver(raw)
	got := e.mailsTo(demoCustomer, 2)[1]
	if len(got.Attachments) != 1 || got.Attachments[0].Name != "guide.pdf" || string(got.Attachments[0].Data) != "%PDF-1.4\n%äüöß" {
		t.Errorf("attachments of the progress mail = %+v", got.Attachments)
	}
	if !strings.Contains(got.Text, "请按附件中的步骤设置。") {
		t.Errorf("text:\n%s", got.Text)
	}
}

// TestStatusAnswerSaysWhatIsAsked: while the desk waits for the customer,
// her status query names what she is asked, in the desk's words, and goes
// to her alone even with someone in Cc.
func TestStatusAnswerSaysWhatIsAsked(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "w1@school.test", "作业提交不了", "学生说提交作业一直转圈")
	e.deliver(staffReply(demoStaff, note, "w2@desk.test", "#wait\n张老师您好，请问是所有学生都提交不了吗？能否截个图发给我们？"))
	e.mailsTo(demoCustomer, 2)
	query := strings.Replace(report("alice@school.test", "w3@school.test", "查询进度", ""), "To: support@desk.test\n", "To: support@desk.test\nCc: head@school.test\n", 1)
	e.deliver(query)
	answer := e.mailsTo(demoCustomer, 3)[2]
	for _, want := range []string{"#1 作业提交不了", "状态：待反馈。我们在等您的回复", "需要您回复：请问是所有学生都提交不了吗？ 能否截个图发给我们？", "请回复主题中带有 [#1] 的邮件", "处理时限：在您回复之前暂停计算。", "工作时间：周一至周五 09:00-17:30（北京时间）", "/t/1-"} {
		if !strings.Contains(answer.Text, want) {
			t.Errorf("status answer lacks %q:\n%s", want, answer.Text)
		}
	}
	if n := len(filterTo(e.ms.Delivered(), "head@school.test")); n != 0 {
		t.Errorf("the Cc got %d mails, want none (a status answer goes to From only)", n)
	}
}

// TestEscalateTellsTheCustomerPlainly: #escalate alone acknowledges the
// ticket and tells the customer it went to the technical team, without
// the staff member's internal words.
func TestEscalateTellsTheCustomerPlainly(t *testing.T) {
	e := newEnv(t, nil)
	_, note := e.openTicket("alice@school.test", "e1@school.test", "成绩导出报错", "导出成绩时报错 500")
	e.deliver(staffReply(demoStaff, note, "e2@desk.test", "#escalate 数据库慢查询，找老周"))
	got := e.mailsTo(demoCustomer, 2)[1]
	if !strings.Contains(got.Text, "工单 #1：已转技术团队处理。") || !strings.Contains(got.Text, "当前状态：处理中") || strings.Contains(got.Text, "老周") {
		t.Errorf("customer mail after #escalate:\n%s", got.Text)
	}
	var steps []string
	for _, ev := range e.ticket(1).PublicEvents() {
		if ev.Kind == tickets.EventStatus {
			steps = append(steps, string(ev.Status))
		} else {
			steps = append(steps, string(ev.Kind))
		}
		if strings.Contains(ev.Text, "老周") {
			t.Errorf("public event %s shows the internal words", ev.Kind)
		}
	}
	if got := strings.Join(steps, " "); got != "created acknowledged in_progress escalated" {
		t.Errorf("customer's timeline = %q, want created acknowledged in_progress escalated", got)
	}
}
