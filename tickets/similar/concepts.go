package similar

// Kind says what a concept names in a fault report.
type Kind int

// The kinds of concept.
const (
	// Object: the part of the platform that fails (live class, camera,
	// login, homework...).
	Object Kind = iota
	// Symptom: how it fails (cannot enter, black screen, no sound...).
	Symptom
	// Request: what a person asks for that is not a fault of the platform
	// (reset a password, change a phone number...). Requests are personal:
	// two people asking for the same thing are not one incident unless
	// their texts say more in common.
	Request
	// Generic: a word named in many ways ("网络", "wifi") that says
	// little about which fault a report describes. It counts like one
	// word in common.
	Generic
	// Failure: a word of failure in general ("失败", "failed", "not
	// working"). It counts like one word in common, never as a symptom:
	// reports of different faults share it all the time. But two reports
	// that both say something fails, at least one without naming how,
	// are not held apart for want of a shared Symptom (see VagueSymptom).
	Failure
)

// Concept is one idea that people write in many ways, in Chinese and
// English. Phrases are matched in lower case after full-width letters
// are folded; an English phrase matches only at word boundaries, and a
// phrase ending in "*" matches any word that starts with it.
type Concept struct {
	Name    string
	Kind    Kind
	Phrases []string
}

// Concepts is the vocabulary of faults reported to a school's or an
// online-education platform's desk. Two reports that name the same
// concepts describe the same thing whatever the language; two reports
// that name different concepts of the same kind (a black screen and no
// sound; a camera and the homework page) are different faults, which
// Similarity counts against them.
//
// Keep phrases specific: a phrase belongs here when nearly every mail
// containing it is about that concept. A phrase that means either of two
// concepts ("不显示": gone, or fails to display) is listed under both, so
// that it agrees with reports that say either.
var Concepts = []Concept{
	// Objects.
	{"live_class", Object, []string{
		"直播课", "直播间", "直播", "网课", "视频课", "在线课堂", "线上课", "线上课堂", "云课堂", "课堂", "上不了课", "开不了课", "进教室", "进课堂", "进直播",
		"live class*", "live lesson*", "live session*", "livestream*", "live stream*", "live", "stream*", "online class*", "online lesson*", "class room", "classroom*", "virtual class*"}},
	{"login", Object, []string{
		"登录", "登陆", "登不上", "登入", "log in", "login*", "log-in", "sign in", "signin", "sign-in", "logging in",
	}},
	{"camera", Object, []string{"摄像头", "相机", "camera*", "webcam*"}},
	{"microphone", Object, []string{"麦克风", "话筒", "麦", "mic", "mics", "microphone*"}},
	{"homework", Object, []string{"作业", "练习", "homework*", "assignment*"}},
	{"video_replay", Object, []string{"回放", "录播", "回看", "点播", "课程视频", "course video*", "lesson video*", "replay*", "recording*", "recorded", "playback", "player"}},
	{"files", Object, []string{"下载", "资料", "文件", "附件", "download*", "material*", "file", "files", "attachment*", "pdf"}},
	{"exam", Object, []string{"考试", "测验", "试卷", "exam*", "quiz*", "test paper*"}},
	{"payment", Object, []string{"支付", "付款", "缴费", "退款", "订单", "发票", "payment*", "pay", "refund*", "invoice*", "order*", "checkout", "付钱", "交费", "fee", "fees", "tuition"}},
	{"app", Object, []string{"app", "客户端", "应用", "apk", "ipad", "手机端"}},
	{"grades", Object, []string{"成绩", "分数", "grade*", "score*", "mark*"}},
	{"courseware", Object, []string{"课件", "ppt", "课件上传", "slides", "courseware"}},
	{"screen_share", Object, []string{"共享屏幕", "屏幕共享", "投屏", "screen shar*", "share screen", "share my screen"}},
	{"notification", Object, []string{"通知", "推送", "消息提醒", "提醒", "notification*", "notif*", "push", "alerts", "reminder*"}},
	{"attendance", Object, []string{"签到", "打卡", "考勤", "点名", "attendance", "check-in", "check in", "checkin", "roll call", "sign-in sheet"}},
	{"chat", Object, []string{"聊天", "评论区", "互动区", "讨论区", "弹幕", "留言", "私信", "发消息", "chat*", "comment*", "discussion*", "message board", "messages", "messaging"}},
	{"whiteboard", Object, []string{"白板", "画板", "板书", "whiteboard*", "white board", "annotation*"}},
	{"timetable", Object, []string{"课表", "课程表", "排课", "日程", "timetable*", "schedule*", "calendar*"}},
	{"email", Object, []string{"邮件", "邮箱", "e-mail*", "email*", "mails", "inbox"}},
	// The whole platform is named in passing by reports of any of its
	// faults ("平台登不上", "网站打不开"): a word in common, not an object.
	{"platform", Generic, []string{"网站", "网页", "官网", "平台首页", "首页", "平台", "系统", "服务器", "website*", "web page", "webpage*", "homepage", "portal", "platform*", "system*", "site", "server*"}},
	// Words said in both languages for what a report is about, counted
	// as words in common.
	// Words of absence: said of something that should come ("没有推送",
	// "no notifications"), they are its symptom (see Implies).
	{"absent", Generic, []string{"没有", "没", "不再", "no", "none", "never", "stopped", "no longer"}},
	{"update", Generic, []string{"更新", "升级", "新版", "版本", "update*", "upgrad*", "version*", "latest"}},
	// A video is as often the live class as a recording.
	{"video", Generic, []string{"视频", "video*"}},
	{"sound", Generic, []string{"声音", "音频", "audio", "sound*", "voice*"}},
	{"submit", Generic, []string{"提交", "交卷", "上传", "submit*", "submission*", "upload*", "hand in", "turn in"}},
	{"load", Generic, []string{"加载", "打开", "load*", "open*"}},
	// Network and browser are mostly named in what the reporter tried
	// ("换了浏览器也一样", "网络是好的"): a word in common, not an object.
	{"network", Generic, []string{"网络", "网速", "wifi", "wi-fi", "network*", "internet", "connection", "浏览器", "browser*", "chrome", "safari"}},
	{"certificate", Object, []string{"证书", "证明", "certificate*"}},
	{"profile", Object, []string{"头像", "个人资料", "个人信息", "昵称", "avatar*", "profile*", "nickname"}},
	{"search", Object, []string{"搜索", "查找", "search*"}},

	// Symptoms.
	{"cannot_enter", Symptom, []string{
		"进不去", "进不了", "进不来", "打不开", "上不了", "上不去", "无法进入", "无法打开", "不能进入", "无法加入", "加入不了", "加载不出", "加载失败", "一直加载", "一直转圈", "转圈", "白屏", "开不了", "没法进", "没办法进", "登不上", "无法登录", "登录不了", "登录失败", "不能登录",
		"won't load", "wont load", "will not load", "not loading", "doesn't load", "does not load", "can't load", "cannot load", "fails to load", "failed to load",
		"can't join", "cannot join", "can not join", "unable to join", "can't enter", "cannot enter", "unable to enter", "can't get in", "cannot get in", "can't get into", "cannot get into", "unable to get into", "can't access", "cannot access", "unable to access",
		"播放不了", "放不出来", "放不了", "播不了", "无法播放", "不能播放", "播放失败", "won't play", "wont play", "not playing", "can't play", "cannot play", "doesn't play", "will not play",
		"not starting", "won't start", "wont start", "doesn't start", "does not start", "not start", "won't open", "wont open", "doesn't open", "does not open", "can't open", "cannot open",
		"stuck loading", "stuck on loading", "keeps loading", "spinning", "blank page", "blank", "空白", "显示不出", "不显示", "没显示", "not showing", "doesn't show", "does not show", "can't log in", "cannot log in", "can't login", "cannot login", "unable to log in", "login failed",
		"显示不了", "看不了", "登陆不了", "登陆不上", "登陆失败", "can't sign in", "cannot sign in", "unable to sign in", "can't log on"}},
	{"black_screen", Symptom, []string{"黑屏", "没有画面", "没画面", "看不到画面", "看不见画面", "画面黑", "black screen", "screen is black", "screen black", "no picture", "no video", "全黑", "黑了", "黑的", "一片黑", "黑乎乎", "black"}},
	{"no_sound", Symptom, []string{"没有声音", "没声音", "无声音", "听不到", "听不见", "静音", "声音小", "no sound", "no audio", "can't hear", "cannot hear", "can not hear", "silent", "muted"}},
	{"stutter", Symptom, []string{"卡顿", "很卡", "特别卡", "好卡", "卡住", "卡死", "延迟", "掉帧", "不流畅", "一卡一卡", "慢", "转不动", "lag*", "stutter*", "freez*", "frozen", "choppy", "buffering", "delay*", "slow*", "hangs", "hanging"}},
	{"blurry", Symptom, []string{"模糊", "不清楚", "看不清", "画质差", "花屏", "blurry", "blurred", "pixelat*", "low quality", "fuzzy"}},
	{"echo", Symptom, []string{"回声", "杂音", "啸叫", "电流声", "echo*", "noise", "audio feedback", "mic feedback", "feedback noise", "static", "回音", "双声", "重音", "hear themselves", "hear ourselves", "hear their own", "hear my own", "own voice"}},
	{"crash", Symptom, []string{"闪退", "崩溃", "自动退出", "crash*", "force clos*", "quits", "退出来", "就退出", "自己退出", "自动关闭", "自己关了", "closes", "closing", "shuts down", "shut down"}},
	// A failure said in general words ("支付失败", "payment failed").
	{"fails", Failure, []string{"报错", "错误代码", "错误码", "提示错误", "出错", "失败", "不成功", "没成功", "用不了", "不能用", "没反应", "没有反应", "异常", "不了", "不下来", "不出来", "无法", "不能",
		"error*", "fail*", "can't", "cannot", "unable to", "won't", "not working", "doesn't work", "does not work", "isn't working", "is not working", "broken", "500", "502", "503", "504", "down", "挂了", "崩了", "宕机", "瘫痪", "outage", "超时", "time out", "timed out", "timeout", "繁忙", "went wrong", "失效", "不好使", "不管用", "没用了", "不工作", "stopped working", "not work*"}},
	{"cannot_submit", Symptom, []string{"提交不了", "交不了", "无法提交", "提交失败", "上传不了", "上传失败", "无法上传", "发不出去", "发不出", "发不了", "发送失败", "发送不了", "无法发送", "保存不了", "保存失败", "无法保存",
		"can't submit", "cannot submit", "unable to submit", "won't submit", "submission fail*", "can't upload", "cannot upload", "upload fail*", "not sending", "won't send", "can't send", "cannot send", "fails to send", "failed to send", "not going through", "don't go through", "doesn't go through", "can't save", "cannot save", "won't save"}},
	{"not_received", Symptom, []string{"收不到", "没收到", "没有收到", "未收到", "接收不到", "收不了", "not getting", "not receiving", "not received", "no longer get*", "didn't get", "didn't receive", "did not receive", "never came", "never arrived", "never arrive*", "don't get", "doesn't get", "aren't getting", "stopped getting", "stopped receiving", "not arriving", "aren't arriving", "stopped arriving", "no longer arriv*", "没有推送", "没推送", "不推送", "没有提醒", "没提醒", "没有通知", "没通知"}},
	{"missing", Symptom, []string{"不见了", "消失", "丢失", "找不到", "没显示", "不显示", "显示不出", "missing", "disappear*", "gone", "not showing", "doesn't show", "not show", "没了", "被删", "删掉了", "删除了", "清空", "空的", "deleted", "removed", "empty"}},
	{"wrong_data", Symptom, []string{"不对", "错了", "算错", "显示错误", "不一致", "wrong", "incorrect", "mismatch"}},
	{"disconnect", Symptom, []string{"掉线", "断线", "断开", "断了", "自动退出直播", "踢出", "被踢", "踢了出来", "连不上", "重连", "disconnect*", "reconnect*", "dropped", "drops", "dropping", "kicked", "kicks", "connection lost", "lost connection"}},

	// Personal requests: never a platform-wide fault by themselves.
	{"forgot_password", Request, []string{"忘记密码", "忘了密码", "密码忘了", "密码忘记", "找回密码", "重置密码", "forgot my password", "forgot password", "forgotten password", "reset my password", "reset password", "password reset"}},
	{"change_password", Request, []string{"修改密码", "改密码", "更改密码", "换密码", "change my password", "change password", "update my password"}},
	{"account_locked", Request, []string{"账号被锁", "帐号被锁", "账户被锁", "被锁定", "锁定了", "冻结", "account locked", "locked out", "account is locked", "been locked"}},
	{"verify_code", Request, []string{"验证码", "短信", "verification code*", "verify code", "sms code", "otp", "2fa", "one-time code"}},
	{"phone_change", Request, []string{"换手机", "换了手机", "更换手机", "手机号", "换号", "新手机", "new phone", "phone number", "changed my phone", "change phone"}},
	{"add_account", Request, []string{"开通账号", "新建账号", "新增账号", "注册", "开户", "添加学生", "加学生", "create account*", "new account*", "register", "add student*", "add a student"}},
	{"permission", Request, []string{"权限", "授权", "管理员", "permission*", "admin right*", "access right*", "role"}},
	{"how_to", Request, []string{"怎么设置", "如何设置", "怎么操作", "如何使用", "怎么用", "请问如何", "how do i", "how to", "how can i"}},
	{"rename", Request, []string{"改名", "修改姓名", "改名字", "姓名错", "change my name", "rename", "change the name"}},
}

// Implication says that a report naming every concept of If also names
// Then: a general word of failure said of an action ("提交" and "失败",
// "upload" and "error") is that action's symptom.
type Implication struct {
	If   []string
	Then string
}

// Implies are the implications applied to every report, in order.
var Implies = []Implication{
	{[]string{"submit", "fails"}, "cannot_submit"},
	{[]string{"load", "fails"}, "cannot_enter"},
	{[]string{"login", "fails"}, "cannot_enter"},
	{[]string{"notification", "absent"}, "not_received"},
}
