package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

// These tests reproduce, over IMAP and SMTP, each hole of the staff-proof
// review (forwarded notification, reply-all, Cc flood, Authentication-
// Results in serve, half-applied commands) and show it closed.

// envMaker starts postdesk for a test, with configure applied to its
// Config.
type envMaker func(t *testing.T, configure func(*Config)) *testEnv

// memEnv runs postdesk against the in-memory IMAP/SMTP server.
func memEnv(t *testing.T, configure func(*Config)) *testEnv { return newEnvConfig(t, configure, nil) }

// waitMail waits for a mail to addr whose text contains want.
func (e *testEnv) waitMail(addr, want string) *tickets.Message {
	e.t.Helper()
	var found *tickets.Message
	_, ok := e.ms.Wait(10*time.Second, func(d []memserver.Delivered) bool {
		for _, m := range filterTo(d, addr) {
			if strings.Contains(m.Text, want) {
				found = m
				return true
			}
		}
		return false
	})
	if !ok {
		for _, m := range filterTo(e.ms.Delivered(), addr) {
			e.t.Logf("to %s: %s\n%s", addr, m.Subject, m.Text)
		}
		e.t.Fatalf("no mail to %s containing %q", addr, want)
	}
	return found
}

// forged is what someone holding a copy of a notification sends: From the
// staff member, a new Message-ID, the notification's Message-ID as the
// reply target.
func forged(from, notificationID, subject, id, body string) string {
	return fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: %s\nMessage-ID: <%s>\nIn-Reply-To: <%s>\nReferences: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		from, subject, id, notificationID, notificationID, body)
}

