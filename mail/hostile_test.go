package mail

import (
	"fmt"
	"testing"

	"github.com/postdesk/postdesk/internal/hostile"
	"github.com/postdesk/postdesk/tickets"
)

// TestHostileMailIsBounded takes in the three hostile mails of issue 12
// (a 20 MB text body sent as base64, a 30 MB subject, 20 MB of HTML) and
// checks what a ticket keeps and what goes out: the stored subject and
// names fit a header line, the timeline entry is clipped, and every mail
// we send is small; the raw mail is kept whole. Peak memory for the same
// mails is measured by `postdesk bench -big N -big-kind KIND`.
func TestHostileMailIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three mails of 20-50 MB")
	}
	const maxOut = 256 << 10 // a confirmation or staff mail, without attachments
	for _, tc := range []struct {
		kind string
		size int
	}{{"text", 20_000_000}, {"subject", 30_000_000}, {"html", 20_000_000}} {
		t.Run(tc.kind, func(t *testing.T) {
			e := newDeskEnv(t)
			raw, err := hostile.Mail(tc.kind, tc.size, "wang@school.test", tc.kind+"@school.test")
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.desk.Intake([]*tickets.Message{Parse(raw, nil)}, nil)
			if err != nil || out[0].Action != tickets.ActionCreated {
				t.Fatalf("Intake = %+v, %v", out, err)
			}
			tk, err := e.desk.Get(out[0].Ticket)
			if err != nil {
				t.Fatal(err)
			}
			if len(tk.Subject) > tickets.MaxHeaderBytes || len(tk.Requester.Name) > tickets.MaxHeaderBytes {
				t.Errorf("stored subject %d bytes, name %d bytes; want at most %d", len(tk.Subject), len(tk.Requester.Name), tickets.MaxHeaderBytes)
			}
			for _, ev := range tk.Events {
				if len(ev.Text) > 4*(16<<10)+16 {
					t.Errorf("timeline entry of %d bytes", len(ev.Text))
				}
			}
			due, err := e.desk.Outbox().Due(100)
			if err != nil || len(due) == 0 {
				t.Fatalf("due = %d, %v", len(due), err)
			}
			for _, p := range due {
				m, err := e.sender.Composer.Compose(p, nil)
				if err != nil {
					t.Fatal(err)
				}
				if len(m.Data) > maxOut {
					t.Errorf("%s mail of %d bytes, want at most %d", p.Notice.Kind, len(m.Data), maxOut)
				}
				t.Logf("%s: %s mail of %s", tc.kind, p.Notice.Kind, kb(len(m.Data)))
			}
			var kept int
			e.db.ReadMessage(tk.Number, 0, func(b []byte) error { kept = len(b); return nil })
			if kept != len(raw) {
				t.Errorf("raw mail kept %d bytes, want all %d", kept, len(raw))
			}
		})
	}
}

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }
