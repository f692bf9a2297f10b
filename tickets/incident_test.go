package tickets_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// outage is one live-class outage as six schools report it, in several
// wordings, Chinese and English.
var outage = []struct{ from, subject, text string }{
	{"zhang@yucai.edu.cn", "直播课进不去", "老师您好，今天上午九点的直播课学生都进不去，一直在转圈，麻烦看一下。"},
	{"t.smith@oakwood.org", "live class won't load", "Hi, our 10am live class won't load for any of the students, just a spinning wheel."},
	{"li@shiyan.cn", "直播间打不开", "你好，我们班的直播间打不开了，点进去就是白屏，刚才还好好的。"},
	{"parent.wu@qq.com", "上不了课", "孩子现在上不了课，点了进入课堂没反应，是不是你们系统出问题了？"},
	{"office@riverside.school", "Live lesson not starting", "Dear support, the live lesson for Grade 5 is not starting. Kids see loading forever."},
	{"it@no2middle.edu.cn", "紧急！直播课堂进不去", "三年级二班的学生全部进不去直播课堂，老师那边也进不去，请尽快处理！"},
}

// busyMorning is five unrelated account requests from five schools.
var busyMorning = []struct{ from, subject, text string }{
	{"a@yucai.edu.cn", "忘记密码", "老师您好，我忘记密码了，怎么找回？"},
	{"b@oakwood.org", "Account locked", "My account is locked after too many attempts, please unlock it."},
	{"c@shiyan.cn", "收不到验证码", "手机收不到验证码，号码是 138****5678。"},
	{"d@riverside.school", "修改密码", "你好，请问在哪里修改密码？"},
	{"e@no2middle.edu.cn", "换了新手机号", "我换了新手机号，怎么更换绑定？"},
}

func countKind(ns []*tickets.Notice, k tickets.NoticeKind) int {
	n := 0
	for _, nt := range ns {
		if nt.Kind == k {
			n++
		}
	}
	return n
}

func (f *fixture) staffCommand(n int64, text string) []*tickets.Notice {
	f.t.Helper()
	m := f.verifiedStaffMail(n, text)
	if o := f.intake(m); o.Action != tickets.ActionStaff {
		f.t.Fatalf("staff reply = %+v", o)
	}
	return f.drain()
}

func TestBusyMorningIsNoIncident(t *testing.T) {
	f := newFixture(t, at("2026-11-23 08:30"))
	for _, r := range busyMorning {
		f.intake(f.mail(r.from, r.subject, r.text))
		f.clock.Add(2 * time.Minute)
	}
	ns := f.drain()
	if c := countKind(ns, tickets.NoticeIncidentCandidate); c != 0 {
		t.Errorf("candidate alerts = %d, want 0", c)
	}
	for n := int64(1); n <= int64(len(busyMorning)); n++ {
		if tk := f.ticket(n); tk.Incident != 0 || tk.Priority == tickets.P0 {
			t.Errorf("#%d: incident %d, priority %s", n, tk.Incident, tk.Priority)
		}
	}
}

func TestOneSenderCountsOnce(t *testing.T) {
	f := newFixture(t, at("2026-11-23 10:00"))
	for i := range 5 {
		f.intake(f.mail("wang@yucai.edu.cn", "摄像头打不开", fmt.Sprintf("第%d次了，上课时我的摄像头还是打不开。", i+1)))
		f.clock.Add(time.Minute)
	}
	f.intake(f.mail("other@qq.com", "摄像头打不开", "上课时摄像头打不开"))
	if c := countKind(f.drain(), tickets.NoticeIncidentCandidate); c != 0 {
		t.Errorf("candidate alerts = %d, want 0 (two reporters)", c)
	}
}

