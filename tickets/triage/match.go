package triage

import (
	"strings"
	"unicode/utf8"
)

// The word lists a matcher knows, after the categories' keyword lists
// (list i < len(Categories) is category i).
const (
	listUrgent = iota
	listBlocked
	listWide
	listClass
	listNow
	listPast
	listFailure
	listDisplay
	listHigh
	listHowTo
	listLow
	listRequest
	listSetting
	listSlow
	listBusiness
	listLive
	listPartial
	nSignalLists
)

// signalOfList maps the signal lists to their signals (Past is read
// through Over).
var signalOfList = [nSignalLists]Signal{
	listUrgent: Impact, listBlocked: Blocked, listWide: Wide, listClass: Class, listNow: Now, listFailure: Failure,
	listDisplay: Display, listHigh: Raise, listHowTo: HowTo, listLow: Suggestion, listRequest: Request, listSetting: Setting,
	listSlow: Slow, listBusiness: Business, listLive: Live, listPartial: Partial,
}

// mword is one word of a list, lower-cased.
type mword struct {
	w         string
	list      int // category index, or len(Categories) + a list constant
	id        int // index in matcher.words
	wordStart bool
	negatable bool
	// parts is w split at "#" when w is a pattern (see containsPattern).
	parts []string
	// gaps is w split at "…" when w is a gap pattern (see matchGaps).
	gaps []string
}

// matcher finds every word of the Rules in one pass over a text: at each
// rune it tries only the words that start with that rune and the next
// one (byPair), or with that rune alone (byRune: words whose literal
// start is one rune, such as "课…上不了"), and at the start of each run of
// digits the patterns that start with "#".
type matcher struct {
	byRune map[rune][]mword
	byPair map[[2]rune][]mword
	digits []mword // patterns starting with "#"
	words  []mword
	nCat   int
	// calmList is the list whose negated words say the reporter can wait
	// ("不是什么急事", "not super urgent"), or -1.
	calmList int
}

// compiled holds the matchers of a Rules: main finds the category and
// signal words in the prepared text; pre finds the Masked, Calm and
// Footer words in the text before it is prepared.
type compiled struct {
	main, pre *matcher
}

// The lists of the pre matcher.
const (
	preMasked = iota
	preCalm
	preFooter
)

// compile builds the matchers of r.
func (r *Rules) compile() *compiled {
	lists := make([][]string, 0, len(r.Categories)+nSignalLists)
	for _, c := range r.Categories {
		lists = append(lists, c.Keywords)
	}
	lists = append(lists, r.Urgent, r.Blocked, r.Wide, r.Class, r.Now, r.Past, r.Failure, r.Display, r.High, r.HowTo, r.Low, r.Request, r.Setting, r.Slow, r.Business, r.Live, r.Partial)
	n := len(r.Categories)
	main := newMatcher(lists, n, map[int]bool{n + listUrgent: true, n + listHigh: true})
	main.calmList = n + listHigh
	pre := newMatcher([][]string{r.Masked, r.Calm, r.Footer}, 0, nil)
	return &compiled{main: main, pre: pre}
}

// newMatcher indexes lists; the first nCat are category keyword lists;
// the words of the lists marked in negatable do not count right after a
// negation.
func newMatcher(lists [][]string, nCat int, negatable map[int]bool) *matcher {
	m := &matcher{byRune: map[rune][]mword{}, byPair: map[[2]rune][]mword{}, nCat: nCat, calmList: -1}
	for list, words := range lists {
		seen := map[string]bool{}
		for _, w := range words {
			w = strings.ToLower(w)
			if w == "" || seen[w] {
				continue
			}
			seen[w] = true
			mw := mword{w: w, list: list, id: len(m.words), wordStart: isWordByte(w[0]), negatable: negatable[list]}
			if strings.Contains(w, "…") {
				mw.gaps = strings.Split(w, "…")
			} else if strings.Contains(w, "#") {
				mw.parts = strings.Split(w, "#")
			}
			m.words = append(m.words, mw)
			if mw.parts != nil && mw.parts[0] == "" {
				m.digits = append(m.digits, mw)
				continue
			}
			lit := w // the literal start of the word
			switch {
			case mw.gaps != nil:
				lit = mw.gaps[0]
			case mw.parts != nil:
				lit = mw.parts[0]
			}
			first, n := utf8.DecodeRuneInString(lit)
			second, n2 := utf8.DecodeRuneInString(lit[n:])
			if n2 == 0 {
				m.byRune[first] = append(m.byRune[first], mw)
				continue
			}
			m.byPair[[2]rune{first, second}] = append(m.byPair[[2]rune{first, second}], mw)
		}
	}
	return m
}

