package triage

import (
	"strings"
	"testing"
)

func TestClassifyDefaultRules(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name          string
		subject, body string
		wantCat       string
		wantPrio      int
	}{
		{
			name:    "live class cannot start",
			subject: "紧急：直播课无法上课",
			body:    "老师端打开直播间后一直黑屏，学生也看不到画面，九点的课现在无法开始。",
			wantCat: "av", wantPrio: 0, // 紧急 and 无法上课 are urgent; 直播, 黑屏, 画面 say av
		},
		{
			name:    "whole school cannot log in",
			subject: "所有学生都无法登录平台",
			body:    "今天早上8点开始，全校学生都无法登录，提示服务器错误。",
			wantCat: "outage", wantPrio: 0,
		},
		{
			name:    "forgotten password",
			subject: "忘记密码，无法登录",
			body:    "我是三年级二班的学生，忘记了密码，手机验证码也收不到，麻烦帮忙重置。",
			wantCat: "account", wantPrio: 1, // 无法登录 raises account to P1
		},
		{
			name:    "teacher lacks permission",
			subject: "账号权限问题",
			body:    "新来的老师在后台看不到自己班级的作业，需要开通权限。",
			wantCat: "account", wantPrio: 2,
		},
		{
			name:    "course page stays blank",
			subject: "课程页面一直白屏",
			body:    "用 Chrome 打开课程页面一直转圈然后白屏，刷新也没用，网络是正常的。",
			wantCat: "network", wantPrio: 1,
		},
		{
			name:    "video stutters in live class",
			subject: "Video keeps stuttering in live class",
			body:    "Students report the video freezes every few seconds and the audio is out of sync.",
			wantCat: "av", wantPrio: 1,
		},
		{
			name:    "dark mode suggestion",
			subject: "Suggestion: add dark mode",
			body:    "It would be nice if the student app had a dark mode option.",
			wantCat: "other", wantPrio: 3, // no keyword; a suggestion lowers P2 to P3
		},
		{
			name:    "export feature wish",
			subject: "希望增加作业批量导出功能",
			body:    "建议在成绩页面增加导出 Excel 的按钮，方便老师统计。",
			wantCat: "feature", wantPrio: 3,
		},
		{
			name:    "exam grades wrong",
			subject: "成绩显示错误",
			body:    "期末考试的成绩录入后，学生端显示的分数和老师端不一致。",
			wantCat: "feature", wantPrio: 1, // wrong data is P1; 考试 alone is not urgent
		},
		{
			name:    "exam in progress cannot submit",
			subject: "考试中无法提交答卷",
			body:    "学生正在考试，点击提交一直报错，考试还剩 20 分钟！",
			wantCat: "feature", wantPrio: 0,
		},
		{
			name:    "cannot start class",
			subject: "URGENT: cannot start class",
			body:    "The classroom page shows error 500 when I click Start. 30 students are waiting.",
			wantCat: "feature", wantPrio: 0,
		},
		{
			name:    "platform down for everyone",
			subject: "Platform down for everyone",
			body:    "Since 10:05 none of our teachers or students can access the platform. Looks like a full outage.",
			wantCat: "outage", wantPrio: 0,
		},
		{
			name:    "account locked",
			subject: "Can’t log in - account locked",
			body:    "After three wrong password attempts my account is locked. Please unlock it.",
			wantCat: "account", wantPrio: 1, // the typographic apostrophe still matches "can't log in"
		},
		{
			name:    "no sound from microphone",
			subject: "No sound from teacher's microphone",
			body:    "In today's lesson the students could not hear the teacher at all. Camera works fine.",
			wantCat: "av", wantPrio: 1,
		},
		{
			name:    "echo",
			subject: "回声很大",
			body:    "上课时学生端能听到很明显的回声和杂音，老师说话听不清。",
			wantCat: "av", wantPrio: 1,
		},
		{
			name:    "upload fails, not urgent",
			subject: "作业上传失败",
			body:    "学生上传作业时提示“文件过大”，但文件只有 2MB。不急，有空看一下就行。",
			wantCat: "feature", wantPrio: 2, // a failure is P1, but the reporter says 不急: the 急 in it does not raise, it lowers
		},
		{
			name:    "slow loading",
			subject: "Page loading very slow",
			body:    "The course list takes about a minute to load on school wifi.",
			wantCat: "network", wantPrio: 1,
		},
		{
			name:    "timetable question",
			subject: "关于课表的问题",
			body:    "请问下学期的课表什么时候能在系统里看到？",
			wantCat: "feature", wantPrio: 2,
		},
		{
			name:    "thanks",
			subject: "Thank you",
			body:    "Thanks for fixing it so quickly, everything works again.",
			wantCat: "other", wantPrio: 2,
		},
		{
			name:    "camera will not open",
			subject: "摄像头打不开",
			body:    "电脑上课时摄像头一直打不开，显示被其他程序占用。",
			wantCat: "av", wantPrio: 1, // a bare 打不开 is not a network word
		},
		{
			name:    "feature request",
			subject: "Feature request: export grades to CSV",
			body:    "Would be nice to export the grades of a class to CSV.",
			wantCat: "feature", wantPrio: 3,
		},
		{
			name:    "class about to start",
			subject: "马上要上课了，学生进不去教室",
			body:    "还有 5 分钟上课，学生点击进入教室一直转圈，进不去。",
			wantCat: "network", wantPrio: 0,
		},
		{
			name:    "grades missing",
			subject: "Homework grades missing",
			body:    "Several grades I entered yesterday are missing from the gradebook. Data loss?",
			wantCat: "feature", wantPrio: 1, // lost grades are a failure: P1
		},
		{
			name:    "replay stutters, not urgent",
			subject: "视频有点卡顿，不是很急",
			body:    "学生看回放时偶尔卡顿，不影响上课，有空处理即可。",
			wantCat: "av", wantPrio: 2, // 不是很急 and 不影响上课: the reporter can wait
		},
		{
			name:    "login page times out",
			subject: "Login page times out",
			body:    "When students sign in from home the login page times out after 30 seconds.",
			wantCat: "account", wantPrio: 1, // a blocked log-in; login 3 + sign in 1 beat times out 3
		},
		{
			name:    "server error on submit",
			subject: "服务器错误 500",
			body:    "提交作业时页面显示服务器错误 500。",
			wantCat: "feature", wantPrio: 1, // submit fails: P1; one broad outage word loses to feature
		},
		{
			name:    "not urgent typo",
			subject: "Not urgent: typo on homepage",
			body:    "There's a typo in the footer. No rush.",
			wantCat: "feature", wantPrio: 2, // "urgent" inside "not urgent" is masked
		},
		{
			name:    "urgent after a negated mention",
			subject: "不急的小问题",
			body:    "本来不急，但现在家长群里很急了，麦克风没有声音。",
			wantCat: "av", wantPrio: 1, // the second 急 is not negated
		},
		{
			name:    "disconnects",
			subject: "学生上课频繁掉线",
			body:    "用手机 4G 的学生上课时每隔几分钟就掉线，需要重新连接。",
			wantCat: "network", wantPrio: 1,
		},
		{
			name:    "empty report",
			subject: "",
			body:    "",
			wantCat: "other", wantPrio: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotCat, gotPrio := r.Classify(tt.subject, tt.body)
			if gotCat != tt.wantCat || gotPrio != tt.wantPrio {
				t.Errorf("Classify(%q, %q) = (%q, %d), want (%q, %d)", tt.subject, tt.body, gotCat, gotPrio, tt.wantCat, tt.wantPrio)
			}
		})
	}
}

