// Package similar tells whether two fault reports, in Chinese or English,
// describe the same fault. It turns a report into a Vector of features
// (the Concepts it names, Chinese character bigrams and English words and
// word pairs of what is left) and compares two vectors with a weighted
// cosine, lowered when the reports name different concepts of the same
// kind. It is used to propose platform-wide incidents: many people
// writing about one fault at once.
//
// Everything here is pure computation on strings; it is safe for
// concurrent use.
package similar

import (
	"hash/fnv"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Vector is a report's features: sorted, without duplicates. The top two
// bits of a feature say its class: 0 for a bigram, word or word pair, else
// 1 + the Kind of the Concept it names.
type Vector []uint32

const (
	classText  = 0 << 30
	classShift = 30
	classMask  = 3 << 30
)

// conceptFeature is the feature of the concept named name, of kind k.
// A Generic concept is a text feature.
func conceptFeature(name string, k Kind) uint32 {
	if k == Generic {
		return classText | hash("concept:"+name)&^classMask
	}
	return uint32(k+1)<<classShift | hash(name)&^classMask
}

// Weights of the feature classes: naming a concept counts as much as
// several words in common.
const (
	textWeight    = 1.0
	conceptWeight = 2.5
)

// MaxText is how much of a report's body is read (in runes): the fault is
// described at the top; long histories and signatures below only add
// noise.
const MaxText = 400

// Threshold is the Similarity from which two reports count as the same
// fault. It was chosen on the labelled set in testdata (see
// similar_test.go).
const Threshold = 0.45

// Conflict multiplies the similarity of two reports for each kind of
// concept (object, symptom, request) that both name but in which they
// share nothing: a black screen is not a missing sound.
const Conflict = 0.35

// NoSymptom multiplies the similarity of two reports that name no
// symptom in common: a fault is something failing in some way, and two
// mails about the same thing (an invoice and a refund, two requests of
// the same kind) without a shared failure are seldom one incident.
const NoSymptom = 0.75

type conceptInfo struct {
	kind Kind
	name string
}

type matcher struct {
	byRune   map[rune][]phrase // phrases by first rune, longest first
	concepts map[uint32]conceptInfo
}

type phrase struct {
	text    string
	prefix  bool // "*": any word starting with text
	ascii   bool // needs word boundaries
	feature uint32
}

var defaultMatcher = newMatcher(Concepts)

func newMatcher(cs []Concept) *matcher {
	m := &matcher{byRune: map[rune][]phrase{}, concepts: map[uint32]conceptInfo{}}
	for _, c := range cs {
		f := conceptFeature(c.Name, c.Kind)
		m.concepts[f] = conceptInfo{kind: c.Kind, name: c.Name}
		for _, p := range c.Phrases {
			ph := phrase{text: strings.ToLower(p), feature: f}
			if strings.HasSuffix(ph.text, "*") {
				ph.text, ph.prefix = strings.TrimSuffix(ph.text, "*"), true
			}
			ph.ascii = isASCIIWord(ph.text)
			r, _ := utf8.DecodeRuneInString(ph.text)
			m.byRune[r] = append(m.byRune[r], ph)
		}
	}
	for r, ps := range m.byRune {
		slices.SortStableFunc(ps, func(a, b phrase) int { return len(b.text) - len(a.text) })
		m.byRune[r] = ps
	}
	return m
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// Features returns the vector of a report: its subject and the first
// MaxText runes of its body. The subject's features count twice (they
// are added again in a form of their own): people name the fault in the
// subject, and mention other things (the homework, the app, what they
// tried) in the body.
func Features(subject, body string) Vector {
	if r := []rune(body); len(r) > MaxText {
		body = string(r[:MaxText])
	}
	v := defaultMatcher.features(normalize(subject + "\n" + body))
	for _, f := range defaultMatcher.features(normalize(subject)) {
		v = append(v, f&classMask|(f*2654435761+0x9e3779b9)&^classMask)
	}
	slices.Sort(v)
	return slices.Compact(v)
}

// separable matches a Chinese verb split by a potential complement
// ("签不了到", "打不了卡", "交不上作业"): the verb is added joined again
// ("签到不了"), so it meets reports that write it whole.
var separable = regexp.MustCompile(`(\p{Han})(不了|不上|不进)(\p{Han})`)

// normalize lower-cases s and folds full-width letters and digits.
func normalize(s string) string {
	if strings.Contains(s, "不") {
		if joined := separable.ReplaceAllString(s, "$1$3$2"); joined != s {
			s += "\n" + joined
		}
	}
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r == '’' || r == '‘' {
			return '\''
		}
		return unicode.ToLower(r)
	}, s)
}

func wordRune(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-')
}