func TestIncidentFromCandidateToResolution(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:05"))
	for _, r := range outage {
		f.intake(f.mail(r.from, r.subject, r.text))
		f.clock.Add(90 * time.Second)
	}
	ns := f.drain()
	var alert *tickets.Notice
	for _, nt := range ns {
		if nt.Kind == tickets.NoticeIncidentCandidate {
			if alert != nil {
				t.Fatalf("second candidate alert: %+v", nt)
			}
			alert = nt
		}
	}
	if alert == nil {
		t.Fatalf("no candidate alert; notices %s", kinds(ns))
	}
	if len(alert.Lines) < 5 || alert.To.Email != "li@desk.test" {
		t.Errorf("alert lists %d reports to %s, want at least 5 to li@desk.test", len(alert.Lines), alert.To.Email)
	}
	lead := alert.Ticket
	for n := int64(1); n <= 6; n++ {
		if tk := f.ticket(n); tk.Incident != 0 {
			t.Errorf("#%d linked before anyone confirmed", n)
		}
	}

	// Staff confirm on the alert: everyone is told once, on their own ticket.
	ns = f.staffCommand(lead, "#事件")
	told := map[int64]bool{}
	for _, nt := range ns {
		if nt.Kind == tickets.NoticeIncidentDeclared {
			if told[nt.Ticket] {
				t.Errorf("#%d told twice", nt.Ticket)
			}
			told[nt.Ticket] = true
		}
	}
	if len(told) != 6 {
		t.Errorf("reporters told = %d (%v), want 6", len(told), told)
	}
	leadT := f.ticket(lead)
	if leadT.Priority != tickets.P0 || leadT.Incident != lead {
		t.Errorf("lead: priority %s, incident %d", leadT.Priority, leadT.Incident)
	}
	for n := int64(1); n <= 6; n++ {
		tk := f.ticket(n)
		if tk.Incident != lead || tk.Priority != tickets.P0 || !tk.ResolveDue.Equal(leadT.ResolveDue) {
			t.Errorf("#%d: incident %d, priority %s, due %v; want %d, P0, the lead's %v", n, tk.Incident, tk.Priority, tk.ResolveDue, lead, leadT.ResolveDue)
		}
	}

	// A seventh report is linked at intake, and its confirmation is the only mail.
	o := f.intake(f.mail("head@sunshine.edu.cn", "直播课打不开", "我们学校的直播课也打不开，学生进不去。"))
	if tk := f.ticket(o.Ticket); tk.Incident != lead {
		t.Errorf("7th report: incident %d, want %d", tk.Incident, lead)
	}
	if got := kinds(f.drain()); !strings.Contains(got, "confirmation:head@sunshine.edu.cn") || strings.Contains(got, "incident_declared") {
		t.Errorf("7th report notices = %s", got)
	}

	// One member is unlinked: it hears nothing more.
	gone := int64(1)
	if lead == 1 {
		gone = 2
	}
	f.staffCommand(gone, "#incident off")
	if tk := f.ticket(gone); tk.Incident != 0 {
		t.Errorf("#%d still linked to %d", gone, tk.Incident)
	}

	// A public reply on the lead reaches every other open member.
	ns = f.staffCommand(lead, "已定位到直播服务器故障，正在修复，预计 30 分钟内恢复。")
	updates := map[int64]string{}
	for _, nt := range ns {
		if nt.Kind == tickets.NoticeIncidentUpdate {
			updates[nt.Ticket] = nt.Text
		}
	}
	if _, ok := updates[gone]; len(updates) != 5 || ok {
		t.Errorf("updates to %v, want the 5 linked members other than the lead (not #%d)", updates, gone)
	}

	// Resolving the lead resolves every open member with its text.
	ns = f.staffCommand(lead, "#resolve\n\n直播服务器已恢复，请刷新页面重新进入。")
	resolved := 0
	for _, nt := range ns {
		if nt.Kind == tickets.NoticeIncidentUpdate && strings.Contains(nt.Text, "直播服务器已恢复") {
			resolved++
		}
		if nt.Ticket == gone {
			t.Errorf("unlinked #%d got %s", gone, nt.Kind)
		}
	}
	if resolved != 5 {
		t.Errorf("resolved mails = %d, want 5", resolved)
	}
	for n := int64(1); n <= 7; n++ {
		tk := f.ticket(n)
		if want := n != gone; (tk.Status == tickets.StatusResolved) != want {
			t.Errorf("#%d: status %s", n, tk.Status)
		}
	}
}

func TestStrangersCannotMakeALead(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:00"))
	for i, text := range []string{"hello", "test test 123", "在吗", "周六的春游改到下周了", "Check out our spring sale!", "are we still on for lunch"} {
		f.intake(f.mail(fmt.Sprintf("x%d@spam%d.test", i, i), text, text))
	}
	if c := countKind(f.drain(), tickets.NoticeIncidentCandidate); c != 0 {
		t.Fatalf("random mails made %d candidates", c)
	}
	for _, r := range outage {
		f.intake(f.mail(r.from, r.subject, r.text))
	}
	for _, nt := range f.drain() {
		if nt.Kind == tickets.NoticeIncidentCandidate {
			if nt.Ticket <= 6 {
				t.Errorf("proposed lead #%d is a stranger's mail", nt.Ticket)
			}
			for _, l := range nt.Lines {
				if strings.Contains(l, "spam") {
					t.Errorf("candidate lists a stranger's mail: %s", l)
				}
			}
		}
	}
	for n := int64(1); n <= 12; n++ {
		if tk := f.ticket(n); tk.Incident != 0 {
			t.Errorf("#%d linked to %d without a declaration", n, tk.Incident)
		}
	}
}

