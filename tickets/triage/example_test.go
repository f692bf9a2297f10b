package triage_test

import (
	"fmt"

	"github.com/postdesk/postdesk/tickets/triage"
)

func ExampleRules_Classify() {
	rules := triage.DefaultRules()

	cat, prio := rules.Classify("忘记密码，无法登录", "我是三年级二班的学生，手机验证码也收不到。")
	c, _ := rules.Category(cat)
	fmt.Printf("%s P%d %s (%s)\n", cat, prio, c.LabelFor("zh-CN"), c.TypicalFor("zh-CN"))

	cat, prio = rules.Classify("Feature request: export grades to CSV", "Would be nice to have.")
	c, _ = rules.Category(cat)
	fmt.Printf("%s P%d %s (%s)\n", cat, prio, c.LabelFor("en"), c.TypicalFor("en"))
	// Output:
	// account P1 账号/权限 (30 分钟至 2 小时)
	// feature P3 Feature or data error (4 hours to 1 working day)
}

func ExampleRules_Signals() {
	rules := triage.DefaultRules()
	fmt.Println(rules.Signals("直播课突然断了", "学生全部掉出去了，现在进不去"))
	fmt.Println(rules.Signals("Not urgent: typo", "There is a typo in the footer.\n--\nFor urgent matters please call 555-0100"))
	// Output:
	// [impact blocked class now live]
	// [display calm]
}

func ExampleClassifyReply() {
	for _, text := range []string{"好的，谢谢！现在正常了。", "谢谢！", "还是不行，学生还是进不去", "好的"} {
		fmt.Println(triage.ClassifyReply(text))
	}
	// Output:
	// confirmed
	// thanks
	// negative
	// unclear
}

func ExampleIsStatusQuery() {
	fmt.Println(triage.IsStatusQuery(nil, "请问进度", "我上周报的登录问题处理到哪了？"))
	fmt.Println(triage.IsStatusQuery(nil, "直播又卡了", "上次的问题处理得怎么样了？今天又卡了"))
	// Output:
	// true
	// false
}
