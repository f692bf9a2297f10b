package triage

import (
	"regexp"
	"strings"
	"unicode"
)

// Grouping of repeated problems: two subjects are similar when most of the
// terms of the shorter one occur in the other. Terms are lower-case words
// (lightly stemmed) for Latin script, and for Chinese the characters and
// the character pairs (without a word segmenter, the pairs reward word
// order and the characters forgive a different wording), after the
// reply prefixes, ticket tags, numbers and the words every support mail
// uses ("问题", "please", ...) are removed. The judgement is in the tables
// below and in SimilarThreshold; similar_test.go measures it on labelled
// subjects.

// SimilarThreshold is the share of the shorter subject's terms the other
// must contain for the two to count as the same problem.
const SimilarThreshold = 0.6

// replyPrefix matches reply and forward markers and our ticket tags at the
// start of a subject, repeatedly.
var replyPrefix = regexp.MustCompile(`^(?i)\s*((re|fw|fwd|aw|wg|sv|答复|回复|回覆|转发|轉寄)\s*[:：]\s*|\[[^\]]*#\d+\]\s*)`)

// noiseWords carry no problem: greetings, urgency, "problem", "help".
var noiseWords = map[string]bool{
	"the": true, "a": true, "an": true, "to": true, "is": true, "in": true, "on": true, "of": true, "for": true,
	"my": true, "i": true, "we": true, "it": true, "and": true, "or": true, "with": true, "from": true, "at": true,
	"not": true, "no": true, "can": true, "cannot": true, "can't": true, "cant": true, "does": true, "doesn't": true,
	"please": true, "help": true, "urgent": true, "asap": true, "issue": true, "problem": true, "question": true,
	"keeps": true, "after": true, "since": true, "this": true, "that": true, "has": true, "have": true, "only": true,
	"error": true, "hi": true, "hello": true, "dear": true, "re": true, "fw": true, "fwd": true,
	// the English of 失败/无法/不了: every problem "fails" or "does not work"
	"work": true, "working": true, "works": true, "fail": true, "fails": true, "failed": true, "failing": true,
	"wrong": true, "broken": true, "student": true, "students": true,
}

// noisePhrases are removed from Chinese text before bigrams are taken.
var noisePhrases = []string{"问题", "请问", "求助", "您好", "你好", "老师", "学生", "紧急", "怎么办", "怎么", "一直", "无法", "不了", "没有", "不能",
	"失败", "提示", "急", "了", "的", "吗", "呢", "啊", "！", "，", "。", "？", "：", "（", "）"}

// noiseReplacer blanks the noise phrases.
var noiseReplacer = func() *strings.Replacer {
	var args []string
	for _, p := range noisePhrases {
		args = append(args, p, " ")
	}
	return strings.NewReplacer(args...)
}()

// Terms returns the terms of a subject used to compare it.
func Terms(subject string) map[string]bool {
	s := strings.ToLower(subject)
	for {
		t := replyPrefix.ReplaceAllString(s, "")
		if t == s {
			break
		}
		s = t
	}
	s = noiseReplacer.Replace(s)
	terms := map[string]bool{}
	var han []rune
	flushHan := func() {
		for _, r := range han {
			terms[string(r)] = true
		}
		for i := 0; i+1 < len(han); i++ {
			terms[string(han[i:i+2])] = true
		}
		han = han[:0]
	}
	var word []rune
	flushWord := func() {
		w := string(word)
		word = word[:0]
		if len([]rune(w)) < 2 || noiseWords[w] {
			return
		}
		terms[stem(w)] = true
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || r == '\'':
			flushHan()
			word = append(word, r)
		default: // digits, spaces, punctuation
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return terms
}

// stem folds common English endings: "lagging" and "lag", "crashes" and
// "crashing" meet.
func stem(w string) string {
	switch {
	case len(w) > 5 && strings.HasSuffix(w, "ing"):
		w = w[:len(w)-3]
	case len(w) > 4 && strings.HasSuffix(w, "ed"):
		w = w[:len(w)-2]
	case len(w) > 4 && (strings.HasSuffix(w, "ses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		w = w[:len(w)-2]
	case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:len(w)-1]
	}
	// "lagg" (from lagging) -> "lag"
	if n := len(w); n > 3 && w[n-1] == w[n-2] {
		w = w[:n-1]
	}
	return w
}

// Similarity is the share of the smaller term set found in the other (the
// overlap coefficient), 0 when either is empty.
func Similarity(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := 0
	for t := range a {
		if b[t] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// Group puts subjects reporting the same problem together: it returns
// groups of indexes into subjects, each a set of subjects linked by a
// chain of similar pairs. Subjects similar to no other are left out. The
// cost grows with the square of len(subjects).
func Group(subjects []string) [][]int {
	terms := make([]map[string]bool, len(subjects))
	for i, s := range subjects {
		terms[i] = Terms(s)
	}
	parent := make([]int, len(subjects))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	linked := make([]bool, len(subjects))
	for i := range subjects {
		for j := i + 1; j < len(subjects); j++ {
			if Similarity(terms[i], terms[j]) >= SimilarThreshold && min(len(terms[i]), len(terms[j])) >= 2 {
				parent[find(i)] = find(j)
				linked[i], linked[j] = true, true
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i := range subjects {
		if !linked[i] {
			continue
		}
		r := find(i)
		if byRoot[r] == nil {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], i)
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		out = append(out, byRoot[r])
	}
	return out
}
