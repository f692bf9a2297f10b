package reply

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"blank", " \n\t\n", ""},
		{"no quote", "Thanks, that fixed it.\n", "Thanks, that fixed it."},
		{"crlf and trailing blanks", "\r\n\r\nLine one  \r\nLine two\r\n\r\n", "Line one\nLine two"},
		{"command survives", "#status resolved\n#priority low\n\nThanks!\n\nOn Sat, Nov 21, 2026 at 10:00 AM Support <support@example.com> wrote:\n> Did that help?\n",
			"#status resolved\n#priority low\n\nThanks!"},
		{"lone > in prose", "The load is > 90% since noon,\nand a > b holds.\n\n> quoted\n",
			"The load is > 90% since noon,\nand a > b holds."},
		{"quote without attribution", "Yes.\n> Did it work?\n", "Yes."},
		{"indented quote", "Yes.\n  > Did it work?\n", "Yes."},
		{"on wrote", "Done.\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One <m@example.com> wrote:\n\n> Hi\n", "Done."},
		{"on wrote wrapped in two lines", "Done.\n\nOn Tue, Sep 25, 2012 at 8:59 AM, Chris Wanstrath\n<notifications@github.com> wrote:\n\n> Steps 0-2 are in prod.\n", "Done."},
		{"on wrote without quote below", "Done.\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:\nHi, the original was not quoted.\n", "Done."},
		{"on prose is not an attribution", "On your server you can run:\n\n    make test\n\nThat is all.", "On your server you can run:\n\n    make test\n\nThat is all."},
		{"German", "Passt.\n\nAm 21.11.2026 um 10:00 schrieb Support <support@example.com>:\n> Passt der Termin?\n", "Passt."},
		{"German no quote below", "Passt.\n\nAm 21.11.2026 um 10:00 schrieb Support:\nPasst der Termin?\n", "Passt."},
		{"French", "Merci.\n\nLe 21 nov. 2026 à 10:00, Support <support@example.com> a écrit :\n> Bonjour\n", "Merci."},
		{"bare wrote needs a quote", "Bob wrote:\nhello world\n", "Bob wrote:\nhello world"},
		{"bare wrote above quote", "Agreed.\n\nBob wrote:\n> Ship it?\n", "Agreed."},
		{"outlook original message", "See attached.\n\n-----Original Message-----\nFrom: Support\nSent: Saturday\nTo: Bob\nSubject: Logs\n\nPlease send logs.\n", "See attached."},
		{"outlook spaced original message", "See attached.\n\n----- Original Message -----\nFrom: Support\n", "See attached."},
		{"outlook header block", "See attached.\n\nFrom: Support <support@example.com>\nSent: Saturday, November 21, 2026 10:00 AM\nTo: Bob <bob@example.com>\nSubject: RE: Logs\n\nPlease send logs.\n",
			"See attached."},
		{"outlook header block with rule", "See attached.\n________________________________\nFrom: Support <support@example.com>\nSent: Saturday, November 21, 2026 10:00 AM\nTo: Bob <bob@example.com>\nSubject: RE: Logs\n",
			"See attached."},
		{"outlook bold header block", "See attached.\n\n *From:* Support [mailto:support@example.com]\n *Sent:* Saturday\n *To:* Bob\n *Subject:* Logs\n", "See attached."},
		{"from line alone is prose", "From: the team, with thanks.\nDate: whenever you like.\n", "From: the team, with thanks.\nDate: whenever you like."},
		{"zoho", "Ok\n\n---- On Sat, 21 Nov 2026 10:00:00 +0800 Support <s@example.com> wrote ----\n\nHi\n", "Ok"},
		{"dashed prose is not a separator", "Ok\n\n---- see below ----\n\nHi\n", "Ok\n\n---- see below ----\n\nHi"},
		{"forwarded message", "FYI\n\n---------- Forwarded message ---------\nFrom: Support <support@example.com>\nDate: Sat, Nov 21, 2026\n", "FYI"},
		{"begin forwarded message", "FYI\n\nBegin forwarded message:\n\nFrom: Support\n", "FYI"},
		{"signature delimiter", "Thanks\n\n-- \nBob\nACME Inc.\n", "Thanks"},
		{"bare signature delimiter", "Thanks\n--\nBob\n", "Thanks"},
		{"dashes in a line are prose", "Use a -- b here.\n", "Use a -- b here."},
		{"sent from my iPhone", "OK\n\nSent from my iPhone\n", "OK"},
		{"sent from my Android", "OK\nSent from my Android\n", "OK"},
		{"sent from my Samsung", "OK\n\nSent from my Samsung Galaxy smartphone.\n", "OK"},
		{"get outlook for iOS", "OK\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\nFrom: Support <support@example.com>\nSent: Saturday, November 21, 2026 10:00 AM\nTo: Bob\nSubject: Test\n", "OK"},
		{"sent from mail for windows", "OK\n\nSent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows 10\n", "OK"},
		{"footer not at the end is prose", "Sent from my iPhone\nwhile on the train, so here is the long story:\none\ntwo\nthree\n", "Sent from my iPhone\nwhile on the train, so here is the long story:\none\ntwo\nthree"},
		{"weak colon line is prose", "See the log at 10:30:\n> ERROR disk full\n", "See the log at 10:30:"},
		{"chinese prose is not a footer", "谢谢\n来自我的客户的反馈。\n", "谢谢\n来自我的客户的反馈。"},
		{"chinese heartfelt is not a footer", "问题解决了\n发自内心地感谢！\n", "问题解决了\n发自内心地感谢！"},
		{"full-width > is prose", "＞＞ 重要 ＜＜\n请尽快处理\n", "＞＞ 重要 ＜＜\n请尽快处理"},
		{"sent from prose", "Sent from my desk, is much easier then my mobile phone.", "Sent from my desk, is much easier then my mobile phone."},
		{"footer and signature", "OK\n\n-- \nBob\n\nSent from my iPhone\n\nOn Sat, Nov 21, 2026, at 10:00, Support <s@example.com> wrote:\n> Hi\n", "OK"},
		{"bottom posted", "On Sat, Nov 21, 2026 at 10:00 AM, Support <s@example.com> wrote:\n> Did it work?\n\nYes, thanks.\n\n-- \nBob\n", "Yes, thanks."},
		{"interleaved below the attribution", "Support <s@example.com> wrote:\n> Question one?\nAnswer one.\n> Question two?\n\nAnswer two.\n", "> Question one?\nAnswer one.\n\n> Question two?\nAnswer two."},
		{"interleaved keeps only the top", "Hi,\n\nOn Sat, Nov 21, 2026 at 10:00 AM, Support <s@example.com> wrote:\n> Question one?\nAnswer one.\n", "Hi,"},
		{"all quoted", "> only a quote\n> nothing else\n", "> only a quote\n> nothing else"},
		{"only a forward", "\n---------- Forwarded message ---------\nFrom: A\n\nBody\n", "---------- Forwarded message ---------\nFrom: A\n\nBody"},
		{"only a signature", "-- \nBob\n", "--\nBob"},
		{"mailing list trailer", "Thanks.\n\n_______________________________________________\nusers mailing list\nusers@example.com\nhttps://example.com/listinfo\n", "Thanks."},
		{"bom", "\ufeffHello\n> quoted", "Hello"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
		})
	}
}

