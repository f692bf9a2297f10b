package tickets_test

import (
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// TestReplyToResolvedTicket: thanks and confirmations never page anyone or
// tell the customer "技术人员正在处理"; a complaint reopens as before; an
// unclear reply is recorded and staff are told, the status stays.
func TestReplyToResolvedTicket(t *testing.T) {
	tests := []struct {
		name       string
		from       tickets.Status // resolved or closed before the reply
		text       string
		wantStatus tickets.Status
		wantMail   string // kinds(drained notices)
	}{
		{"thanks and works closes", tickets.StatusResolved, "好的，谢谢！现在正常了。", tickets.StatusClosed, ""},
		{"works now closes", tickets.StatusResolved, "Works now, thanks!", tickets.StatusClosed, ""},
		{"thanks keeps it resolved", tickets.StatusResolved, "谢谢！", tickets.StatusResolved, ""},
		{"thanks on a closed ticket", tickets.StatusClosed, "Thank you for your help.", tickets.StatusClosed, ""},
		{"confirmed on a closed ticket", tickets.StatusClosed, "没问题了", tickets.StatusClosed, ""},
		{"still broken reopens", tickets.StatusResolved, "还是不行，学生还是进不去", tickets.StatusInProgress, "progress:a@school.test,staff_reply:li@desk.test"},
		{"again reopens a closed ticket", tickets.StatusClosed, "It happened again this morning.", tickets.StatusInProgress, "progress:a@school.test,staff_reply:li@desk.test"},
		{"unclear tells staff only", tickets.StatusResolved, "好的", tickets.StatusResolved, "staff_reply:li@desk.test"},
		{"thanks with a new question tells staff", tickets.StatusResolved, "好了，谢谢！另外想问下成绩怎么导出？", tickets.StatusResolved, "staff_reply:li@desk.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, at("2026-11-23 10:00"))
			o := f.intake(f.mail("a@school.test", "登录失败", "登录不上"))
			staffReplyStatus(t, f, o.Ticket, "resolve")
			if tt.from == tickets.StatusClosed {
				staffReplyStatus(t, f, o.Ticket, "close")
			}
			f.drain()
			f.clock.Add(30 * time.Minute)
			m := f.reply("a@school.test", o.Ticket, tt.text)
			m.NewText = tt.text
			if got := f.intake(m); got.Action != tickets.ActionAppended || got.Ticket != o.Ticket {
				t.Fatalf("intake = %+v, want appended to #%d", got, o.Ticket)
			}
			tk := f.ticket(o.Ticket)
			if tk.Status != tt.wantStatus {
				t.Errorf("status = %s, want %s", tk.Status, tt.wantStatus)
			}
			if got := kinds(f.drain()); got != tt.wantMail {
				t.Errorf("notices = %q, want %q", got, tt.wantMail)
			}
			var reply *tickets.Event
			for i := range tk.Events {
				if tk.Events[i].Kind == tickets.EventCustomerReply {
					reply = &tk.Events[i]
				}
			}
			if reply == nil || reply.Text != tt.text || !reply.Public {
				t.Errorf("timeline has no public customer reply %q: %+v", tt.text, tk.Events)
			}
			if tt.wantStatus == tickets.StatusClosed && tt.from == tickets.StatusResolved {
				last := tk.Events[len(tk.Events)-1]
				if last.Kind != tickets.EventStatus || last.Status != tickets.StatusClosed || last.Actor != "a@school.test" {
					t.Errorf("last event = %+v, want closed by the customer", last)
				}
			}
		})
	}
}

// TestNaturalStatusQuery: "请问进度" and the like are answered with the
// sender's tickets and open nothing; a fault report that also asks
// "怎么样了" is still a report.
func TestNaturalStatusQuery(t *testing.T) {
	tests := []struct {
		name, subject, text string
		wantAction          tickets.Action
	}{
		{"subject 请问进度", "请问进度", "您好，想问一下我上周提交的问题", tickets.ActionQuery},
		{"处理到哪了", "登录的问题", "请问现在处理到哪了？", tickets.ActionQuery},
		{"any update", "Any update?", "Hi, just checking in. Thanks", tickets.ActionQuery},
		{"a report that also asks", "直播又卡了", "上次的问题处理得怎么样了？今天又卡了，学生听不清", tickets.ActionCreated},
		{"a how-to about 进度", "学习进度", "请问怎么查看学生的学习进度", tickets.ActionCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, at("2026-11-23 10:00"))
			first := f.intake(f.mail("a@school.test", "视频卡顿", "上课时视频很卡"))
			f.drain()
			m := f.mail("a@school.test", tt.subject, tt.text)
			m.Cc = []tickets.Address{{Email: "b@school.test"}}
			o := f.intake(m)
			if o.Action != tt.wantAction {
				t.Fatalf("intake = %+v, want %s", o, tt.wantAction)
			}
			if tt.wantAction != tickets.ActionQuery {
				return
			}
			ns := f.drain()
			if k := kinds(ns); k != "status_list:a@school.test" {
				t.Fatalf("notices = %q, want one status list to the From address", k)
			}
			if len(ns[0].Tickets) != 1 || ns[0].Tickets[0] != first.Ticket {
				t.Errorf("status list tickets = %v, want [%d]", ns[0].Tickets, first.Ticket)
			}
		})
	}
}
