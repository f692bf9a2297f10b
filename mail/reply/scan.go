package reply

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// kind is what one line of a body is.
type kind uint8

const (
	kindText  kind = iota // written by the sender (or not recognised)
	kindQuote             // ">"-quoted (or supercite "AB>") line
	kindAttr              // attribution introducing a quote: "On ... wrote:"
)

// marks is the result of scan.
type marks struct {
	kinds []kind // per line, for lines before hard
	first int    // first line that is not the sender's: quote, attribution or hard
	hard  int    // first line of a forwarded/original message; all below is old
}

// scan classifies lines. It stops at the first hard marker: a separator
// such as "-----Original Message-----" or "------------------ 原始邮件
// ------------------", a forward marker, an Outlook-style header block
// (From/Sent/To/Subject in any of the languages in headerKeys), or an
// attribution line that is not followed by a ">" quote.
//
// With stopAtFirst, scan only finds first (and leaves kinds below it
// unclassified), which is all Text needs for a top-posted reply.
func scan(lines []string, stopAtFirst bool) marks {
	n := len(lines)
	m := marks{kinds: make([]kind, n), first: n, hard: n}
	for i, l := range lines {
		if isQuoted(l) {
			m.kinds[i] = kindQuote
		}
	}
	for i := 0; i < n; i++ {
		if m.kinds[i] != kindText {
			if stopAtFirst {
				break
			}
			continue
		}
		if isBlank(lines[i]) {
			continue
		}
		if isSeparator(lines[i]) || isForward(lines[i]) {
			m.hard = i
			break
		}
		if end, has := headerBlock(lines, i); has.full() {
			m.hard = ruleAbove(lines, i)
			break
		} else if has&hasFrom != 0 && has&hasDate != 0 && quotedAfter(lines, m.kinds, end) {
			// "From: / Date:" directly above a quote (Mew, Gnus): an
			// attribution rather than a forwarded header.
			for j := i; j < end; j++ {
				m.kinds[j] = kindAttr
			}
			if stopAtFirst {
				break
			}
			i = end - 1
			continue
		}
		if end, strong, ok := attribution(lines, i); ok {
			quoted := quotedAfter(lines, m.kinds, end)
			start := nameLineAbove(lines, m.kinds, i)
			if strong && !quoted {
				// "On ... wrote:" over an unquoted original (Outlook,
				// many mobile clients): everything below is old.
				m.hard = start
				break
			}
			if strong || quoted {
				for j := start; j < end; j++ {
					m.kinds[j] = kindAttr
				}
				if stopAtFirst {
					break
				}
				i = end - 1
			}
		}
	}
	m.first = m.hard
	for i := 0; i < m.hard; i++ {
		if m.kinds[i] != kindText {
			m.first = i
			break
		}
	}
	return m
}

// textRun is one run of the sender's unquoted lines below the first
// quote, blank lines trimmed; start is the index of its first line.
type textRun struct {
	start int
	lines []string
}