func TestClassifyScoring(t *testing.T) {
	r := &Rules{
		Categories: []Category{
			{Name: "a", Keywords: []string{"alpha", "", "ALL CAPS"}, Priority: 2},
			{Name: "b", Keywords: []string{"beta", "gamma", "中文"}, Priority: 1},
			{Name: "z", Keywords: nil, Priority: 3},
		},
		Urgent:  []string{"fire"},
		High:    []string{"soon"},
		Low:     []string{"someday"},
		Default: "z",
		Steps: []Step{
			{Name: "raise", All: []Signal{Raise}, Then: RaiseOne},
			{Name: "suggestion", All: []Signal{Suggestion}, None: []Signal{Raise}, Then: SetP3},
			{Name: "impact", All: []Signal{Impact}, Then: SetP0},
		},
	}
	tests := []struct {
		name          string
		subject, body string
		wantCat       string
		wantPrio      int
	}{
		{"subject beats body", "beta", "alpha", "b", 1},
		{"tie goes to earlier", "", "alpha beta", "a", 2},
		{"subject keyword ties two body keywords", "alpha", "beta gamma", "a", 2},
		{"two body keywords beat one", "", "alpha beta gamma", "b", 1},
		{"repeats count once", "", "alpha alpha alpha beta gamma", "b", 1},
		{"case-insensitive", "", "ALPHA", "a", 2},
		{"upper-case keyword", "", "all caps", "a", 2},
		{"word start", "", "xalpha", "z", 3},
		{"prefix of a word", "", "alphabet", "a", 2},
		{"after punctuation", "", "(alpha)", "a", 2},
		{"chinese inside text", "", "这是中文内容", "b", 1},
		{"ascii after chinese", "", "问题alpha", "a", 2},
		{"no match uses default priority", "", "nothing", "z", 3},
		{"urgent forces zero", "", "alpha fire", "a", 0},
		{"urgent in subject", "fire", "nothing", "z", 0},
		{"negated urgent", "", "alpha not fire", "a", 2},
		{"high raises", "", "alpha soon", "a", 1},
		{"high never raises to p0", "", "beta soon", "b", 1},
		{"low lowers p2", "", "alpha someday", "a", 3},
		{"low sets p3 from p1", "", "beta someday", "b", 3},
		{"high beats low", "", "alpha someday soon", "a", 1},
		{"negated high lets low work", "", "alpha not soon, someday", "a", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotCat, gotPrio := r.Classify(tt.subject, tt.body)
			if gotCat != tt.wantCat || gotPrio != tt.wantPrio {
				t.Errorf("Classify(%q, %q) = (%q, %d), want (%q, %d)", tt.subject, tt.body, gotCat, gotPrio, tt.wantCat, tt.wantPrio)
			}
		})
	}
}

