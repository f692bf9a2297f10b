// Package triage guesses the category and priority of a fault report at
// intake, from word tables over its subject and body, Chinese and English,
// and judges customers' short replies (reply.go). It is a first guess for
// the desk's staff to correct, not a classifier to trust: it matches
// substrings, weighs the subject over the body, masks negations ("不急",
// "not urgent") and ignores signatures, and the priority follows a table of
// steps over the signals it finds (what is blocked, for whom, since when).
//
// Priorities are plain ints, 0 (P0, urgent) to 3 (P3, low), the values of
// tickets.Priority; this package imports nothing from postdesk.
package triage

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// Category is a kind of fault report.
type Category struct {
	// Name identifies the category in tickets and configuration: "account".
	Name string
	// Label maps a language tag to a display name, e.g.
	// {"zh-CN": "账号/权限", "en": "Account / permission"}.
	Label map[string]string
	// Keywords are case-insensitive substrings, in any language, whose
	// presence suggests the category. A keyword that starts with an ASCII
	// letter or digit matches only at the start of a word, so "lag" finds
	// "lagging" but not "flag", and "connect" does not find "disconnect".
	Keywords []string
	// Typical is a short display of the typical time to resolve: "30m-2h".
	Typical string
	// TypicalLabel maps a language tag to a sentence for Typical, e.g.
	// {"zh-CN": "30 分钟至 2 小时", "en": "30 minutes to 2 hours"}.
	TypicalLabel map[string]string
	// Priority is the category's default priority, 0 (P0) to 3 (P3).
	Priority int
}

// LabelFor returns the category's display name in lang (see pick for the
// fallbacks), or Name if there is no label at all.
func (c Category) LabelFor(lang string) string {
	if s := pick(c.Label, lang); s != "" {
		return s
	}
	return c.Name
}

// TypicalFor returns the typical resolution time in lang (see pick for the
// fallbacks), or Typical if there is no label at all.
func (c Category) TypicalFor(lang string) string {
	if s := pick(c.TypicalLabel, lang); s != "" {
		return s
	}
	return c.Typical
}

// pick returns m[lang]; failing that, the value of a tag with the same
// primary language ("zh" and "zh-TW" find "zh-CN"; "en-GB" finds "en"),
// preferring the shortest such tag and then the alphabetically first; then
// m["en"]; then "".
func pick(m map[string]string, lang string) string {
	if s, ok := m[lang]; ok {
		return s
	}
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	best, bestTag := "", ""
	for tag, s := range m {
		tb, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if base == "" || tb != base {
			continue
		}
		if bestTag == "" || len(tag) < len(bestTag) || (len(tag) == len(bestTag) && tag < bestTag) {
			best, bestTag = s, tag
		}
	}
	if bestTag != "" {
		return best
	}
	return m["en"]
}

// Signal is one kind of evidence Classify looks for in a report. Each has
// a word list in Rules; Over is derived (see Rules.Past).
type Signal string

// The signals.
const (
	Impact     Signal = "impact"     // a class, live stream or exam cannot run (Rules.Urgent)
	Blocked    Signal = "blocked"    // someone cannot use something (Rules.Blocked)
	Wide       Signal = "wide"       // a school, district or the platform (Rules.Wide)
	Class      Signal = "class"      // a whole class or an exam (Rules.Class)
	Now        Signal = "now"        // happening now or about to (Rules.Now)
	Over       Signal = "over"       // only past words, no Now word (Rules.Past)
	Failure    Signal = "failure"    // a feature fails, data is lost (Rules.Failure)
	Display    Signal = "display"    // something looks wrong (Rules.Display)
	Raise      Signal = "raise"      // 请尽快, 影响上课, "urgent, please" (Rules.High)
	HowTo      Signal = "howto"      // a how-to question (Rules.HowTo)
	Suggestion Signal = "suggestion" // a wish or an idea (Rules.Low)
	Calm       Signal = "calm"       // the reporter says it can wait (Rules.Calm)
	Request    Signal = "request"    // asks for rights or access (Rules.Request)
	Setting    Signal = "setting"    // asks how to set something up (Rules.Setting)
	Slow       Signal = "slow"       // works, but slowly or stuttering (Rules.Slow)
	Business   Signal = "business"   // an invoice, contract or quote (Rules.Business)
	Live       Signal = "live"       // a lesson, stream, exam or deadline (Rules.Live)
	Partial    Signal = "partial"    // only some are affected (Rules.Partial)
)

