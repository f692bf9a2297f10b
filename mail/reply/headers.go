package reply

import (
	"regexp"
	"strings"
	"unicode"
)

// headerBits says which fields a header block holds.
type headerBits uint8

const (
	hasFrom headerBits = 1 << iota
	hasDate
	hasTo
	hasSubject
	hasOther // Cc, Reply-To ...: part of a block, decides nothing
)

// full reports whether the block is a quoted message header: From, a date
// and To or Subject, as Outlook, QQ Mail, Foxmail, GMX and Lotus write.
func (h headerBits) full() bool {
	return h&hasFrom != 0 && h&hasDate != 0 && h&(hasTo|hasSubject) != 0
}

// headerKeys maps a lower-case field name, as mail clients localize it in
// the header block above a quoted message, to its meaning.
var headerKeys = map[string]headerBits{
	// From
	"from": hasFrom, "发件人": hasFrom, "發件人": hasFrom, "寄件者": hasFrom, "寄件人": hasFrom,
	"von": hasFrom, "de": hasFrom, "da": hasFrom, "van": hasFrom, "от": hasFrom,
	"差出人": hasFrom, "afzender": hasFrom, "från": hasFrom, "fra": hasFrom, "od": hasFrom,
	// Sent / Date
	"sent": hasDate, "date": hasDate, "发送时间": hasDate, "發送時間": hasDate, "日期": hasDate,
	"时间": hasDate, "時間": hasDate, "发件时间": hasDate, "gesendet": hasDate, "datum": hasDate,
	"envoyé": hasDate, "inviato": hasDate, "data": hasDate, "enviado": hasDate,
	"enviado el": hasDate, "fecha": hasDate, "verzonden": hasDate, "отправлено": hasDate,
	"дата": hasDate, "送信日時": hasDate, "skickat": hasDate, "sendt": hasDate, "wysłano": hasDate,
	// To
	"to": hasTo, "收件人": hasTo, "收件者": hasTo, "an": hasTo, "à": hasTo, "a": hasTo,
	"para": hasTo, "aan": hasTo, "кому": hasTo, "宛先": hasTo, "till": hasTo, "til": hasTo,
	"do": hasTo,
	// Subject
	"subject": hasSubject, "主题": hasSubject, "主旨": hasSubject, "標題": hasSubject,
	"betreff": hasSubject, "objet": hasSubject, "oggetto": hasSubject, "asunto": hasSubject,
	"assunto": hasSubject, "onderwerp": hasSubject, "тема": hasSubject, "件名": hasSubject,
	"ämne": hasSubject, "emne": hasSubject, "temat": hasSubject,
	// Others that appear in such blocks
	"cc": hasOther, "bcc": hasOther, "抄送": hasOther, "密送": hasOther, "副本": hasOther,
	"kopie": hasOther, "копия": hasOther, "reply-to": hasOther, "答复": hasOther,
	"importance": hasOther, "priority": hasOther, "附件": hasOther, "attachments": hasOther,
}

// headerField returns what kind of header field line l is ("From: x",
// "*Sent:* x", "发件人：x", "De : x"), or 0.
func headerField(l string) headerBits {
	c := strings.TrimLeft(clean(l), "*")
	if len(c) > 40 {
		c = c[:40] // the field name is short; do not scan long lines
	}
	i := strings.IndexAny(c, ":：")
	if i <= 0 || i > 24 {
		return 0
	}
	return headerKeys[strings.ToLower(strings.Trim(c[:i], " \t*\u00a0"))]
}

// headerBlock reads the header block that starts at line i: header field
// lines with at most two other lines (blank or wrapped values) between
// them. It returns the index after its last field line and the fields seen.
func headerBlock(lines []string, i int) (end int, has headerBits) {
	if headerField(lines[i]) == 0 {
		return i, 0
	}
	end = i
	for j, gap := i, 0; j < len(lines) && j < i+14 && gap <= 2; j++ {
		f := headerField(lines[j])
		if f == 0 || isQuoted(lines[j]) {
			gap++
			continue
		}
		has |= f
		end, gap = j+1, 0
	}
	return end, has
}