// textRuns returns the runs of unquoted lines between quotes, each
// trimmed. A single line squeezed between two quoted lines, the first of
// them long, is a quoted line that a client wrapped without repeating the
// ">" and is dropped.
func textRuns(lines []string, m marks) []textRun {
	var out []textRun
	start := -1 // start of the current run of unquoted lines
	flush := func(end int) {
		if start < 0 {
			return
		}
		run := trimBlank(lines[start:end])
		squeezed := len(run) == 1 && end-start == 1 && start > 0 && end < m.hard &&
			m.kinds[start-1] == kindQuote && m.kinds[end] == kindQuote &&
			utf8.RuneCountInString(lines[start-1]) >= 60
		if len(run) > 0 && !squeezed {
			out = append(out, textRun{start: start, lines: run})
		}
		start = -1
	}
	for i := m.first; i < m.hard; i++ {
		if m.kinds[i] != kindText {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(m.hard)
	return out
}

// unquoted returns the sender's text below the first quote: the runs of
// textRuns joined by one blank line.
func unquoted(lines []string, m marks) []string {
	var out []string
	for _, r := range textRuns(lines, m) {
		if len(out) > 0 {
			out = append(out, "")
		}
		out = append(out, r.lines...)
	}
	return out
}

// quotedAfter reports whether the first non-blank line at or after i is a
// quoted line.
func quotedAfter(lines []string, kinds []kind, i int) bool {
	for ; i < len(lines); i++ {
		if !isBlank(lines[i]) {
			return kinds[i] == kindQuote
		}
	}
	return false
}

// supercite matches a supercite/Gnus quote prefix such as " LK> ".
var supercite = regexp.MustCompile(`^\s{0,2}[A-Z][A-Za-z]{0,3}>(\s|$)`)

// isQuoted reports whether l is a quoted line: its first non-blank
// character is ">", or it starts with supercite initials ("LK> "). A ">"
// later in the line (prose, "a > b") does not count.
func isQuoted(l string) bool {
	t := strings.TrimLeft(l, " \t")
	if strings.HasPrefix(t, ">") {
		return true
	}
	gt := strings.IndexByte(l, '>')
	return gt > 0 && gt <= 6 && supercite.MatchString(l)
}

// separatorRE matches a line of dashes around a phrase:
// "-----Original Message-----", "------------------ 原始邮件 ------------------".
var separatorRE = regexp.MustCompile(`^[-=_—–─]{2,}\s*([^-=_—–─].*?)\s*[-=_—–─]{2,}$`)

// separatorPhrases are the phrases separatorRE may surround, lower case.
var separatorPhrases = map[string]bool{
	"original message": true, "original": true, "original nachricht": true,
	"ursprüngliche nachricht": true, "ursprungliche nachricht": true,
	"message d'origine": true, "message original": true, "messaggio originale": true,
	"mensaje original": true, "mensagem original": true, "oorspronkelijk bericht": true,
	"oprindelig meddelelse": true, "originalmeddelande": true, "opprinnelig melding": true,
	"исходное сообщение": true, "原始邮件": true, "原始郵件": true, "原邮件": true,
	"原始信件": true, "邮件原文": true, "回复的原邮件": true, "元のメッセージ": true,
	"forwarded message": true, "forward message": true, "forwarded e-mail": true,
	"weitergeleitete nachricht": true, "message transféré": true, "messaggio inoltrato": true,
	"mensaje reenviado": true, "mensagem encaminhada": true, "doorgestuurd bericht": true,
	"转发邮件信息": true, "转发的邮件": true, "转发邮件": true, "轉寄郵件": true, "轉寄的郵件": true,
	"已转发邮件": true, "转发的消息": true,
}

// isSeparator reports whether l introduces an original or forwarded
// message with a dashed phrase or attribution.
func isSeparator(l string) bool {
	c := clean(l)
	if !strings.ContainsAny(c, "-=_—–─") {
		return false
	}
	sm := separatorRE.FindStringSubmatch(c)
	if sm == nil {
		return false
	}
	p := strings.ToLower(strings.Join(strings.Fields(sm[1]), " "))
	p = strings.TrimRight(p, " :：")
	// Zoho Mail: "---- On Sat, 21 Nov 2026 10:00:00 +0800 Bob wrote ----",
	// "---- 在 星期六, 2026-11-21 10:00:00 Bob 撰写 ----".
	return separatorPhrases[p] || (wroteRE.MatchString(p) && dateRE.MatchString(p))
}

// forwardPhrases are lines (lower case, without the final colon) that
// start a forwarded message in Apple Mail and similar clients.
var forwardPhrases = map[string]bool{
	"begin forwarded message": true, "inizio messaggio inoltrato": true,
	"anfang der weitergeleiteten nachricht": true, "début du message réexpédié": true,
	"début du message transféré": true, "comienzo del mensaje reenviado": true,
	"início da mensagem reencaminhada": true, "begin doorgestuurd bericht": true,
	"开始转发的邮件": true, "转发的邮件": true, "以下为转发邮件": true, "開始轉寄的郵件": true,
}

// isForward reports whether l is a forward marker such as
// "Begin forwarded message:".
func isForward(l string) bool {
	c := clean(l)
	if !strings.HasSuffix(c, ":") && !strings.HasSuffix(c, "：") {
		return false
	}
	c = strings.TrimRight(c, " :：")
	return forwardPhrases[strings.ToLower(c)]
}

// ruleRE matches a horizontal rule made of underscores or dashes, as
// Outlook puts above its header block.
var ruleRE = regexp.MustCompile(`^\s*(?:_{5,}|-{5,}|—{3,}|─{3,})\s*$`)

// ruleAbove returns the index of a rule line just above line i (at most
// one blank line between), or i.
func ruleAbove(lines []string, i int) int {
	for j, blanks := i-1, 0; j >= 0 && blanks <= 1; j-- {
		if isBlank(lines[j]) {
			blanks++
			continue
		}
		if ruleRE.MatchString(lines[j]) {
			return j
		}
		break
	}
	return i
}

// nameLineRE matches a line that is only a sender and an address, as
// Gmail writes it when it wraps a long attribution before "于…写道：":
// "智慧教育云平台技术支持 <support@desk.test>".
var nameLineRE = regexp.MustCompile(`^[^<>]{0,80}<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?$`)

// nameLineAbove returns the index of the sender line that a client wrapped
// off the attribution starting at line i ("Name <addr>" directly above
// "于2026年11月30日周一 10:05写道：", or "Name <" above "addr> 于…"), or i.
func nameLineAbove(lines []string, kinds []kind, i int) int {
	if i == 0 || kinds[i-1] != kindText || isBlank(lines[i-1]) {
		return i
	}
	above, here := clean(lines[i-1]), clean(lines[i])
	switch {
	case openerRE.MatchString(here) && nameLineRE.MatchString(above):
		// "Name <addr>" / "于…写道："
		return i - 1
	case strings.HasSuffix(above, "<") && utf8.RuneCountInString(above) <= 80 && emailRE.MatchString(here):
		// "Name <" / "addr> 于…写道：": wrapped inside the address.
		return i - 1
	}
	return i
}
