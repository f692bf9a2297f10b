package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// TestEverySayHasWords: every code the tickets package says (say("…"),
// sayErr("…")) has words in every language, so no staff mail falls back
// to a code.
func TestEverySayHasWords(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../tickets/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("tickets sources: %v (%d files)", err, len(files))
	}
	codeRE := regexp.MustCompile(`\bsay(?:Err)?\("([a-z_]+)"`)
	codes := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeRE.FindAllStringSubmatch(string(src), -1) {
			codes[m[1]] = true
		}
	}
	if len(codes) < 25 {
		t.Fatalf("found %d codes in tickets, want at least 25", len(codes))
	}
	for _, lang := range Languages {
		for code := range codes {
			if _, ok := s.words[lang]["say."+code]; !ok {
				t.Errorf("%s has no words for say.%s", lang, code)
			}
		}
	}
}

// TestSayRendersInWords renders staff sentences in both languages: the
// arguments filled in, durations in words, statuses as labels, no Go
// syntax and no formatting errors.
func TestSayRendersInWords(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, sh)
	v := &Viewer{Set: s, Loc: sh, Now: func() time.Time { return now }, Category: func(name, lang string) (string, string) {
		if lang == "en" {
			return "Audio / video", ""
		}
		return "音视频", ""
	}}
	tests := []struct {
		say        tickets.Say
		zh, en     string
		notZh, not string
	}{
		{tickets.Say{Code: "alert_incident", Args: []tickets.Arg{tickets.Num(5), tickets.Cat("av"), tickets.Dur(15 * time.Minute), tickets.Num(12)}},
			"平台级故障：15 分钟内收到 5 份以上「音视频」类报告。主工单 #12", "5 or more \"Audio / video\" reports within 15 minutes. Lead ticket #12", "15m0s", "15m0s"},
		{tickets.Say{Code: "receipt_reply_sent", Args: []tickets.Arg{tickets.Num(1)}}, "回复已发送给用户（1 位收件人）", "Reply sent to the customer (recipients: 1)", "recipient(s)", "recipient(s)"},
		{tickets.Say{Code: "receipt_assigned", Args: []tickets.Arg{tickets.Str("李工"), tickets.Str("li@desk.test")}}, "已指派给 李工 <li@desk.test>", "Assigned to 李工 <li@desk.test>", "assigned to", ""},
		{tickets.Say{Code: "receipt_status", Args: []tickets.Arg{tickets.Word("status.resolved")}}, "状态已改为「已解决」", "Status set to Resolved", "resolved", ""},
		{tickets.Say{Code: "alert_reopened"}, "用户反馈问题仍然存在，工单已重新打开。", "still there", "still broken", ""},
		{tickets.Say{Code: "alert_warn", Args: []tickets.Arg{tickets.Num(80), tickets.Str("P1"), tickets.At(now.Add(2 * time.Hour))}},
			"首次响应时限已用去 80%：请在 11月30日（周一）12:00 前答复用户", "80% of the first-response target of this P1 ticket is used: answer the customer by Mon 30 Nov 12:00 (Beijing time, UTC+8)", "%!", "%!"},
		{tickets.Say{Code: "bounce_failing", Args: []tickets.Arg{tickets.Dur(30 * 24 * time.Hour)}}, "30 天内不再向它发送自动邮件", "for 30 days", "720h", "720h"},
		{tickets.Say{Code: "event_delivery_failed", Args: []tickets.Arg{tickets.Word("notice.progress"), tickets.Str("a@b.test"), tickets.Str("550 no such user")}}, "进度邮件未能发送给 a@b.test：550 no such user", "The progress mail could not be delivered to a@b.test", "progress to", ""},
		{tickets.Say{Code: "no_such_code", Args: []tickets.Arg{tickets.Str("x")}}, "no_such_code(x)", "no_such_code(x)", "", ""},
	}
	for _, tt := range tests {
		zh, en := v.Say(tt.say, "zh-CN"), v.Say(tt.say, "en")
		if !strings.Contains(zh, tt.zh) || (tt.notZh != "" && strings.Contains(zh, tt.notZh)) || strings.Contains(zh, "%!") {
			t.Errorf("Say(%s, zh-CN) = %q, want %q", tt.say, zh, tt.zh)
		}
		if !strings.Contains(en, tt.en) || (tt.not != "" && strings.Contains(en, tt.not)) || strings.Contains(en, "%!") {
			t.Errorf("Say(%s, en) = %q, want %q", tt.say, en, tt.en)
		}
	}
}
