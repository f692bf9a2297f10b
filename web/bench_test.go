package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// BenchmarkTrackingPage serves GET /t/<token> for random tickets of a
// 2,000-ticket database through the real handler (token check, ticket
// load, page render, security headers), from parallel goroutines. The
// rate limiter is off (negative rate), as it would refuse a benchmark.
func BenchmarkTrackingPage(b *testing.B) {
	db, err := bolt.Open(filepath.Join(b.TempDir(), "w.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	signer := &tickets.Signer{Secret: []byte("0123456789abcdef")}
	desk := &tickets.Desk{Store: db, Signer: signer, Domain: "desk.test", Lang: "zh-CN", Addresses: []string{"support@desk.test"}}
	const n = 2000
	var batch []*tickets.Message
	for i := range n {
		batch = append(batch, &tickets.Message{MessageID: fmt.Sprintf("r%d@qq.test", i), From: tickets.Address{Name: "张老师", Email: fmt.Sprintf("c%d@qq.test", i)},
			Subject: "直播课卡顿，学生端画面延迟严重", Text: "今天上午第二节课开始后大约十分钟，直播课卡顿，学生端画面延迟严重。我们试过重新登录和更换浏览器，问题依旧。麻烦尽快处理，谢谢！", Raw: []byte("x")})
	}
	if _, err := desk.Intake(batch, nil); err != nil {
		b.Fatal(err)
	}
	set, err := templates.Load()
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{Tickets: desk, Signer: signer, Templates: set, Viewer: &templates.Viewer{Set: set}, Desk: templates.Desk{Name: "技术支持"}, Lang: "zh-CN", RatePerSecond: -1}
	h := s.Handler()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = "/t/" + signer.Token(tickets.PurposeTrack, int64(i+1))
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(7919)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, paths[i%n], nil))
			if w.Code != http.StatusOK {
				b.Errorf("GET %s = %d", paths[i%n], w.Code)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