func TestClassifyEdgeRules(t *testing.T) {
	tests := []struct {
		name     string
		rules    *Rules
		wantCat  string
		wantPrio int
	}{
		{"nil rules", nil, "", 2},
		{"no default", &Rules{}, "", 2},
		{"default names no category", &Rules{Default: "misc"}, "misc", 2},
		{"out of range priority is clamped", &Rules{Categories: []Category{{Name: "x", Keywords: []string{"report"}, Priority: 9}}}, "x", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotCat, gotPrio := tt.rules.Classify("a report", "")
			if gotCat != tt.wantCat || gotPrio != tt.wantPrio {
				t.Errorf("Classify() = (%q, %d), want (%q, %d)", gotCat, gotPrio, tt.wantCat, tt.wantPrio)
			}
		})
	}
}

func TestCategory(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name      string
		wantOK    bool
		wantLabel string
	}{
		{"account", true, "Account / permission"},
		{"outage", true, "Platform-wide outage"},
		{"other", true, "Other"},
		{"Account", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := r.Category(tt.name)
			if ok != tt.wantOK {
				t.Fatalf("Category(%q) ok = %v, want %v", tt.name, ok, tt.wantOK)
			}
			if got := c.Label["en"]; got != tt.wantLabel {
				t.Errorf("Category(%q).Label[en] = %q, want %q", tt.name, got, tt.wantLabel)
			}
		})
	}
	var nilRules *Rules
	if _, ok := nilRules.Category("account"); ok {
		t.Errorf("(*Rules)(nil).Category(%q) ok = true, want false", "account")
	}
}

