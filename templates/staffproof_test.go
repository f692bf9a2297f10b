package templates

import (
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// TestStaffMailShowsParticipantsAndWhyATokenWasRevoked: staff mail lists
// the participants with who added them, and the fresh notification after a
// revoked token says why in the reader's language.
func TestStaffMailShowsParticipantsAndWhyATokenWasRevoked(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	v := &Viewer{Set: s}
	tk := &tickets.Ticket{Number: 7, Subject: "直播卡顿", Requester: tickets.Address{Email: "a@school.test"}, Status: tickets.StatusNew, Created: time.Now(),
		Participants: []tickets.Address{{Name: "王老师", Email: "w@school.test"}}, AddedBy: map[string]string{"w@school.test": "li@desk.test"}}
	cases := []struct {
		lang, kind, reason, text string
		want                     []string
	}{
		{"zh-CN", "staff_new", "", "", []string{"参与人：王老师 <w@school.test>（由 li@desk.test 添加）", "#抄送"}},
		{"en", "staff_reply", "", "", []string{"Participant: 王老师 <w@school.test> (added by li@desk.test)", "#cc +"}},
		{"zh-CN", "staff_renewed", tickets.ExposedReplyAll, "a@school.test", []string{"非员工地址 a@school.test", "请直接回复本邮件"}},
		{"zh-CN", "staff_renewed", tickets.ExposedForward, "li@desk.test: Fwd: x", []string{"转发了该通知的副本（li@desk.test: Fwd: x）"}},
		{"en", "staff_renewed", tickets.ExposedReplyAll, "a@school.test", []string{"also went to a@school.test", "Reply to THIS mail"}},
		{"en", "staff_renewed", tickets.ExposedForward, "li@desk.test: Fwd: x", []string{"forwarded copy", "(li@desk.test: Fwd: x)"}},
	}
	for _, c := range cases {
		tv := v.Ticket(tk, c.lang)
		_, text, _, err := s.Mail(c.kind, c.lang, &MailData{Lang: c.lang, T: &tv, Text: c.text, Reason: c.reason})
		if err != nil {
			t.Fatalf("%s/%s: %v", c.lang, c.kind, err)
		}
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s/%s %s: text lacks %q:\n%s", c.lang, c.kind, c.reason, w, text)
			}
		}
	}
}
