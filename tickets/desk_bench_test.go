package tickets_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// benchRaw stands in for the stored raw mail: about 2 KB, as a typical
// text report is.
var benchRaw = []byte("Subject: report\r\n\r\n" + strings.Repeat("直播课卡顿，学生端画面延迟严重。", 45))

func benchDesk(b *testing.B, db *bolt.DB) *tickets.Desk {
	return &tickets.Desk{Store: db, Signer: &tickets.Signer{Secret: []byte("0123456789abcdef")}, Domain: "desk.test", Lang: "zh-CN",
		Addresses: []string{"support@desk.test"}, Staff: []tickets.Staff{{Email: "li@desk.test", Name: "李工", NotifyNew: true}}}
}

// benchReport is new report i, from its own sender (so the per-sender
// caps on automatic mail never trip).
func benchReport(i int) *tickets.Message {
	from := fmt.Sprintf("c%06d@school.test", i)
	return &tickets.Message{MessageID: fmt.Sprintf("r%d.x@school.test", i), From: tickets.Address{Name: "张老师", Email: from},
		To: []tickets.Address{{Email: "support@desk.test"}}, Subject: fmt.Sprintf("直播课卡顿，学生端画面延迟严重（%d班）", i%12),
		Text: "老师您好：今天上午第二节课开始后大约十分钟，直播课卡顿，学生端画面延迟严重。我们试过重新登录和更换浏览器，问题依旧。麻烦尽快处理，谢谢！", Raw: benchRaw}
}

// BenchmarkIntakeNew measures opening tickets: Desk.Intake of new reports
// in batches of 1 (each mail its own fsync'd transaction, as when mail
// trickles in) and of 100 (one transaction per poller batch), with real
// fsync. One op is one mail.
func BenchmarkIntakeNew(b *testing.B) {
	for _, size := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			desk := benchDesk(b, db)
			msgs := make([]*tickets.Message, b.N)
			for i := range msgs {
				msgs[i] = benchReport(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += size {
				out, err := desk.Intake(msgs[i:min(i+size, b.N)], nil)
				if err != nil || out[0].Action != tickets.ActionCreated {
					b.Fatalf("Intake = %v, %v", out, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
		})
	}
}

// BenchmarkThreadReply measures threading on a database with 20,000
// tickets: Desk.Intake of a customer reply found by its subject tag or by
// In-Reply-To (the msgid index). The database does not fsync here, so
// the figure is the lookup and update work; BenchmarkIntakeNew shows the
// fsync.
func BenchmarkThreadReply(b *testing.B) {
	const nTickets = 20000
	db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	desk := benchDesk(b, db)
	desk.Staff = nil // the reply's staff notice is not what is measured
	for i := 0; i < nTickets; i += 500 {
		var batch []*tickets.Message
		for j := i; j < i+500; j++ {
			batch = append(batch, benchReport(j))
		}
		if _, err := desk.Intake(batch, nil); err != nil {
			b.Fatal(err)
		}
	}
	seq := 0 // unique Message-IDs across the runs of each sub-benchmark
	for _, how := range []string{"tag", "in-reply-to"} {
		b.Run(how, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				seq++
				k := (seq * 7919) % nTickets // spread over the database
				m := benchReport(k)
				m.MessageID = fmt.Sprintf("re%d.%s@school.test", seq, how)
				if how == "tag" {
					m.Subject = fmt.Sprintf("回复：[#%d] %s", k+1, m.Subject)
				} else {
					m.InReplyTo = []string{fmt.Sprintf("r%d.x@school.test", k)}
					m.Subject = "回复：" + m.Subject
				}
				out, err := desk.Intake([]*tickets.Message{m}, nil)
				if err != nil || out[0].Action != tickets.ActionAppended || out[0].Ticket != int64(k+1) {
					b.Fatalf("Intake = %v, %v; want appended to #%d", out, err, k+1)
				}
			}
		})
	}
}
