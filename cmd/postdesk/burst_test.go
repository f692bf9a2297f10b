package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var listedRe = regexp.MustCompile(`(?m)^#(\d+) `)

// TestTeacherBurstIsAcknowledged: a teacher reporting for a whole class
// sends 12, or 40, distinct reports at once through the real IMAP and SMTP
// path. Every report is acknowledged exactly once: confirm_burst of them
// individually, the rest in one summary mail summary_every later (the
// clock is moved); staff are alerted once.
func TestTeacherBurstIsAcknowledged(t *testing.T) {
	for _, n := range []int{12, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			clk := &fakeClock{t: time.Now()}
			e := newEnv(t, func(p *Program) { p.Desk.Now = clk.Now })
			const teacher = "bob@school.test"
			for i := range n {
				e.deliver(report(teacher, fmt.Sprintf("class%d-%d@school.test", n, i), fmt.Sprintf("三年级%d班 学生%d 登录不了", i%4+1, i), "学生账号提示密码错误，麻烦重置一下。"))
			}
			burst := e.cfg.Desk.ConfirmBurst
			e.mailsTo(teacher, burst)
			deadline := time.Now().Add(20 * time.Second)
			for e.ticketCount() < int64(n) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if got := e.ticketCount(); got != int64(n) {
				t.Fatalf("tickets = %d, want %d", got, n)
			}
			clk.Add(e.cfg.Desk.SummaryEvery.Duration + time.Second)
			e.p.Sender.Wake()
			e.mailsTo(teacher, burst+1)
			time.Sleep(300 * time.Millisecond) // nothing more may come
			acked := map[int64]int{}
			summaries := 0
			for _, m := range filterTo(e.ms.Delivered(), teacher) {
				if tickets.SubjectTag(m.Subject, "") > 0 {
					acked[tickets.SubjectTag(m.Subject, "")]++
					continue
				}
				summaries++
				for _, sm := range listedRe.FindAllStringSubmatch(m.Text, -1) {
					k, _ := strconv.ParseInt(sm[1], 10, 64)
					acked[k]++
				}
			}
			for k := int64(1); k <= int64(n); k++ {
				if acked[k] != 1 {
					t.Errorf("report #%d acknowledged %d times, want 1", k, acked[k])
				}
			}
			if summaries != 1 {
				t.Errorf("summary mails = %d, want 1", summaries)
			}
			alerts := 0
			for _, m := range filterTo(e.ms.Delivered(), demoStaff) {
				if strings.Contains(m.Text, "confirm_burst") && strings.Contains(m.Text, teacher) {
					alerts++
				}
			}
			if alerts != 1 {
				t.Errorf("staff alerts = %d, want 1", alerts)
			}
			t.Logf("%d reports: %d acknowledged individually, %d in %d summary", n, burst, n-burst, summaries)
		})
	}
}
