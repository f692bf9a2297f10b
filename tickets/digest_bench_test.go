package tickets_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// BenchmarkDigestScan measures Desk.Digest (and so `tickets list`, which
// reads the tickets the same way) over a database of 20,000 tickets opened
// by Intake, a day's worth of them new. One op is one whole digest; divide
// by 20,000 for the cost per ticket.
func BenchmarkDigestScan(b *testing.B) {
	const n = 20000
	db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	now := start
	d := benchDesk(b, db)
	d.Now = func() time.Time { return now }
	for i := 0; i < n; i += 500 {
		var batch []*tickets.Message
		for j := i; j < i+500; j++ {
			m := benchReport(j)
			m.Subject = fmt.Sprintf("%s %d", []string{"直播课卡顿", "学生无法登录", "作业上传失败", "成绩导出空白", "摄像头打不开"}[j%5], j%97)
			batch = append(batch, m)
		}
		if _, err := d.Intake(batch, nil); err != nil {
			b.Fatal(err)
		}
		now = now.Add(time.Hour)
	}
	to := now
	from := to.Add(-24 * time.Hour)
	b.ResetTimer()
	for b.Loop() {
		dg, err := d.Digest(from, to)
		if err != nil || dg.Open != n {
			b.Fatalf("digest: %v, open %d", err, dg.Open)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/n, "µs/ticket")
}

// BenchmarkGroupSubjects measures the repeated-problem grouping at its
// input bound (3,000 new tickets in one period), all subjects distinct:
// the worst case, every subject compared with every group.
func BenchmarkGroupSubjects(b *testing.B) {
	var ts []*tickets.Ticket
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for i := range 3000 {
		ts = append(ts, &tickets.Ticket{Number: int64(i + 1), Subject: fmt.Sprintf("alpha%d beta%d gamma%d", i, i, i), Status: tickets.StatusNew, Created: at.Add(time.Duration(i) * time.Second)})
	}
	b.ResetTimer()
	for b.Loop() {
		if d := tickets.BuildDigest(ts, at, at.Add(24*time.Hour), nil); len(d.Repeated) != 0 {
			b.Fatalf("distinct subjects grouped: %+v", d.Repeated[0])
		}
	}
}
