package reply

import (
	"regexp"
	"strings"
)

// footerRE matches the footers mobile and desktop clients append to what
// the sender wrote. Only whole lines match: "Sent from my desk, is much
// easier" is prose. Links that Outlook renders as "Mail<https://...>" are
// removed before matching.
var footerRE = regexp.MustCompile(`(?i)^(?:` +
	// Sent from my iPhone / my Verizon Wireless BlackBerry (at most 5 words)
	`sent from my(?:\s+[\p{L}\p{N}®™'’&.-]+){1,5}` +
	// Sent from Mail for Windows, Sent from Outlook for Android, Sent with Sparrow ...
	`|sent (?:from|with|via|using) (?:the )?(?:mail|outlook|yahoo|gmail|samsung|huawei|xiaomi|aol|proton\s?mail|blackberry|iphone|ipad|android|windows|spark|edison|airmail|blue\s?mail|mymail|nine|sparrow|mailbird|zoho|galaxy|my mobile|mobile)\b[^,;!?]{0,40}` +
	`|get (?:the )?outlook (?:app )?for (?:ios|android)` +
	`|获取\s*(?:outlook for (?:ios|android)|(?:ios|android)\s*版\s*outlook)` +
	`|(?:von meinem|envoyé de mon|enviado desde mi|enviado do meu|inviato da(?:l mio)?|verzonden (?:vanaf|met) mijn|skickat från min|wysłane z mojego) [\p{L}\p{N} ®™-]{1,30}(?:gesendet)?` +
	`|[\p{L}\p{N} ]{1,20}から送信` +
	// 发自我的iPhone, 来自我的华为手机, 从我的 iPhone 发送 (a device must be
	// named: "来自我的客户的反馈" is prose)
	`|(?:发自|来自|從|从|寄自)我的\s*[\p{Han}\p{L}\p{N} ._-]{0,12}?` +
	`(?:iphone|ipad|ipod|android|手机|手機|平板|华为|華為|小米|荣耀|oppo|vivo|三星|魅族|一加|galaxy|mac|设备|apple watch)` +
	`[\p{Han}\p{L}\p{N} ._-]{0,12}?(?:\s*发送|\s*寄出)?` +
	// 发自网易邮箱大师, 发自 Android 版 Outlook, 来自QQ邮箱, 来自钉钉专属商务邮箱
	`|(?:发自|来自|发送自)\s*(?:网易邮箱|网易|QQ邮箱|手机QQ邮箱|企业微信|钉钉|阿里邮箱|阿里云邮箱|飞书|Lark|腾讯企业邮|企业邮箱|139邮箱|189邮箱|沃邮箱|WPS|HUAWEI|Honor|Redmi|一加|realme|搜狐|新浪|Outlook|iPhone|iPad|Android|Windows|Mail|Foxmail|Gmail|Yahoo|华为|小米|OPPO|vivo|荣耀|魅族|三星)[\p{Han}\p{L}\p{N} ._-]{0,20}` +
	`)[.。!！]?$`)

// linkRE matches a link that Outlook writes after its text in plain text:
// "Outlook<https://aka.ms/o0ukef>".
var linkRE = regexp.MustCompile(`<(?:https?|mailto):[^>]*>`)

// isFooter reports whether l is a client footer such as "Sent from my
// iPhone", "Get Outlook for iOS" or "发自我的iPhone".
func isFooter(l string) bool {
	c := clean(l)
	if strings.Contains(c, "<") {
		c = strings.TrimSpace(linkRE.ReplaceAllString(c, ""))
	}
	c = strings.Join(strings.Fields(c), " ")
	return len(c) <= 120 && footerRE.MatchString(c)
}

// footerRuleRE matches a line of underscores that starts a footer
// (mailing-list trailer, disclaimer, signature block).
var footerRuleRE = regexp.MustCompile(`^\s*_{5,}\s*$`)

// stripSignature removes a trailing signature from lines: everything from
// an RFC 3676 delimiter line ("-- ", also the common "--"), a client footer
// among the last three non-blank lines, or a line of underscores followed
// by at most four non-blank lines.
func stripSignature(lines []string) []string {
	lines = trimBlank(lines)
	for i, l := range lines {
		if strings.TrimRight(l, " \t\u00a0") == "--" {
			lines = lines[:i]
			break
		}
	}
	for {
		lines = trimRules(lines)
		cut := -1
		for i, seen := len(lines)-1, 0; i >= 0 && seen < 3; i-- {
			if isBlank(lines[i]) {
				continue
			}
			seen++
			if isFooter(lines[i]) {
				cut = i
				break
			}
		}
		for i, seen := len(lines)-1, 0; cut < 0 && i >= 0 && seen <= 4; i-- {
			if isBlank(lines[i]) {
				continue
			}
			if footerRuleRE.MatchString(lines[i]) {
				cut = i
				break
			}
			seen++
		}
		if cut < 0 {
			return trimRules(stripSignOff(trimRules(lines)))
		}
		lines = lines[:cut]
	}
}

// trimRules removes trailing lines that only separate the new text from
// the quote: blank lines (also QQ Mail's literal "&nbsp;"), horizontal
// rules and a separator phrase on its own line ("原始邮件", "Original
// Message"), which the newer QQ web layout puts between rules.
func trimRules(lines []string) []string {
	lines = trimBlank(lines)
	for len(lines) > 0 {
		c := clean(lines[len(lines)-1])
		phrase := strings.ToLower(strings.TrimRight(c, " :：-"))
		if c != "" && !ruleRE.MatchString(c) && !separatorPhrases[phrase] {
			break
		}
		lines = lines[:len(lines)-1]
	}
	return lines
}