// chineseCases are replies as Chinese mail clients write them, constructed
// after real mails: the plain-text part and the HTML part of each, which
// must both give want.
var chineseCases = []struct {
	name string
	text string
	html string
	want string
}{
	{
		name: "QQ Mail",
		text: "#status resolved\n\n问题已经解决了，谢谢！\n\n\n------------------&nbsp;原始邮件&nbsp;------------------\n" +
			"发件人: \"客服中心\"<support@postdesk.example>;\n发送时间: 2026年11月21日(星期六) 上午10:00\n" +
			"收件人: \"张三\"<zhangsan@qq.com>;\n主题: Re: [#1234] 无法登录\n\n您好，请尝试重置密码。\n",
		html: `<meta http-equiv="Content-Type" content="text/html; charset=GB18030"><div>#status resolved</div><div><br></div><div>问题已经解决了，谢谢！</div><div><br></div>` +
			`<div><br></div><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div>` +
			`<div style="font-size: 12px;background:#efefef;padding:8px;"><div><b>发件人:</b>&nbsp;"客服中心"&lt;support@postdesk.example&gt;;</div>` +
			`<div><b>发送时间:</b>&nbsp;2026年11月21日(星期六) 上午10:00</div><div><b>收件人:</b>&nbsp;"张三"&lt;zhangsan@qq.com&gt;;<wbr></div>` +
			`<div></div><div><b>主题:</b>&nbsp;Re: [#1234] 无法登录</div></div><div><br></div>您好，请尝试重置密码。`,
		want: "#status resolved\n\n问题已经解决了，谢谢！",
	},
	{
		name: "QQ Mail original-content",
		text: "好的。\n\n------------------ 原始邮件 ------------------\n发件人: \"客服中心\"<support@postdesk.example>;\n" +
			"发送时间: 2026年11月21日(星期六) 上午10:00\n收件人: \"张三\"<zhangsan@qq.com>;\n抄送: \"李四\"<lisi@qq.com>;\n主题: Re: 无法登录\n\n您好。\n",
		html: `<div>好的。</div><div><br></div><div id="original-content"><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">` +
			`------------------ 原始邮件 ------------------</div><div><b>发件人:</b> 客服中心</div><div>您好。</div></div>`,
		want: "好的。",
	},
	{
		name: "Foxmail",
		text: "已经按您说的操作了，还是报错。\n\nzhangsan@foxmail.com\n\n发件人： 客服中心\n发送时间： 2026-11-21 10:00\n收件人： zhangsan\n主题： 回复：无法登录\n您好，请尝试重置密码。\n",
		html: `<div>已经按您说的操作了，还是报错。</div><div><br></div><hr style="width: 210px; height: 1px;" color="#b5c4df" size="1" align="left">` +
			`<div><span><div style="MARGIN: 10px; FONT-FAMILY: verdana; FONT-SIZE: 10pt"><div>zhangsan@foxmail.com</div></div></span></div>` +
			`<blockquote style="margin-Top: 0px; margin-Bottom: 0px; margin-Left: 0.5em; margin-Right: inherit"><div>&nbsp;</div>` +
			`<div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm"><div style="PADDING-RIGHT: 8px; PADDING-LEFT: 8px; FONT-SIZE: 12px;FONT-FAMILY:tahoma;COLOR:#000000; BACKGROUND: #efefef; PADDING-BOTTOM: 8px; PADDING-TOP: 8px">` +
			`<div><b>发件人：</b>&nbsp;客服中心</div><div><b>发送时间：</b>&nbsp;2026-11-21&nbsp;10:00</div><div><b>收件人：</b>&nbsp;zhangsan</div><div><b>主题：</b>&nbsp;回复：无法登录</div></div></div>` +
			`<div><div>您好，请尝试重置密码。</div></div></blockquote>`,
		want: "已经按您说的操作了，还是报错。\n\nzhangsan@foxmail.com",
	},
	{
		name: "Foxmail English header",
		text: "收到\n\n------------------ Original ------------------\nFrom:  \"客服中心\"<support@postdesk.example>;\nDate:  Sat, Nov 21, 2026 10:00 AM\nTo:  \"张三\"<zhangsan@foxmail.com>;\nSubject:  无法登录\n\n您好\n",
		html: `<div>收到</div><div><includetail><div style="font:Verdana normal 14px;color:#000;"><div style="FONT-SIZE: 12px;FONT-FAMILY: Arial Narrow;padding:2px 0 2px 0;">` +
			`------------------&nbsp;Original&nbsp;------------------</div><div style="FONT-SIZE: 12px;background:#efefef;padding:8px;"><div id="menu_sender"><b>From: </b>&nbsp;"客服中心"&lt;support@postdesk.example&gt;;</div>` +
			`<div><b>Date: </b>&nbsp;Sat, Nov 21, 2026 10:00 AM</div><div><b>To: </b>&nbsp;"张三"&lt;zhangsan@foxmail.com&gt;;<wbr></div><div><b>Subject: </b>&nbsp;无法登录</div></div>` +
			`<div>&nbsp;</div><div>您好</div></div></includetail></div>`,
		want: "收到",
	},
	{
		name: "Outlook zh",
		text: "附件是日志文件，请查收。\n\n张三\n\n发件人: 客服中心 <support@postdesk.example>\n发送时间: 2026年11月21日 10:00\n收件人: 张三 <zhangsan@example.com>\n主题: 回复: [#1234] 无法登录\n\n您好，请提供日志。\n",
		html: `<html><head><style>p.MsoNormal{margin:0cm;}</style></head><body lang="ZH-CN"><div class="WordSection1"><p class="MsoNormal"><span lang="EN-US">附件是日志文件，请查收。<o:p></o:p></span></p>` +
			`<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p><p class="MsoNormal">张三<span lang="EN-US"><o:p></o:p></span></p><p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>` +
			`<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>发件人<span lang="EN-US">:</span></b><span lang="EN-US"> </span>客服中心<span lang="EN-US"> &lt;support@postdesk.example&gt;<br></span>` +
			`<b>发送时间<span lang="EN-US">:</span></b><span lang="EN-US"> 2026</span>年<span lang="EN-US">11</span>月<span lang="EN-US">21</span>日<span lang="EN-US"> 10:00<br></span>` +
			`<b>收件人<span lang="EN-US">:</span></b><span lang="EN-US"> </span>张三<br><b>主题<span lang="EN-US">:</span></b><span lang="EN-US"> </span>回复<span lang="EN-US">: [#1234] </span>无法登录<span lang="EN-US"><o:p></o:p></span></p></div>` +
			`<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p><p class="MsoNormal">您好，请提供日志。<span lang="EN-US"><o:p></o:p></span></p></div></body></html>`,
		want: "附件是日志文件，请查收。\n\n张三",
	},
	{
		name: "Outlook zh full-width colons with rule",
		text: "好的\n\n获取 Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\n发件人： 客服中心 <support@postdesk.example>\n发送时间： Saturday, November 21, 2026 10:00:00 AM\n收件人： 张三 <zhangsan@example.com>\n主题： 无法登录\n\n您好\n",
		html: `<div dir="ltr">好的</div><div><br></div><div id="ms-outlook-mobile-signature">获取 <a href="https://aka.ms/o0ukef">Outlook for iOS</a></div>` +
			`<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000">` +
			`<b>发件人：</b> 客服中心 &lt;support@postdesk.example&gt;<br><b>发送时间：</b> Saturday, November 21, 2026 10:00:00 AM<br><b>收件人：</b> 张三 &lt;zhangsan@example.com&gt;<br><b>主题：</b> 无法登录</font><div>&nbsp;</div></div>` +
			`<div><div>您好</div></div>`,
		// "获取 Outlook for iOS" is the Chinese Outlook mobile footer.
		want: "好的",
	},
	{
		name: "Outlook zh original message",
		text: "请看附件\n\n-----原始邮件-----\n发件人: 客服中心 [mailto:support@postdesk.example]\n发送时间: 2026年11月21日 10:00\n收件人: 张三\n主题: 无法登录\n\n您好\n",
		html: `<div>请看附件</div><div><br></div><div>-----原始邮件-----<br>发件人: 客服中心 [mailto:support@postdesk.example]<br>发送时间: 2026年11月21日 10:00<br>收件人: 张三<br>主题: 无法登录<br><br>您好</div>`,
		want: "请看附件",
	},
	{
		name: "NetEase 163",
		text: "好的，我明天再试一下。\n\n\n\n\n\n在 2026-11-21 10:00:00，\"客服中心\" <support@postdesk.example> 写道：\n>您好，请尝试重置密码。\n>\n",
		html: `<div style="line-height:1.7;color:#000000;font-size:14px;font-family:Arial"><div>好的，我明天再试一下。</div><br><br><div style="position:relative;zoom:1"></div>` +
			`<div id="divNeteaseMailCard"></div><br><pre><br>在 2026-11-21 10:00:00，"客服中心" &lt;support@postdesk.example&gt; 写道：<br></pre>` +
			`<blockquote id="isReplyContent" style="PADDING-LEFT: 1ex; MARGIN: 0px 0px 0px 0.8ex; BORDER-LEFT: #ccc 1px solid">您好，请尝试重置密码。</blockquote></div><br><br><span title="neteasefooter"><p>&nbsp;</p></span>`,
		want: "好的，我明天再试一下。",
	},
	{
		name: "NetEase mobile",
		text: "收到\n\n\n发自网易邮箱大师\n\n\n---- 回复的原邮件 ----\n| 发件人 | 客服中心<support@postdesk.example> |\n| 日期 | 2026年11月21日 10:00 |\n| 收件人 | 张三 |\n| 主题 | 无法登录 |\n\n在 2026-11-21 10:00:00，\"客服中心\" <support@postdesk.example> 写道：\n您好\n",
		html: `<div>收到</div><div><br></div><div id="signature_163"><div>发自<a href="https://mail.163.com/dashi/">网易邮箱大师</a></div></div>` +
			`<div class="J-reply" style="background-color:#f2f2f2;color:black;padding-top:6px;padding-bottom:6px;border-radius:3px;margin-top:45px;margin-bottom:20px;">` +
			`<div style="font-size:12px;line-height:1.5;word-break:break-all;margin-left:10px;margin-right:10px">---- 回复的原邮件 ----</div>` +
			`<table class="J-reply-table"><tr><td>发件人</td><td>客服中心&lt;support@postdesk.example&gt;</td></tr><tr><td>日期</td><td>2026年11月21日 10:00</td></tr>` +
			`<tr><td>收件人</td><td>张三</td></tr><tr><td>主题</td><td>无法登录</td></tr></table></div>` +
			`<div><br></div><div>在 2026-11-21 10:00:00，"客服中心" &lt;support@postdesk.example&gt; 写道：</div><blockquote id="isReplyContent">您好</blockquote>`,
		want: "收到",
	},
	{
		name: "NetEase forward",
		text: "请处理一下\n\n-------- 转发邮件信息 --------\n发件人：\"张三\" <zhangsan@163.com>\n发送日期：2026-11-21 10:00:00\n收件人：support@postdesk.example\n主题：无法登录\n\n登录页面报错\n",
		html: `<div>请处理一下</div><div><br></div><div>-------- 转发邮件信息 --------<br>发件人："张三" &lt;zhangsan@163.com&gt;<br>发送日期：2026-11-21 10:00:00<br>收件人：support@postdesk.example<br>主题：无法登录<br><br>登录页面报错</div>`,
		want: "请处理一下",
	},
	{
		name: "Thunderbird zh",
		text: "谢谢，已经可以登录了。\n\n在 2026/11/21 10:00, 客服中心 写道:\n> 您好，请尝试重置密码。\n>\n",
		html: `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><p>谢谢，已经可以登录了。</p>` +
			`<div class="moz-cite-prefix">在 2026/11/21 10:00, 客服中心 写道:<br></div><blockquote type="cite" cite="mid:1@postdesk.example"><p>您好，请尝试重置密码。</p></blockquote></body></html>`,
		want: "谢谢，已经可以登录了。",
	},
	{
		name: "Gmail zh",
		text: "收到，谢谢。\n\n客服中心 <support@postdesk.example> 于2026年11月21日周六 10:00写道：\n\n> 您好，请尝试重置密码。\n>\n",
		html: `<div dir="ltr">收到，谢谢。</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">客服中心 &lt;<a href="mailto:support@postdesk.example">support@postdesk.example</a>&gt; 于2026年11月21日周六 10:00写道：<br></div>` +
			`<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div dir="ltr">您好，请尝试重置密码。</div></blockquote></div>`,
		want: "收到，谢谢。",
	},
	{
		name: "Gmail zh wrapped attribution",
		text: "收到，谢谢。\n\nSupport Team of Postdesk Example <support@postdesk.example> 于2026年11月21日周六\n上午10:00写道：\n\n> 您好\n",
		html: `<div dir="ltr">收到，谢谢。</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Support Team of Postdesk Example 于2026年11月21日周六 上午10:00写道：<br></div><blockquote class="gmail_quote">您好</blockquote></div>`,
		want: "收到，谢谢。",
	},
	{
		name: "Gmail zh attribution alone",
		text: "收到\n\n于2026年11月21日周六 10:00写道：\n\n> 您好\n",
		html: `<div>收到</div><div><br></div><div>于2026年11月21日周六 10:00写道：</div><blockquote style="margin:0 0 0 .8ex">您好</blockquote>`,
		want: "收到",
	},
	{
		name: "Gmail zh forward",
		text: "麻烦看一下\n\n---------- Forwarded message ---------\n发件人： 张三 <zhangsan@gmail.com>\nDate: 2026年11月21日周六 10:00\nSubject: 无法登录\nTo: <support@postdesk.example>\n\n登录页面报错\n",
		html: `<div dir="ltr">麻烦看一下<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>发件人： <strong class="gmail_sendername" dir="auto">张三</strong> <span dir="auto">&lt;zhangsan@gmail.com&gt;</span><br>` +
			`Date: 2026年11月21日周六 10:00<br>Subject: 无法登录<br>To: &lt;support@postdesk.example&gt;<br></div><br><br><div dir="ltr">登录页面报错</div></div></div>`,
		want: "麻烦看一下",
	},
	{
		name: "iPhone zh",
		text: "好的\n\n发自我的iPhone\n\n> 在 2026年11月21日，10:00，客服中心 <support@postdesk.example> 写道：\n> \n> 您好，请尝试重置密码。\n",
		html: `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto"><div dir="ltr">好的</div><div dir="ltr"><br><div dir="ltr">发自我的iPhone</div>` +
			`<div dir="ltr"><br><blockquote type="cite">在 2026年11月21日，10:00，客服中心 &lt;support@postdesk.example&gt; 写道：<br><br></blockquote></div>` +
			`<blockquote type="cite"><div dir="ltr">您好，请尝试重置密码。</div></blockquote></div></body></html>`,
		want: "好的",
	},
	{
		name: "iPhone zh with space",
		text: "好的\n\n发自我的 iPhone\n\n在 2026年11月21日，10:00，客服中心 <support@postdesk.example> 写道：\n\n您好\n",
		html: `<div dir="ltr">好的</div><div dir="ltr"><br></div><div dir="ltr">发自我的 iPhone</div><div dir="ltr"><br>在 2026年11月21日，10:00，客服中心 &lt;support@postdesk.example&gt; 写道：<br><br></div><blockquote type="cite"><div dir="ltr">您好</div></blockquote>`,
		want: "好的",
	},
	{
		name: "Zoho zh",
		text: "好的\n\n\n---- 在 星期六, 2026-11-21 10:00:00 客服中心 <support@postdesk.example> 撰写 ----\n\n您好\n",
		html: `<div>好的<br></div><div><br></div><div class="zmail_extra"><div><br></div><div id="Zm-_Id_-Sgn1">---- 在 星期六, 2026-11-21 10:00:00 客服中心 &lt;support@postdesk.example&gt; 撰写 ----<br></div><div><br></div><blockquote style="border-left: 1px solid #cccccc; padding-left: 6px; margin: 0 0 0 5px">您好</blockquote></div>`,
		want: "好的",
	},
	{
		name: "Huawei",
		text: "收到，马上处理\n来自我的华为手机\n\n-------- 原始邮件 --------\n发件人： 客服中心 <support@postdesk.example>\n日期： 2026年11月21日周六 上午10:00\n收件人： 张三 <zhangsan@example.com>\n主题： 无法登录\n\n您好\n",
		html: `<div>收到，马上处理</div><div>来自我的华为手机</div><div><br></div><div><br>-------- 原始邮件 --------<br>发件人： 客服中心 &lt;support@postdesk.example&gt;<br>日期： 2026年11月21日周六 上午10:00<br>收件人： 张三 &lt;zhangsan@example.com&gt;<br>主题： 无法登录<br><br></div>您好`,
		want: "收到，马上处理",
	},
}