func (m *matcher) features(s string) Vector {
	var out []uint32
	covered := make([]bool, len(s))
	prevWord := false // the rune before i is an ASCII word rune
	for i, r := range s {
		startOfWord := !prevWord
		prevWord = wordRune(r)
		for _, ph := range m.byRune[r] {
			if ph.ascii && !startOfWord {
				continue
			}
			if !strings.HasPrefix(s[i:], ph.text) {
				continue
			}
			end := i + len(ph.text)
			if ph.ascii {
				if ph.prefix {
					for end < len(s) && wordRune(rune(s[end])) {
						end++
					}
				} else if end < len(s) && wordRune(rune(s[end])) {
					continue
				}
			}
			out = append(out, ph.feature)
			for j := i; j < end; j++ {
				covered[j] = true
			}
		}
	}
	// What no concept covers: Chinese bigrams and English words.
	var han []rune
	var words []string
	flushHan := func() {
		for k := 0; k+1 < len(han); k++ {
			bg := string(han[k : k+2])
			if !stopBigrams[bg] {
				out = append(out, classText|hash(bg)&^classMask)
			}
		}
		han = han[:0]
	}
	flushWords := func() {
		for k, w := range words {
			out = append(out, classText|hash(w)&^classMask)
			if k > 0 {
				out = append(out, classText|hash(words[k-1]+" "+w)&^classMask)
			}
		}
		words = words[:0]
	}
	word := strings.Builder{}
	endWord := func() {
		if word.Len() == 0 {
			return
		}
		w := stem(word.String())
		word.Reset()
		if len(w) >= 3 && !stopWords[w] && !isNumber(w) {
			words = append(words, w)
		}
	}
	for i, r := range s {
		switch {
		case covered[i]:
			endWord()
			flushHan()
		case unicode.Is(unicode.Han, r):
			endWord()
			flushWords()
			han = append(han, r)
		case wordRune(r):
			flushHan()
			word.WriteRune(r)
		default:
			endWord()
			flushHan()
			if r != ' ' && r != '\t' {
				flushWords() // word pairs do not cross punctuation
			}
		}
	}
	endWord()
	flushHan()
	flushWords()
	slices.Sort(out)
	return slices.Compact(out)
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

// stem removes the commonest English endings, so "loads", "loading" and
// "loaded" meet.
func stem(w string) string {
	w = strings.Trim(w, "'-")
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

func weight(f uint32) float64 {
	if f&classMask != classText {
		return conceptWeight
	}
	return textWeight
}

// Similarity returns how alike two reports are, from 0 (nothing in
// common) to 1.
func Similarity(a, b Vector) float64 {
	return defaultMatcher.similarity(a, b)
}

// Same reports whether a and b describe the same fault: Similarity at
// least Threshold.
func Same(a, b Vector) bool { return Similarity(a, b) >= Threshold }

func (m *matcher) similarity(a, b Vector) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	var dot, na, nb float64
	// Per class (index 0 text, 1+Kind concepts): seen in a, in b, in both.
	var kindsA, kindsB, shared [4]bool
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			w := weight(a[i])
			na += w * w
			kindsA[a[i]>>classShift] = true
			i++
		case i >= len(a) || b[j] < a[i]:
			w := weight(b[j])
			nb += w * w
			kindsB[b[j]>>classShift] = true
			j++
		default:
			w := weight(a[i])
			dot += w * w
			na += w * w
			nb += w * w
			c := a[i] >> classShift
			kindsA[c], kindsB[c], shared[c] = true, true, true
			i++
			j++
		}
	}
	s := dot / math.Sqrt(na*nb)
	for k := 1; k < len(shared); k++ {
		if kindsA[k] && kindsB[k] && !shared[k] {
			s *= Conflict
		}
	}
	if !shared[1+Symptom] {
		s *= NoSymptom
	}
	return s
}

// Group returns the index of the group v joins among groups (each the
// vectors of one group's reports), or -1 if none: the group to which v is
// most similar on average, provided that average is at least
// Threshold*JoinShare and v is the Same as at least one member. Averaging
// keeps a chain of loosely related reports from growing into one group.
func Group(v Vector, groups [][]Vector) int {
	best, bestScore := -1, 0.0
	for g, members := range groups {
		if len(members) == 0 {
			continue
		}
		sum, top := 0.0, 0.0
		for _, w := range members {
			s := Similarity(v, w)
			sum += s
			top = max(top, s)
		}
		avg := sum / float64(len(members))
		if top >= Threshold && avg >= Threshold*JoinShare && avg > bestScore {
			best, bestScore = g, avg
		}
	}
	return best
}

// JoinShare is the share of Threshold that a report's average similarity
// to a group must reach for it to join (see Group).
const JoinShare = 0.6

// ConceptNames returns the names of the concepts v names, for people
// reading an alert.
func ConceptNames(v Vector) []string {
	var out []string
	for _, f := range v {
		if c, ok := defaultMatcher.concepts[f]; ok {
			out = append(out, c.name)
		}
	}
	slices.Sort(out)
	return out
}
