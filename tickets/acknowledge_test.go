package tickets_test

import (
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets"
)

// publicSteps lists a ticket's public timeline as the customer sees it:
// the kind, and the status for status events.
func publicSteps(tk *tickets.Ticket) string {
	var s []string
	for _, e := range tk.PublicEvents() {
		if e.Kind == tickets.EventStatus {
			s = append(s, string(e.Status))
			continue
		}
		s = append(s, string(e.Kind))
	}
	return strings.Join(s, " ")
}

// staffMail is a verified staff reply from li@desk.test on ticket n.
func staffMail(f *fixture, n int64, text string) *tickets.Message {
	return f.verifiedStaffMail(n, text)
}

// TestAcknowledgedComesFirst: the first staff action that takes a ticket
// records 已确认 before 处理中.
func TestAcknowledgedComesFirst(t *testing.T) {
	tests := []struct {
		name  string
		mails []string // staff mails in order
		want  string   // the customer's timeline
		mail  string   // the status the customer's last mail announces
	}{
		{"first public reply", []string{"您好，我们正在排查。"}, "created acknowledged in_progress staff_reply", "in_progress"},
		{"#take alone", []string{"#take"}, "created acknowledged", "acknowledged"},
		{"#assign alone", []string{"#assign 李工"}, "created acknowledged", "acknowledged"},
		{"#take with a reply", []string{"#take\n您好，收到，马上看。"}, "created acknowledged in_progress staff_reply", "in_progress"},
		{"#take then a reply", []string{"#take", "请稍等，正在处理。"}, "created acknowledged in_progress staff_reply", "in_progress"},
		{"#escalate from new", []string{"#escalate 数据库锁表，叫老周看"}, "created acknowledged in_progress escalated", "in_progress"},
		{"a second #take does not acknowledge again", []string{"#take", "好的", "#assign 李工"}, "created acknowledged in_progress staff_reply", "in_progress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, at("2026-12-02 10:00"))
			o := f.intake(f.mail("a@school.test", "成绩导出报错", "导出成绩的时候提示错误"))
			f.drain()
			var last *tickets.Notice
			for _, text := range tt.mails {
				if got := f.intake(staffMail(f, o.Ticket, text)); got.Action != tickets.ActionStaff {
					t.Fatalf("staff mail %q = %+v", text, got)
				}
				for _, n := range f.drain() {
					if n.Kind == tickets.NoticeProgress {
						last = n
					}
				}
			}
			tk := f.ticket(o.Ticket)
			if got := publicSteps(tk); got != tt.want {
				t.Errorf("timeline = %q, want %q", got, tt.want)
			}
			if last == nil {
				t.Fatalf("the customer got no mail")
			}
			if got := string(last.Status); got != tt.mail {
				t.Errorf("last customer mail announces %q, want %q", got, tt.mail)
			}
		})
	}
}

// TestEscalateKeepsStaffWordsInternal: the customer sees the escalation,
// never the words after #escalate; a reply body is still sent.
func TestEscalateKeepsStaffWordsInternal(t *testing.T) {
	f := newFixture(t, at("2026-12-02 10:00"))
	o := f.intake(f.mail("a@school.test", "直播卡顿", "学生说一直卡"))
	f.drain()
	f.intake(staffMail(f, o.Ticket, "#escalate 怀疑是 CDN 节点挂了，张三负责的那台\n您好，问题已转技术团队处理，请稍候。"))
	tk := f.ticket(o.Ticket)
	for _, e := range tk.PublicEvents() {
		if strings.Contains(e.Text, "CDN") {
			t.Errorf("public event %s shows the internal words: %q", e.Kind, e.Text)
		}
	}
	internal := false
	for _, e := range tk.Events {
		if !e.Public && strings.Contains(e.Text, "CDN") {
			internal = true
		}
	}
	if !internal {
		t.Error("the staff member's words were not kept as an internal note")
	}
	for _, n := range f.drain() {
		if n.Kind == tickets.NoticeProgress && strings.Contains(n.Text, "CDN") {
			t.Errorf("customer mail carries the internal words: %q", n.Text)
		}
		if n.Kind == tickets.NoticeProgress && !strings.Contains(n.Text, "已转技术团队处理") {
			t.Errorf("customer mail lost the reply: %q", n.Text)
		}
	}
}