func TestLabelFor(t *testing.T) {
	c, _ := DefaultRules().Category("account")
	bare := Category{Name: "bare", Typical: "1d"}
	tests := []struct {
		name        string
		cat         Category
		lang        string
		wantLabel   string
		wantTypical string
	}{
		{"exact zh", c, "zh-CN", "账号/权限", "30 分钟至 2 小时"},
		{"exact en", c, "en", "Account / permission", "30 minutes to 2 hours"},
		{"primary zh", c, "zh", "账号/权限", "30 分钟至 2 小时"},
		{"other zh region", c, "zh-TW", "账号/权限", "30 分钟至 2 小时"},
		{"lower-case tag", c, "zh-cn", "账号/权限", "30 分钟至 2 小时"},
		{"en region", c, "en-US", "Account / permission", "30 minutes to 2 hours"},
		{"unknown language", c, "fr", "Account / permission", "30 minutes to 2 hours"},
		{"empty language", c, "", "Account / permission", "30 minutes to 2 hours"},
		{"no labels", bare, "zh-CN", "bare", "1d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cat.LabelFor(tt.lang); got != tt.wantLabel {
				t.Errorf("LabelFor(%q) = %q, want %q", tt.lang, got, tt.wantLabel)
			}
			if got := tt.cat.TypicalFor(tt.lang); got != tt.wantTypical {
				t.Errorf("TypicalFor(%q) = %q, want %q", tt.lang, got, tt.wantTypical)
			}
		})
	}
}

func TestDefaultRules(t *testing.T) {
	r := DefaultRules()
	if _, ok := r.Category(r.Default); !ok {
		t.Errorf("Category(Default = %q) ok = false, want true", r.Default)
	}
	want := []struct {
		name     string
		priority int
	}{{"account", 2}, {"network", 1}, {"av", 1}, {"feature", 2}, {"outage", 0}, {"other", 2}}
	if len(r.Categories) != len(want) {
		t.Fatalf("len(Categories) = %d, want %d", len(r.Categories), len(want))
	}
	for i, c := range r.Categories {
		t.Run(c.Name, func(t *testing.T) {
			if c.Name != want[i].name || c.Priority != want[i].priority {
				t.Errorf("Categories[%d] = (%q, P%d), want (%q, P%d)", i, c.Name, c.Priority, want[i].name, want[i].priority)
			}
			for _, lang := range []string{"zh-CN", "en"} {
				if c.Label[lang] == "" || c.TypicalLabel[lang] == "" {
					t.Errorf("Label[%q] = %q, TypicalLabel[%q] = %q, want both set", lang, c.Label[lang], lang, c.TypicalLabel[lang])
				}
			}
			if c.Typical == "" {
				t.Errorf("Typical = %q, want it set", c.Typical)
			}
			checkWords(t, c.Keywords)
		})
	}
	for _, words := range [][]string{r.Urgent, r.Blocked, r.Wide, r.Class, r.Now, r.Past, r.Failure, r.Display, r.High, r.HowTo, r.Low, r.Request, r.Setting, r.Slow, r.Business, r.Live, r.Partial, r.Masked, r.Calm, r.Footer} {
		checkWords(t, words)
	}

	r.Categories[0].Keywords[0] = "changed"
	if DefaultRules().Categories[0].Keywords[0] == "changed" {
		t.Errorf("DefaultRules() shares slices between calls")
	}
}

// checkWords fails t for an empty, upper-case or repeated word: upper-case
// words work but cost Classify an allocation each time.
func checkWords(t *testing.T, words []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, w := range words {
		if w == "" || w != strings.ToLower(w) || seen[w] {
			t.Errorf("word %q is empty, not lower-case or repeated", w)
		}
		seen[w] = true
	}
}

// report is a realistic ~2 KB mail body: a quoted greeting, the fault and a
// signature, Chinese and English, with few keywords.
var report = strings.Repeat("老师您好，我们是实验小学信息中心。今天下午第三节课开始，五年级的几个班在上直播课的时候，"+
	"学生端反馈画面偶尔会停住几秒钟，然后又恢复正常，老师端看起来一切正常。我们已经检查了学校的出口带宽，"+
	"Hello, this is the IT office of the primary school. Some classes reported that the picture froze for a few seconds "+
	"during the afternoon session, then recovered without anyone doing anything. ", 4) +
	"Best regards,\n王老师\n实验小学信息中心\n电话：010-12345678\n"

func BenchmarkClassify(b *testing.B) {
	r := DefaultRules()
	subject := "直播课画面偶尔停住"
	b.SetBytes(int64(len(subject) + len(report)))
	b.ReportAllocs()
	for b.Loop() {
		r.Classify(subject, report)
	}
}
