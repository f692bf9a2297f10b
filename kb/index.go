package kb

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Field weights of BM25F: words in a title or keyword list say more about
// what an article answers than words deep in its body.
var fieldWeight = [numFields]float64{fieldTitle: 3, fieldKeywords: 3, fieldSummary: 2, fieldBody: 1}

const (
	fieldTitle = iota
	fieldKeywords
	fieldSummary
	fieldBody
	numFields
)

// BM25 parameters (the usual values).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// SuggestThreshold is the score an article needs before the desk suggests
// it in a confirmation. It was set on kb/testdata (see TestSuggestAccuracy):
// below it, articles that merely share a few common words with a report
// were suggested to people whose problem they do not answer.
const SuggestThreshold = 4.0

// searchThreshold is lower: someone typing into the search box asked.
const searchThreshold = 0.5

// minMatchedTerms is how many distinct terms of the report an article must
// contain to be suggested at all: one shared word is chance.
const minMatchedTerms = 2

// index is one BM25F index per language.
type index struct {
	byLang map[string]*langIndex
}

type langIndex struct {
	docs   []*doc
	df     map[string]int
	avgLen [numFields]float64
}

type doc struct {
	a   *Article
	tf  [numFields]map[string]int
	len [numFields]int
}

func buildIndex(articles []*Article) *index {
	ix := &index{byLang: map[string]*langIndex{}}
	for _, a := range articles {
		li := ix.byLang[a.Lang]
		if li == nil {
			li = &langIndex{df: map[string]int{}}
			ix.byLang[a.Lang] = li
		}
		d := &doc{a: a}
		texts := [numFields]string{a.Title, strings.Join(a.Keywords, " \n "), a.Summary, a.Text}
		seen := map[string]bool{}
		for f, s := range texts {
			d.tf[f] = map[string]int{}
			for _, t := range Terms(s) {
				d.tf[f][t]++
				d.len[f]++
				seen[t] = true
			}
		}
		for t := range seen {
			li.df[t]++
		}
		li.docs = append(li.docs, d)
	}
	for _, li := range ix.byLang {
		for f := range numFields {
			total := 0
			for _, d := range li.docs {
				total += d.len[f]
			}
			li.avgLen[f] = math.Max(1, float64(total)/float64(len(li.docs)))
		}
	}
	return ix
}

// Match is an article found for a text, with its score.
type Match struct {
	Article *Article
	Score   float64
	// Matched is how many distinct terms of the text the article has.
	Matched int
	// Anchored says whether a term of the text is in the article's title
	// or keywords, the words that say what the article is about.
	Anchored bool
}

// Suggest returns up to max articles in lang that answer a report, best
// first: only those that score at least SuggestThreshold and share at
// least two distinct terms with it. It returns none when nothing fits
// well: a wrong suggestion costs a person's time and trust.
func (b *Base) Suggest(subject, body, lang string, max int) []Match {
	// The subject says what the mail is about: count it twice.
	var out []Match
	for _, m := range b.find(subject+"\n"+subject+"\n"+body, lang, max+8, SuggestThreshold, minMatchedTerms) {
		// An article that shares only body words with the report is about
		// something else that happens to use the same words.
		if m.Anchored && len(out) < max {
			out = append(out, m)
		}
	}
	return out
}

// Search returns up to max articles in lang for a search-box query.
func (b *Base) Search(q, lang string, max int) []Match {
	return b.find(q, lang, max, searchThreshold, 1)
}

