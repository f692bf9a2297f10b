// Package hostile builds the oversized mails that postdesk must survive
// with bounded memory and bounded output (issue 12): a text body of many
// megabytes sent as base64, a subject of many megabytes, and a huge HTML
// body. They are used by `postdesk bench -big N -big-kind KIND` and by
// tests; each is a plausible mail from a plausible sender, only enormous.
package hostile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// Kinds lists the hostile mail kinds Mail builds.
var Kinds = []string{"text", "subject", "html"}

// Mail returns the raw RFC 5322 bytes (CRLF line ends) of one hostile
// mail of kind ("text", "subject" or "html") whose payload is about size
// bytes before transfer encoding, sent from from with Message-ID id.
func Mail(kind string, size int, from, id string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: =?utf-8?B?%s?= <%s>\r\n", base64.StdEncoding.EncodeToString([]byte("王老师")), from)
	b.WriteString("To: support@desk.test\r\n")
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", id)
	b.WriteString("Date: Mon, 23 Nov 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n")
	line := "直播课画面卡顿，学生端黑屏只有声音，已经重启过路由器和电脑，问题依旧。"
	switch kind {
	case "text":
		b.WriteString("Subject: =?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte("日志全文：直播课黑屏")) + "?=\r\n")
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(&b, repeat(line+"\n", size))
	case "subject":
		b.WriteString("Subject:")
		// Encoded words of 45 bytes each (60 base64 characters), folded:
		// the form a client that does not clip would send.
		text := repeat(line, size)
		for i := 0; i < len(text); {
			j := min(i+45, len(text))
			for j < len(text) && !startsRune(text[j]) {
				j--
			}
			fmt.Fprintf(&b, " =?utf-8?B?%s?=\r\n", base64.StdEncoding.EncodeToString([]byte(text[i:j])))
			i = j
		}
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n学生端黑屏，请帮忙看看。\r\n")
	case "html":
		b.WriteString("Subject: =?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte("成绩表导出后显示异常")) + "?=\r\n")
		b.WriteString("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
		b.WriteString("<html><body><p>老师您好，导出的成绩表如下：</p><table>\r\n")
		row := "<tr><td style=\"border:1px solid #ccc;padding:2px\">三年级二班</td><td><b>张三</b></td><td>数学 95</td><td>语文 88</td></tr>\r\n"
		for n := 0; n < size; n += len(row) {
			b.WriteString(row)
		}
		b.WriteString("</table></body></html>\r\n")
	default:
		return nil, fmt.Errorf("hostile: unknown kind %q (want one of %s)", kind, strings.Join(Kinds, ", "))
	}
	return b.Bytes(), nil
}

func startsRune(c byte) bool { return c&0xC0 != 0x80 }

// repeat returns s repeated to at least size bytes.
func repeat(s string, size int) string {
	return strings.Repeat(s, (size+len(s)-1)/len(s))
}

// writeBase64 writes s as base64 in lines of 76 characters.
func writeBase64(b *bytes.Buffer, s string) {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
}
