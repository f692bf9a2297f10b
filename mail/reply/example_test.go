package reply_test

import (
	"fmt"

	"github.com/postdesk/postdesk/mail/reply"
)

func ExampleText() {
	body := "#status resolved\n" +
		"问题已经解决了，谢谢！\n" +
		"\n" +
		"发自我的iPhone\n" +
		"\n" +
		"------------------ 原始邮件 ------------------\n" +
		"发件人: \"客服中心\"<support@postdesk.example>;\n" +
		"发送时间: 2026年11月21日(星期六) 上午10:00\n" +
		"收件人: \"张三\"<zhangsan@qq.com>;\n" +
		"主题: Re: [#1234] 无法登录\n" +
		"\n" +
		"您好，请尝试重置密码。\n"
	fmt.Println(reply.Text(body))
	// Output:
	// #status resolved
	// 问题已经解决了，谢谢！
}

func ExampleHTML() {
	body := `<div dir="ltr">Thanks, that fixed it.</div><br>` +
		`<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sat, Nov 21, 2026 at 10:00 AM Support ` +
		`&lt;support@example.com&gt; wrote:<br></div>` +
		`<blockquote class="gmail_quote">Please try to reset your password.</blockquote></div>`
	fmt.Println(reply.HTML(body))
	// Output:
	// Thanks, that fixed it.
}

func ExampleHTMLText() {
	body := `<div>直播课<a href="https://edu.example/live/42">这个页面</a>一直黑屏。</div>` +
		`<div><img alt="截图" src="cid:shot"></div><script>track()</script>`
	fmt.Println(reply.HTMLText(body))
	// Output:
	// 直播课这个页面 (https://edu.example/live/42)一直黑屏。
	// 截图
}
