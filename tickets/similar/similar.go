// Package similar tells whether two fault reports, in Chinese or English,
// describe the same fault. It turns a report into a Vector of features
// (the Concepts it names, Chinese character bigrams and English words and
// word pairs of what is left) and compares two vectors kind by kind: the
// objects, symptoms and requests both name (what one names and the other
// does not counts a little against them; different concepts of a kind
// that both name count much against them), blended with the cosine of
// their remaining text. It is used to propose platform-wide incidents:
// many people writing about one fault at once.
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
// A Generic or Failure concept is a text feature.
func conceptFeature(name string, k Kind) uint32 {
	if k == Generic || k == Failure {
		return classText | hash("concept:"+name)&^classMask
	}
	return uint32(k+1)<<classShift | hash(name)&^classMask
}

// ConceptShare is the share of the concepts' cosine in the similarity
// of two reports that both name concepts; the rest is the cosine of their
// remaining text. Keeping the two apart means a long body full of other
// words cannot drown the concepts both reports name, nor a short one
// make a single shared word decide.
const ConceptShare = 0.6

// OneSided is how much a kind of concept that only one of two reports
// names counts against them (a kind both name counts 1).
const OneSided = 0.3

// VagueSymptom multiplies the similarity of two reports that share no
// symptom but both say something fails, at least one only in general
// words ("报错", "not working"): "login failed" and "can't log in" are
// likely one fault, but less surely than two that name the same symptom.
const VagueSymptom = 0.9

// MaxText is how much of a report's body is read (in runes): the fault is
// described at the top; long histories and signatures below only add
// noise.
const MaxText = 400

// Threshold is the Similarity from which two reports count as the same
// fault. It was chosen on the labelled sets in testdata that were used
// for tuning (see similar_test.go).
const Threshold = 0.45

// Conflict multiplies the similarity of two reports for each kind of
// concept (object, symptom, request) that both name but in which they
// share nothing: a black screen is not a missing sound.
const Conflict = 0.35

// NoSymptom multiplies the similarity of two reports that name no
// symptom in common and of which at least one does not say that anything
// fails (else VagueSymptom applies): a fault is something failing in some way, and two
// mails about the same thing (an invoice and a refund, two requests of
// the same kind) without a shared failure are seldom one incident.
const NoSymptom = 0.55

type conceptInfo struct {
	kind Kind
	name string
}

type matcher struct {
	byRune   map[rune][]phrase // phrases by first rune, longest first
	concepts map[uint32]conceptInfo
	failure  map[uint32]bool // features of Failure concepts, in body and subject form
	// failBits has bit f%failBitsLen set for every f in failure: most
	// features miss it, so failing rarely needs the map.
	failBits [failBitsLen / 64]uint64
	implies  []implication
}

type implication struct {
	all  []uint32
	then uint32
}

type phrase struct {
	text    string
	prefix  bool // "*": any word starting with text
	ascii   bool // needs word boundaries
	feature uint32
}

var defaultMatcher = newMatcher(Concepts, Implies)