func TestTextChinese(t *testing.T) {
	for _, tc := range chineseCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.text); got != tc.want {
				t.Errorf("Text() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHTMLChinese(t *testing.T) {
	for _, tc := range chineseCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := HTML(tc.html); got != tc.want {
				t.Errorf("HTML() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestHTML(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"plain words", "Hello <b>there</b>, <i>friend</i>!", "Hello there, friend!"},
		{"lines", "<div>one</div><div>two<br>three</div><p>four</p>", "one\ntwo\nthree\nfour"},
		{"blank lines collapse", "<div>one</div><div><br></div><div><br></div><div><br></div><div>two</div>", "one\n\ntwo"},
		{"whitespace collapses", "<p>  a \n  b\t c  </p>", "a b c"},
		{"nbsp becomes space", "<p>a&nbsp;&nbsp;b&nbsp;</p>", "a  b"},
		{"pre keeps lines", "<p>Run:</p><pre>  make\n  make test</pre>", "Run:\n  make\n  make test"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
		{"table", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>", "a b\nc d"},
		{"script and style dropped", "<style>p{}</style><script>x()</script><p>hi</p>", "hi"},
		{"command survives", "<div>#status resolved</div><div>Thanks</div><div class=\"gmail_quote\">On Sat wrote:<blockquote>x</blockquote></div>", "#status resolved\nThanks"},
		{"gmail", `<div dir="ltr">Done.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sat, Nov 21, 2026 at 10:00 AM Support &lt;<a href="mailto:s@example.com">s@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote">Did it work?</blockquote></div>`, "Done."},
		{"gmail signature", `<div dir="ltr">Done.<br clear="all"><br><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature">Bob<br>ACME</div></div>`, "Done."},
		{"outlook web", `<div>Done.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> Support<br><b>Sent:</b> Saturday<br><b>To:</b> Bob<br><b>Subject:</b> x</div><div>Did it work?</div>`, "Done."},
		{"outlook desktop", `<div class="WordSection1"><p class="MsoNormal">Done.<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in"><p class="MsoNormal"><b>From:</b> Support<br><b>Sent:</b> Saturday<br><b>To:</b> Bob<br><b>Subject:</b> x</p></div></div><p class="MsoNormal">Did it work?</p></div>`, "Done."},
		{"border-top that is not a header", `<div>Done.</div><div style="border-top:1px solid #ccc">Regards, Bob</div>`, "Done.\nRegards, Bob"},
		{"thunderbird", `<p>Done.</p><div class="moz-cite-prefix">On 11/21/26 10:00, Support wrote:<br></div><blockquote type="cite">Did it work?</blockquote><pre class="moz-signature" cols="72">-- ` + "\n" + `Bob</pre>`, "Done."},
		{"apple mail", `<div>Done.</div><div><br><blockquote type="cite"><div>On Nov 21, 2026, at 10:00, Support &lt;s@example.com&gt; wrote:</div><div>Did it work?</div></blockquote></div>`, "Done."},
		{"apple mail attribution outside", `<div>Done.</div><div><br><div>On Nov 21, 2026, at 10:00, Support &lt;s@example.com&gt; wrote:</div><br><blockquote type="cite"><div>Did it work?</div></blockquote></div>`, "Done."},
		{"yahoo", `<div>Done.</div><div id="yahoo_quoted_1234" class="yahoo_quoted"><div>On Saturday, November 21, 2026, 10:00 AM, Support wrote:</div><blockquote>Did it work?</blockquote></div>`, "Done."},
		{"gmx", `<div>Done.</div><div name="quote"><div><b>Gesendet:</b> Samstag<br><b>Von:</b> Support</div><div>Did it work?</div></div>`, "Done."},
		{"gmail indent is not a quote", `<div>Steps:</div><blockquote style="margin:0 0 0 40px;border:none;padding:0px"><div>1. restart</div><div>2. log in</div></blockquote><div>Thanks</div>`, "Steps:\n    1. restart\n    2. log in\nThanks"},
		{"unknown blockquote becomes quote", `<div>Done.</div><div>Support wrote:</div><blockquote>Did it work?</blockquote>`, "Done."},
		{"bottom posted", `<blockquote type="cite">Did it work?</blockquote><div>Yes.</div>`, "Yes."},
		{"only a quote", `<div class="gmail_quote">On Sat, Nov 21, 2026 at 10:00 AM Support wrote:<blockquote class="gmail_quote">Did it work?</blockquote></div>`,
			"On Sat, Nov 21, 2026 at 10:00 AM Support wrote:\n> Did it work?"},
		{"broken html", "<div>Done.<p>still <b>bold", "Done.\nstill bold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HTML(tt.in); got != tt.want {
				t.Errorf("HTML() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestTextNeverEmpty checks that text the sender wrote is never lost: if
// a body has visible text, Text returns some.
func TestTextNeverEmpty(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"quote", "> a"},
		{"attribution", "On Sat, Nov 21, 2026 at 10:00 AM, Bob <b@example.com> wrote:"},
		{"separator", "-----Original Message-----"},
		{"signature", "--\nBob"},
		{"footer", "Sent from my iPhone"},
		{"rule", "_____"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); strings.TrimSpace(got) == "" {
				t.Errorf("Text() = %q, want non-empty", got)
			}
		})
	}
}
