package triage

import (
	"slices"
	"testing"
)

// TestGapPatterns checks "…" in a word: the parts may stand up to
// gapRunes runes apart, never across a clause break.
func TestGapPatterns(t *testing.T) {
	r := &Rules{
		Categories: []Category{{Name: "x", Keywords: []string{"学生…都", "everyone…can't"}, Priority: 2}},
		Default:    "none",
	}
	tests := []struct {
		name, body string
		want       string
	}{
		{"adjacent", "学生都进不去", "x"},
		{"a few runes apart", "学生一个个都说连不上", "x"},
		{"english", "everyone in my class can't join", "x"},
		{"across a comma", "学生说，我们都没办法", "none"},
		{"across a full stop", "everyone left. we can't", "none"},
		{"too far apart", "学生在家里用平板打开了你们的应用以后发现都", "none"},
		{"second part missing", "学生进不去", "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := r.Classify("", tt.body); got != tt.want {
				t.Errorf("Classify(%q) category = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

// TestNegationWindow checks that a negation a few words before an urgent
// word cancels it and says the reporter can wait, while a verb's own
// negation ("打不开，急") does not.
func TestNegationWindow(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name, body string
		raise      bool
		calm       bool
	}{
		{"不是什么急事", "不是什么急事，成绩页的图标有点小", false, true},
		{"并不算太急", "并不算太急，导出的表格少一列", false, true},
		{"not super urgent", "This is not super urgent, the export is missing a column", false, true},
		{"verb negation then 急", "作业打不开，急", true, false},
		{"urgent after a clause break", "I'm not sure why. Urgent: the export fails", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := r.Signals("", tt.body)
			if got := slices.Contains(sig, Raise); got != tt.raise {
				t.Errorf("Signals(%q) = %v: raise %v, want %v", tt.body, sig, got, tt.raise)
			}
			if got := slices.Contains(sig, Calm); got != tt.calm {
				t.Errorf("Signals(%q) = %v: calm %v, want %v", tt.body, sig, got, tt.calm)
			}
		})
	}
}

// TestTraditionalChinese checks that 繁体 reports are judged like their
// simplified twins.
func TestTraditionalChinese(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name                string
		traditional, simple [2]string
	}{
		{"live class frozen", [2]string{"直播課畫面凍結", "老師正在上課，直播畫面凍結了，全班同學都看不到"}, [2]string{"直播课画面冻结", "老师正在上课，直播画面冻结了，全班同学都看不到"}},
		{"upload fails", [2]string{"作業無法上傳", "我的作業一直上傳失敗，顯示錯誤"}, [2]string{"作业无法上传", "我的作业一直上传失败，显示错误"}},
		{"suggestion", [2]string{"建議", "建議平台增加繁體中文介面"}, [2]string{"建议", "建议平台增加繁体中文介面"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, tp := r.Classify(tt.traditional[0], tt.traditional[1])
			sc, sp := r.Classify(tt.simple[0], tt.simple[1])
			if tc != sc || tp != sp {
				t.Errorf("Classify(繁体) = (%q, P%d), Classify(简体) = (%q, P%d): want the same", tc, tp, sc, sp)
			}
		})
	}
}

// TestScopeColumns checks that the joined scope columns reach places no
// phrase names: a quantifier and a place each from its own column.
func TestScopeColumns(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name, body string
		want       Signal
	}{
		{"整个镇", "我们整个镇的学校都打不开平台", Wide},
		{"其他学校", "问了其他学校也打不开", Wide},
		{"一大半学生", "一大半学生卡在进入页面出不来", Class},
		{"most of the class", "most of the class can't join", Class},
		{"the whole trust", "the whole trust can't sign in", Wide},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if sig := r.Signals("", tt.body); !slices.Contains(sig, tt.want) {
				t.Errorf("Signals(%q) = %v, want %s among them", tt.body, sig, tt.want)
			}
		})
	}
}

// TestCantonese checks that written Cantonese is judged like Mandarin.
func TestCantonese(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name                string
		cantonese, mandarin string
	}{
		{"class cannot hear", "而家上緊堂，成班學生都聽唔到我把聲", "现在正在上课，全班学生都听不到我声音"},
		{"cannot see", "我睇唔到老師嘅畫面", "我看不到老师的画面"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc, cp := r.Classify("", tt.cantonese)
			mc, mp := r.Classify("", tt.mandarin)
			if cc != mc || cp != mp {
				t.Errorf("Classify(%q) = (%q, P%d), Classify(%q) = (%q, P%d): want the same", tt.cantonese, cc, cp, tt.mandarin, mc, mp)
			}
		})
	}
}

// TestFooterEndsItsLine checks that a footer word drops the rest of its
// line, not the report written before it on the same line.
func TestFooterEndsItsLine(t *testing.T) {
	r := DefaultRules()
	body := "想跟你们谈一下合作方式和价格，紧急联系人：电教馆 周老师 13800001111"
	sig := r.Signals("合作", body)
	if !slices.Contains(sig, Business) {
		t.Errorf("Signals(%q) = %v, want business (the words before the footer count)", body, sig)
	}
	if slices.Contains(sig, Raise) {
		t.Errorf("Signals(%q) = %v, want no raise (紧急 is in the footer)", body, sig)
	}
}

// TestUrgentBackupRoutes checks the P0 routes that stand in for a missing
// Now or Class word when the reporter asks urgently, and that they need
// the urgency.
func TestUrgentBackupRoutes(t *testing.T) {
	r := DefaultRules()
	tests := []struct {
		name, subject, body string
		want                int
	}{
		{"whole class, exam, urgent, no now word", "考试交不了卷", "全班考试交卷都没反应，急！", 0},
		{"lesson now, urgent, no class word", "直播进不去", "现在上直播课，直播间进不去，麻烦立刻处理", 0},
		{"lesson now without urgency stays P1", "直播进不去", "现在上直播课，直播间进不去", 1},
		{"only some, urgent", "直播进不去", "现在上直播课，有几个学生直播间进不去，急", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := r.Classify(tt.subject, tt.body); got != tt.want {
				t.Errorf("Classify(%q, %q) priority = P%d, want P%d (signals %v)", tt.subject, tt.body, got, tt.want, r.Signals(tt.subject, tt.body))
			}
		})
	}
}

// TestCantoneseLeavesMandarin checks that the Cantonese table does not
// rewrite Mandarin that happens to contain its characters.
func TestCantoneseLeavesMandarin(t *testing.T) {
	for _, s := range []string{"新生分组成班级", "把声音调大一点"} {
		if got := fold(s); got != s {
			t.Errorf("fold(%q) = %q, want it unchanged", s, got)
		}
	}
}