var (
	// openerRE matches how attribution lines begin in many languages:
	// "On ...", "Am ...", "Le ...", "在 ...", "于...", with Yahoo's "--- ".
	openerRE = regexp.MustCompile(`^[\s-]*(?:(?:On|Am|Le|El|Em|Il|Op|Den|Dne|W dniu|På|At)\s|在|於|于)`)
	// wroteRE matches the verb of an attribution line.
	wroteRE = regexp.MustCompile(`(?i)(?:\b(?:wrote|writes|schrieb|escreveu|ha scritto|scrisse|schreef|skrev|napsal|kirjoitti|quoting|zitat von)\b|\b(?:escribió|napisał)|írta|a écrit|написал|写道|寫道|写到|寫到|撰写|撰寫)`)
	// timeRE matches a time of day.
	timeRE = regexp.MustCompile(`\d{1,2}:\d{2}`)
	// yearRE matches a year.
	yearRE = regexp.MustCompile(`\b(?:19|20)\d{2}\b`)
	// dateRE matches a time or a date.
	dateRE = regexp.MustCompile(`\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b|\d{4}\s*年|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}`)
	// leadingDateRE matches a line that begins with a date: "02.04.2012 ...".
	leadingDateRE = regexp.MustCompile(`^\s*\d{1,4}\s*[./\-年]\s*\d`)
	// emailRE matches an address.
	emailRE = regexp.MustCompile(`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
)

// attribution reports whether an attribution line starts at line i, such
// as "On Mon, Apr 2, 2012 at 6:26 PM, Megan <m@example.com> wrote:",
// "Am 07.05.2012 08:10, schrieb Martin:", "Le 29/12/2011 11:13, Allan a
// écrit :", "在 2026年11月21日 10:00, 张三 写道：", "张三 <a@b> 于2026年11月21日周六
// 10:00写道：" or "在 2026-11-21 10:00:00，"张三" <a@b> 写道：". Clients wrap
// long ones, so it may span up to three lines; the first of them must then
// look like the start of one (an opener word or a date). It returns the
// index after its last line.
//
// A strong attribution (a verb, a final colon and an opener word with a
// number, or a time of day, or an address and a date) cuts the body even
// when no quote follows. A weak one only counts when a quote follows it
// (the caller checks that): a verb and a colon ("Bob wrote:"), or a colon
// and an address or a full timestamp but no verb ("Excerpts from Bob's
// message of Thu Nov 26 09:17:15 +0100 2009:").
func attribution(lines []string, i int) (end int, strong, ok bool) {
	// Cheap test first: one of the (up to three) lines ends with a colon.
	colon := false
	for j := i; j < i+3 && j < len(lines) && !colon; j++ {
		l := strings.TrimRightFunc(lines[j], unicode.IsSpace)
		if l == "" {
			break
		}
		colon = strings.HasSuffix(l, ":") || strings.HasSuffix(l, "：")
	}
	if !colon {
		return i, false, false
	}
	first := clean(lines[i])
	starts := openerRE.MatchString(first) || leadingDateRE.MatchString(first) ||
		(emailRE.MatchString(first) && dateRE.MatchString(first))
	var joined string
	for k := 1; k <= 3 && i+k <= len(lines); k++ {
		l := lines[i+k-1]
		if isBlank(l) || isQuoted(l) || (k > 1 && !starts) {
			break
		}
		if k > 1 {
			joined += " "
		}
		joined += clean(l)
		if len(joined) > 400 {
			break
		}
		if !strings.HasSuffix(joined, ":") && !strings.HasSuffix(joined, "：") {
			continue
		}
		if wroteRE.MatchString(joined) {
			strong = (openerRE.MatchString(first) && strings.ContainsAny(joined, "0123456789")) ||
				timeRE.MatchString(joined) || (emailRE.MatchString(joined) && dateRE.MatchString(joined))
			return i + k, strong, true
		}
		if k <= 2 && (emailRE.MatchString(joined) || (timeRE.MatchString(joined) && yearRE.MatchString(joined))) {
			return i + k, false, true
		}
	}
	return i, false, false
}
