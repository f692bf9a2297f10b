package reply

import "testing"

func TestHTMLText(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"link with text", `<p>课程页面<a href="https://edu.test/c/42">打不开</a>，请看看</p>`, "课程页面打不开 (https://edu.test/c/42)，请看看"},
		{"link showing its target", `<p>see <a href="https://edu.test/x">https://edu.test/x</a></p>`, "see https://edu.test/x"},
		{"image-only link", `<a href="https://track.test/1"><img src="cid:logo"></a><p>hi</p>`, "hi"},
		{"image alt", `<p><img alt="截图：黑屏" src="cid:1"> 如图</p>`, "截图：黑屏 如图"},
		{"relative and mailto links keep only text", `<a href="/x">here</a> <a href="mailto:a@b.test">mail</a>`, "here mail"},
		{"structure, quotes, no script", "<div>第一行</div><div>第二行<br>第三行</div><script>x()</script><blockquote>旧的</blockquote>", "第一行\n第二行\n第三行\n> 旧的"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := HTMLText(c.in); got != c.want {
				t.Errorf("HTMLText(%q) =\n%q\nwant\n%q", c.in, got, c.want)
			}
		})
	}
}
