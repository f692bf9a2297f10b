package tickets_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// BenchmarkIntakeIncident measures intake of new reports (batches of 100,
// fsync on, as BenchmarkIntakeNew/batch=100) with no incident, and during
// a declared incident that already has 5,000 members, the new reports
// being linked to it. Without an incident every report is compared with
// the window's recent reports (up to IncidentPolicy.MaxRecent, all alike
// here: the worst case); during one it is matched against the incident
// and linked through the member index, never touching the lead's record.
// One op is one mail.
func BenchmarkIntakeIncident(b *testing.B) {
	for _, members := range []int{0, 5000} {
		name := "none"
		if members > 0 {
			name = fmt.Sprintf("declared-members=%d", members)
		}
		b.Run(name, func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "t.db"), nil)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			desk := benchDesk(b, db)
			seq := 0
			next := func() *tickets.Message { seq++; return benchReport(seq) }
			if members > 0 {
				lead, err := desk.Intake([]*tickets.Message{next()}, nil)
				if err != nil {
					b.Fatal(err)
				}
				n := lead[0].Ticket
				cmd := &tickets.Message{MessageID: "declare@desk.test", From: tickets.Address{Email: "li@desk.test"}, Subject: fmt.Sprintf("Re: [#%d]", n),
					Text: "#incident", InReplyTo: []string{tickets.StaffRefForTest(desk, "li@desk.test", n)}}
				if out, err := desk.Intake([]*tickets.Message{cmd}, nil); err != nil || out[0].Action != tickets.ActionStaff {
					b.Fatalf("declare: %v %v", out, err)
				}
				for i := 0; i < members; i += 500 {
					var batch []*tickets.Message
					for range 500 {
						batch = append(batch, next())
					}
					if _, err := desk.Intake(batch, nil); err != nil {
						b.Fatal(err)
					}
				}
				if t, _ := desk.Get(int64(seq)); t.Incident != n {
					b.Fatalf("member #%d not linked (incident %d)", seq, t.Incident)
				}
			}
			msgs := make([]*tickets.Message, b.N)
			for i := range msgs {
				msgs[i] = next()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i += 100 {
				out, err := desk.Intake(msgs[i:min(i+100, b.N)], nil)
				if err != nil || out[0].Action != tickets.ActionCreated {
					b.Fatalf("Intake = %v, %v", out, err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
		})
	}
}
