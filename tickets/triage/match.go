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
	nSignalLists
)

// signalOfList maps the signal lists to their signals (Past is read
// through Over).
var signalOfList = [nSignalLists]Signal{
	listUrgent: Impact, listBlocked: Blocked, listWide: Wide, listClass: Class, listNow: Now, listFailure: Failure,
	listDisplay: Display, listHigh: Raise, listHowTo: HowTo, listLow: Suggestion, listRequest: Request, listSetting: Setting,
}

// mword is one word of a list, lower-cased.
type mword struct {
	w         string
	list      int // category index, or len(Categories) + a list constant
	id        int // index in matcher.words
	wordStart bool
	negatable bool
}

// matcher finds every word of the Rules in one pass over a text: at each
// rune it tries only the words that start with that rune. Words with "#"
// (digits) are tried with containsPattern.
type matcher struct {
	byRune   map[rune][]mword
	patterns []mword
	words    []mword
	nCat     int
}

// compile builds the matcher of r.
func (r *Rules) compile() *matcher {
	m := &matcher{byRune: map[rune][]mword{}, nCat: len(r.Categories)}
	add := func(list int, words []string, negatable bool) {
		for _, w := range words {
			w = strings.ToLower(w)
			if w == "" {
				continue
			}
			mw := mword{w: w, list: list, id: len(m.words), wordStart: isWordByte(w[0]), negatable: negatable}
			m.words = append(m.words, mw)
			if strings.Contains(w, "#") {
				m.patterns = append(m.patterns, mw)
				continue
			}
			first, _ := utf8.DecodeRuneInString(w)
			m.byRune[first] = append(m.byRune[first], mw)
		}
	}
	for i, c := range r.Categories {
		add(i, c.Keywords, false)
	}
	n := len(r.Categories)
	add(n+listUrgent, r.Urgent, true)
	add(n+listBlocked, r.Blocked, false)
	add(n+listWide, r.Wide, false)
	add(n+listClass, r.Class, false)
	add(n+listNow, r.Now, false)
	add(n+listPast, r.Past, false)
	add(n+listFailure, r.Failure, false)
	add(n+listDisplay, r.Display, false)
	add(n+listHigh, r.High, true)
	add(n+listHowTo, r.HowTo, false)
	add(n+listLow, r.Low, false)
	add(n+listRequest, r.Request, false)
	add(n+listSetting, r.Setting, false)
	return m
}

// matcher returns r's compiled matcher, building it on first use.
func (r *Rules) matcher() *matcher {
	if m := r.compiled.Load(); m != nil {
		return m
	}
	m := r.compile()
	r.compiled.Store(m)
	return m
}

// scan marks in found (len(m.words)) every word that occurs in s: at the
// start of a word if it starts with an ASCII letter or digit, and, if
// negatable, somewhere not right after one of negations.
func (m *matcher) scan(s string, found []bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		for _, w := range m.byRune[r] {
			if found[w.id] || !strings.HasPrefix(s[i:], w.w) {
				continue
			}
			if w.wordStart && i > 0 && isWordByte(s[i-1]) {
				continue
			}
			if w.negatable && negated(s[:i]) {
				continue
			}
			found[w.id] = true
		}
		i += size
	}
	for _, w := range m.patterns {
		if !found[w.id] && containsPattern(s, w.w) {
			found[w.id] = true
		}
	}
}

// hits are the words found in a report's subject and body.
type hits struct {
	m             *matcher
	subject, body []bool
}

// find scans the prepared subject and body.
func (m *matcher) find(subject, body string) hits {
	h := hits{m: m, subject: make([]bool, len(m.words)), body: make([]bool, len(m.words))}
	m.scan(subject, h.subject)
	m.scan(body, h.body)
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
