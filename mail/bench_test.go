package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// benchBase64 writes data as base64 in 76-character lines.
func benchBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

// benchPlainMail is a typical English fault report.
func benchPlainMail(i int) []byte {
	return []byte(fmt.Sprintf("From: Emma Clark <emma%d@school.test>\r\nTo: Support <support@desk.test>\r\n"+
		"Subject: Live class stutters for students (grade 3, class %d)\r\nDate: Sat, 21 Nov 2026 10:00:00 +0800\r\n"+
		"Message-ID: <r%d.abc@school.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"+
		"Content-Transfer-Encoding: quoted-printable\r\n\r\n"+
		"Hello,\r\n\r\nThe live class stutters for the students. It started about 10 minutes into period 2\r\n"+
		"today. We logged out and in again, cleared the cache and tried another browser;\r\nnothing helped.\r\n\r\n"+
		"Device: Chromebook, Chrome 120\r\nNetwork: school Wi-Fi\r\nStudents affected: about 30\r\n\r\n"+
		"Could you please look into it before the afternoon lessons?\r\n\r\nThanks,\r\nEmma\r\n", i, i%12, i))
}

// benchChineseHTMLMail is a Chinese report as QQ Mail sends it:
// multipart/alternative, both parts base64.
func benchChineseHTMLMail(i int) []byte {
	text := "老师您好：\n\n直播课卡顿，学生端画面延迟严重。今天上午第二节课开始后大约十分钟出现这个问题，我们试过重新登录、清除缓存和更换浏览器，问题依旧。\n\n设备：Windows 10 台式机，Chrome 浏览器\n网络：学校有线网络\n影响人数：约30人\n\n麻烦尽快帮忙看一下，下午还有课，谢谢！\n\n张老师\n第三实验小学\n"
	var h strings.Builder
	h.WriteString(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>`)
	for _, l := range strings.Split(text, "\n") {
		h.WriteString(`<div style="font-family: 微软雅黑; font-size: 14px;">` + l + `</div>`)
	}
	h.WriteString("</body></html>")
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s <zhang%d@qq.test>\r\nTo: %s <support@desk.test>\r\nSubject: %s\r\n",
		mime.BEncoding.Encode("utf-8", "张老师"), i, mime.BEncoding.Encode("utf-8", "技术支持"), mime.BEncoding.Encode("utf-8", "直播课卡顿，学生端画面延迟严重（三年级二班）"))
	fmt.Fprintf(&b, "Date: Sat, 21 Nov 2026 10:00:00 +0800\r\nMessage-ID: <tencent_%d@qq.test>\r\nMIME-Version: 1.0\r\nX-Mailer: QQMail 2.x\r\n", i)
	b.WriteString("Content-Type: multipart/alternative; boundary=\"----=_NextPart_1\"\r\n\r\n------=_NextPart_1\r\n")
	b.WriteString("Content-Type: text/plain; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	benchBase64(&b, []byte(strings.ReplaceAll(text, "\n", "\r\n")))
	b.WriteString("\r\n------=_NextPart_1\r\nContent-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	benchBase64(&b, []byte(h.String()))
	b.WriteString("\r\n------=_NextPart_1--\r\n")
	return b.Bytes()
}

// benchAttachmentMail is a report with a size-byte screenshot attached.
func benchAttachmentMail(i, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Liam Wong <liam%d@school.test>\r\nTo: support@desk.test\r\nSubject: Screen share is black\r\n"+
		"Date: Sat, 21 Nov 2026 10:00:00 +0800\r\nMessage-ID: <att%d@school.test>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"The screen share is black for the students, see the screenshot.\r\n\r\n--b1\r\n"+
		"Content-Type: image/png; name=\"screenshot.png\"\r\nContent-Disposition: attachment; filename=\"screenshot.png\"\r\n"+
		"Content-Transfer-Encoding: base64\r\n\r\n", i, i)
	data := make([]byte, size)
	rand.NewChaCha8([32]byte{byte(i)}).Read(data)
	benchBase64(&b, data)
	b.WriteString("\r\n--b1--\r\n")
	return b.Bytes()
}

// BenchmarkParse measures mail.Parse, the poller's per-mail CPU cost.
func BenchmarkParse(b *testing.B) {
	for _, c := range []struct {
		name string
		raw  []byte
	}{
		{"plain", benchPlainMail(1)},
		{"chinese-html", benchChineseHTMLMail(1)},
		{"attachment-300KB", benchAttachmentMail(1, 300_000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.raw)))
			b.ReportAllocs()
			for b.Loop() {
				m := Parse(c.raw, nil)
				if m.Subject == "" {
					b.Fatal("no subject")
				}
			}
		})
	}
}

// BenchmarkDrain measures the sender: Sender.Drain of queued confirmations
// over one reused SMTP connection to the in-process server, rendering
// every mail from the templates and marking each batch sent in an fsync'd
// transaction.
func BenchmarkDrain(b *testing.B) {
	path := filepath.Join(b.TempDir(), "d.db")
	db, err := bolt.Open(path, &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	signer := &tickets.Signer{Secret: []byte("0123456789abcdef")}
	newDesk := func(db *bolt.DB) *tickets.Desk {
		return &tickets.Desk{Store: db, Signer: signer, Domain: "desk.test", Lang: "zh-CN", Addresses: []string{"support@desk.test"}}
	}
	// Queue b.N confirmations (setup, not timed): b.N new reports.
	desk := newDesk(db)
	for i := 0; i < b.N; {
		var batch []*tickets.Message
		for ; i < b.N && len(batch) < 500; i++ {
			batch = append(batch, Parse(benchChineseHTMLMail(i), nil))
		}
		if _, err := desk.Intake(batch, nil); err != nil {
			b.Fatal(err)
		}
	}
	db.Close()
	if db, err = bolt.Open(path, nil); err != nil { // durable from here on
		b.Fatal(err)
	}
	defer db.Close()
	desk = newDesk(db)
	ms, err := memserver.Start("", "")
	if err != nil {
		b.Fatal(err)
	}
	defer ms.Close()
	ms.AddUser("support@desk.test", "pw")
	set, err := templates.Load()
	if err != nil {
		b.Fatal(err)
	}
	comp := &Composer{Templates: set, Viewer: &templates.Viewer{Set: set}, Signer: signer,
		Desk: tickets.Address{Name: "技术支持", Email: "support@desk.test"}, BaseURL: "http://desk.test", LoopID: "loop1"}
	s := &Sender{Outbox: desk.Outbox(), Composer: comp, SMTP: SMTPConfig{Addr: ms.SMTPAddr, TLS: "none", Username: "support@desk.test", Password: "pw", Timeout: 10 * time.Second}}
	defer s.Close()
	ctx := context.Background()
	b.ResetTimer()
	sent := 0
	for sent < b.N {
		n, err := s.Drain(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			b.Fatalf("outbox empty after %d of %d", sent, b.N)
		}
		sent += n
	}
	b.StopTimer()
	if got := len(ms.Delivered()); got != b.N {
		b.Fatalf("delivered %d, want %d", got, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
}
