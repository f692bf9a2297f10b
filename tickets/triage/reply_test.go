package triage

import "testing"

func TestClassifyReply(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Reply
	}{
		{"thanks and works", "好的，谢谢！现在正常了。", ReplyConfirmed},
		{"fixed zh", "好了好了，可以登录了，谢谢老师", ReplyConfirmed},
		{"resolved zh", "问题已经解决了，辛苦了", ReplyConfirmed},
		{"no problem any more", "试了一下，没问题了", ReplyConfirmed},
		{"recovered", "直播恢复正常了，感谢！", ReplyConfirmed},
		{"can use", "能用了，谢谢你们", ReplyConfirmed},
		{"ok colloquial", "ok了 多谢", ReplyConfirmed},
		{"did not come back", "今天上课没再出现卡顿，应该是好了", ReplyConfirmed},
		{"no longer stutters", "不卡了，谢谢", ReplyConfirmed},
		{"works now", "Works now, thanks a lot!", ReplyConfirmed},
		{"fixed en", "That fixed it. Cheers", ReplyConfirmed},
		{"no longer an issue", "This is no longer an issue, thank you.", ReplyConfirmed},
		{"working again", "Everything is working again.", ReplyConfirmed},
		{"all good", "All good now :)", ReplyConfirmed},
		{"back to normal", "Back to normal on our side.", ReplyConfirmed},
		{"typographic apostrophe thanks", "It works — thank you’s all round", ReplyConfirmed},

		{"thanks only zh", "谢谢！", ReplyThanks},
		{"thanks only en", "Thanks!", ReplyThanks},
		{"thanks for the help", "Thank you for your help.", ReplyThanks},
		{"hard work", "辛苦了", ReplyThanks},
		{"appreciate", "Appreciate the quick response.", ReplyThanks},

		{"still broken zh", "还是不行，学生还是进不去", ReplyNegative},
		{"still the same", "试了你们说的方法，还是一样", ReplyNegative},
		{"again", "又出现了，今天第二节课又卡了", ReplyNegative},
		{"remains", "问题仍然存在", ReplyNegative},
		{"not fixed zh", "没解决啊，刚才又试了", ReplyNegative},
		{"not ok any more", "昨天好了，今天又不行了", ReplyNegative},
		{"thanks but broken", "谢谢，不过还是打不开", ReplyNegative},
		{"no use", "重装了也没用", ReplyNegative},
		{"not normal", "登录还是不正常", ReplyNegative},
		{"still en", "Still getting the same error.", ReplyNegative},
		{"again en", "It happened again this morning.", ReplyNegative},
		{"not fixed en", "Sorry, not fixed.", ReplyNegative},
		{"not working", "Thanks but it's not working for me.", ReplyNegative},
		{"doesn't work", "Tried that, doesn't work.", ReplyNegative},
		{"no longer works", "The link no longer works.", ReplyNegative},
		{"came back", "The echo came back today.", ReplyNegative},
		{"can't", "I can't log in at all now.", ReplyNegative},

		{"just ok", "好的", ReplyUnclear},
		{"received", "收到", ReplyUnclear},
		{"new question after thanks", "好了，谢谢！另外想问下成绩怎么导出？", ReplyUnclear},
		{"question", "请问是哪里的问题呢？", ReplyUnclear},
		{"thanks in advance", "Thanks in advance for looking at it.", ReplyUnclear},
		{"not sure", "Not sure yet, I will test tomorrow.", ReplyUnclear},
		{"will try", "我明天上课的时候再试试", ReplyUnclear},
		{"unsure zh", "不确定是不是好了，回头看看", ReplyUnclear},
		{"empty", "", ReplyUnclear},
		{"one more question", "Works, thanks. One more question: can I export it?", ReplyUnclear},
		{"ok en", "OK", ReplyUnclear},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyReply(tt.text); got != tt.want {
				t.Errorf("ClassifyReply(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestIsStatusQuery(t *testing.T) {
	tests := []struct {
		name          string
		subject, body string
		want          bool
	}{
		{"subject asks progress", "请问进度", "您好，想问下我上周提交的问题", true},
		{"where is it", "Re: [#12] 直播卡顿", "请问现在处理到哪了？", true},
		{"how is it going", "", "老师，那个问题怎么样了", true},
		{"any result", "作业提交的问题", "有结果了吗？", true},
		{"any progress", "", "请问有进展吗", true},
		{"when fixed", "", "还要多久能好？学生一直在问", true},
		{"asking fixed", "登录问题", "修好了吗？", true},
		{"past fault named", "", "我上周报的登录不上的问题处理到哪了？", true},
		{"query progress", "查询进度", "", true},
		{"handling progress", "", "想了解一下处理进度", true},
		{"any update", "Any update?", "Hi, just checking.", true},
		{"status?", "Ticket", "Status?", true},
		{"status update", "Status update please", "Could I get a status update on my report from Monday?", true},
		{"whats the status", "", "What's the status of my ticket?", true},
		{"news", "", "Any news on this? Thanks", true},
		{"is it fixed yet", "", "Is it fixed yet?", true},
		{"when will", "", "When will it be fixed? Parents are asking.", true},
		{"following up", "Following up on my report", "Following up on my report from last week about the login error.", true},
		{"full width question mark", "", "处理得怎么样了？", true},
		{"eta", "ETA?", "Any ETA for the fix?", true},

		{"fault and asks", "直播又卡了", "上次的问题处理得怎么样了？今天又卡了", false},
		{"fault now", "", "怎么样了？现在学生还是进不去", false},
		{"new fault with query word", "请问进度", "作业提交一直失败，请问进度", false},
		{"fault english", "Any update?", "Any update? Students still can't log in.", false},
		{"report", "登录不上", "学生账号登录不上，提示密码错误", false},
		{"how-to with 进度", "学习进度", "请问怎么查看学生的学习进度", false},
		{"progress bar bug", "进度条不动", "视频进度条拖不动，报错", false},
		{"status feature", "状态显示错误", "作业状态显示错误", false},
		{"plain report", "视频卡顿", "上课的时候视频很卡", false},
		{"thanks", "", "谢谢，已经好了", false},
		{"suggestion", "建议", "建议增加导出功能", false},
		{"status page", "Status page", "Where is your status page?", false},
		{"english fault", "Homework upload", "Upload fails with error 500 again", false},
		{"empty", "", "", false},
		{"crash again", "怎么样了", "app又闪退了", false},
		{"outage", "平台崩了", "全校都登不上，有结果了吗", false},
		{"exam now", "考试", "正在考试，学生交不了卷，怎么样了", false},
		{"new question", "请问", "请问怎么导出成绩", false},
		{"ask about invoice", "发票", "发票开好了吗", false},
		{"english how-to", "How do I", "How do I reset a password?", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsStatusQuery(nil, tt.subject, tt.body); got != tt.want {
				t.Errorf("IsStatusQuery(%q, %q) = %v, want %v", tt.subject, tt.body, got, tt.want)
			}
		})
	}
}
