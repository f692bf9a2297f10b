package templates

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func TestDigestRenders(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	loc := time.FixedZone("CST", 8*3600)
	v := &Viewer{Set: s, Loc: loc, Category: tickets.DefaultPolicy().CategoryInfo}
	from := time.Date(2026, 11, 22, 8, 30, 0, 0, loc)
	d := &tickets.Digest{From: from, To: from.Add(24 * time.Hour), New: 4, Done: 3, Open: 3,
		OpenByStatus:   []tickets.StatusCount{{Status: tickets.StatusNew, Count: 1}, {Status: tickets.StatusWaiting, Count: 2}},
		OpenByPriority: [4]int{0, 2, 1, 0},
		Breached:       []tickets.DigestTicket{{Number: 1, Subject: "学生账号无法登录", Priority: tickets.P1, Status: tickets.StatusNew, Due: from.Add(150 * time.Minute)}},
		BreachedTotal:  1,
		Overdue:        []tickets.DigestTicket{{Number: 4, Subject: "直播卡顿严重", Priority: tickets.P1, Status: tickets.StatusInProgress, Assignee: "li@desk.test", Due: from.Add(23 * time.Hour)}},
		OverdueTotal:   30,
		Categories:     []tickets.CategoryCount{{Category: "account", New: 3, Open: 1}},
		Repeated:       []tickets.SubjectGroup{{Subject: "学生账号无法登录", Count: 3, Tickets: []int64{1, 2, 3}, Category: "account"}},
		Durations: []tickets.CategoryDurations{{Category: "account", Answered: 2, MedianResponse: time.Hour, Finished: 2,
			MedianResolve: 3*time.Hour + 20*time.Minute, Typical: "30m-2h", Verdict: tickets.VerdictSlower}},
	}
	track := func(n int64) string { return fmt.Sprintf("http://desk.test/t/%d-mac", n) }
	wants := map[string][]string{
		"zh-CN": {"每日汇总", "新增 4", "2026-11-22 08:30 至 2026-11-23 08:30", "[#1] P1 待处理，应于 2026-11-22 11:00", "http://desk.test/t/1-mac",
			"负责人 li@desk.test", "另有 29 个", "账号/权限：3 个", "3 次：学生账号无法登录（账号/权限） #1 #2 #3", "解决 3小时20分（2 个）；通常 30m-2h，慢于通常"},
		"en": {"Daily digest", "4 new", "[#4] P1 In progress, due 2026-11-23 07:30, assignee li@desk.test", "and 29 more",
			"3x: 学生账号无法登录 (Account / permission) #1 #2 #3", "resolution 3h20m (2); typical 30m-2h, slower than typical"},
	}
	for lang, want := range wants {
		subject, text, html, err := s.Mail(string(tickets.NoticeDigest), lang, &MailData{Desk: Desk{Name: "Desk"}, Lang: lang, Digest: v.Digest(d, lang, track)})
		if err != nil {
			t.Fatal(err)
		}
		all := subject + "\n" + text
		t.Logf("%s:\n%s", lang, all)
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("%s digest lacks %q", lang, w)
			}
		}
		if strings.Contains(all, "<no value>") || html != "" {
			t.Errorf("%s: missing value or unexpected HTML part", lang)
		}
	}
}

func TestAbout(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		d      time.Duration
		zh, en string
	}{
		{12 * time.Minute, "约 15 分钟", "about 15 minutes"},
		{58 * time.Minute, "约 1 小时", "about an hour"},
		{80 * time.Minute, "约 1 小时", "about an hour"},
		{2*time.Hour + 40*time.Minute, "约 3 小时", "about 3 hours"},
		{60 * time.Hour, "约 3 天", "about 3 days"},
	}
	for _, tt := range tests {
		if got := s.About("zh-CN", tt.d); got != tt.zh {
			t.Errorf("About(zh-CN, %s) = %q, want %q", tt.d, got, tt.zh)
		}
		if got := s.About("en", tt.d); got != tt.en {
			t.Errorf("About(en, %s) = %q, want %q", tt.d, got, tt.en)
		}
	}
}
