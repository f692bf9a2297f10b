package triage

// Scope words are built from two columns, every quantifier joined to every
// noun ("整个" + "镇" = "整个镇", "all of my " + "students"), so that a new
// place or a new quantifier is one word in a column, not a row of phrases.
// DefaultRules adds them to Wide, Class and the outage keywords.
var (
	// wholeZh quantifiers cover all of what follows.
	wholeZh = []string{"整个", "全", "所有", "全部", "全体", "每个", "每一个"}
	// someZh quantifiers name more than one place, or another one.
	someZh = []string{"好几个", "几个", "多个", "各个", "各", "其他", "其它", "别的", "隔壁", "周边"}
	// placesZh are the places and populations a platform fault reaches.
	placesZh = []string{"学校", "校区", "区", "镇", "市", "县", "省", "中小学", "平台", "系统", "网站", "老师", "教师", "用户"}
	// schoolsZh are the places someZh may count.
	schoolsZh = []string{"学校", "校区", "区", "镇", "县"}
	// manyZh quantifiers cover all or much of a class.
	manyZh = []string{"全", "整个", "所有", "全部", "一大半", "大半", "大部分", "一半", "半数", "多数", "大多数", "很多", "好多", "好些", "一堆", "十几个", "二十多个", "三十多个", "几十个"}
	// pupilsZh are the members of a class (and their parents, who write
	// for them).
	pupilsZh = []string{"学生", "同学", "孩子", "娃", "考生", "学员", "班", "家长"}

	// othersZh and peopleZh name the others who are fine in a report
	// about some ("其他班都正常", "别的老师没问题"): Partial words.
	othersZh = []string{"其他", "其它", "其余", "别的"}
	peopleZh = []string{"学生", "同学", "班", "老师", "人", "孩子"}

	// wholeEn and placesEn: "the whole district", "all our schools".
	wholeEn  = []string{"all ", "all the ", "all our ", "all of our ", "every ", "the whole ", "the entire ", "entire ", "whole ", "across the ", "across our ", "other ", "neighbouring ", "neighboring ", "nearby ", "several ", "multiple "}
	placesEn = []string{"school", "district", "trust", "campus", "sites", "platform", "staff", "teachers", "users"}
	// manyEn and pupilsEn: "all of my students", "most of the class".
	manyEn   = []string{"all ", "all the ", "all my ", "all of my ", "all of the ", "most of my ", "most of the ", "half the ", "half of the ", "half my ", "any of my ", "any of the ", "every ", "none of my ", "none of the ", "the whole ", "the entire ", "whole ", "entire "}
	pupilsEn = []string{"student", "kids", "pupil", "learner", "children", "class", "candidate", "group", "cohort"}

	// countZh counts schools or classes by number ("#" is any number,
	// Arabic or Chinese: 三所学校, 5个校区, 七个班级).
	countZh  = []string{"#所", "#个", "#间", "#家"}
	schoolsN = []string{"学校", "小学", "中学", "初中", "高中", "校区", "分校", "幼儿园"}
	classesN = []string{"班级", "年级", "教室", "机房"}
	// crowdZh are loose counts of people ("一堆家长", "好多老师"): with
	// pupils or parents they are a class, with teachers or users a
	// school or the platform.
	crowdZh = []string{"好多", "很多", "一堆", "一大堆", "一大批", "大批", "大量", "一群", "不少", "一帮"}
	staffZh = []string{"老师", "教师", "用户", "学校"}
	// nobodyZh say no one of a group can ("没人…能", "谁都…不").
	nobodyZh = []string{"没人…能", "没有人…能", "没人…得", "没有人…得", "谁都…不", "谁也…不", "一个都", "一个也", "一个人都", "一个人也"}
	// numbersEn count schools or classes in words ("four of our trust's
	// schools", "three classes").
	numbersEn = []string{"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a dozen", "a number of", "a few of our", "half of our", "half our", "most of our"}
	schoolsEn = []string{" schools", " of our…schools", " sites", " campuses"}
	classesEn = []string{" classes", " of my classes", " year groups", " forms"}

	// pastZh + fineZh and fineEn + pastEn say it worked before ("可是昨天
	// 还好好的", "it was fine yesterday"): Masked, so the past word does
	// not make a fault of today a past one.
	pastZh = []string{"昨天", "前天", "上周", "之前", "刚才", "早上", "上午"}
	fineZh = []string{"还好好的", "都好好的", "还能用", "还可以", "都正常", "还正常", "还是好的", "还能登"}
	fineEn = []string{"was fine ", "worked fine ", "were fine ", "worked ", "was working "}
	pastEn = []string{"yesterday", "last week", "earlier"}
)

// join returns every word of heads followed by every word of tails.
func join(heads, tails []string) []string {
	out := make([]string, 0, len(heads)*len(tails))
	for _, h := range heads {
		for _, t := range tails {
			out = append(out, h+t)
		}
	}
	return out
}

// joined returns the words of lists in order, each once (a joined scope
// word may repeat a hand-written one), as a new slice.
func joined(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, w := range l {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}
