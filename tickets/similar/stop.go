package similar

// stopBigrams are Chinese character pairs that appear in reports of any
// fault (greetings, thanks, times, people): they say nothing about which
// fault a report describes.
var stopBigrams = set(
	"您好", "你好", "老师", "师您", "师你", "谢谢", "感谢", "麻烦", "辛苦", "问题", "请问", "一下", "我们", "你们", "他们", "学生", "同学", "家长", "孩子",
	"今天", "现在", "刚才", "刚刚", "上午", "下午", "晚上", "早上", "点的", "一直", "怎么", "什么", "可以", "没有", "处理", "帮忙", "帮我", "尽快", "这个", "那个",
	"情况", "时候", "已经", "还是", "需要", "解决", "出现", "的话", "我的", "我们", "是不", "不是", "一样", "都是", "所有", "大家", "好像", "试了", "重新", "还是",
	"看看", "急急", "紧急", "马上", "赶紧", "希望", "回复", "收到", "谢了", "非常", "十分", "特别", "有人", "有没", "怎么", "为什", "什么", "么回", "回事",
	"学校", "小学", "中学", "班级", "年级", "一年", "二年", "三年", "四年", "五年", "六年", "初一", "初二", "初三", "高一", "高二", "高三", "班的", "我是",
	"好的", "以上", "如下", "附件", "截图", "图片", "一个", "个问", "题是", "这样", "然后", "但是", "因为", "所以", "如果", "也是", "也不", "了一", "了，",
)

// stopWords are English words that appear in reports of any fault.
var stopWords = set(
	"the", "and", "for", "are", "but", "not", "you", "your", "our", "this", "that", "with", "have", "has", "had", "was", "were", "from", "they", "them",
	"there", "their", "what", "when", "which", "who", "will", "would", "can", "could", "should", "just", "any", "all", "some", "been", "being", "into",
	"hello", "hi", "dear", "thank", "thanks", "please", "pls", "plz", "team", "support", "regard", "best", "sincerely", "cheer", "help", "issue", "problem",
	"today", "morning", "afternoon", "now", "again", "still", "also", "very", "really", "seem", "get", "got", "know", "let", "urgent", "asap",
	"student", "teacher", "parent", "school", "grade", "class", "kid", "child", "son", "daughter", "one", "two", "three", "here", "about", "since",
	"tri", "try", "tried", "don't", "doesn't", "isn't", "can't", "won't", "didn't", "it's", "i'm", "we're", "there'", "its", "out", "how", "why", "who",
	"mine", "mrs", "miss", "ms.", "mr.", "sir", "madam", "yesterday", "minute", "hour", "anyone", "everyone", "same", "other", "than", "then",
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