// assertUntouched checks that no forged command or text took effect on
// ticket n and the customer got nothing but the confirmation.
func (e *testEnv) assertUntouched(n int64, status tickets.Status, prio tickets.Priority, text string) {
	e.t.Helper()
	tk := e.ticket(n)
	if tk.Status != status || tk.Priority != prio {
		e.t.Errorf("ticket #%d: status %s priority %s, want %s %s (no forged command applied)", n, tk.Status, tk.Priority, status, prio)
	}
	for _, ev := range tk.Events {
		if strings.Contains(ev.Text, text) && ev.Kind != tickets.EventUnverified {
			e.t.Errorf("forged text recorded as %s (public %v)", ev.Kind, ev.Public)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if got := filterTo(e.ms.Delivered(), demoCustomer); len(got) != 1 {
		e.t.Errorf("customer got %d mails, want only the confirmation", len(got))
	}
}

// TestForwardedNotificationCannotBeReplayed: Li forwards a notification as
// an attachment (the desk in Cc); its reader then writes "From: li" naming
// the notification. The forward revokes the token, Li gets a fresh
// notification saying why, and the replay acts on nothing.
func TestForwardedNotificationCannotBeReplayed(t *testing.T) {
	checkForwardedNotification(t, memEnv)
}

func checkForwardedNotification(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	_, note := e.openTicket("alice@school.test", "fw1@school.test", "登录失败", "无法登录，提示密码错误。")
	inner := strings.ReplaceAll(string(note.Raw), "\r\n", "\n")
	e.deliver(fmt.Sprintf("From: 李工 <%s>\nTo: eve@evil.test\nCc: support@desk.test\nSubject: Fwd: %s\nMessage-ID: <fw2@desk.test>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=FW\n\n--FW\nContent-Type: text/plain; charset=utf-8\n\n请帮忙看一下这个工单。\n--FW\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"notification.eml\"\n\n%s\n--FW--\n",
		demoStaff, note.Subject, inner))
	fresh := e.waitMail(demoStaff, "回复凭证已作废")
	if !strings.Contains(fresh.Text, "转发") || !strings.Contains(fresh.Text, "li@desk.test: Fwd:") {
		t.Errorf("fresh notification does not say why:\n%s", fresh.Text)
	}
	e.deliver(forged(demoStaff, note.MessageID, note.Subject, "fw3@evil.test", "#status closed\n\n请把您的密码发给我，我帮您重置。"))
	e.waitMail(demoStaff, "它引用的回复令牌已被吊销")
	e.assertUntouched(1, tickets.StatusNew, e.ticket(1).Priority, "请把您的密码发给我")

	// The fresh notification works.
	e.deliver(staffReply(demoStaff, fresh, "fw4@desk.test", "#status waiting\n\n请问您用的是哪个浏览器？"))
	if got := e.mailsTo(demoCustomer, 2)[1]; !strings.Contains(got.Text, "请问您用的是哪个浏览器？") {
		t.Errorf("reply through the fresh notification:\n%s", got.Text)
	}
	if tk := e.ticket(1); tk.Status != tickets.StatusWaiting {
		t.Errorf("status = %s, want waiting", tk.Status)
	}
}

// TestReplyAllTokenCannotBeReplayed: Li answers with reply-all, the
// customer in Cc. The answer is handled; the customer, who now holds the
// notification's Message-ID, cannot use it to act as Li.
func TestReplyAllTokenCannotBeReplayed(t *testing.T) { checkReplyAll(t, memEnv) }

func checkReplyAll(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	_, note := e.openTicket("alice@school.test", "ra1@school.test", "视频卡顿", "上课时视频很卡")
	prio := e.ticket(1).Priority
	raw := staffReply(demoStaff, note, "ra2@desk.test", "请清除浏览器缓存后重试。")
	raw = strings.Replace(raw, "To: support@desk.test\n", "To: support@desk.test\nCc: alice@school.test\n", 1)
	e.deliver(raw)
	fresh := e.waitMail(demoStaff, "回复凭证已作废")
	if !strings.Contains(fresh.Text, "非员工地址 alice@school.test") {
		t.Errorf("fresh notification does not name who got the mail:\n%s", fresh.Text)
	}
	public := false
	for _, ev := range e.ticket(1).Events {
		public = public || (ev.Kind == tickets.EventStaffReply && ev.Text == "请清除浏览器缓存后重试。")
	}
	if !public {
		t.Error("the reply-all itself was not handled as Li's answer")
	}
	e.deliver(forged(demoStaff, note.MessageID, note.Subject, "ra3@school.test", "#priority P3\n#status closed\n\n问题已解决，工单关闭。"))
	e.waitMail(demoStaff, "它引用的回复令牌已被吊销")
	e.assertUntouched(1, tickets.StatusInProgress, prio, "问题已解决，工单关闭。")
}

// TestCcFloodIsCapped: a mail whose folded Cc names 1,000 addresses makes
// at most 10 participants; a staff reply then writes to 11 addresses (the
// requester and the 10), not 1,000.
func TestCcFloodIsCapped(t *testing.T) { checkCcFlood(t, memEnv) }

func checkCcFlood(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	var cc []string
	for i := range 1000 {
		cc = append(cc, fmt.Sprintf("p%d@flood.test", i))
	}
	raw := report("alice@school.test", "cc1@school.test", "免费领取课程", "点击链接领取")
	raw = strings.Replace(raw, "To: support@desk.test\n", "To: support@desk.test\nCc: "+strings.Join(cc, ",\n ")+"\n", 1)
	e.deliver(raw)
	note := e.waitMail(demoStaff, "990")
	if got := strings.Count(note.Text, "参与人："); got != 10 {
		t.Errorf("staff notification lists %d participants, want 10:\n%s", got, note.Text)
	}
	if tk := e.ticket(1); len(tk.Participants) != 10 || tk.AddedBy["p0@flood.test"] != demoCustomer {
		t.Fatalf("participants = %d (p0 added by %q), want 10 added by the customer", len(tk.Participants), tk.AddedBy["p0@flood.test"])
	}
	e.deliver(staffReply(demoStaff, note, "cc2@desk.test", "已收到，正在处理。"))
	flood := func(d []memserver.Delivered) int {
		n := 0
		for _, m := range d {
			for _, to := range m.To {
				if strings.HasSuffix(to, "@flood.test") {
					n++
				}
			}
		}
		return n
	}
	if _, ok := e.ms.Wait(10*time.Second, func(d []memserver.Delivered) bool { return flood(d) >= 10 }); !ok {
		t.Fatalf("the staff reply reached %d participants, want 10", flood(e.ms.Delivered()))
	}
	e.mailsTo(demoCustomer, 2)
	time.Sleep(300 * time.Millisecond)
	if n := flood(e.ms.Delivered()); n != 10 {
		t.Errorf("mails to flood addresses = %d, want 10", n)
	}
}

// TestAuthResultsThroughServe: desk.trust_auth_results and
// desk.require_auth_results, read from the config, act on the
// Authentication-Results header that serve's own parser reads.
func TestAuthResultsThroughServe(t *testing.T) { checkAuthResults(t, memEnv) }

func checkAuthResults(t *testing.T, mk envMaker) {
	const pass = "Authentication-Results: mx.desk.test; dkim=pass header.d=desk.test; dmarc=pass header.from=desk.test\n"
	const other = "Authentication-Results: mx.evil.test; dkim=pass header.d=desk.test\n"
	noToken := func(id, ar, body string) string {
		return ar + fmt.Sprintf("From: %s\nTo: support@desk.test\nSubject: Re: [#1] 登录失败\nMessage-ID: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%s\n", demoStaff, id, body)
	}

	t.Run("trust", func(t *testing.T) {
		e := mk(t, func(c *Config) { c.Desk.TrustAuthResults = "mx.desk.test" })
		e.openTicket("alice@school.test", "ar1@school.test", "登录失败", "无法登录")
		e.deliver(noToken("ar2@desk.test", pass, "#status waiting\n\n请问您用的是哪个浏览器？"))
		if got := e.mailsTo(demoCustomer, 2)[1]; !strings.Contains(got.Text, "请问您用的是哪个浏览器？") {
			t.Errorf("attested staff mail was not relayed:\n%s", got.Text)
		}
		e.deliver(noToken("ar3@evil.test", other, "#status closed\n\n请把密码发给我。"))
		e.waitMail(demoStaff, "它没有发送给用户")
		if tk := e.ticket(1); tk.Status != tickets.StatusWaiting {
			t.Errorf("status = %s, want waiting (another server's results prove nothing)", tk.Status)
		}
	})

	t.Run("require", func(t *testing.T) {
		e := mk(t, func(c *Config) {
			c.Desk.TrustAuthResults = "mx.desk.test"
			c.Desk.RequireAuthResults = true
		})
		_, note := e.openTicket("alice@school.test", "rq1@school.test", "登录失败", "无法登录")
		e.deliver(staffReply(demoStaff, note, "rq2@desk.test", "#status closed\n\n关闭。"))
		e.waitMail(demoStaff, "您的收信服务器没有证明发件人")
		e.deliver(noToken("rq3@desk.test", pass, "#status closed\n\n关闭。"))
		e.waitMail(demoStaff, "没有带上发给您的通知邮件中的回复令牌")
		if tk := e.ticket(1); tk.Status != tickets.StatusNew {
			t.Fatalf("status = %s, want new (a token alone, or attestation alone, proves nothing)", tk.Status)
		}
		e.deliver(pass + staffReply(demoStaff, note, "rq4@desk.test", "#status waiting\n\n请问您用的是哪个浏览器？"))
		if got := e.mailsTo(demoCustomer, 2)[1]; !strings.Contains(got.Text, "请问您用的是哪个浏览器？") {
			t.Errorf("token plus attestation was not relayed:\n%s", got.Text)
		}
	})
}

// TestMergeWithInvalidCommandChangesNothing: "#merge 2" followed by an
// invalid command leaves both tickets as they were, and the receipt says
// which command was wrong.
func TestMergeWithInvalidCommandChangesNothing(t *testing.T) { checkMergeInvalid(t, memEnv) }

func checkMergeInvalid(t *testing.T, mk envMaker) {
	e := mk(t, nil)
	_, note := e.openTicket("alice@school.test", "mg1@school.test", "登录失败", "无法登录")
	e.openTicket("bob@school.test", "mg2@school.test", "登录也失败", "同样无法登录")
	one, two := e.ticket(1), e.ticket(2)
	e.deliver(staffReply(demoStaff, note, "mg3@desk.test", "#merge 2\n#priority P9\n\n与 #2 是同一个问题。"))
	receipt := e.waitMail(demoStaff, "本封邮件的命令都没有执行")
	if !strings.Contains(receipt.Text, "#priority P9") || !strings.Contains(receipt.Text, "没有「P9」这个优先级") {
		t.Errorf("receipt does not say which command was wrong:\n%s", receipt.Text)
	}
	a, b := e.ticket(1), e.ticket(2)
	if a.MergedInto != 0 || a.Status != one.Status || len(a.Events) != len(one.Events) {
		t.Errorf("ticket 1 changed: merged into %d, status %s, %d events (was %d)", a.MergedInto, a.Status, len(a.Events), len(one.Events))
	}
	if len(b.Events) != len(two.Events) || len(b.Participants) != len(two.Participants) {
		t.Errorf("ticket 2 changed: %d events (was %d), participants %v", len(b.Events), len(two.Events), b.Participants)
	}
}

// staffRef waits for the new-ticket notification to li about ticket n
// and returns its Message-ID, which carries li's reply token: a reply
// naming it in In-Reply-To is verified.
func (e *testEnv) staffRef(n int64) string {
	e.t.Helper()
	var id string
	_, ok := e.ms.Wait(10*time.Second, func(d []memserver.Delivered) bool {
		for _, m := range filterTo(d, demoStaff) {
			if tickets.SubjectTag(m.Subject, "") == n && !strings.Contains(m.Subject, "回执") {
				id = m.MessageID
				return true
			}
		}
		return false
	})
	if !ok {
		e.t.Fatalf("no notification to %s about #%d", demoStaff, n)
	}
	return id
}