// Effect is what a Step does to the priority.
type Effect int

// The effects.
const (
	SetP0     Effect = iota // priority 0
	AtMostP1                // priority min(p, 1)
	AtLeastP2               // priority max(p, 2): never more urgent than P2
	SetP3                   // priority 3
	RaiseOne                // priority p-1, but never above P1 from this alone
	AtLeastP1               // priority max(p, 1): not P0
)

// Step is one row of the priority table: when every signal of All is
// present and none of None, Then applies.
type Step struct {
	Name string
	All  []Signal
	None []Signal
	Then Effect
}

// Rules are the categories and the word tables Classify uses. A nil *Rules
// has no categories and no words. Set the fields before the first call of
// Classify, Signals or IsStatusQuery and do not change them afterwards
// (the words are then compiled into a matcher that stays); Rules are then
// safe for concurrent use.
//
// All words are lower-case substrings; a word that starts with an ASCII
// letter or digit matches only at the start of a word, "#" in a word
// stands for a run of digits ("# students", "还有#分钟"), and "…" for a
// gap of up to 36 bytes (12 Chinese characters, about six English words)
// inside one clause ("学生…都", "课…上不了").
type Rules struct {
	// Categories in order of preference: ties go to the earlier one.
	Categories []Category
	// Default names the category of a report that matches no keyword.
	Default string

	// SignOff lines end the evidence: a line that is, after trimming
	// spaces and punctuation, one of these ("--", "此致", "best regards")
	// starts a signature, and nothing below it counts.
	SignOff []string
	// Footer words end the evidence of their line wherever they are: from
	// one of these ("紧急联系人", "for urgent matters", "电话：") to the end of
	// the line is contact data, not evidence.
	Footer []string
	// Masked phrases are blanked before any word is matched, so a negated
	// or neutral phrase hides the shorter words inside it: "不紧急" hides
	// "紧急", "not urgent" hides "urgent", "can't find" hides "can't".
	// Longer phrases are masked first.
	Masked []string

	// Urgent words say a class, live stream or exam cannot run: P0 by
	// themselves (unless the report speaks only of the past).
	Urgent []string
	// Blocked words say someone cannot use something.
	Blocked []string
	// Wide words name a school, a district or every user.
	Wide []string
	// Class words name a whole class, several classes or an exam.
	Class []string
	// Now words say the fault is happening now or a class is about to start.
	Now []string
	// Past words say when the fault happened; with no Now word the report
	// is about something over (signal Over), which is never P0.
	Past []string
	// Failure words say a feature failed or data was lost or is wrong.
	Failure []string
	// Display words say something looks wrong but works.
	Display []string
	// High words ask for speed or name an impact on teaching: one level up.
	High []string
	// HowTo words ask how to do something.
	HowTo []string
	// Low words make a suggestion or a wish.
	Low []string
	// Calm words say the reporter can wait: "不急", "no rush". They are
	// looked for before masking (they are usually Masked too, so that the
	// "急" inside "不急" counts for nothing else).
	Calm []string
	// Request words ask for rights or access: "开通权限", "admin rights".
	Request []string
	// Setting words ask how to set something up ("怎么设置"): a how-to
	// even when the mail names who cannot see something.
	Setting []string
	// Slow words say something works but badly: slow pages, buffering,
	// stutter ("很慢", "卡顿", "buffering"); the practice makes that P1.
	Slow []string
	// Business words name an invoice, a contract or a quote: a matter for
	// the office, never more urgent than P2 however it is asked.
	Business []string
	// Live words name what a whole class can be blocked from right now: a
	// lesson, a live stream, an exam, a deadline ("上课", "直播", "考试",
	// "截止", "lesson", "exam"). Grades or homework shown wrong to a whole
	// class are not P0 without one.
	Live []string
	// Partial words say only some are affected ("老教师都正常", "部分学生",
	// "有几个学生", "only a few", "everyone else is fine"): no scope step
	// makes such a report P0.
	Partial []string

	// Steps is the priority table, applied in order to the winning
	// category's priority (see Classify).
	Steps []Step

	// compiled is the word matcher, built on first use from the fields
	// above: change Rules before the first Classify, never after.
	compiled atomic.Pointer[compiled]
}

