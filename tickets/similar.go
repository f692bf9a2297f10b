package tickets

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Repeated problems are found by the words of their subjects: a run of
// Chinese characters gives its character bigrams ("无法登录" -> 无法, 法登,
// 登录), a run of letters gives the lower-cased, crudely stemmed word;
// greetings and generic words ("无法", "失败", "没有", "problem", "me") are
// left out and a few spellings folded (登陆 = 登录, log in = login). Two
// subjects are alike when the terms they share are at least a quarter of
// the shorter one's terms (the overlap coefficient); a subject joins the
// group whose members it is most alike to on average (average link: one
// subject that shares a word with two problems cannot chain them).
//
// Measured pairwise (precision: pairs grouped that belong together;
// recall: pairs that belong together that were grouped): on
// tickets/testdata/similar.tsv, which the rules were tuned on, 1.00 and
// 0.52; on similar_heldout.tsv, written afterwards, first 0.81 and 0.24
// (English pronouns and 没有 joined unrelated subjects, and one member
// chained two problems), then after adding those stop words and the
// average link 1.00 and 0.33. Subjects in different languages are never
// grouped; short Chinese subjects in different words often are not.

// similarMin is the overlap coefficient at which two subjects are alike.
const similarMin = 0.25

// groupCompare bounds the members of a group a subject is compared with.
const groupCompare = 20

// groupInput bounds the subjects grouped for one digest (the newest are
// kept), so that a flood of mail keeps the digest quick.
const groupInput = 3000

// subjectNoise are greetings and filler phrases cut out of a subject
// before its terms are taken, so they neither count nor make bigrams with
// their neighbours.
var subjectNoise = strings.NewReplacer("老师", " ", "您好", " ", "你好", " ", "请问", " ", "麻烦", " ", "谢谢", " ", "求助", " ",
	"关于", " ", "问题", " ", "咨询", " ", "反馈", " ", "帮忙", " ", "怎么办", " ", "一下", " ", "急急", " ", "紧急", " ")

// subjectStop are terms too common in support mail to make two subjects
// alike: filler words, "cannot", "failed", "student", "platform".
var subjectStop = map[string]bool{
	"the": true, "a": true, "an": true, "to": true, "of": true, "in": true, "on": true, "for": true, "is": true, "are": true,
	"my": true, "i": true, "we": true, "our": true, "it": true, "and": true, "or": true, "with": true, "please": true, "help": true,
	"issue": true, "problem": true, "question": true, "hi": true, "hello": true, "not": true, "can": true, "cannot": true, "can't": true,
	"does": true, "doesn't": true, "re": true, "fw": true, "fwd": true, "urgent": true,
	"me": true, "you": true, "your": true, "us": true, "they": true, "them": true, "this": true, "that": true, "be": true,
	"was": true, "were": true, "do": true, "did": true, "don't": true, "didn't": true, "won't": true, "isn't": true, "get": true,
	"have": true, "has": true, "keep": true, "when": true, "what": true, "how": true, "why": true, "where": true, "at": true,
	"by": true, "from": true, "as": true, "if": true, "but": true, "so": true, "no": true, "all": true, "any": true, "after": true,
	"still": true, "today": true, "yesterday": true, "now": true, "again": true, "there": true,
	"error": true, "fail": true, "work": true, "not work": true, "during": true, "class": true, "student": true, "badly": true,
	// generic Chinese bigrams: "cannot", "failed", "always", "student",
	// "platform", "shows", "will not open"
	"无法": true, "不了": true, "失败": true, "一直": true, "学生": true, "平台": true, "提示": true, "报错": true, "打不": true,
	"不开": true, "不能": true, "没有": true, "不到": true, "不了了": true, "看不": true, "今天": true, "上课": true, "时候": true, "出现": true, "显示": true, "使用": true, "怎么样": true,
}

