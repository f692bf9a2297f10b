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
// specific category; it needs words about the platform or many schools
// ("所有功能", "全区", "whole platform") to win.
//
// The priority models impact, as the practice does (the Steps table, in
// order): a failing feature or a blocked person (log-in, page, device) is
// P1; 请尽快, 影响上课 or "urgent" raise one level, never to P0 alone; a
// reporter who says it can wait (不急, no rush), a request for rights, a
// display problem and a how-to question stay at most P2; a suggestion is
// P3; and P0 needs impact: a class, stream or exam that cannot run
// (Urgent), or something blocked across a school, district or the platform,
// or blocked or failing for a whole class in a lesson, exam or deadline
// (Live) now; with urgent words, a whole class blocked in a lesson needs
// no "now" word and a lesson blocked now needs no "class" word. A report
// that speaks only of the past (昨天, last week) or says only some are
// affected (Partial: 其他班…正常, 有几个学生, only a few) is never P0 by
// scope, and an outage-sounding report with nothing blocked or failing is
// not P0 by its category alone.
//
// Negations and neutral phrases are masked before anything matches (不紧急
// hides 紧急, "can't find" hides "can't"); a negation a few words before an
// urgent word cancels it and counts as "can wait" (不是什么急事, "not super
// urgent"); signatures and footers ("此致", "--", "紧急联系人：…", "For
// urgent matters please call…") are not evidence. Works-but-badly (Slow:
// 卡顿, 很慢, buffering) is P1; an invoice, contract or quote (Business) is
// at most P2 however urgently it is asked.
//
// The words are patterns, not phrases: scope is two columns joined
// (scope.go: 整个/全/所有/各… + 学校/区/镇/平台…, "all of my " + "students"),
// "…" joins words a few characters apart in one clause ("学生…都" finds
// 学生一个个都), "#" is a number, and 繁体 and written Cantonese are
// folded to 简体 Mandarin before matching (fold.go), so 直播課畫面凍結 reads
// as 直播课画面冻结 and 聽唔到 as 听不到.
//
// Measured on testdata/*.tsv (dev, heldout, blind1-blind12; blind2, 5, 7,
// 9, 10 and 12 held out) by TestAccuracy; the figures are in BENCHMARKS.md
// "Triage accuracy".
func DefaultRules() *Rules {
	return &Rules{
		Categories: []Category{
			{
				Name:  "account",
				Label: map[string]string{"zh-CN": "账号/权限", "en": "Account / permission"},
				Keywords: []string{
					"登录", "登陆", "添加学生", "加学生", "助教", "姓名", "改名", "改个名", "加到我的班", "转学", "登不上", "密码", "账号", "帐号", "账户", "用户名", "权限", "验证码", "注册", "绑定", "解绑", "锁定", "被锁", "找回",
					"login", "log in", "access level", "teaching assistant", "add a co-teacher", "co-teacher", "remove a student", "add a student", "sso", "mfa", "logged out", "sign in", "signin", "password", "account", "username", "permission", "locked", "verification code", "2fa", "register",
					"登入", "重置", "手机号", "改绑", "sign-in", "sign on", "admin access", "admin rights", "unlock",
					"扫码", "二维码", "被盗", "封号", "被封", "冻结", "实名", "reset link", "password reset", "two-step", "2-step", "authenticator", "otp", "credentials",
					"转班", "调班", "换班", "认证", "统一身份",
				},
				Typical:      "30m-2h",
				TypicalLabel: map[string]string{"zh-CN": "30 分钟至 2 小时", "en": "30 minutes to 2 hours"},
				Priority:     2,
			},
			{
				Name:  "network",
				Label: map[string]string{"zh-CN": "网络/加载", "en": "Network / loading"},
				Keywords: []string{
					"网络", "网速", "缓冲", "很慢", "太慢", "海外", "国外", "线路", "慢", "加载", "页面打不开", "网页打不开", "网站打不开", "平台打不开", "白屏", "转圈", "连接", "连不上", "断线", "掉线", "超时", "进不去", "刷新不出",
					"network", "load", "slow", "buffering", "connection refused", "refused", "can't reach", "reach the site", "join", "timeout", "time out", "times out", "timed out", "connect", "disconnect", "offline", "wifi", "wi-fi", "dns", "proxy", "blank page", "spinning",
					"连接中", "请求失败", "防火墙", "热点", "buffer", "cdn", "firewall", "hangs", "sluggish",
					"丢包", "vpn", "域名", "带宽", "packet loss", "latency", "bandwidth",
					"timing out", "等好久", "特别卡", "很卡",
					"进不了", "转…圈", "404",
					"校园网", "流量", "网管",
				},
				Typical:      "1h-4h",
				TypicalLabel: map[string]string{"zh-CN": "1 至 4 小时", "en": "1 to 4 hours"},
				Priority:     1,
			},
			{
				Name:  "av",
				Label: map[string]string{"zh-CN": "音视频", "en": "Audio / video"},
				Keywords: []string{
					"声音", "音频", "直播间", "回放", "录播", "电流声", "延迟", "视频", "摄像头", "麦克风", "耳机", "画面", "卡顿", "黑屏", "花屏", "回声", "杂音", "啸叫", "听不到", "听不见", "听不清", "看不到画面", "音画不同步", "直播", "共享屏幕", "屏幕共享",
					"camera", "webcam", "shared screen", "my screen", "hear", "mic ", "unmute", "record", "blurry", "1080p", "resolution", "microphone", "headset", "audio", "video", "sound", "stutter", "echo", "black screen", "freeze", "frozen", "screen shar", "livestream", "live stream",
					"双师", "主讲", "电流", "滋滋", "忽大忽小", "麦", "耳麦", "live session", "live class", "live lesson", "rejoin", "cuts in and out", "cutting out",
					"画质", "清晰度", "音质", "爆音", "破音", "没声", "静音", "投屏", "录屏", "连麦", "pixelated", "muted", "speaker", "volume", "playback",
				},
				Typical:      "2h-8h",
				TypicalLabel: map[string]string{"zh-CN": "2 至 8 小时", "en": "2 to 8 hours"},
				Priority:     1,
			},
			{
				Name:  "feature",
				Label: map[string]string{"zh-CN": "功能/数据错误", "en": "Feature or data error"},
				Keywords: []string{
					"功能", "数据", "交卷", "试卷", "群聊", "聊天", "请假", "日历", "显示", "日期", "发帖", "讨论区", "发布", "考试", "答题", "答卷", "通知", "视频作业", "打卡", "签到", "成绩", "分数", "作业", "课表", "课件", "报错", "错误", "异常", "提交", "上传", "下载", "导出", "导入", "不显示", "显示不", "丢失", "闪退",
					"bug", "error", "exam", "quiz", "archive", "marks", "offline mode", "column", "report", "typo", "spelling", "misaligned", "timetable", "calendar", "sync", "messag", "gradebook", "grade", "score", "homework", "assignment", "data", "submit", "upload", "download", "export", "import", "crash", "missing", "schedule", "feature",
					"题目", "测验", "评语", "批改", "打分", "评分", "错题", "保存", "清零", "marking", "due date", "dates", "shortcut", "attachment",
					"批量", "名单", "排课", "选课", "积分", "题库", "练习", "答案", "评论", "班级圈", "附件", "统计", "报表", "排名", "rubric", "feedback", "roster", "enrol", "attendance", "report card", "worksheet", "notification", "reminder", "deadline",
					"消息", "自己退出", "就退出", "图标", "duplicate",
					"作答", "月考",
				},
				Typical:      "4h-1d",
				TypicalLabel: map[string]string{"zh-CN": "4 小时至 1 个工作日", "en": "4 hours to 1 working day"},
				Priority:     2,
			},
			{
				Name:  "outage",
				Label: map[string]string{"zh-CN": "平台故障", "en": "Platform-wide outage"},
				Keywords: joined([]string{
					"所有人", "所有学生", "所有功能", "都用不了", "整个区", "504", "全市", "全县", "个学校", "整个平台", "整个系统", "全挂", "挂了", "平台崩", "全区", "好几个学校", "几个学校", "所有学校", "各校", "所有老师", "所有用户", "全部用户", "全校", "全体", "都无法", "都不能", "都打不开", "大面积", "平台崩溃", "系统崩溃", "崩了", "宕机", "服务器", "瘫痪",
					"outage", "down for everyone", "system down", "platform down", "gateway", "# schools", "across all", "service unavailable", "unavailable", "every user", "whole-school", "every classroom", "whole platform", "everything is down", "nothing works", "is down", "district", "all users", "all students", "my students", "my class", "pupils", "none of them", "none of my", "half the class", "whole group", "year group", "test in progress", "assessment", "mock exam", "exam started", "candidates", "invigilat", "all teachers", "everyone is", "nobody can", "no one can", "whole school", "server down", "site is down", "platform is down", "502", "503",
					"炸了", "炸掉", "崩掉", "挂掉", "跪了", "趴了", "罢工", "歇菜", "down了", "都down", "服务不可用", "暂不可用", "不可用", "访问异常", "unreachable", "gone down", "all down", "completely down",
					"全线", "平台…崩", "系统…崩", "平台…挂", "系统…挂", "平台…瘫", "服务器…崩", "服务器…挂",
				}, join(wholeZh, placesZh), join(someZh, schoolsZh), join(wholeEn, placesEn), join(countZh, schoolsN), join(numbersEn, schoolsEn)),
				Typical:      "hours-days",
				TypicalLabel: map[string]string{"zh-CN": "数小时至数天", "en": "hours to days"},
				Priority:     0,
			},
			{
				Name:  "other",
				Label: map[string]string{"zh-CN": "其他", "en": "Other"},
				Keywords: []string{
					"发票", "合同", "采购", "购买", "续费", "招标", "教程", "校徽", "会议", "预约", "续签", "培训", "收费", "价格", "报价", "对接", "联系人", "服务到期", "值班", "节假日", "介绍", "皮肤", "夜间模式", "主题", "广告",
					"invoice", "quote", "data protection", "dpo", "purchase", "licen", "tutorial", "meeting", "set up a call", "pricing", "price", "billing", "contract", "training", "privacy", "gdpr", "accessibility", "screen reader", "security questionnaire", "retention", "dark mode", "theme", "colours", "colors",
					"合作", "洽谈", "繁体", "简体", "语言", "agreement", "data processing", "sub-processor", "policy", "logo", "crest", "branding", "language",
					"手册", "视频教程", "操作视频",
					"subject access", "personal data",
				},
				Typical:      "1d",
				TypicalLabel: map[string]string{"zh-CN": "1 个工作日", "en": "1 working day"},
				Priority:     2,
			},
		},
		Default: "other",

		SignOff: []string{
			"--", "——", "此致", "敬礼", "此致敬礼", "祝好", "顺颂商祺", "best regards", "kind regards", "regards", "best wishes", "thanks", "thank you", "many thanks", "cheers", "sincerely", "yours sincerely",
		},
		Footer: []string{
			"紧急联系人", "紧急联系", "如有紧急", "联系电话", "电话:", "手机:", "座机:", "地址:", "邮箱:", "传真", "发自我的", "来自钉钉", "来自我的",
			"for urgent matters", "for urgent issues", "in case of emergency", "emergency contact", "emergency:", "tel:", "tel.", "phone:", "mobile:", "fax:", "address:", "sent from my",
		},
		Masked: joined([]string{
			"不紧急", "并不紧急", "不是很紧急", "不算紧急", "不太紧急", "没那么紧急", "不急", "不着急", "并不急", "不太急", "不是很急", "不算急", "不用急", "别着急", "别急", "没那么急", "不是急事", "急诊",
			"不影响上课", "不影响使用", "不影响教学", "不影响", "不是什么大问题", "不是大问题", "有空看", "有空帮", "有空处理",
			"找不到", "没找到", "写错", "填错", "输错", "打错", "发错", "发布错", "布置错", "弄错", "搞错", "选错", "录错", "找了半天", "不了解", "不知道",
			"not urgent", "not an emergency", "not really urgent", "no rush", "no hurry", "not a big deal", "not blocking", "not time-sensitive", "no emergency", "non-urgent",
			"can't find", "cannot find", "can not find", "couldn't find", "don't know", "do not know",
		}, join(pastZh, fineZh), join(fineEn, pastEn)),

		Calm: []string{
			"不紧急", "不急", "不着急", "不是很急", "不太急", "不算急", "不用急", "没那么急", "不是急事", "不影响上课", "不影响使用", "不影响教学", "不是什么大问题", "有空看", "有空帮", "有空处理",
			"not urgent", "not an emergency", "not really urgent", "no rush", "no hurry", "not a big deal", "not blocking", "not time-sensitive", "non-urgent", "we have a workaround",
			"不赶时间", "慢慢来", "有空的时候", "方便的时候", "when you get a chance", "whenever you can", "low priority", "no urgency", "not time critical", "at your convenience", "not pressing",
			"not important", "不重要",
		},
		Request: []string{
			"开通权限", "管理员账号", "新增", "开个账号", "开账号", "开通", "需要权限", "申请权限",
			"grant", "access to", "admin rights", "rights for", "permission for",
			"开什么权限", "什么权限", "开权限", "需要开",
		},

		Urgent: []string{
			"无法上课", "不能上课", "上不了课", "没法上课", "课上不下去", "课没法上", "课没法继续", "课进行不下去", "进行不下去", "网课进行不了", "课都没法上",
			"直播中断", "直播断了", "直播课断了", "直播课突然断", "直播断开", "直播开不了", "开不了直播",
			"cannot start class", "can't start class", "cannot start the class", "can't start the class", "unable to start class", "class cannot start", "can't teach", "cannot teach",
			"live stream is down", "livestream is down", "stream is down", "stream went down", "live lesson dropped", "lesson dropped", "kicked out of class",
			"停课", "只能停课", "课上不成", "上不成课", "课开不了", "干坐着", "干等着", "课…上不了", "课…没法上", "课…上不下去", "课…进行不了", "can't run the lesson", "cannot run the lesson", "had to stop the lesson", "had to stop teaching", "lesson can't go ahead", "class can't go ahead", "lesson is ruined",
			"讲不了课", "没法讲课", "教学中断", "教学无法", "无法授课", "授课中断", "直播…中断", "直播…断了", "直播…挂了", "直播…崩", "unable to teach", "class is on hold", "lesson is on hold", "stream died", "stream dropped", "stream has dropped", "stream has died", "lesson stopped", "lesson has stopped", "class has stopped",
			"只能…自习", "改…自习", "让学生自习", "改上自习", "只能改用", "put them on worksheets", "had to put them", "teaching has stopped", "teaching has basically stopped", "lessons have stopped",
		},
		Blocked: []string{
			"无法", "504", "雪花屏", "死机", "刷不出", "一片空白", "踢出", "踢下线", "自动退出", "无响应", "未响应", "出不来", "卡在", "卡住", "没法", "不进去", "登不进", "都不能", "不能用", "不能上", "不能登", "不能进", "不能看", "不能播", "不能提交", "不能正常", "不能访问", "不能打开", "不能使用", "不能连", "不能交", "不能下载", "不能上传", "不了", "进不去", "进不来", "打不开", "用不了", "上不去", "连不上", "登不上", "登录不上", "登陆不上", "看不到", "看不见", "听不到", "听不见", "没画面", "没有画面", "没声音", "没有声音",
			"黑屏", "白屏", "超时", "白板", "断了", "中断", "掉线", "掉出去", "卡死", "崩了", "崩溃", "挂了", "瘫痪", "宕机", "转圈", "加载不出", "交不上", "收不到", "被锁", "锁定", "冻结", "不可用", "502", "503", "bad gateway",
			"can't", "cannot", "gateway timeout", "redirect loop", "never gets", "couldn't", "could not", "not loading", "won't load", "doesn't load", "not responding", "unresponsive", "goes blank", "blank screen", "white screen", "black screen", "no picture", "no image", "disconnected", "dropped out", "access denied", "no access", "lost access", "nothing loads", "is offline", "went offline", "gone offline", "is black", "goes black", "shows blank", "blank for", "no one can", "nobody can", "has gone", "no audio", "no video", "has frozen", "is frozen", "frozen for", "unavailable", "refused", "can not", "unable to", "won't", "doesn't work", "not working", "isn't working", "is down", "went down", "down for", "platform down", "site down", "system down", "everything is down",
			"kicked out", "timing out", "times out", "timed out", "dropped", "stuck", "spins", "spinner", "error page", "no sound", "locked out", "never arrives", "not arriving", "doesn't detect", "not accepted", "isn't accepted", "nothing works",
			"炸了", "炸掉", "崩掉", "挂掉", "跪了", "趴了", "罢工", "歇菜", "宕了", "瘫了", "弹出", "被弹", "踢了", "没反应", "不动了", "动不了", "点不动", "卡成", "黑了", "全黑", "是空白", "一直空白", "暂不可用", "down了", "都down", "died", "is dead", "went dead", "booted", "does nothing", "do nothing", "crashed", "hangs", "hanging", "won't open", "won't let", "not opening", "can't get", "kicked", "froze", "falls over", "fell over", "keeps failing", "is broken", "broken for", "gone down", "keeps dropping", "unreachable", "not reachable", "no-one can", "noone can",
			"抽风", "出毛病", "不好使", "不灵", "失灵", "点不开", "刷不开", "500错误", "error 500", "500 error", "internal server error", "server error", "playing up", "acting up", "glitching", "refuses to", "can't access", "unable to access", "无法访问", "访问不了",
			"不出去", "不上去", "不进来", "没声", "发送失败", "haven't received", "hasn't received", "not received", "never received", "not getting", "aren't getting", "isn't getting",
			"none of…can", "nobody…can", "no one…can", "not one…can", "went completely", "挤下线", "被挤",
			"一个都没有…能", "一个都没…能", "没人…能", "没有人…能", "没人…得到", "没有人…得到", "not one of…can", "none of…could", "nobody…could", "no one…could",
			"404", "页面不存在",
		},
		Wide: joined([]string{
			"全校", "全区", "整个区", "整个学校", "整个市", "全部老师", "老师们都", "每个人", "谁都", "任何人", "个学校", "全市", "全县", "全年级", "整个年级", "全体", "所有人", "所有用户", "所有老师", "所有学校", "所有功能", "各校", "各个学校", "好几个学校", "几个学校", "隔壁学校", "集团", "整个平台", "整个系统", "平台全", "大家都", "师生",
			"everyone", "everybody", "all schools", "multiple schools", "several schools", "other schools", "whole site", "site-wide", "entire site", "county", "campus-wide", "across the school", "# schools", "across all", "every user", "whole-school", "every classroom", "all classes", "all users", "all teachers", "all of our", "all our", "whole school", "entire school", "school-wide", "district", "nobody", "no one", "none of our", "none of the", "whole platform", "for any",
			"学校…都", "老师…都", "师生…都", "大家…都", "其他学校", "我区", "本区", "我市", "本市", "辖区", "no-one", "noone", "for anyone", "everyone who", "all of us", "whole staff", "neighbouring school", "neighboring school", "other schools", "staff and pupils", "staff and students", "teachers included",
			"不止我们", "不只我们", "不只是我们", "全网", "全国", "大范围", "not just us", "not only us", "not just our school", "nationwide", "country-wide",
			"所学校", "多校", "多所", "片区", "同时反映", "every single teacher", "every single",
		}, join(wholeZh, placesZh), join(someZh, schoolsZh), join(wholeEn, placesEn), join(countZh, schoolsN), join(crowdZh, staffZh), join(numbersEn, schoolsEn)),
		Class: joined([]string{
			"全班", "整个班", "孩子们", "学生们", "同学们", "全是", "全变", "一个都", "考场", "监考", "模拟考", "会考", "测验", "月考", "全都", "全部", "进不去教室", "进不了教室", "进不去课堂", "进不了课堂", "全部学生", "学生全部", "学生全", "学生都", "学生们都", "同学们都", "所有学生", "所有同学", "孩子们都", "全员", "几个班", "多个班", "个班", "个考场", "在等", "在直播间", "#个学生", "#多人", "#人在线",
			"考试中", "正在考试", "考试进行", "考试期间", "正在进行期", "考试已经开始", "考试还剩", "考试就", "公开课", "开学典礼",
			"all students", "all my students", "all the students", "every student", "whole class", "entire class", "class affected", "students are waiting", "students waiting", "kids", "# students",
			"exam in progress", "during the exam", "sitting the", "the exam", "final exam", "exam briefing", "assembly", "any student",
			"学生…都", "同学…都", "孩子…都", "娃…都", "考生…都", "学员…都", "学生…全", "#个娃", "#个孩子", "#个同学", "#名学生", "#名考生", "多个学生", "多名学生", "考生", "单元测", "kids all", "students all", "pupils all", "everyone in", "nobody in", "no one in", "everyone who", "mock", "# kids", "# pupils",
			"考到一半", "正在考", "在考试", "联考", "统考", "不止我们班", "mid-exam", "in the middle of the exam", "during the test", "test is running", "mock is running",
			"期中测试", "期末测试", "在线测试", "单元测试", "测试进行", "invigilat", "the whole of ", "year group", "whole year",
			"几十个人", "几十人", "好多人", "很多人", "十几个人",
			"# candidates", "all # ", "全机房", "#台电脑",
		}, join(manyZh, pupilsZh), join(manyEn, pupilsEn), join(countZh, classesN), join(crowdZh, pupilsZh), nobodyZh, join(numbersEn, classesEn)),
		Now: []string{
			"现在", "正在", "这会儿", "此刻", "目前", "当前", "今早", "节课", "点的课", "点上课", "点的直播", "马上", "即将", "突然", "刚才", "刚刚", "上课中", "上课时间", "上课了", "上课铃", "上到一半", "在上课", "上课的时候", "一起掉线", "还剩", "还有#分钟", "#分钟", "已经开始", "开始", "在等", "典礼",
			"right now", "now", "as we speak", "ongoing", "in progress", "this period", "first period", "period #", "class at", "lesson at", "happening", "currently", "at the moment", "mid-lesson", "mid-class", "middle of", "just now", "started", "begins", "starts in", "start in", "waiting", "this morning", "# min", "minutes ago", "minutes in",
			"进行中", "正进行", "正在进行", "正上着", "上着课", "课上着", "正上课", "这节课", "下节课", "第#节", "早读", "铃响", "开考", "收卷", "还有半小时", "还有一刻钟", "已开始", "开课了", "快要", "就要", "待会", "一会儿就", "一会儿要", "一会儿还", "等一会儿", "underway", "under way", "on the clock", "# minutes left", "# mins left", "minutes left", "sitting waiting", "sitting there", "this lesson", "next lesson", "in # minutes", "in # mins", "lessons are", "first lessons", "mins into", "minutes into",
			"此时此刻", "眼下", "这时候", "刚开始", "开始上课", "一上课", "课堂上", "课中", "分钟后", "分钟就", "半小时后", "几分钟", "in a few minutes", "shortly", "about to", "due to start", "starts at", "live now", "mid-exam", "mid-test", "during the lesson", "during class", "during the exam",
			"进行到", "最后…分钟", "最后#分钟", "一刻钟", "mid-way", "midway",
			"halfway through", "half way through",
			"在…呢", "正…呢", "讲题", "在讲",
			"坐着等", "干等", "都在等", "等着上课",
		},
		Past: []string{
			"昨天", "前天", "上周", "上次", "之前", "偶尔", "有时", "yesterday", "last week", "earlier", "sometimes", "occasionally",
			"上个月", "上学期", "前几天", "last month", "last term", "a while ago", "the other day",
			"后来好了", "后来又好了", "后来恢复", "自己好了", "已经恢复", "恢复正常了", "came back", "back up now", "sorted itself", "resolved itself",
		},
		Failure: []string{
			"失败", "报错", "变了", "不行", "错误", "出错", "闪退", "丢失", "不见了", "没了", "消失", "异常", "没反应", "不对", "对不上", "算错", "错了", "不一致", "损坏", "保存不", "变回", "不存在", "未授权", "未绑定", "显示未", "看不到评语",
			"fail", "error", "not showing", "aren't showing", "isn't showing", "not delivered", "undelivered", "crash", "lost", "missing", "disappeared", "wrong", "broken", "not saving", "doesn't save", "nothing happens", "went wrong", "invalid", "forbidden", "not allowed", "unsupported", "not found", "empty again",
			"空表", "是空的", "全空", "清零", "归零", "被清空", "清空了", "不翼而飞", "没保存", "保存后", "revert", "vanish", "is dead", "disappear", "wiped", "reset to", "doesn't show", "don't show", "won't save", "can't save", "empty", "errors", "throws",
			"glitch", "greyed out", "grayed out",
			"自己退出", "就退出", "自动关闭", "不准", "shifted", "moved forward", "moved back", "off by", "inaccurate", "incorrect", "doesn't match", "don't match",
			"出问题", "出了问题", "显示0",
			"没收到", "没有收到",
			"没法用", "裂图", "裂开", "unusable",
		},
		Display: []string{
			"显示不全", "显示不出来", "显示不对", "显示有问题", "显示成了", "显示的是", "乱码", "错位", "重叠", "格式乱", "格式不对", "字体", "排版", "难看", "默认头像",
			"layout", "overlap", "misaligned", "cuts off", "cut off", "typo", "spelling", "garbled", "formatting",
			"对不齐", "没对齐", "不对齐", "错行", "挤在一起", "颜色太", "字太小", "图标太", "英文格式", "格式显示", "mm/dd", "dd/mm", "date format", "us format", "too small", "alignment", "font",
		},
		High: []string{
			"紧急", "急", "十万火急", "尽快", "赶紧", "立即", "立刻", "马上处理", "影响上课", "影响教学", "影响今天",
			"urgent", "asap", "hurry", "as soon as possible", "immediately", "emergency",
			"救命", "赶快", "急死", "速回", "help!",
			"在线等", "急用", "加急", "火速", "urgently", "critical", "right away", "high priority", "top priority",
			"快快", "快点",
			"!!!",
		},
		HowTo: []string{
			"请问", "怎么", "如何", "在哪", "哪里", "怎样", "能不能", "能否", "可以吗", "有没有", "是否", "想问", "咨询",
			"how do i", "recommend", "how can i", "how to", "where is", "where do i", "where can i", "where should", "is there a way", "is it possible", "can you", "could you", "do you have", "what is", "what's", "what does",
			"请教", "问一下", "问下", "咋弄", "咋设置", "咋操作", "支持…吗", "可不可以", "how would i", "is there any way", "does it support", "what's the best way",
		},
		Setting: []string{
			"怎么设置", "怎么改", "在哪改", "在哪里改", "如何设置", "在哪设置", "在哪里设置", "怎么打开", "在哪里打开", "怎么开启", "怎么关闭", "怎么调整", "需要怎么",
			"how do i set", "how do i change", "how can i change", "how can i set", "how do i turn", "how do i enable", "how do i make", "where do i set", "where can i set",
		},
		Low: []string{
			"建议", "加个", "要是", "要是能", "希望", "心愿", "希望增加", "希望能", "希望可以", "希望以后", "希望app", "希望有", "希望加", "希望支持", "能否增加", "能不能增加", "能不能加", "如果能", "新功能", "需求", "小建议", "希望成绩",
			"suggestion", "would love", "wish", "request:", "would be lovely", "idea:", "suggest", "feature request", "would be nice", "would be great", "it would help", "enhancement", "could you add", "please add", "nice to have",
			"意见", "小意见", "提议", "提个", "要是…就好了", "如果…就好了", "要是…多好", "能不能…点", "any chance", "just an idea", "handy", "it'd be", "it would be", "cosmetic", "future update",
			"最好能", "最好可以", "期待", "增加…功能", "加个…功能", "出个…功能", "could we have", "would it be possible", "wishlist", "would be cool", "would be handy", "would be useful",
			"any plans", "would appreciate", "有没有计划", "有计划",
			"能不能出个", "能不能做个", "可以出个", "nice touch",
		},

		Slow: []string{
			"很慢", "太慢", "好慢", "特别慢", "巨慢", "超慢", "慢得", "慢死", "有点慢", "卡顿", "很卡", "好卡", "太卡", "特别卡", "卡得", "一卡一卡", "断断续续", "延迟", "缓冲", "转圈", "忽大忽小", "模糊", "很糊", "特别糊", "杂音", "回音", "电流声", "滋滋", "听不清", "看不清",
			"lag", "slow", "sluggish", "buffer", "stutter", "choppy", "cuts in and out", "cutting out", "takes ages", "takes forever", "# seconds to load", "blurry", "echo", "out of sync",
		},
		Business: []string{
			"发票", "开票", "合同", "报价", "续费", "续签", "采购", "招标", "付款", "收据", "汇款", "对公", "服务费",
			"invoice", "quote", "quotation", "contract", "renewal", "purchase order", "billing", "payment", "receipt", "agreement", "dpa",
			"价格", "合作方式", "price", "pricing",
		},

		Live: []string{
			"上课", "课上", "上着", "节课", "的课", "课都", "课已", "课开始", "课还", "网课", "直播", "课堂", "教室", "听课", "讲课", "公开课", "晚自习", "早读", "考试", "考场", "测验", "测试", "月考", "期中", "期末", "模拟考", "考生", "交卷", "答题", "作答", "截止",
			"lesson", "class", "period", "exam", "test", "quiz", "mock", "stream", "live", "teaching", "invigilat", "candidate", "assessment", "deadline", "due ",
		},
		Partial: joined([]string{
			"只有我", "只有一个", "只有几个", "只有个别", "就我", "个别", "部分学生", "部分老师", "部分同学", "有几个学生", "有几个同学", "有几个孩子", "有个学生", "有个孩子", "有个老师", "有一个学生", "少数", "老教师…正常",
			"only me", "only one", "only a few", "just me", "just one", "a few students", "a few pupils", "some students", "some pupils", "others are fine", "everyone else", "rest of the class",
		}, join(join(othersZh, peopleZh), []string{"…正常", "…没问题", "…可以", "…是好的"})),

		Steps: []Step{
			{Name: "nothing blocked, failing or stopped: not P0 by category alone", None: []Signal{Blocked, Failure, Impact}, Then: AtLeastP1},
			{Name: "a feature fails or data is lost: P1", All: []Signal{Failure}, Then: AtMostP1},
			{Name: "someone is blocked (log-in, page, device): P1", All: []Signal{Blocked}, Then: AtMostP1},
			{Name: "works, but slowly or stuttering: P1", All: []Signal{Slow}, None: []Signal{Calm, Setting, Display}, Then: AtMostP1},
			{Name: "请尽快, 影响上课, urgent: one level up", All: []Signal{Raise}, Then: RaiseOne},
			{Name: "an invoice, contract or quote: at most P2", All: []Signal{Business}, None: []Signal{Blocked, Failure, Impact}, Then: AtLeastP2},
			{Name: "the reporter says it can wait: at most P2", All: []Signal{Calm}, None: []Signal{Impact, Wide, Class, Raise}, Then: AtLeastP2},
			{Name: "a request for rights or an account: at most P2", All: []Signal{Request}, None: []Signal{Failure, Raise, Wide, Class}, Then: AtLeastP2},
			{Name: "only looks wrong: at most P2", All: []Signal{Display}, None: []Signal{Raise}, Then: AtLeastP2},
			{Name: "a how-to question: at most P2", All: []Signal{HowTo}, None: []Signal{Blocked, Failure}, Then: AtLeastP2},
			{Name: "asks how to set something up: at most P2", All: []Signal{Setting}, None: []Signal{Wide, Class, Raise}, Then: AtLeastP2},
			{Name: "a suggestion: P3", All: []Signal{Suggestion}, None: []Signal{Blocked, Failure, Raise, Request}, Then: SetP3},
			{Name: "a class, stream or exam cannot run: P0", All: []Signal{Impact}, None: []Signal{Over}, Then: SetP0},
			{Name: "blocked across a school, district or platform: P0", All: []Signal{Blocked, Wide}, None: []Signal{Over, Partial}, Then: SetP0},
			{Name: "a whole class blocked from a lesson, exam or deadline now: P0", All: []Signal{Blocked, Class, Now, Live}, None: []Signal{Partial}, Then: SetP0},
			{Name: "a feature fails for a whole class in a lesson, exam or deadline now: P0", All: []Signal{Failure, Class, Now, Live}, None: []Signal{Partial}, Then: SetP0},
			{Name: "a whole class blocked in a lesson or exam, asked urgently: P0", All: []Signal{Blocked, Class, Live, Raise}, None: []Signal{Partial, Over}, Then: SetP0},
			{Name: "blocked in a lesson now, asked urgently: P0", All: []Signal{Blocked, Live, Now, Raise}, None: []Signal{Partial, Over}, Then: SetP0},
			{Name: "a feature fails across a school or platform now: P0", All: []Signal{Failure, Wide, Now}, None: []Signal{Partial}, Then: SetP0},
			{Name: "only past and over: not P0 by its category", All: []Signal{Over}, Then: AtLeastP1},
		},
	}
}