// newMatcher builds the matcher of cs; it panics if an implication names
// a concept that cs lacks (a mistake in the tables, caught by any test).
func newMatcher(cs []Concept, imps []Implication) *matcher {
	m := &matcher{byRune: map[rune][]phrase{}, concepts: map[uint32]conceptInfo{}, failure: map[uint32]bool{}}
	for _, c := range cs {
		f := conceptFeature(c.Name, c.Kind)
		if c.Kind == Failure {
			m.failure[f], m.failure[subjectFeature(f)] = true, true
			for _, f := range []uint32{f, subjectFeature(f)} {
				m.failBits[f%failBitsLen/64] |= 1 << (f % 64)
			}
		}
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
	byName := map[string]uint32{}
	for _, c := range cs {
		byName[c.Name] = conceptFeature(c.Name, c.Kind)
	}
	feature := func(name string) uint32 {
		f, ok := byName[name]
		if !ok {
			panic("similar: implication names unknown concept " + name)
		}
		return f
	}
	for _, imp := range imps {
		i := implication{then: feature(imp.Then)}
		for _, n := range imp.If {
			i.all = append(i.all, feature(n))
		}
		m.implies = append(m.implies, i)
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
		v = append(v, subjectFeature(f))
	}
	slices.Sort(v)
	return slices.Compact(v)
}

// subjectFeature is the form of feature f that a subject adds.
func subjectFeature(f uint32) uint32 {
	return f&classMask | (f*2654435761+0x9e3779b9)&^classMask
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
	clause := 0       // index of the clause at i
	var inClause [][]uint32
	for i, r := range s {
		if clauseEnd(r) {
			clause++
		}
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
			for len(inClause) <= clause {
				inClause = append(inClause, nil)
			}
			inClause[clause] = append(inClause[clause], ph.feature)
			for j := i; j < end; j++ {
				covered[j] = true
			}
		}
	}
	for _, imp := range m.implies {
		for _, fs := range inClause {
			if containsAll(fs, imp.all) {
				out = append(out, imp.then)
				break
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

// clauseEnd reports whether r ends a clause: implications hold only
// between concepts named in one clause.
func clauseEnd(r rune) bool {
	return strings.ContainsRune("\n，。！？；,.!?;", r)
}

func containsAll(fs, want []uint32) bool {
	for _, w := range want {
		if !slices.Contains(fs, w) {
			return false
		}
	}
	return true
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
	return m.similarityFail(a, b, m.failing(a), m.failing(b))
}

// failBitsLen is the size of matcher.failBits in bits.
const failBitsLen = 4096

// failing reports whether v names a Failure concept (in body or subject
// form).
func (m *matcher) failing(v Vector) bool {
	for _, f := range v {
		if m.failBits[f%failBitsLen/64]&(1<<(f%64)) != 0 && m.failure[f] {
			return true
		}
	}
	return false
}

// similarityFail is similarity with failing(a) and failing(b) given, so
// that comparing one vector with many looks its features up once.
func (m *matcher) similarityFail(a, b Vector, failA, failB bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	// Dot products and norms per class (index 0 text, 1+Kind concepts):
	// each class is a cosine of its own.
	var dot, na, nb [4]float64
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			na[a[i]>>classShift]++
			i++
		case i >= len(a) || b[j] < a[i]:
			nb[b[j]>>classShift]++
			j++
		default:
			c := a[i] >> classShift
			dot[c]++
			na[c]++
			nb[c]++
			i++
			j++
		}
	}
	text := cosine(dot[0], na[0], nb[0])
	// The concepts: per kind that both name, how alike (a cosine, so a
	// report that names two objects meets one that names one of them
	// halfway); a kind that only one names counts as OneSided of a kind
	// against them: the other did not say, which is not a contradiction.
	var got, named float64
	conflicts := 0
	for k := Object; k <= Request; k++ {
		c := 1 + k
		w := kindWeight[k]
		switch {
		case na[c] > 0 && nb[c] > 0:
			cos := cosine(dot[c], na[c], nb[c])
			if cos == 0 {
				conflicts++
			}
			got += w * cos
			named += w
		case k == Symptom && (na[c] > 0 && failB || nb[c] > 0 && failA):
			// One names how it fails, the other only that it fails.
			got += w * VagueShare
			named += w
		case na[c] > 0 || nb[c] > 0:
			named += w * OneSided
		}
	}
	s := text
	if named > 0 && (na[1+Object]+na[1+Symptom]+na[1+Request] > 0) && (nb[1+Object]+nb[1+Symptom]+nb[1+Request] > 0) {
		s = ConceptShare*got/named + (1-ConceptShare)*text
	} else if named > 0 {
		// Only one names concepts: only the text speaks.
		s = text * (1 - ConceptShare)
	}
	for ; conflicts > 0; conflicts-- {
		s *= Conflict
	}
	symptomA := failA || na[1+Symptom] > 0
	symptomB := failB || nb[1+Symptom] > 0
	switch {
	case dot[1+Symptom] > 0:
	case symptomA && symptomB:
		s *= VagueSymptom
	default:
		s *= NoSymptom
	}
	return s
}

// kindWeight is how much each kind of concept counts when two reports
// both name it. Requests count little: two people asking for the same
// thing are not one fault unless their texts say more in common.
var kindWeight = [...]float64{Object: 1, Symptom: 1, Request: 0.5}

// VagueShare is how far a report that names how something fails (a
// Symptom) agrees on the symptom with one that only says it fails.
const VagueShare = 0.5

func cosine(dot, na, nb float64) float64 {
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// Group returns the index of the group v joins among groups (each the
// vectors of one group's reports), or -1 if none: the group to which v is
// most similar on average, provided that average is at least
// Threshold*JoinShare and v is the Same as at least one member. Averaging
// keeps a chain of loosely related reports from growing into one group.
func Group(v Vector, groups [][]Vector) int {
	best, bestScore := -1, 0.0
	m := defaultMatcher
	failV := m.failing(v)
	for g, members := range groups {
		if len(members) == 0 {
			continue
		}
		sum, top := 0.0, 0.0
		for _, w := range members {
			s := m.similarityFail(v, w, failV, m.failing(w))
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
