package templates

import (
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// promiseViewer returns a viewer on the default policy with the 2026
// National Day break (1-7 October) as holidays, its clock at now.
func promiseViewer(t *testing.T, now time.Time) *Viewer {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	p := tickets.DefaultPolicy()
	p.Hours = hours.Default()
	for d := 1; d <= 7; d++ {
		p.Hours.Holidays[time.Date(2026, 10, d, 0, 0, 0, 0, time.UTC).Format(hours.DateLayout)] = true
	}
	return &Viewer{Set: s, Loc: p.Hours.Loc, Policy: p, Now: func() time.Time { return now }}
}

// TestConfirmationPromises renders the confirmation of reports opened at
// the awkward moments and checks what a parent reads.
func TestConfirmationPromises(t *testing.T) {
	sh := hours.Default().Loc
	tests := []struct {
		name     string
		lang     string
		opened   time.Time
		prio     tickets.Priority
		category string
		want     []string
		not      []string
	}{
		{"P2 on Friday 17:00", "zh-CN", time.Date(2026, 12, 4, 17, 0, 0, 0, sh), tickets.P2, "feature",
			[]string{"在 12月7日（周一）17:00 前，即 1 个工作日内给出首次答复", "通常处理时长：4 小时至 1 个工作日", "工作时间：周一至周五 09:00-17:30（北京时间）。"},
			[]string{"目标是在", "2026-12", "节假日", "h0m", "24h"}},
		{"P2 on Saturday", "zh-CN", time.Date(2026, 12, 5, 10, 0, 0, 0, sh), tickets.P2, "other",
			[]string{"12月7日（周一）17:30 前，即 1 个工作日内", "工作时间以外收到的，我们将于 12月7日（周一）09:00 开始处理"}, nil},
		{"P2 the day before the holiday week", "zh-CN", time.Date(2026, 9, 30, 15, 0, 0, 0, sh), tickets.P2, "feature",
			[]string{"10月8日（周四）15:00 前，即 1 个工作日内", "请注意：10月1日至10月7日 为节假日"}, nil},
		{"P1 audio: the resolution agrees with 2-8 hours", "zh-CN", time.Date(2026, 12, 4, 17, 0, 0, 0, sh), tickets.P1, "av",
			[]string{"12月7日（周一）10:30 前，即 2 小时工作时间内", "我们的目标是在 12月7日（周一）16:30 前，即 8 小时工作时间内解决", "通常处理时长：2 小时至 8 小时"}, nil},
		{"P0 at night runs around the clock", "zh-CN", time.Date(2026, 12, 5, 23, 0, 0, 0, sh), tickets.P0, "outage",
			[]string{"12月5日（周六）23:30 前，即 30 分钟内", "紧急（P0）问题全天 24 小时处理", "12月6日（周日）03:00 前，即 4 小时内解决"}, []string{"工作时间以外"}},
		{"en names the zone", "en", time.Date(2026, 12, 4, 17, 0, 0, 0, sh), tickets.P2, "feature",
			[]string{"answer by Mon 7 Dec 17:00 (Beijing time, UTC+8), within 1 working day", "usually resolved in 4 hours to 1 working day", "Working hours: Mon-Fri 09:00-17:30 (Beijing time, UTC+8)."},
			[]string{"We aim to resolve"}},
		{"en before the holiday week", "en", time.Date(2026, 9, 30, 15, 0, 0, 0, sh), tickets.P2, "feature",
			[]string{"Thu 8 Oct 15:00 (Beijing time, UTC+8), within 1 working day", "closed on 1 Oct-7 Oct"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := promiseViewer(t, tt.opened)
			tk := &tickets.Ticket{Number: 3, Subject: "s", Status: tickets.StatusNew, Priority: tt.prio, Category: tt.category, Created: tt.opened, Updated: tt.opened}
			tk.ResponseDue, tk.ResolveDue = v.Policy.DueTimes(tt.prio, tt.opened)
			tv := v.Ticket(tk, tt.lang)
			d := &MailData{Desk: Desk{Name: "Desk"}, Lang: tt.lang, T: &tv, Track: "http://x/t/3"}
			if ws := v.Policy.WorkStarts(tt.prio, tt.opened); ws.Sub(tt.opened) > time.Minute {
				d.AfterHours = v.When(ws, tt.lang)
			}
			_, text, _, err := v.Set.Mail("confirmation", tt.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("confirmation lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(text, w) {
					t.Errorf("confirmation says %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestDurationWords(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"zh-CN", 15 * time.Minute, "15 分钟"},
		{"zh-CN", 2 * time.Hour, "2 小时"},
		{"zh-CN", 150 * time.Minute, "2 小时 30 分钟"},
		{"zh-CN", 26 * time.Hour, "1 天 2 小时"},
		{"en", 15 * time.Minute, "15 minutes"},
		{"en", time.Hour, "1 hour"},
		{"en", 49 * time.Hour, "2 days 1 hour"},
		{"en", 10 * time.Second, "1 minute"},
	}
	for _, tt := range tests {
		if got := s.Duration(tt.lang, tt.d); got != tt.want {
			t.Errorf("Duration(%s, %v) = %q, want %q", tt.lang, tt.d, got, tt.want)
		}
	}
}

// TestStatusAnswer: the answer to "查询进度" says, per open ticket, the
// status and what it means, the question the desk waits on (or the last
// answer), the expected time and the link.
func TestStatusAnswer(t *testing.T) {
	sh := hours.Default().Loc
	opened := time.Date(2026, 12, 2, 10, 0, 0, 0, sh)
	v := promiseViewer(t, opened.Add(3*time.Hour))
	reply := tickets.Event{At: opened.Add(time.Hour), Kind: tickets.EventStaffReply, Public: true, Name: "李工",
		Text: "王老师您好，已经看到了。请问您用的是哪个浏览器？能否截个图发给我们？\n谢谢"}
	waiting := &tickets.Ticket{Number: 3, Subject: "成绩不显示", Status: tickets.StatusWaiting, Priority: tickets.P2, Category: "feature", Created: opened,
		Events: []tickets.Event{{At: opened, Kind: tickets.EventCreated, Public: true}, reply}}
	working := &tickets.Ticket{Number: 4, Subject: "视频卡顿", Status: tickets.StatusInProgress, Priority: tickets.P1, Category: "av", Created: opened,
		FirstResponse: opened.Add(time.Hour), Events: []tickets.Event{{At: opened, Kind: tickets.EventCreated, Public: true},
			{At: opened.Add(time.Hour), Kind: tickets.EventStaffReply, Public: true, Name: "王工", Text: "我们正在排查直播服务器，预计今天下午修复。"},
			{At: opened.Add(2 * time.Hour), Kind: tickets.EventNote, Text: "内部：服务器 cpu 100%"}}}
	fresh := &tickets.Ticket{Number: 5, Subject: "登录不了", Status: tickets.StatusNew, Priority: tickets.P2, Category: "account", Created: opened}
	for _, tk := range []*tickets.Ticket{waiting, working, fresh} {
		tk.ResponseDue, tk.ResolveDue = v.Policy.DueTimes(tk.Priority, opened)
	}
	tests := []struct {
		lang string
		want []string
		not  []string
	}{
		{"zh-CN", []string{
			"#3 成绩不显示\n  状态：待反馈。我们在等您的回复",
			"需要您回复：请问您用的是哪个浏览器？ 能否截个图发给我们？",
			"处理时限：在您回复之前暂停计算。",
			"#4 视频卡顿\n  状态：处理中。技术人员正在处理",
			"最近答复（12月2日（周三）11:00 王工）：我们正在排查直播服务器，预计今天下午修复。",
			"预计解决：12月3日（周四）09:30 前，即 8 小时工作时间内",
			"#5 登录不了\n  状态：待处理。",
			"预计首次答复：12月3日（周四）10:00 前，即 1 个工作日内",
			"此类问题通常处理时长：30 分钟至 2 小时",
			"查看详情：http://x/t/5",
			"工作时间：周一至周五 09:00-17:30（北京时间）。",
		}, []string{"cpu", "请直接回复本邮件"}},
		{"en", []string{
			"We need your answer: 请问您用的是哪个浏览器？",
			"Latest answer (Wed 2 Dec 11:00 (Beijing time, UTC+8), 王工)",
			"First answer expected: by Thu 3 Dec 10:00 (Beijing time, UTC+8), within 1 working day",
		}, []string{"cpu"}},
	}
	for _, tt := range tests {
		var list []TicketView
		for _, tk := range []*tickets.Ticket{waiting, working, fresh} {
			tv := v.Ticket(tk, tt.lang)
			tv.Track = "http://x/t/" + string(rune('0'+tk.Number))
			list = append(list, tv)
		}
		_, text, _, err := v.Set.Mail("status_list", tt.lang, &MailData{Desk: Desk{Name: "Desk"}, Lang: tt.lang, Tickets: list})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s status answer lacks %q:\n%s", tt.lang, w, text)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(text, w) {
				t.Errorf("%s status answer says %q:\n%s", tt.lang, w, text)
			}
		}
	}
}