// negations are what may come right before an Urgent or High word to
// cancel it when no Masked phrase covers it: "不是特别急", "not so urgent".
var negations = []string{
	"不", "不太", "不是很", "不是太", "不很", "不那么", "没那么", "不算", "不算很", "无需", "不用", "不着", "没有", "不是特别", "并不",
	"not ", "not very ", "not too ", "not that ", "not so ", "isn't ", "is not ", "no ", "non-", "non ", "less ",
}

// Classify returns the category name and priority (0..3) of a report.
//
// First the evidence is cut down: lines from a sign-off on (Rules.SignOff)
// and footer lines (Rules.Footer) are dropped from body, and Masked phrases
// are blanked in subject and body.
//
// Category: each category scores 2 for every keyword found in the subject
// and 1 for every keyword found in the body; repeating a keyword adds
// nothing. The highest positive score wins and ties go to the category
// listed first. With no match the category is Default.
//
// Priority starts as the winning category's (with no match, the Default
// category's, or 2), then every row of Steps whose signals hold applies in
// order. Urgent and High words right after a negation do not count.
func (r *Rules) Classify(subject, body string) (category string, priority int) {
	if r == nil {
		return "", 2
	}
	subject, body, calm := r.evidence(subject, body)
	h := r.matchers().main.find(subject, body)
	category, priority = r.category(h)
	sig := h.signals()
	sig[Calm] = calm || h.calm
	for _, st := range r.Steps {
		if !sig.all(st.All) || sig.any(st.None) {
			continue
		}
		switch st.Then {
		case SetP0:
			priority = 0
		case AtMostP1:
			priority = min(priority, 1)
		case AtLeastP2:
			priority = max(priority, 2)
		case SetP3:
			priority = 3
		case RaiseOne:
			if priority > 1 {
				priority--
			}
		case AtLeastP1:
			priority = max(priority, 1)
		}
	}
	return category, priority
}

// Signals returns the signals present in a report, after the same cutting
// and masking as Classify: for explaining a decision.
func (r *Rules) Signals(subject, body string) []Signal {
	if r == nil {
		return nil
	}
	subject, body, calm := r.evidence(subject, body)
	h := r.matchers().main.find(subject, body)
	sig := h.signals()
	sig[Calm] = calm || h.calm
	var out []Signal
	for _, s := range []Signal{Impact, Blocked, Wide, Class, Now, Over, Failure, Display, Raise, HowTo, Suggestion, Calm, Request, Setting, Slow, Business, Live, Partial} {
		if sig[s] {
			out = append(out, s)
		}
	}
	return out
}

// evidence folds subject and body, drops the signature and footer lines of
// body and blanks Masked phrases in both. It also reports whether a Calm
// word occurs before masking.
func (r *Rules) evidence(subject, body string) (string, string, bool) {
	pre := r.matchers().pre
	subject, body = fold(subject), fold(body)
	lines := strings.Split(body, "\n")
	kept := lines[:0]
	for _, line := range lines {
		bare := strings.Trim(strings.TrimSpace(line), ",，.。!！:：~～ ")
		if slices.Contains(r.SignOff, bare) {
			break
		}
		if f := pre.found(line); pre.any(f, preFooter) {
			// A footer ends its line: what comes before it on the same
			// line ("…价格，紧急联系人：周老师") is still evidence.
			if head := pre.beforeFirst(line, f, preFooter); strings.TrimSpace(head) != "" {
				kept = append(kept, head)
			}
			continue
		}
		kept = append(kept, line)
	}
	body = strings.Join(kept, "\n")
	fs, fb := pre.found(subject), pre.found(body)
	calm := pre.any(fs, preCalm) || pre.any(fb, preCalm)
	return pre.mask(subject, fs), pre.mask(body, fb), calm
}