// subjectSynonyms fold spellings of one term before comparing.
var subjectSynonyms = strings.NewReplacer("登陆", "登录", "登不上", "登录", "log in", "login", "log-in", "login", "sign in", "login", "signin", "login", "logon", "login")

// subjectItem is one ticket's subject to group.
type subjectItem struct {
	n       int64
	subject string
	cat     string
	at      time.Time
}

// subjectTerms returns the distinct terms of a subject (see above).
func subjectTerms(subject string) []string {
	s := subjectNoise.Replace(subjectSynonyms.Replace(strings.ToLower(foldWidth(StripReplyPrefixes(subject)))))
	var terms []string
	add := func(t string) {
		if t != "" && !subjectStop[t] && !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	var han []rune
	var word []rune
	flush := func() {
		if len(han) == 1 {
			add(string(han))
		}
		for i := 0; i+1 < len(han); i++ {
			add(string(han[i : i+2]))
		}
		han = han[:0]
		if len(word) > 0 && !isNumber(word) {
			add(stem(string(word)))
		}
		word = word[:0]
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			if len(word) > 0 {
				flush()
			}
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if len(han) > 0 {
				flush()
			}
			word = append(word, r)
		default:
			flush()
		}
	}
	flush()
	return terms
}

// stem cuts common English endings so "stutters", "stuttering" and
// "stuttered" are one term.
func stem(w string) string {
	for _, suf := range []string{"ing", "ed", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) && !strings.HasSuffix(w, "ss") {
			w = strings.TrimSuffix(w, suf)
			if n := len(w); suf != "s" && w[n-1] == w[n-2] {
				w = w[:n-1] // "running" -> "run"
			}
			return w
		}
	}
	return w
}

func isNumber(w []rune) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// alike returns the overlap coefficient of two term sets: the share of the
// shorter one's terms that the other has too.
func alike(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := 0
	for _, t := range a {
		if slices.Contains(b, t) {
			common++
		}
	}
	short := min(len(a), len(b))
	if common == 0 {
		return 0
	}
	return float64(common) / float64(short)
}

// groupSubjects groups alike subjects, oldest ticket first, and returns
// the groups of at least minSize tickets, largest first.
func groupSubjects(items []subjectItem, minSize int) []SubjectGroup {
	items = slices.Clone(items)
	slices.SortFunc(items, func(a, b subjectItem) int { return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.n, b.n)) })
	if len(items) > groupInput {
		items = items[len(items)-groupInput:]
	}
	type group struct {
		first   subjectItem
		terms   [][]string
		tickets []int64
		cats    map[string]int
	}
	var groups []*group
	for _, it := range items {
		terms := subjectTerms(it.subject)
		var best *group
		bestScore := 0.0
		for _, g := range groups {
			// Average link: alike to the group as a whole, not to one
			// member, so that one subject cannot chain two problems.
			sum := 0.0
			for _, gt := range g.terms {
				sum += alike(terms, gt)
			}
			if s := sum / float64(len(g.terms)); s >= similarMin && s > bestScore {
				best, bestScore = g, s
			}
		}
		if best == nil {
			best = &group{first: it, cats: map[string]int{}}
			groups = append(groups, best)
		}
		if len(best.terms) < groupCompare {
			best.terms = append(best.terms, terms)
		}
		best.tickets = append(best.tickets, it.n)
		best.cats[it.cat]++
	}
	var out []SubjectGroup
	for _, g := range groups {
		if len(g.tickets) < minSize {
			continue
		}
		sg := SubjectGroup{Subject: g.first.subject, Count: len(g.tickets), Tickets: g.tickets[:min(len(g.tickets), 10)]}
		for c, n := range g.cats {
			if n > g.cats[sg.Category] || n == g.cats[sg.Category] && c < sg.Category {
				sg.Category = c
			}
		}
		out = append(out, sg)
	}
	slices.SortStableFunc(out, func(a, b SubjectGroup) int { return cmp.Compare(b.Count, a.Count) })
	return out
}