func TestAutoDeclareAboveItsBar(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:00"))
	f.desk.Policy.Incident.AutoDeclare = true
	f.desk.Policy.Incident.AutoReporters, f.desk.Policy.Incident.AutoDomains = 6, 5
	for i, r := range outage {
		f.intake(f.mail(r.from, r.subject, r.text))
		if i == 4 {
			if tk := f.ticket(1); tk.Incident != 0 {
				t.Fatalf("declared at %d reporters, below the bar of 6", i+1)
			}
		}
	}
	declared := 0
	for n := int64(1); n <= 6; n++ {
		if f.ticket(n).Incident != 0 {
			declared++
		}
	}
	if declared != 6 {
		t.Errorf("linked = %d, want 6 after the sixth reporter", declared)
	}
}

func TestIncidentCommandErrorsApplyNothing(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:00"))
	f.intake(f.mail("a@school.test", "直播课进不去", "进不去"))
	f.intake(f.mail("b@other.test", "直播课打不开", "打不开"))
	f.drain()
	for _, cmd := range []string{"#incident 2", "#incident 99", "#incident off", "#incident\n#priority P9"} {
		ns := f.staffCommand(1, cmd)
		if len(ns) != 1 || ns[0].Kind != tickets.NoticeReceipt || !strings.Contains(saysText(ns[0]), "receipt_nothing_applied") {
			t.Errorf("%q: notices %s %v, want one receipt saying nothing was applied", cmd, kinds(ns), ns)
		}
		if tk := f.ticket(1); tk.Incident != 0 || tk.Priority == tickets.P0 && cmd == "#incident\n#priority P9" {
			t.Errorf("%q changed #1: incident %d", cmd, tk.Incident)
		}
	}
	// By hand: #2 declared alone, #1 linked to it.
	f.staffCommand(2, "#incident")
	ns := f.staffCommand(1, "#incident 2")
	if f.ticket(1).Incident != 2 || countKind(ns, tickets.NoticeIncidentDeclared) != 1 {
		t.Errorf("#1 after #incident 2: incident %d, notices %s", f.ticket(1).Incident, kinds(ns))
	}
	// Ending the incident unlinks every member and tells nobody.
	ns = f.staffCommand(2, "#incident off")
	if f.ticket(1).Incident != 0 || f.ticket(2).Incident != 0 || len(ns) != 0 { // not even a receipt: desk.staff_receipts is off
		t.Errorf("after #incident off on the lead: #1 %d, #2 %d, notices %s", f.ticket(1).Incident, f.ticket(2).Incident, kinds(ns))
	}
}

// TestOneMailPerPerson: a teacher who sent three reports of the outage
// hears once when it is declared and once when it is resolved, and her
// three tickets are all linked and resolved.
func TestOneMailPerPerson(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:05"))
	for i := range 3 {
		f.intake(f.mail("chen@huayuan.edu.cn", "直播课进不去", fmt.Sprintf("第%d次：直播课进不去，学生都在等。", i+1)))
	}
	for _, r := range outage[:5] {
		f.intake(f.mail(r.from, r.subject, r.text))
	}
	var lead int64
	for _, nt := range f.drain() {
		if nt.Kind == tickets.NoticeIncidentCandidate {
			lead = nt.Ticket
		}
	}
	if lead == 0 {
		t.Fatal("no candidate")
	}
	count := func(ns []*tickets.Notice) int {
		n := 0
		for _, nt := range ns {
			if nt.To.Email == "chen@huayuan.edu.cn" && nt.Kind != tickets.NoticeProgress {
				n++
			}
		}
		return n
	}
	if got := count(f.staffCommand(lead, "#incident")); got != 1 {
		t.Errorf("chen told %d times at declaration, want 1", got)
	}
	want := 1
	if f.ticket(lead).Requester.Email == "chen@huayuan.edu.cn" {
		want = 0 // the lead's progress mail tells her (not counted here)
	}
	if got := count(f.staffCommand(lead, "#resolve\n\n已修复。")); got != want {
		t.Errorf("chen told %d times at resolution, want %d", got, want)
	}
	for n := int64(1); n <= 3; n++ {
		if tk := f.ticket(n); tk.Status != tickets.StatusResolved {
			t.Errorf("chen's #%d: %s, want resolved", n, tk.Status)
		}
	}
}

// TestIncidentAfterCloseInOneReply: "#close" then "#incident" is refused
// whole (an incident needs an open lead), with a receipt, not a failure.
func TestIncidentAfterCloseInOneReply(t *testing.T) {
	f := newFixture(t, at("2026-11-23 09:00"))
	f.intake(f.mail("a@school.test", "直播课进不去", "进不去"))
	f.drain()
	ns := f.staffCommand(1, "#close\n#incident")
	if len(ns) != 1 || ns[0].Kind != tickets.NoticeReceipt || !strings.Contains(saysText(ns[0]), "receipt_nothing_applied") {
		t.Errorf("notices %s %v, want one receipt saying nothing was applied", kinds(ns), ns)
	}
	if tk := f.ticket(1); tk.Status != tickets.StatusNew || tk.Incident != 0 {
		t.Errorf("#1: status %s, incident %d; want new and none", tk.Status, tk.Incident)
	}
}