// beforeFirst returns s up to the first occurrence of a word of list
// marked in f.
func (m *matcher) beforeFirst(s string, f []bool, list int) string {
	cut := len(s)
	for _, w := range m.words {
		if w.list == list && f[w.id] {
			if i := strings.Index(s, w.w); i >= 0 && i < cut {
				cut = i
			}
		}
	}
	return s[:cut]
}

// mask blanks in s the Masked phrases marked in f, longest first.
func (m *matcher) mask(s string, f []bool) string {
	var masks []string
	for _, w := range m.words {
		if w.list == preMasked && f[w.id] {
			masks = append(masks, w.w)
		}
	}
	slices.SortStableFunc(masks, func(a, b string) int { return len(b) - len(a) })
	for _, w := range masks {
		s = strings.ReplaceAll(s, w, " ␣ ")
	}
	return s
}

// category picks the category with the highest score (ties: the earlier)
// and its priority; with no keyword at all, Default and its priority.
func (r *Rules) category(h hits) (string, int) {
	best, bestScore := -1, 0
	for i, score := range h.scores() {
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	priority := 2
	if best >= 0 {
		return r.Categories[best].Name, min(max(r.Categories[best].Priority, 0), 3)
	}
	if c, ok := r.Category(r.Default); ok {
		priority = min(max(c.Priority, 0), 3)
	}
	return r.Default, priority
}

// signalSet is the set of signals found in a text.
type signalSet map[Signal]bool

func (s signalSet) all(sigs []Signal) bool {
	for _, x := range sigs {
		if !s[x] {
			return false
		}
	}
	return true
}

func (s signalSet) any(sigs []Signal) bool {
	for _, x := range sigs {
		if s[x] {
			return true
		}
	}
	return false
}

// Category returns the category called name, and whether there is one.
func (r *Rules) Category(name string) (Category, bool) {
	if r == nil {
		return Category{}, false
	}
	for _, c := range r.Categories {
		if c.Name == name {
			return c, true
		}
	}
	return Category{}, false
}

// fold lower-cases s, turns typographic apostrophes into ASCII ones,
// full-width punctuation and digits into ASCII and traditional Chinese
// characters into simplified ones (see traditional) and written Cantonese
// into Mandarin (see cantonese), so that "Can’t" matches "can't", "１０分钟"
// matches "#分钟", "無法登入" matches "无法" and "聽唔到" matches "听不到".
func fold(s string) string {
	s = strings.ToLower(s)
	return dialect.Replace(folder.Replace(s))
}

var folder = strings.NewReplacer(append([]string{"’", "'", "：", ":", "，", ",", "！", "!", "？", "?",
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5", "６", "6", "７", "7", "８", "8", "９", "9"},
	traditional...)...)

// anyIn reports whether s contains any of words (plain substrings).
func anyIn(words []string, s string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// anyWord reports whether any of words occurs in text.
func anyWord(words []string, text string, negatable bool) bool {
	for _, w := range words {
		if contains(text, strings.ToLower(w), negatable) {
			return true
		}
	}
	return false
}

// contains reports whether kw occurs in the lower-cased text s. A keyword
// starting with an ASCII letter or digit must start a word; "#" in kw
// matches a run of ASCII digits; if negatable, an occurrence right after
// one of negations does not count. An empty kw never matches.
func contains(s, kw string, negatable bool) bool {
	if kw == "" {
		return false
	}
	if strings.Contains(kw, "#") {
		return containsPattern(s, kw)
	}
	wordStart := isWordByte(kw[0])
	if !wordStart && !negatable {
		return strings.Contains(s, kw)
	}
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], kw)
		if i < 0 {
			return false
		}
		i += off
		off = i + len(kw)
		if wordStart && i > 0 && isWordByte(s[i-1]) {
			continue
		}
		if negatable && negated(s[:i]) {
			continue
		}
		return true
	}
	return false
}

