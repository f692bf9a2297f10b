package templates

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func TestEveryKindRendersInEveryLanguage(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &Viewer{Set: s}
	tk := &tickets.Ticket{Number: 7, Subject: "直播卡顿 <b>", Requester: tickets.Address{Name: "张老师", Email: "a@school.test"},
		Status: tickets.StatusResolved, Priority: tickets.P1, Created: time.Now(), Updated: time.Now()}
	kinds := []tickets.NoticeKind{tickets.NoticeConfirmation, tickets.NoticeProgress, tickets.NoticeStaffNew, tickets.NoticeStaffReply,
		tickets.NoticeReceipt, tickets.NoticeStaffAlert, tickets.NoticeStatusList, tickets.NoticeReminder, tickets.NoticeStaffRenewed,
		tickets.NoticeIncidentCandidate, tickets.NoticeIncidentDeclared, tickets.NoticeIncidentUpdate, tickets.NoticeSummary}
	for _, lang := range Languages {
		for _, k := range kinds {
			tv := v.Ticket(tk, lang)
			d := &MailData{Desk: Desk{Name: "Desk"}, Lang: lang, T: &tv, Track: "http://x/t/7-abc", CloseURL: "http://x/a/close/7", ReopenURL: "http://x/a/reopen/7",
				Text: "hello", Lines: []string{"line"}, Tickets: []TicketView{tv}}
			subject, text, html, err := s.Mail(string(k), lang, d)
			if err != nil {
				t.Errorf("%s/%s: %v", lang, k, err)
				continue
			}
			if subject == "" || strings.ContainsAny(subject, "\r\n") || text == "" {
				t.Errorf("%s/%s: subject %q, text %q", lang, k, subject, text)
			}
			if strings.Contains(text, "<no value>") || strings.Contains(html, "<no value>") {
				t.Errorf("%s/%s renders a missing field:\n%s", lang, k, text)
			}
			if html != "" && strings.Contains(html, "<b>") {
				t.Errorf("%s/%s: HTML not escaped:\n%s", lang, k, html)
			}
		}
		var b bytes.Buffer
		if err := s.Page(&b, "ticket", lang, PageData{Lang: lang, T: v.Ticket(tk, lang), Events: v.Events(tk, lang, false)}); err != nil || !strings.Contains(b.String(), "直播卡顿 &lt;b&gt;") {
			t.Errorf("%s page: %v", lang, err)
		}
	}
}

func TestLanguagesHaveTheSameWords(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Languages {
		for _, b := range Languages {
			for k := range s.words[a] {
				if _, ok := s.words[b][k]; !ok {
					t.Errorf("%s has %q, %s does not", a, k, b)
				}
			}
		}
	}
	for _, st := range tickets.Statuses {
		if s.Word("en", "status."+string(st)+".meaning") == "status."+string(st)+".meaning" {
			t.Errorf("no meaning for status %s", st)
		}
	}
}

func TestOneLine(t *testing.T) {
	if got := OneLine("a\r\nBcc: x\u2028y\tz", 100); got != "a Bcc: x y z" {
		t.Errorf("OneLine = %q", got)
	}
	if got := OneLine(strings.Repeat("长", 300), 10); len([]rune(got)) != 10 {
		t.Errorf("OneLine cap = %d runes", len([]rune(got)))
	}
}

func TestAlertWithoutTicket(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		subject, text, _, err := s.Mail("staff_alert", lang, &MailData{Desk: Desk{Name: "Desk"}, Text: "cap tripped"})
		if err != nil || subject == "" || !strings.Contains(text, "cap tripped") {
			t.Errorf("%s: %q %q %v", lang, subject, text, err)
		}
		// A status list is about no single ticket, in text and HTML.
		_, text, html, err := s.Mail("status_list", lang, &MailData{Desk: Desk{Name: "Desk"}, Tickets: []TicketView{{Number: 3, Subject: "s", Track: "http://x/t/3-a"}}})
		if err != nil || !strings.Contains(text, "#3 s") || !strings.Contains(html, "#3 s") {
			t.Errorf("%s status list: %v\n%s\n%s", lang, err, text, html)
		}
	}
}

// TestArticlesInHTMLMail: suggested articles are real links in the HTML
// alternative of a confirmation, escaped like every customer value.
func TestArticlesInHTMLMail(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &Viewer{Set: s}
	tk := &tickets.Ticket{Number: 3, Subject: "摄像头打不开", Status: tickets.StatusNew, Requester: tickets.Address{Email: "a@school.test"}}
	tv := v.Ticket(tk, "zh-CN")
	d := &MailData{Lang: "zh-CN", T: &tv, Track: "https://x/t/3-a",
		Articles: []ArticleView{{Title: "摄像头<b>打不开</b>", Summary: "允许权限", URL: "https://x/kb/camera-mic?t=3-b"}}}
	_, text, html, err := s.Mail("confirmation", "zh-CN", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, `href="https://x/kb/camera-mic?t=3-b"`) || !strings.Contains(html, "摄像头&lt;b&gt;打不开&lt;/b&gt;") {
		t.Errorf("HTML lacks the article link or does not escape its title:\n%s", html)
	}
	if !strings.Contains(text, "https://x/kb/camera-mic?t=3-b") {
		t.Errorf("text alternative lacks the article link:\n%s", text)
	}
}
