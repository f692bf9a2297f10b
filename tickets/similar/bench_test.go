package similar_test

import (
	"testing"

	"github.com/postdesk/postdesk/tickets/similar"
)

const benchSubject, benchBody = "直播课进不去", "老师您好，今天上午九点的直播课学生都进不去，一直在转圈，麻烦看一下。我们试过重新登录和更换浏览器，问题依旧。三年级二班，学生四十多人，马上就要考试了，麻烦尽快处理，谢谢！"

// BenchmarkFeatures measures turning one report into its vector, done
// once per new report at intake.
func BenchmarkFeatures(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		similar.Features(benchSubject, benchBody)
	}
}

// BenchmarkGroup measures choosing the group of a new report among 200
// recent reports in 13 groups of at most 16 compared reports (the bound
// the desk keeps: IncidentPolicy.MaxRecent 200, 16 per group).
func BenchmarkGroup(b *testing.B) {
	v := similar.Features(benchSubject, benchBody)
	others := []similar.Vector{
		similar.Features("live class won't load", "Hi, our 10am live class won't load for any of the students, just a spinning wheel."),
		similar.Features("忘记密码", "老师您好，我忘记密码了，怎么找回？"),
		similar.Features("作业提交不了", "学生作业提交不了，点提交按钮一直转圈然后提示失败。"),
		similar.Features("直播没有声音", "学生说直播课听不到老师的声音，画面是正常的。"),
	}
	var groups [][]similar.Vector
	for g := range 13 {
		var members []similar.Vector
		for range 16 {
			members = append(members, others[g%len(others)])
		}
		groups = append(groups, members)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		similar.Group(v, groups)
	}
}
