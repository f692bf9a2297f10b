package templates

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// benchTicket is an open ticket with a short timeline.
func benchTicket() *tickets.Ticket {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	text := strings.Repeat("直播课卡顿，学生端画面延迟严重。", 12)
	return &tickets.Ticket{Number: 123456, Subject: "直播课卡顿，学生端画面延迟严重（三年级二班）",
		Requester: tickets.Address{Name: "张老师", Email: "zhang@qq.test"}, Status: tickets.StatusInProgress, Priority: tickets.P1,
		Category: "av", Lang: "zh-CN", Created: at, Updated: at.Add(time.Hour), ResponseDue: at.Add(2 * time.Hour), ResolveDue: at.Add(8 * time.Hour),
		FirstResponse: at.Add(time.Hour), Messages: 2,
		Events: []tickets.Event{
			{At: at, Kind: tickets.EventCreated, Actor: "zhang@qq.test", Name: "张老师", Public: true, Text: text, Status: tickets.StatusNew},
			{At: at.Add(time.Hour), Kind: tickets.EventStatus, Actor: "li@desk.test", Name: "李工", Public: true, Status: tickets.StatusInProgress},
			{At: at.Add(time.Hour), Kind: tickets.EventStaffReply, Actor: "li@desk.test", Name: "李工", Public: true, Text: text},
			{At: at.Add(time.Hour), Kind: tickets.EventNote, Actor: "li@desk.test", Name: "李工", Text: "internal"},
		}}
}

// BenchmarkMailConfirmation renders the confirmation (subject, text and
// HTML), as the sender does for every new ticket.
func BenchmarkMailConfirmation(b *testing.B) {
	set, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	v := &Viewer{Set: set}
	t := benchTicket()
	for _, lang := range []string{"zh-CN", "en"} {
		b.Run(lang, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tv := v.Ticket(t, lang)
				d := &MailData{Desk: Desk{Name: "技术支持", Address: "support@desk.test"}, Lang: lang, T: &tv,
					Track: "http://desk.test/t/123456-abcdefghijklmnopqrstu", CloseURL: "http://desk.test/a/close/x", ReopenURL: "http://desk.test/a/reopen/x"}
				subject, text, html, err := set.Mail("confirmation", lang, d)
				if err != nil || subject == "" || text == "" || html == "" {
					b.Fatalf("Mail = %q, %d bytes, %d bytes, %v", subject, len(text), len(html), err)
				}
			}
		})
	}
}

// BenchmarkPageTicket renders the tracking page body.
func BenchmarkPageTicket(b *testing.B) {
	set, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	v := &Viewer{Set: set}
	t := benchTicket()
	b.ReportAllocs()
	for b.Loop() {
		d := PageData{Lang: "zh-CN", Desk: Desk{Name: "技术支持"}, T: v.Ticket(t, "zh-CN"), Events: v.Events(t, "zh-CN", false),
			CloseURL: "/a/close/x", ReopenURL: "/a/reopen/x"}
		if err := set.Page(io.Discard, "ticket", "zh-CN", d); err != nil {
			b.Fatal(err)
		}
	}
}
