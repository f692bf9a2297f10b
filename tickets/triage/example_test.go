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
