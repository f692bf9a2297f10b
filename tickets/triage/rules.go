package triage

// DefaultRules returns the rules for schools and online-education
// platforms, in Chinese and English, as a new value the caller may change.
//
// The categories, in order of preference (ties go to the earlier one):
//
//	account   账号/权限        Account / permission    30m-2h      P2
//	network   网络/加载        Network / loading       1h-4h       P1
//	av        音视频           Audio / video           2h-8h       P1
//	feature   功能/数据错误    Feature or data error   4h-1d       P2
//	outage    平台故障         Platform-wide outage    hours-days  P0
//	other     其他             Other                   1d          P2
//
// Outage comes late so that a single broad word ("服务器") loses a tie to a
// specific category; it needs words about many users ("所有学生", "都无法",
// "down for everyone") to win. A login failure is P1 through the High words
// ("无法登录", "can't log in"), while other account matters stay P2.
//
// Two choices differ from the obvious word lists. "考试" alone is not
// urgent, since a report about exam grades is not an emergency; an exam in
// progress is ("考试中", "正在考试", "during the exam"). And a bare
// "打不开" (will not open) is not a network keyword, since it as often
// describes a camera or a file; "页面打不开" and the like are.
func DefaultRules() *Rules {
	return &Rules{
		Categories: []Category{
			{
				Name:  "account",
				Label: map[string]string{"zh-CN": "账号/权限", "en": "Account / permission"},
				Keywords: []string{
					"登录", "登陆", "登不上", "密码", "账号", "帐号", "账户", "用户名", "权限", "验证码", "注册", "绑定", "解绑", "锁定", "被锁", "找回",
					"login", "log in", "logged out", "sign in", "signin", "password", "account", "username", "permission", "locked", "verification code", "2fa", "register",
				},
				Typical:      "30m-2h",
				TypicalLabel: map[string]string{"zh-CN": "30 分钟至 2 小时", "en": "30 minutes to 2 hours"},
				Priority:     2,
			},
			{
				Name:  "network",
				Label: map[string]string{"zh-CN": "网络/加载", "en": "Network / loading"},
				Keywords: []string{
					"网络", "网速", "加载", "页面打不开", "网页打不开", "网站打不开", "平台打不开", "白屏", "转圈", "连接", "连不上", "断线", "掉线", "超时", "进不去", "刷新不出",
					"network", "load", "timeout", "time out", "times out", "timed out", "connect", "disconnect", "offline", "wifi", "wi-fi", "dns", "proxy", "blank page", "spinning",
				},
				Typical:      "1h-4h",
				TypicalLabel: map[string]string{"zh-CN": "1 至 4 小时", "en": "1 to 4 hours"},
				Priority:     1,
			},
			{
				Name:  "av",
				Label: map[string]string{"zh-CN": "音视频", "en": "Audio / video"},
				Keywords: []string{
					"声音", "音频", "视频", "摄像头", "麦克风", "耳机", "画面", "卡顿", "黑屏", "花屏", "回声", "杂音", "啸叫", "听不到", "听不见", "听不清", "看不到画面", "音画不同步", "直播", "共享屏幕", "屏幕共享",
					"camera", "webcam", "microphone", "headset", "audio", "video", "sound", "stutter", "echo", "black screen", "freeze", "frozen", "screen shar", "livestream", "live stream",
				},
				Typical:      "2h-8h",
				TypicalLabel: map[string]string{"zh-CN": "2 至 8 小时", "en": "2 to 8 hours"},
				Priority:     1,
			},
			{
				Name:  "feature",
				Label: map[string]string{"zh-CN": "功能/数据错误", "en": "Feature or data error"},
				Keywords: []string{
					"功能", "数据", "成绩", "分数", "作业", "课表", "课件", "报错", "错误", "异常", "提交", "上传", "下载", "导出", "导入", "不显示", "显示不", "丢失", "闪退",
					"bug", "error", "grade", "score", "homework", "assignment", "data", "submit", "upload", "download", "export", "import", "crash", "missing", "schedule", "feature",
				},
				Typical:      "4h-1d",
				TypicalLabel: map[string]string{"zh-CN": "4 小时至 1 个工作日", "en": "4 hours to 1 working day"},
				Priority:     2,
			},
			{
				Name:  "outage",
				Label: map[string]string{"zh-CN": "平台故障", "en": "Platform-wide outage"},
				Keywords: []string{
					"所有人", "所有学生", "所有老师", "所有用户", "全部用户", "全校", "全体", "都无法", "都不能", "都打不开", "大面积", "平台崩溃", "系统崩溃", "崩了", "宕机", "服务器", "瘫痪",
					"outage", "down for everyone", "all users", "all students", "all teachers", "everyone is", "nobody can", "no one can", "whole school", "server down", "site is down", "platform is down", "502", "503",
				},
				Typical:      "hours-days",
				TypicalLabel: map[string]string{"zh-CN": "数小时至数天", "en": "hours to days"},
				Priority:     0,
			},
			{
				Name:         "other",
				Label:        map[string]string{"zh-CN": "其他", "en": "Other"},
				Typical:      "1d",
				TypicalLabel: map[string]string{"zh-CN": "1 个工作日", "en": "1 working day"},
				Priority:     2,
			},
		},
		Urgent: []string{
			"紧急", "十万火急", "无法上课", "不能上课", "上不了课", "没法上课", "直播中断", "直播断了", "直播断开", "考试中", "正在考试", "考试期间", "考试进行中", "马上要上课", "马上上课", "即将上课",
			"urgent", "asap", "emergency", "cannot start class", "can't start class", "cannot start the class", "can't start the class", "unable to start class", "class cannot start",
			"live stream is down", "livestream is down", "exam in progress", "during the exam", "during an exam", "class starts in",
		},
		High: []string{
			"急", "卡顿", "很卡", "太卡", "很慢", "太慢", "无法登录", "无法登陆", "登录不了", "登陆不了", "登不上", "登录失败", "无法使用", "用不了", "影响上课", "影响教学", "尽快",
			"stutter", "lag", "slow", "cannot log in", "can't log in", "unable to log in", "cannot login", "can't login", "login failed", "as soon as possible", "blocking", "unusable",
		},
		Low: []string{
			"建议", "希望增加", "希望能", "希望可以", "能否增加", "能不能增加", "如果能", "优化", "新功能", "需求", "小问题",
			"suggestion", "suggest", "feature request", "would be nice", "would be great", "it would help", "enhancement", "could you add", "please add", "nice to have", "minor",
		},
		Default: "other",
	}
}
