package triage

import (
	"slices"
	"testing"
)

// TestCountsAndNobody checks the third round's patterns on sentences no
// labelled set holds: a number in Chinese or words before schools or
// classes, loose crowds, "nobody can", and "it worked yesterday".
func TestCountsAndNobody(t *testing.T) {
	r := DefaultRules()
	for _, c := range []struct {
		text string
		want Signal
		has  bool
	}{
		{"我们县有四所初中反映打不开", Wide, true},
		{"12个校区现在都登不上", Wide, true},
		{"初一十二个班级都进不去", Class, true},
		{"一大批家长打电话来", Class, true},
		{"好多老师说登不上", Wide, true},
		{"没有一个同学能进来", Blocked, true},
		{"没人看得到课件", Blocked, true},
		{"Six of our partner schools are offline", Wide, true},
		{"three classes are waiting", Class, true},
		{"考试还剩二十分钟", Now, true},
		{"可是昨天还好好的", Over, false},
		{"昨天断了一会儿，后来好了", Over, true},
	} {
		got := slices.Contains(r.Signals("", c.text), c.want)
		if got != c.has {
			t.Errorf("%q: signal %s = %v, want %v (signals %v)", c.text, c.want, got, c.has, r.Signals("", c.text))
		}
	}
	if n := numeralLen("三百多个"); n != len("三百多") {
		t.Errorf("numeralLen(三百多个) = %d, want %d", n, len("三百多"))
	}
	for _, s := range []string{"一个", "几个", "多个", "个"} {
		if n := numeralLen(s); n != 0 {
			t.Errorf("numeralLen(%s) = %d, want 0", s, n)
		}
	}
}
