package mail_test

import (
	"fmt"

	"github.com/postdesk/postdesk/mail"
)

func ExampleParse() {
	raw := "From: =?gbk?B?1cXAz8qm?= <Teacher@School.test>\r\n" +
		"Subject: =?utf-8?B?5Zue5aSN77yaWyMxMl0g55u05pKt5Y2h6aG/?=\r\n" +
		"Message-ID: <r2@school.test>\r\n" +
		"In-Reply-To: <pd.12.abcd@desk.test>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"还是卡。\r\n\r\n在 2026年11月21日 10:00，support@desk.test 写道：\r\n> 请重试\r\n"
	m := mail.Parse([]byte(raw), nil)
	fmt.Println(m.From.Name, m.From.Email)
	fmt.Println(m.Subject)
	fmt.Println(m.InReplyTo)
	fmt.Println(m.NewText)
	// Output:
	// 张老师 teacher@school.test
	// 回复：[#12] 直播卡顿
	// [pd.12.abcd@desk.test]
	// 还是卡。
}
