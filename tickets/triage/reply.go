package triage

import (
	"slices"
	"strings"
)

// Reply is what a customer's reply to a resolved or closed ticket says.
type Reply int

// The kinds of reply.
const (
	// ReplyUnclear says neither clearly: a new question, "好的", a mix.
	ReplyUnclear Reply = iota
	// ReplyConfirmed confirms the fix: "好了", "正常了", "works now".
	ReplyConfirmed
	// ReplyThanks thanks without saying whether it works: "谢谢", "thanks".
	ReplyThanks
	// ReplyNegative says it is still or again broken: "还是不行", "still".
	ReplyNegative
)

// String returns "unclear", "confirmed", "thanks" or "negative".
func (k Reply) String() string {
	switch k {
	case ReplyConfirmed:
		return "confirmed"
	case ReplyThanks:
		return "thanks"
	case ReplyNegative:
		return "negative"
	}
	return "unclear"
}

// replyPhrase is one row of the reply table.
type replyPhrase struct {
	phrase string
	kind   Reply
}

// replyTable holds the phrases ClassifyReply looks for. Matching takes the
// longest phrase first and blanks it, so a negated phrase wins over the
// shorter words inside it: "没问题了" is found before "问题", "not working"
// before "working", "no longer works" before "works", "不行了" before "行了".
// Kinds: ReplyConfirmed (it works), ReplyThanks (politeness),
// ReplyNegative (still or again broken), and ReplyUnclear for phrases that
// only hide a shorter word ("不知道" hides nothing of ours but reads as a
// doubt).
var replyTable = []replyPhrase{
	// It works.
	{"好了", ReplyConfirmed}, {"正常了", ReplyConfirmed}, {"可以了", ReplyConfirmed}, {"解决了", ReplyConfirmed}, {"恢复了", ReplyConfirmed},
	{"恢复正常", ReplyConfirmed}, {"没问题了", ReplyConfirmed}, {"没有问题了", ReplyConfirmed}, {"能用了", ReplyConfirmed}, {"好使了", ReplyConfirmed},
	{"搞定", ReplyConfirmed}, {"行了", ReplyConfirmed}, {"能登录了", ReplyConfirmed}, {"能登陆了", ReplyConfirmed}, {"修好了", ReplyConfirmed},
	{"不卡了", ReplyConfirmed}, {"没再出现", ReplyConfirmed}, {"不再出现", ReplyConfirmed}, {"没有再出现", ReplyConfirmed}, {"一切正常", ReplyConfirmed},
	{"已经正常", ReplyConfirmed}, {"已经可以", ReplyConfirmed}, {"已解决", ReplyConfirmed}, {"ok了", ReplyConfirmed}, {"好啦", ReplyConfirmed},
	{"works now", ReplyConfirmed}, {"working now", ReplyConfirmed}, {"it works", ReplyConfirmed}, {"that worked", ReplyConfirmed}, {"works again", ReplyConfirmed},
	{"working again", ReplyConfirmed}, {"works fine", ReplyConfirmed}, {"fixed", ReplyConfirmed}, {"solved", ReplyConfirmed}, {"resolved", ReplyConfirmed},
	{"sorted", ReplyConfirmed}, {"all good", ReplyConfirmed}, {"no longer an issue", ReplyConfirmed}, {"no longer a problem", ReplyConfirmed},
	{"no more problems", ReplyConfirmed}, {"no issues since", ReplyConfirmed}, {"back to normal", ReplyConfirmed}, {"can log in now", ReplyConfirmed},
	{"problem is gone", ReplyConfirmed}, {"issue is gone", ReplyConfirmed},

	// Politeness.
	{"谢谢", ReplyThanks}, {"感谢", ReplyThanks}, {"多谢", ReplyThanks}, {"辛苦了", ReplyThanks}, {"麻烦了", ReplyThanks}, {"thank", ReplyThanks},
	{"thx", ReplyThanks}, {"cheers", ReplyThanks}, {"appreciate", ReplyThanks}, {"great job", ReplyThanks},

	// Still or again broken.
	{"还是不行", ReplyNegative}, {"还是不能", ReplyNegative}, {"还是没", ReplyNegative}, {"还是一样", ReplyNegative}, {"还是有", ReplyNegative},
	{"还是会", ReplyNegative}, {"还是卡", ReplyNegative}, {"还是打不开", ReplyNegative}, {"仍然", ReplyNegative}, {"依然", ReplyNegative}, {"依旧", ReplyNegative},
	{"又出现", ReplyNegative}, {"又不行", ReplyNegative}, {"又卡", ReplyNegative}, {"又坏", ReplyNegative}, {"又掉", ReplyNegative}, {"又打不开", ReplyNegative},
	{"又登不上", ReplyNegative}, {"没好", ReplyNegative}, {"没有好", ReplyNegative}, {"没解决", ReplyNegative}, {"没有解决", ReplyNegative}, {"未解决", ReplyNegative},
	{"不行了", ReplyNegative}, {"不行", ReplyNegative}, {"不正常", ReplyNegative}, {"没用", ReplyNegative}, {"没效果", ReplyNegative}, {"不好使", ReplyNegative},
	{"并没有", ReplyNegative}, {"还没好", ReplyNegative}, {"问题还在", ReplyNegative}, {"没修好", ReplyNegative}, {"没恢复", ReplyNegative},
	{"still", ReplyNegative}, {"again", ReplyNegative}, {"not fixed", ReplyNegative}, {"isn't fixed", ReplyNegative}, {"not resolved", ReplyNegative},
	{"isn't resolved", ReplyNegative}, {"not solved", ReplyNegative}, {"not working", ReplyNegative}, {"isn't working", ReplyNegative}, {"doesn't work", ReplyNegative},
	{"does not work", ReplyNegative}, {"didn't work", ReplyNegative}, {"did not work", ReplyNegative}, {"no longer works", ReplyNegative}, {"stopped working", ReplyNegative},
	{"no luck", ReplyNegative}, {"same problem", ReplyNegative}, {"same issue", ReplyNegative}, {"same error", ReplyNegative}, {"broken", ReplyNegative},
	{"not fixed yet", ReplyNegative}, {"can't", ReplyNegative}, {"cannot", ReplyNegative}, {"came back", ReplyNegative}, {"is back", ReplyNegative},
	{"not really", ReplyNegative},

	// Phrases that only hide shorter words.
	{"still have a question", ReplyUnclear}, {"thanks in advance", ReplyUnclear}, {"thank you in advance", ReplyUnclear},
	{"先谢谢", ReplyUnclear}, {"提前谢谢", ReplyUnclear}, {"不知道", ReplyUnclear}, {"不确定", ReplyUnclear}, {"not sure", ReplyUnclear},
	{"还是想问", ReplyUnclear}, {"还有一个问题", ReplyUnclear}, {"还有个问题", ReplyUnclear}, {"另外", ReplyUnclear}, {"by the way", ReplyUnclear},
	{"also,", ReplyUnclear}, {"one more question", ReplyUnclear}, {"another question", ReplyUnclear},
}

