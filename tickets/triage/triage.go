// Package triage guesses the category and priority of a fault report at
// intake, from keywords in its subject and body, Chinese and English. It is
// a first guess for the desk's staff to correct, not a classifier to trust:
// it matches substrings, weighs the subject over the body and never looks
// at the meaning of a sentence beyond a few negations ("不急", "not urgent").
//
// Priorities are plain ints, 0 (P0, urgent) to 3 (P3, low), the values of
// tickets.Priority; this package imports nothing from postdesk.
package triage

import (
	"strings"
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

// Rules are the categories and priority words Classify uses. A nil *Rules
// has no categories and no words. Rules are safe for concurrent use as long
// as nobody modifies them at the same time.
type Rules struct {
	// Categories in order of preference: ties go to the earlier one.
	Categories []Category
	// Urgent words force priority 0 wherever they appear.
	Urgent []string
	// High words raise the priority to at least 1.
	High []string
	// Low words lower the priority to 3 when no Urgent or High word appears
	// and the category's priority is 2 or 3.
	Low []string
	// Default names the category of a report that matches no keyword.
	Default string
}

// negations are what may come right before an Urgent or High word to cancel
// it: "不急", "并不紧急", "不是很急", "not urgent". Only the text immediately
// before the word counts, so "打不开，急" stays urgent.
var negations = []string{
	"不", "不太", "不是很", "不是太", "不很", "不那么", "没那么", "不算", "不算很", "无需", "不用", "不着", "没有",
	"not ", "not very ", "not too ", "not that ", "not so ", "isn't ", "is not ", "no ", "non-", "non ", "less ",
}

// Classify returns the category name and priority (0..3) of a report.
//
// Each category scores 2 for every keyword found in the subject and 1 for
// every keyword found in the body, so a keyword in both scores 3; repeating
// a keyword adds nothing. The highest positive score wins and ties go to the
// category listed first. With no match the category is Default.
//
// The priority starts as the winning category's (with no match, the Default
// category's, or 2 if Default names no category); then an Urgent word
// anywhere makes it 0; otherwise a High word makes it at most 1; otherwise a
// Low word makes it 3 if it was 2 or more. Urgent and High words right after
// a negation (see negations) are ignored.
//
// Matching is by substring, so short Chinese words also match inside longer
// ones: "急" is found in "着急" and "急需" (intended) but also in "急诊"
// (not). Pass the customer's own text: quoted earlier mails in body add
// their keywords too. Classify lower-cases the subject and body once and
// costs about one strings.Index scan of the text per keyword.
func (r *Rules) Classify(subject, body string) (category string, priority int) {
	if r == nil {
		return "", 2
	}
	subject, body = fold(subject), fold(body)

	best, bestScore := -1, 0
	for i, c := range r.Categories {
		score := 0
		for _, kw := range c.Keywords {
			kw = strings.ToLower(kw)
			if contains(subject, kw, false) {
				score += 2
			}
			if contains(body, kw, false) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}

	priority = 2
	if best >= 0 {
		category, priority = r.Categories[best].Name, r.Categories[best].Priority
	} else {
		category = r.Default
		if c, ok := r.Category(r.Default); ok {
			priority = c.Priority
		}
	}
	priority = min(max(priority, 0), 3)

	switch {
	case anyWord(r.Urgent, subject, body, true):
		priority = 0
	case anyWord(r.High, subject, body, true):
		priority = min(priority, 1)
	case priority >= 2 && anyWord(r.Low, subject, body, false):
		priority = 3
	}
	return category, priority
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

// fold lower-cases s and turns typographic apostrophes into ASCII ones, so
// that "Can’t" matches "can't".
func fold(s string) string {
	s = strings.ToLower(s)
	if strings.Contains(s, "’") {
		s = strings.ReplaceAll(s, "’", "'")
	}
	return s
}

// anyWord reports whether any of words occurs in subject or body.
func anyWord(words []string, subject, body string, negatable bool) bool {
	for _, w := range words {
		w = strings.ToLower(w)
		if contains(subject, w, negatable) || contains(body, w, negatable) {
			return true
		}
	}
	return false
}

// contains reports whether kw occurs in the lower-cased text s. A keyword
// starting with an ASCII letter or digit must start a word; if negatable,
// an occurrence right after one of negations does not count. An empty kw
// never matches.
func contains(s, kw string, negatable bool) bool {
	if kw == "" {
		return false
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

// negated reports whether before ends with one of negations.
func negated(before string) bool {
	for _, n := range negations {
		if strings.HasSuffix(before, n) {
			return true
		}
	}
	return false
}

// isWordByte reports whether b is an ASCII letter or digit.
func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}