// containsPattern matches kw, in which each "#" stands for one or more
// ASCII digits, anywhere in s.
func containsPattern(s, kw string) bool {
	parts := strings.Split(kw, "#")
	if parts[0] == "" {
		// Starts with digits: try the start of each run of digits.
		for i := 0; i < len(s); i++ {
			if numeralStart(s, i) && matchRest(s[i:], parts[1:]) {
				return true
			}
		}
		return false
	}
	for off := 0; off <= len(s); {
		i := strings.Index(s[off:], parts[0])
		if i < 0 {
			return false
		}
		i += off
		off = i + 1
		if isWordByte(parts[0][0]) && i > 0 && isWordByte(s[i-1]) {
			continue
		}
		if matchRest(s[i+len(parts[0]):], parts[1:]) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// zhNumerals are the Chinese characters a "#" also stands for, so that
// "#所学校" finds 三所学校 and "#分钟" finds 四十分钟 as well as 40分钟.
const zhNumerals = "零〇一二两三四五六七八九十百千几多"

// numeralLen returns the length in bytes of the number s starts with: a
// run of ASCII digits, or of Chinese numerals that is more than a lone
// 一, 几 or 多 (一个学生 is one pupil, 几个 is "a few", 多个 is not a count),
// or 0.
func numeralLen(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n > 0 {
		return n
	}
	runes := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		if !strings.ContainsRune(zhNumerals, r) {
			break
		}
		n += size
		runes++
	}
	if runes == 0 || strings.HasPrefix(s, "多") {
		return 0
	}
	if runes == 1 && (strings.HasPrefix(s, "一") || strings.HasPrefix(s, "几")) {
		return 0
	}
	return n
}

// numeralStart reports whether a number starts at s[i]: a digit or a
// Chinese numeral that does not follow another one.
func numeralStart(s string, i int) bool {
	if isDigit(s[i]) {
		return i == 0 || !isDigit(s[i-1])
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	if !strings.ContainsRune(zhNumerals, r) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(s[:i])
	return i == 0 || !strings.ContainsRune(zhNumerals, p)
}

// matchRest reports whether s starts with digits then parts[0], digits
// then parts[1], and so on.
func matchRest(s string, parts []string) bool {
	for _, p := range parts {
		n := numeralLen(s)
		if n == 0 {
			return false
		}
		s = strings.TrimLeft(s[n:], " ")
		p = strings.TrimLeft(p, " ")
		if !strings.HasPrefix(s, p) {
			return false
		}
		s = s[len(p):]
	}
	return true
}

// negated reports whether before ends with one of negations, or whether
// one of farNegations occurs in its last negationWindow runes of the same
// clause ("不是什么急事", "not super urgent").
func negated(before string) bool {
	for _, n := range negations {
		if strings.HasSuffix(before, n) {
			return true
		}
	}
	tail := before
	for i, n := len(before), 0; i > 0 && n < negationWindow; n++ {
		r, size := utf8.DecodeLastRuneInString(before[:i])
		if isClauseBreak(r) {
			break
		}
		i -= size
		tail = before[i:]
	}
	for _, n := range farNegations {
		if strings.Contains(tail, n) {
			return true
		}
	}
	return false
}

// negationWindow is how many runes before an Urgent or High word
// farNegations are looked for.
const negationWindow = 10

// farNegations cancel an Urgent or High word a few words later in the
// same clause: "不是什么急事", "并不算太急", "not super urgent". They are
// the negations that never end a verb ("打不开，急" keeps its 急).
var farNegations = []string{
	"不是", "并不", "不算", "不太", "没那么", "没有那么", "不怎么", "不用", "无需", "不必", "不需要",
	"not ", "isn't", "nothing ", "no real", "no need", "don't need",
}

// isClauseBreak reports whether r ends a clause: a gap pattern or a
// negation window never reaches across it.
func isClauseBreak(r rune) bool {
	return strings.ContainsRune(",.!?;:\n。；、…()（）\"", r)
}

// isWordByte reports whether b is an ASCII letter or digit.
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