// replyQuestion words make a reply that only thanks or confirms unclear:
// it asks something new, and staff must see it.
var replyQuestion = []string{"?", "吗", "请问", "怎么", "如何", "能不能", "可不可以", "how do", "how can", "could you", "can you", "is it possible"}

// replyOrder is replyTable sorted longest phrase first.
var replyOrder = func() []replyPhrase {
	t := slices.Clone(replyTable)
	slices.SortStableFunc(t, func(a, b replyPhrase) int { return len(b.phrase) - len(a.phrase) })
	return t
}()

// ClassifyReply says what a customer's reply to a resolved or closed ticket
// means. text is the customer's new text only (the caller has removed the
// quoted mail). A negative phrase wins over any other; a confirmation with
// no question confirms; thanks alone with no question thanks; anything
// else, and any phrase of the unclear kind, is unclear.
func ClassifyReply(text string) Reply {
	s := fold(text)
	found := map[Reply]bool{}
	for _, p := range replyOrder {
		if contains(s, p.phrase, false) {
			found[p.kind] = true
			s = strings.ReplaceAll(s, p.phrase, " ␣ ")
		}
	}
	asks := anyIn(replyQuestion, s)
	switch {
	case found[ReplyNegative]:
		return ReplyNegative
	case found[ReplyUnclear] || asks:
		return ReplyUnclear
	case found[ReplyConfirmed]:
		return ReplyConfirmed
	case found[ReplyThanks]:
		return ReplyThanks
	}
	return ReplyUnclear
}

// queryPhrases ask how a reported fault is going. Broad single words
// ("进度", "状态", "status") are not here: they name features too ("学习
// 进度"); the desk's QueryWords match them as a whole subject only.
var queryPhrases = []string{
	"请问进度", "查询进度", "处理进度", "进度如何", "进度怎么样", "什么进度", "进度到哪", "处理到哪", "到哪一步", "处理得怎么样", "处理的怎么样", "怎么样了", "有结果了吗", "有结果吗", "有进展吗", "有进展了吗", "有消息吗", "有消息了吗",
	"处理好了吗", "修好了吗", "解决了吗", "还要多久", "多久能好", "什么时候能好", "什么时候能修好", "什么时候能解决", "查询状态", "查一下状态", "查下状态",
	"any update", "any news", "any progress", "status?", "status update", "what's the status", "what is the status", "status of my", "how is it going",
	"is it fixed yet", "when will it be fixed", "any eta", "follow up on my", "following up on my", "checking in on",
}

// queryFault words, with the Rules' Urgent, Blocked and Failure words,
// name a fault: a mail that asks "怎么样了" but also says "又卡了" is a
// report, not a query.
var queryFault = []string{"又", "现在还", "still", "again", "now it", "this time"}

// IsStatusQuery reports whether a mail asks how earlier reports are going
// and names no fault of its own: a query phrase in the subject or body,
// and no fault words in the body unless they speak only of the past ("我上
// 周报的登录不上的问题处理到哪了"). r gives the fault words; nil means
// DefaultRules.
func IsStatusQuery(r *Rules, subject, body string) bool {
	if r == nil {
		r = defaultRules
	}
	subject, body, _ = r.evidence(subject, body)
	if !anyIn(queryPhrases, subject) && !anyIn(queryPhrases, body) {
		return false
	}
	sig := r.matchers().main.find("", body).signals()
	fault := (sig[Impact] || sig[Blocked] || sig[Failure]) && !sig[Over]
	return !fault && !anyWord(queryFault, body, false)
}

var defaultRules = DefaultRules()