func (b *Base) find(q, lang string, max int, threshold float64, minTerms int) []Match {
	if b == nil || b.idx == nil || max <= 0 {
		return nil
	}
	li := b.idx.byLang[lang]
	if li == nil {
		return nil
	}
	qt := uniqueTerms(Terms(q))
	n := float64(len(li.docs))
	var out []Match
	for _, d := range li.docs {
		score, matched, anchored := 0.0, 0, false
		for _, t := range qt {
			df := li.df[t]
			if df == 0 {
				continue
			}
			var tf float64
			for f := range numFields {
				c := d.tf[f][t]
				if c == 0 {
					continue
				}
				norm := 1 - bm25B + bm25B*float64(d.len[f])/li.avgLen[f]
				tf += fieldWeight[f] * float64(c) / norm
				if f == fieldTitle || f == fieldKeywords {
					anchored = true
				}
			}
			if tf == 0 {
				continue
			}
			matched++
			idf := math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
			score += idf * tf * (bm25K1 + 1) / (tf + bm25K1)
		}
		if score >= threshold && matched >= minTerms {
			out = append(out, Match{Article: d.a, Score: score, Matched: matched, Anchored: anchored})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > max {
		out = out[:max]
	}
	return out
}

func uniqueTerms(ts []string) []string {
	seen := make(map[string]bool, len(ts))
	out := ts[:0:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Terms splits text into index terms: runs of Chinese characters become
// overlapping character bigrams (a lone character stays a unigram), other
// letters and digits become lower-case words, lightly stemmed. Common
// words that say nothing about a fault are dropped.
func Terms(s string) []string {
	var out []string
	var han []rune
	var word []rune
	flushHan := func() {
		switch {
		case len(han) == 1:
			if !stopHan[string(han)] {
				out = append(out, string(han))
			}
		case len(han) > 1:
			for i := 0; i+1 < len(han); i++ {
				bg := string(han[i : i+2])
				if !stopHan[bg] {
					out = append(out, bg)
				}
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if len(word) > 0 {
			w := strings.ToLower(string(word))
			if !stopWords[w] {
				w = stem(w)
			}
			if len(w) > 1 && !stopWords[w] {
				out = append(out, w)
			}
			word = word[:0]
		}
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word = append(word, r)
		case r == '\'' || r == '’':
			// "can't", "won't": keep the word together.
			if len(word) > 0 {
				word = append(word, '\'')
			}
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return out
}

// stem removes the commonest English endings so that "freezes",
// "freezing" and "freeze" meet. It is deliberately crude: matching needs
// recall more than linguistics.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'")
	if w2, ok := contractions[w]; ok {
		return w2
	}
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if strings.HasSuffix(w, suf) && len(w)-len(suf) >= 4 {
			w = w[:len(w)-len(suf)]
			break
		}
	}
	return strings.TrimSuffix(w, "e")
}

// contractions map the negations people write to one term.
var contractions = map[string]string{
	"can't": "not", "cannot": "not", "won't": "not", "doesn't": "not", "don't": "not", "isn't": "not",
	"didn't": "not", "wasn't": "not", "couldn't": "not", "aren't": "not",
}

// stopWords carry no meaning about a fault in English.
var stopWords = set(`a an and are as at be been but by can could did do does for from had has have he her hi hello
his how i if in into is it its me my no not of on or our please she so some than thank thanks that the their them
then there these they this those to too us was we were what when where which who why will with would you your
dear regard best sir madam team support issue problem help today yesterday now just also very still get got any
anyone know let like need want try tri again morning afternoon`)

// stopHan are Chinese characters and bigrams that appear in almost every
// report and say nothing about which fault it is.
var stopHan = set(`的 了 是 我 你 他 她 们 在 有 和 就 也 都 很 吗 呢 吧 啊 呀 哦 嗯 这 那 个 一 不 没 要 会 能 让 给 被 把 对
你好 您好 老师 我们 他们 你们 学生 同学 家长 谢谢 感谢 麻烦 请问 一下 问题 今天 昨天 现在 刚才 没有 什么 怎么 可以 这个 一个 那个
已经 但是 因为 所以 时候 帮忙 帮我 看看 还是 就是 然后 是不 不是 有没 没有 一直 我的 孩子 我家 情况 出现 处理 尽快 急急
学校 平台 正常 课程 的课 出来 管理 理员 在哪 哪里 电脑 手机 怎么 如何 知道 需要 希望 应该 东西 好像`)

func set(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// DetectLang says which article language suits a text: "zh-CN" when a
// good share of its letters are Chinese characters, else "en".
func DetectLang(s string) string {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 128 && unicode.IsLetter(r):
			latin++
		}
	}
	// A Chinese character carries about as much as a short English word.
	if han*4 >= latin && han > 0 {
		return "zh-CN"
	}
	return "en"
}