// matchers returns r's compiled matchers, building them on first use.
func (r *Rules) matchers() *compiled {
	if m := r.compiled.Load(); m != nil {
		return m
	}
	m := r.compile()
	r.compiled.Store(m)
	return m
}

// found reports which words of m occur in s.
func (m *matcher) found(s string) []bool {
	f := make([]bool, len(m.words))
	m.scan(s, f)
	return f
}

// any reports whether a word of list is marked in f.
func (m *matcher) any(f []bool, list int) bool {
	for _, w := range m.words {
		if w.list == list && f[w.id] {
			return true
		}
	}
	return false
}

// scan marks in found (len(m.words)) every word that occurs in s: at the
// start of a word if it starts with an ASCII letter or digit, and, if
// negatable, somewhere not right after one of negations. It reports
// whether a word of calmList occurred negated.
func (m *matcher) scan(s string, found []bool) (calm bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		r2, _ := utf8.DecodeRuneInString(s[i+size:])
		for _, list := range [2][]mword{m.byRune[r], m.byPair[[2]rune{r, r2}]} {
			for _, w := range list {
				if found[w.id] {
					continue
				}
				if w.gaps != nil {
					found[w.id] = strings.HasPrefix(s[i:], w.gaps[0]) && (!w.wordStart || i == 0 || !isWordByte(s[i-1])) &&
						matchGaps(s[i+len(w.gaps[0]):], w.gaps[1:])
					continue
				}
				if w.parts != nil {
					found[w.id] = strings.HasPrefix(s[i:], w.parts[0]) && (!w.wordStart || i == 0 || !isWordByte(s[i-1])) &&
						matchRest(s[i+len(w.parts[0]):], w.parts[1:])
					continue
				}
				if !strings.HasPrefix(s[i:], w.w) {
					continue
				}
				if w.wordStart && i > 0 && isWordByte(s[i-1]) {
					continue
				}
				if w.negatable && negated(s[:i]) {
					calm = calm || w.list == m.calmList
					continue
				}
				found[w.id] = true
			}
		}
		if numeralStart(s, i) {
			for _, w := range m.digits {
				if !found[w.id] && matchRest(s[i:], w.parts[1:]) {
					found[w.id] = true
				}
			}
		}
		i += size
	}
	return calm
}

// gapBytes is how far apart the parts of a gap pattern may be: 12
// Chinese characters or about six English words.
const gapBytes = 36

// matchGaps reports whether s has parts[0] within gapBytes bytes of its
// start, then parts[1] within gapBytes bytes after that, and so on, never
// across a clause break: "学生…都" finds "学生一个个都" and "学生们在群里都",
// not "学生说，我们都".
func matchGaps(s string, parts []string) bool {
	for _, p := range parts {
		at := -1
		for i := 0; i <= len(s) && i <= gapBytes; {
			if strings.HasPrefix(s[i:], p) {
				at = i
				break
			}
			if i == len(s) {
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if isClauseBreak(r) {
				break
			}
			i += size
		}
		if at < 0 {
			return false
		}
		s = s[at+len(p):]
	}
	return true
}

// hits are the words found in a report's subject and body, and whether a
// High word occurred negated (the reporter says it can wait).
type hits struct {
	m             *matcher
	subject, body []bool
	calm          bool
}

// find scans the prepared subject and body.
func (m *matcher) find(subject, body string) hits {
	h := hits{m: m, subject: make([]bool, len(m.words)), body: make([]bool, len(m.words))}
	h.calm = m.scan(subject, h.subject)
	h.calm = m.scan(body, h.body) || h.calm
	return h
}

// scores returns each category's score: 2 per keyword in the subject, 1
// per keyword in the body.
func (h hits) scores() []int {
	out := make([]int, h.m.nCat)
	for _, w := range h.m.words {
		if w.list >= h.m.nCat {
			continue
		}
		if h.subject[w.id] {
			out[w.list] += 2
		}
		if h.body[w.id] {
			out[w.list]++
		}
	}
	return out
}

// signals returns the signals whose words occur in subject or body, and
// Over when a Past word occurs and no Now word does.
func (h hits) signals() signalSet {
	s := signalSet{}
	past := false
	for _, w := range h.m.words {
		if w.list < h.m.nCat || !(h.subject[w.id] || h.body[w.id]) {
			continue
		}
		l := w.list - h.m.nCat
		if l == listPast {
			past = true
			continue
		}
		s[signalOfList[l]] = true
	}
	s[Over] = past && !s[Now]
	return s
}
