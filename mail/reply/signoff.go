package reply

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// valedictionRE matches a line that closes a letter: "此致", "敬礼！",
// "祝好", "顺祝商祺", "Best regards,", "Kind regards", "Sincerely,".
var valedictionRE = regexp.MustCompile(`(?i)^(?:此致|敬礼|此致敬礼|祝好|祝工作顺利|祝教安|顺祝商祺|顺颂商祺|顺颂时祺|顺祝教安|顺祝|即颂|best regards|kind regards|warm regards|regards|best wishes|sincerely|yours sincerely|yours faithfully|yours truly|thanks and regards)\s*[,，.。!！]?$`)

// courtesyRE matches a closing that is also a message ("Thanks,",
// "Cheers"): it and the name below it are kept unless a company block
// (an organisation or a contact) follows.
var courtesyRE = regexp.MustCompile(`(?i)^(?:thanks|thank you|many thanks|cheers|best|br|谢谢|多谢|感谢)\s*[,，.。!！]?$`)

// contactRE matches a contact line of a signature or company block: a
// labelled phone, fax, address, mail or web line, a bare phone number, a
// bare web address.
var contactRE = regexp.MustCompile(`(?i)^(?:` +
	`(?:电话|手机|座机|固话|联系电话|联系方式|热线|客服热线|服务热线|传真|地址|公司地址|邮箱|电子邮箱|邮件|网址|官网|邮编|qq|微信|tel|phone|mobile|mob|cell|fax|address|addr|e-?mail|web|website|wechat|hotline)\s*[:：.]?\s*\S.*` +
	`|[tmfpe]\s*[:：]\s*[+(（]?\d.*` +
	`|[+(（]?\d[\d\s()（）+-]{6,}\d(?:\s*(?:转|分机|ext\.?|x)\s*\d+)?` +
	`|(?:https?://|www\.)\S+` +
	`|[\w.+-]+@[\w-]+(?:\.[\w-]+)+` +
	`)$`)

// addressRE matches a postal address line: a number with a street, a
// building or a room.
var addressRE = regexp.MustCompile(`(?i)\d.*(?:路|街|号|大道|大厦|楼|室|层|区|\b(?:road|rd|street|st|avenue|ave|building|bldg|floor|fl|suite|room|district)\b)|(?:\b(?:road|rd|street|st|avenue|ave|building|bldg|floor|room|suite)\b|路|街|楼|室).*\d`)

// orgRE matches a line naming an organisation, a department or a role.
var orgRE = regexp.MustCompile(`(?i)(?:公司|集团|学校|中学|小学|大学|学院|教育局|部$|中心|办公室|信息处|教务处|平台|工作室|工程师|经理|主管|主任|专员|顾问|客服|技术支持|\||\binc\b|\bltd\b|\bco\.|\bllc\b|\bgmbh\b|school|university|college|department|\bdept\b|support|helpdesk|engineer|manager|specialist|officer|team)`)

// nameRE matches a line that is just a person's name: 2-4 Han characters,
// a surname with 工/老师/经理/主任, or two or three capitalised words.
var nameRE = regexp.MustCompile(`^(?:\p{Han}{2,4}|\p{Han}{1,3}(?:工|老师|经理|主任|总)|[A-Z][a-z]+(?:[ .-][A-Z][a-z]*\.?){0,2})$`)

// sigLine reports whether l belongs in a sign-off block below the text: a
// contact, an organisation or role, or a name.
func sigLine(l string) (ok, contact bool) {
	c := strings.Join(strings.Fields(clean(l)), " ")
	if c == "" || utf8.RuneCountInString(c) > 80 || isQuoted(c) {
		return false, false
	}
	if contactRE.MatchString(c) || (addressRE.MatchString(c) && !strings.ContainsAny(c, "。！？!?")) {
		return true, true
	}
	if utf8.RuneCountInString(c) > 40 {
		return false, false
	}
	return nameRE.MatchString(c) || orgRE.MatchString(c), false
}

// stripSignOff removes a closing block at the end of lines, which staff
// replies carry and customers must not get: a valediction ("此致 / 敬礼 /
// 王工 / 技术支持部", "Best regards, / Li Wei / IT Support / Tel: …") with
// at most eight name, role, organisation or contact lines below it; or,
// without a valediction, a block of such lines that holds a contact (a
// phone number, an address). It never removes every line.
func stripSignOff(lines []string) []string {
	n := len(lines)
	// A valediction followed only by sign-off lines.
	for i := max(1, n-12); i < n; i++ {
		v := strings.TrimSpace(clean(lines[i]))
		formal, courtesy := valedictionRE.MatchString(v), courtesyRE.MatchString(v)
		if !formal && !courtesy {
			continue
		}
		ok, count, company := true, 0, false
		for _, l := range lines[i+1:] {
			if isBlank(l) {
				continue
			}
			count++
			sl, contact := sigLine(l)
			if !sl && !valedictionRE.MatchString(strings.TrimSpace(clean(l))) {
				ok = false
				break
			}
			if contact || orgRE.MatchString(clean(l)) {
				company = true
			}
		}
		if ok && count >= 1 && count <= 8 && (formal || company) && hasText(lines[:i]) {
			return trimBlank(lines[:i])
		}
	}
	// A name / organisation / contact block holding a contact.
	start, contacts, people, count := n, 0, 0, 0
	for i := n - 1; i >= 0 && count < 10; i-- {
		if isBlank(lines[i]) {
			continue
		}
		ok, contact := sigLine(lines[i])
		if !ok {
			break
		}
		if contact {
			contacts++
		} else {
			people++
		}
		start, count = i, count+1
	}
	if contacts > 0 && people > 0 && hasText(lines[:start]) {
		return trimBlank(lines[:start])
	}
	return lines
}
