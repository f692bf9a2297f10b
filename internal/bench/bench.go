// Package bench is the load generator behind `postdesk bench`: it runs the
// real pipeline (poller, desk, bbolt, sender, web) against embedded IMAP and
// SMTP servers, with realistic generated mail, and reports throughput,
// latency, storage and memory figures (BENCHMARKS.md). It never builds
// postdesk itself: the command passes a [Postdesk] that opens the same
// Program `postdesk serve` runs, so the figures are the server's.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	bbolt "go.etcd.io/bbolt"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/postdesk/postdesk/internal/hostile"
	"github.com/postdesk/postdesk/mail/memserver"
	"github.com/postdesk/postdesk/tickets"
)

// benchOptions are the flags of `postdesk bench`.
type benchOptions struct {
	N           int           // mails in the throughput phase
	LatencyN    int           // mails in the latency phase
	Rate        float64       // mails per second in the latency phase
	JSON        bool          // print a JSON object instead of the table
	Data        string        // database file; "" is a new temporary file
	AttachRatio float64       // share of mails with a 100-500 KB attachment
	ReplyRatio  float64       // share of replies in the throughput phase
	HTMLRatio   float64       // share of HTML mails
	GBKRatio    float64       // share of GBK-encoded mails
	Staff       int           // staff members (0 or 1 is typical)
	Poll        time.Duration // imap.poll_interval: the resync under IDLE
	Inproc      bool          // mail servers inside this process
	Big         int           // MB of the single attachment of the RSS run; 0: no RSS run
	BigKind     string        // "attach", or a hostile.Kinds mail of Big MB
	Scale       int           // tickets of the scale fixture; 0: no scale run
	Clients     int           // concurrent clients of the tracking-page load
	Duration    time.Duration // length of the tracking-page load
	Seed        uint64
	Timeout     time.Duration // bound on each phase
	Verbose     bool
	CPUProfile  string // write a CPU profile of the measured phases here
}

// Main is `postdesk bench`: args are the flags after "bench". It runs the
// real pipeline (poller, desk, bbolt, sender), opened through pd, against
// embedded IMAP and SMTP servers and reports throughput, latency, storage
// and memory figures on stdout. See BENCHMARKS.md. Unless -inproc is given
// the mail servers run in a child process: this executable started with
// "bench -serve-mail", which must reach Main again.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, pd Postdesk) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o benchOptions
	fs.IntVar(&o.N, "n", 2000, "mails in the throughput phase, put into the INBOX before postdesk starts")
	fs.Float64Var(&o.Rate, "rate", 50, "mails per second in the latency phase")
	fs.IntVar(&o.LatencyN, "latency-n", 500, "mails in the latency phase (0 skips it)")
	fs.BoolVar(&o.JSON, "json", false, "print one JSON object instead of the table")
	fs.StringVar(&o.Data, "data", "", "database file (default: a new temporary file, removed afterwards)")
	fs.Float64Var(&o.AttachRatio, "attach-ratio", 0.1, "share of mails with a 100-500 KB attachment")
	fs.Float64Var(&o.ReplyRatio, "reply-ratio", 0.3, "share of customer replies to earlier tickets in the throughput phase")
	fs.Float64Var(&o.HTMLRatio, "html-ratio", 0.25, "share of HTML mails")
	fs.Float64Var(&o.GBKRatio, "gbk-ratio", 0.03, "share of mails with GBK-encoded subject and body")
	fs.IntVar(&o.Staff, "staff", 1, "staff members (each gets a mail per new ticket and per reply)")
	fs.DurationVar(&o.Poll, "poll", time.Second, "imap.poll_interval (the resync under IDLE)")
	fs.BoolVar(&o.Inproc, "inproc", false, "run the mail servers inside this process (peak RSS then includes them)")
	fs.IntVar(&o.Big, "big", 0, "instead: the peak-RSS run with one mail carrying an attachment of this many MB (10^6 bytes)")
	fs.StringVar(&o.BigKind, "big-kind", "attach", "with -big: \"attach\" (one attachment), \"text\" (base64 text body), \"subject\" (subject) or \"html\" (HTML body) of that many MB")
	fs.IntVar(&o.Scale, "scale", 0, "instead: build a database with this many tickets and measure startup, lookups and the tracking page")
	fs.IntVar(&o.Clients, "clients", 32, "with -scale: concurrent HTTP clients of the tracking-page load")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "with -scale: length of the tracking-page load")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the generated mail")
	fs.DurationVar(&o.Timeout, "timeout", 5*time.Minute, "give up a phase after this long")
	fs.BoolVar(&o.Verbose, "v", false, "log postdesk's info messages to stderr")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the measured phases to this file (go tool pprof)")
	serveMail := fs.Bool("serve-mail", false, "internal: run only the embedded mail servers, report deliveries on stdout, stop at EOF on stdin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	switch {
	case o.N < 1:
		return fmt.Errorf("bench: -n must be at least 1")
	case o.LatencyN < 0:
		return fmt.Errorf("bench: -latency-n must not be negative")
	case o.Rate <= 0 || o.Rate > 10000:
		return fmt.Errorf("bench: -rate must be in (0, 10000]")
	case o.Staff < 0 || o.Staff > 5:
		return fmt.Errorf("bench: -staff must be 0..5")
	case o.Poll < 100*time.Millisecond:
		return fmt.Errorf("bench: -poll must be at least 100ms")
	case o.Clients < 1 || o.Clients > 1000:
		return fmt.Errorf("bench: -clients must be 1..1000")
	case o.Duration <= 0 || o.Duration > 10*time.Minute:
		return fmt.Errorf("bench: -duration must be in (0, 10m]")
	}
	for _, r := range []float64{o.AttachRatio, o.ReplyRatio, o.HTMLRatio, o.GBKRatio} {
		if r < 0 || r > 1 {
			return fmt.Errorf("bench: ratios must be between 0 and 1")
		}
	}
	if o.CPUProfile != "" && !*serveMail {
		f, err := os.Create(o.CPUProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	switch {
	case *serveMail:
		return benchServeMail(os.Stdin, stdout)
	case o.Scale > 0:
		return benchScale(ctx, pd, o, stdout, stderr)
	case o.Big > 0:
		return benchBig(ctx, pd, o, stdout, stderr)
	}
	return benchPipeline(ctx, pd, o, stdout, stderr)
}

// ---------------------------------------------------------------------
// The mail servers: in this process, or in a child process so that the
// peak RSS measured here is postdesk's alone.

// benchObserver records every mail the SMTP server accepted.
type benchObserver struct {
	staff map[string]bool

	mu       sync.Mutex
	all      []time.Time // every accepted mail, in order
	customer []time.Time // mails to customers (confirmations here)
	staffN   int
	bytes    int64
	biggest  int64                // the largest mail accepted
	byIRT    map[string]time.Time // first customer mail in reply to a Message-ID
	changed  chan struct{}
}

func newBenchObserver(staff []string) *benchObserver {
	o := &benchObserver{staff: map[string]bool{}, byIRT: map[string]time.Time{}, changed: make(chan struct{})}
	for _, s := range staff {
		o.staff[strings.ToLower(s)] = true
	}
	return o
}

func (o *benchObserver) add(at time.Time, size int, to []string, irt string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.all = append(o.all, at)
	o.bytes += int64(size)
	o.biggest = max(o.biggest, int64(size))
	isStaff := false
	for _, t := range to {
		if o.staff[strings.ToLower(t)] {
			isStaff = true
		}
	}
	if isStaff {
		o.staffN++
	} else {
		o.customer = append(o.customer, at)
		if _, ok := o.byIRT[irt]; irt != "" && !ok {
			o.byIRT[irt] = at
		}
	}
	close(o.changed)
	o.changed = make(chan struct{})
}

// snapshot returns counts and the wake-up channel for the next change.
func (o *benchObserver) snapshot() (all, customer, staff int, ch <-chan struct{}) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.all), len(o.customer), o.staffN, o.changed
}

// inReplyTo extracts the first Message-ID of the In-Reply-To header.
func benchInReplyTo(data []byte) string {
	end := bytes.Index(data, []byte("\r\n\r\n"))
	if end < 0 {
		end = len(data)
	}
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(data[:end:end], "\r\n\r\n"...))))
	h, _ := r.ReadMIMEHeader()
	v := h.Get("In-Reply-To")
	if i := strings.IndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
		if j := strings.IndexByte(v, '>'); j >= 0 {
			return v[:j]
		}
	}
	return strings.TrimSpace(v)
}

// benchLab is a running pair of mail servers with the support mailbox.
type benchLab struct {
	IMAPAddr, SMTPAddr string
	Obs                *benchObserver
	Child              bool

	ms    *memserver.Server
	cmd   *exec.Cmd
	stdin io.Closer
	done  chan error
	imap  *imapclient.Client

	closeOnce sync.Once
}

// startBenchLabStaff starts the lab, counting mail to the staff members
// of o as staff mail.
func startBenchLabStaff(o benchOptions, stderr io.Writer) (*benchLab, error) {
	var addrs []string
	for _, s := range benchStaff(o.Staff) {
		addrs = append(addrs, s.Email)
	}
	return startBenchLab(o, addrs, stderr)
}

func startBenchLab(o benchOptions, staff []string, stderr io.Writer) (*benchLab, error) {
	lab := &benchLab{Obs: newBenchObserver(staff)}
	if o.Inproc {
		ms, err := memserver.Start("", "")
		if err != nil {
			return nil, err
		}
		ms.AddUser(demoSupport, demoPassword)
		ms.SetReject(func(from string, to []string, data []byte) error {
			lab.Obs.add(time.Now(), len(data), to, benchInReplyTo(data))
			return nil
		})
		lab.ms, lab.IMAPAddr, lab.SMTPAddr = ms, ms.IMAPAddr, ms.SMTPAddr
		return lab, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: find own executable for the mail-server process: %w (or use -inproc)", err)
	}
	cmd := exec.Command(exe, "bench", "-serve-mail")
	cmd.Stderr = stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start mail-server process: %w", err)
	}
	lab.cmd, lab.stdin, lab.Child = cmd, in, true
	br := bufio.NewReader(out)
	line, err := br.ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 || f[0] != "READY" {
		lab.Close()
		return nil, fmt.Errorf("bench: mail-server process said %q: %v", line, err)
	}
	lab.IMAPAddr, lab.SMTPAddr = f[1], f[2]
	lab.done = make(chan error, 1)
	go func() {
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				lab.done <- err
				return
			}
			f := strings.Fields(line)
			if len(f) != 5 || f[0] != "D" {
				continue
			}
			ns, _ := strconv.ParseInt(f[1], 10, 64)
			size, _ := strconv.Atoi(f[2])
			irt := f[4]
			if irt == "-" {
				irt = ""
			}
			lab.Obs.add(time.Unix(0, ns), size, strings.Split(f[3], ","), irt)
		}
	}()
	c, err := imapclient.DialInsecure(lab.IMAPAddr, nil)
	if err != nil {
		lab.Close()
		return nil, fmt.Errorf("bench: connect to the mail-server process: %w", err)
	}
	if err := c.Login(demoSupport, demoPassword).Wait(); err != nil {
		c.Close()
		lab.Close()
		return nil, fmt.Errorf("bench: login: %w", err)
	}
	lab.imap = c
	return lab, nil
}

// Append delivers a raw mail into the support INBOX and returns when the
// server has stored it.
func (l *benchLab) Append(raw []byte) error {
	if l.ms != nil {
		return l.ms.Append(demoSupport, "INBOX", raw)
	}
	cmd := l.imap.Append("INBOX", int64(len(raw)), &imap.AppendOptions{})
	if _, err := cmd.Write(raw); err != nil {
		cmd.Close()
		return fmt.Errorf("append: %w", err)
	}
	if err := cmd.Close(); err != nil {
		return fmt.Errorf("append: %w", err)
	}
	if _, err := cmd.Wait(); err != nil {
		return fmt.Errorf("append: %w", err)
	}
	return nil
}

// Close stops the servers (and the child process).
func (l *benchLab) Close() error {
	l.closeOnce.Do(l.close)
	return nil
}

func (l *benchLab) close() {
	if l.ms != nil {
		l.ms.Close()
		return
	}
	if l.imap != nil {
		l.imap.Close()
	}
	if l.stdin != nil {
		l.stdin.Close()
	}
	if l.cmd != nil {
		exited := make(chan error, 1)
		go func() { exited <- l.cmd.Wait() }()
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			l.cmd.Process.Kill()
			<-exited
		}
	}
}

// benchServeMail is the child side: it runs the mail servers, prints
// "READY imap smtp", then one line per accepted mail
// ("D unixnano size rcpt,rcpt in-reply-to|-"), and stops at EOF on stdin.
func benchServeMail(stdin io.Reader, stdout io.Writer) error {
	ms, err := memserver.Start("", "")
	if err != nil {
		return err
	}
	defer ms.Close()
	ms.AddUser(demoSupport, demoPassword)
	var mu sync.Mutex
	w := bufio.NewWriter(stdout)
	ms.SetReject(func(from string, to []string, data []byte) error {
		irt := benchInReplyTo(data)
		if irt == "" || strings.ContainsAny(irt, " \t") {
			irt = "-"
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "D %d %d %s %s\n", time.Now().UnixNano(), len(data), strings.Join(to, ","), irt)
		return w.Flush()
	})
	mu.Lock()
	fmt.Fprintf(w, "READY %s %s\n", ms.IMAPAddr, ms.SMTPAddr)
	err = w.Flush()
	mu.Unlock()
	if err != nil {
		return err
	}
	io.Copy(io.Discard, stdin)
	return nil
}

// ---------------------------------------------------------------------
// Mail generation.

// benchGen makes realistic support mail: Chinese and English fault
// reports (plain, HTML, GBK, some with a large attachment) and customer
// replies that thread either by our subject tag or by In-Reply-To.
// It is deterministic for a seed.
type benchGen struct {
	rng     *rand.Rand
	data    *rand.ChaCha8
	run     string
	seq     int
	reports []benchReport
	o       benchOptions
	// Stats of what was generated.
	Reports, Replies, Attach, HTML, GBK, ZH int
	AttachBytes, Bytes                      int64
}

// benchReport is a new report, remembered so that replies can follow it.
type benchReport struct {
	from, name, msgid, subject string
	zh                         bool
	ticket                     int // its ticket number on a fresh database
}

// benchMail is one generated mail.
type benchMail struct {
	Raw   []byte
	MsgID string
	Reply bool
}

func newBenchGen(o benchOptions) *benchGen {
	var seed [32]byte
	for i := range 4 {
		seed[i*8] = byte(o.Seed >> (8 * i))
	}
	return &benchGen{
		rng:  rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)),
		data: rand.NewChaCha8(seed),
		run:  strconv.FormatInt(time.Now().UnixNano()%1e12, 36),
		o:    o,
	}
}

var (
	benchZHSubjects = []string{
		"直播课卡顿，学生端画面延迟严重", "无法登录学习平台，一直提示密码错误", "作业提交后显示失败",
		"课堂回放视频无法播放", "直播中断，学生全部掉线", "家长端收不到作业通知", "平台页面显示错乱",
		"建议增加护眼模式", "上传课件时报错", "学生看不到老师共享的屏幕", "上课时麦克风没有声音",
		"账号被锁定了", "考试系统交卷失败", "白板功能无法使用", "视频会议进不去",
	}
	benchENSubjects = []string{
		"Live class stutters for students", "Cannot log in to the platform", "Homework upload fails",
		"Recording does not play", "Live stream dropped during the lesson", "Suggestion: add a dark mode",
		"Screen share is black for students", "Microphone not working in class", "Account locked",
		"Quiz submission error", "Whiteboard does not load", "Parents do not get notifications",
	}
	benchZHNames   = []string{"张老师", "李老师", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周敏", "吴刚", "孙老师", "郑晓燕"}
	benchENNames   = []string{"Emma Clark", "Liam Wong", "Olivia Smith", "Noah Patel", "Ava Brown", "Lucas Meyer", "Mia Chen", "Ethan Hall"}
	benchZHDomains = []string{"qq.test", "163.test", "126.test", "school.test", "edu.test"}
	benchENDomains = []string{"gmail.test", "outlook.test", "school.test", "academy.test"}
	benchDevices   = []string{"Windows 10 台式机，Chrome 浏览器", "iPad，学习平台 App", "华为平板", "MacBook，Safari 浏览器", "安卓手机，微信内置浏览器"}
	benchNetworks  = []string{"学校有线网络", "家庭宽带 100M", "手机 4G 热点", "校园 Wi-Fi"}
	benchZHReplies = []string{
		"刚才又试了一次，还是不行，学生那边依然看不到画面。",
		"补充一下：换成手机热点以后好一些，但是过十分钟左右又开始卡了。",
		"附上今天的截图，请帮忙看看是什么原因。",
		"今天下午第三节课又出现了同样的问题，请尽快处理，谢谢。",
	}
	benchENReplies = []string{
		"I tried again just now and it still does not work for the students.",
		"One more detail: it happens on the school Wi-Fi but not on mobile data.",
		"It happened again in the afternoon lesson, please have a look.",
	}
)

func (g *benchGen) pick(s []string) string { return s[g.rng.IntN(len(s))] }

// Next returns the next mail: a reply to an earlier report with
// probability replyRatio (when there is one), else a new report.
func (g *benchGen) Next(replyRatio float64) benchMail {
	g.seq++
	if len(g.reports) > 0 && g.rng.Float64() < replyRatio {
		return g.reply()
	}
	return g.report(0)
}

// benchDraft is what build turns into RFC 5322 bytes.
type benchDraft struct {
	fromName, from, subject, msgid string
	inReplyTo, references          string
	text                           string
	zh, html, gbk                  bool
	attach                         int
}

func (g *benchGen) report(forceAttach int) benchMail {
	d := benchDraft{zh: g.rng.Float64() < 0.65}
	d.gbk = d.zh && g.rng.Float64() < g.o.GBKRatio/0.65
	d.html = !d.gbk && g.rng.Float64() < g.o.HTMLRatio
	if forceAttach > 0 {
		d.attach = forceAttach
	} else if g.rng.Float64() < g.o.AttachRatio {
		d.attach = 100_000 + g.rng.IntN(400_001)
	}
	grade, class := 1+g.rng.IntN(9), 1+g.rng.IntN(12)
	var domain string
	if d.zh {
		d.fromName, domain = g.pick(benchZHNames), g.pick(benchZHDomains)
		d.subject = fmt.Sprintf("%s（%d年级%d班）", g.pick(benchZHSubjects), grade, class)
		d.text = fmt.Sprintf("老师您好：\n\n%s。今天上午第%d节课开始后大约%d分钟出现这个问题，我们试过重新登录、清除缓存和更换浏览器，问题依旧。\n\n设备：%s\n网络：%s\n班级：%d年级%d班\n影响人数：约%d人\n\n麻烦尽快帮忙看一下，下午还有课，谢谢！\n\n%s\n第%d实验小学\n\n发自我的手机",
			strings.SplitN(d.subject, "（", 2)[0], 1+g.rng.IntN(6), 1+g.rng.IntN(40), g.pick(benchDevices), g.pick(benchNetworks),
			grade, class, 5+g.rng.IntN(50), d.fromName, 1+g.rng.IntN(30))
	} else {
		d.fromName, domain = g.pick(benchENNames), g.pick(benchENDomains)
		d.subject = fmt.Sprintf("%s (grade %d, class %d)", g.pick(benchENSubjects), grade, class)
		d.text = fmt.Sprintf("Hello,\n\n%s. It started about %d minutes into period %d today. We logged out and in again, cleared the cache and tried another browser; nothing helped.\n\nDevice: Chromebook, Chrome %d\nNetwork: school Wi-Fi\nStudents affected: about %d\n\nCould you please look into it before the afternoon lessons?\n\nThanks,\n%s\n",
			strings.SplitN(d.subject, " (", 2)[0], 1+g.rng.IntN(40), 1+g.rng.IntN(6), 110+g.rng.IntN(20), 5+g.rng.IntN(50), d.fromName)
	}
	d.from = fmt.Sprintf("u%s-%d@%s", g.run, g.seq, domain)
	d.msgid = fmt.Sprintf("%s.%d.%08x@%s", g.run, g.seq, g.rng.Uint32(), domain)
	g.reports = append(g.reports, benchReport{from: d.from, name: d.fromName, msgid: d.msgid, subject: d.subject, zh: d.zh, ticket: len(g.reports) + 1})
	g.Reports++
	return benchMail{Raw: g.build(d), MsgID: d.msgid}
}

func (g *benchGen) reply() benchMail {
	r := g.reports[g.rng.IntN(len(g.reports))]
	d := benchDraft{zh: r.zh, from: r.from, fromName: r.name}
	d.gbk = d.zh && g.rng.Float64() < g.o.GBKRatio/0.65
	d.html = !d.gbk && g.rng.Float64() < g.o.HTMLRatio
	if g.rng.Float64() < g.o.AttachRatio {
		d.attach = 100_000 + g.rng.IntN(400_001)
	}
	domain := r.from[strings.IndexByte(r.from, '@')+1:]
	d.msgid = fmt.Sprintf("%s.%d.%08x@%s", g.run, g.seq, g.rng.Uint32(), domain)
	byTag := g.rng.IntN(2) == 0
	prefix := "Re: "
	if d.zh {
		prefix = "回复："
	}
	if byTag {
		// Threads by our tag (as when replying to the confirmation).
		d.subject = fmt.Sprintf("%s[#%d] %s", prefix, r.ticket, r.subject)
		d.references = "<" + r.msgid + ">"
	} else {
		// Threads by In-Reply-To of the customer's own first mail.
		d.subject = prefix + r.subject
		d.inReplyTo = "<" + r.msgid + ">"
		d.references = d.inReplyTo
	}
	if d.zh {
		d.text = fmt.Sprintf("%s\n\n%s\n\n------------------ 原始邮件 ------------------\n发件人: \"%s\" <%s>;\n发送时间: %s\n收件人: \"技术支持\" <%s>;\n主题: %s\n\n老师您好：\n\n%s。请尽快帮忙看一下，谢谢！\n",
			g.pick(benchZHReplies), r.name, r.name, r.from, time.Now().Add(-time.Hour).Format("2006年01月02日 15:04"), demoSupport, r.subject, r.subject)
	} else {
		d.text = fmt.Sprintf("%s\n\n%s\n\nOn %s, %s <%s> wrote:\n> Hello,\n>\n> %s.\n> Could you please look into it?\n",
			g.pick(benchENReplies), r.name, time.Now().Add(-time.Hour).Format("Mon, Jan 2, 2006 at 3:04 PM"), r.name, r.from, r.subject)
	}
	g.Replies++
	return benchMail{Raw: g.build(d), MsgID: d.msgid, Reply: true}
}

func benchGBK(s string) ([]byte, bool) {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	return b, err == nil
}

func (g *benchGen) build(d benchDraft) []byte {
	var b bytes.Buffer
	charset := "utf-8"
	body := []byte(d.text)
	word := func(s string) string { return mime.BEncoding.Encode("utf-8", s) }
	if d.gbk {
		if gb, ok := benchGBK(d.text); ok {
			charset, body = "GBK", gb
			word = func(s string) string {
				if gs, ok := benchGBK(s); ok {
					return "=?GBK?B?" + base64.StdEncoding.EncodeToString(gs) + "?="
				}
				return mime.BEncoding.Encode("utf-8", s)
			}
		}
	}
	fmt.Fprintf(&b, "From: %s <%s>\r\n", word(d.fromName), d.from)
	if d.zh {
		fmt.Fprintf(&b, "To: %s <%s>\r\n", word("技术支持"), demoSupport)
	} else {
		fmt.Fprintf(&b, "To: Support <%s>\r\n", demoSupport)
	}
	fmt.Fprintf(&b, "Subject: %s\r\n", word(d.subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s>\r\n", d.msgid)
	if d.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: %s\r\n", d.inReplyTo)
	}
	if d.references != "" {
		fmt.Fprintf(&b, "References: %s\r\n", d.references)
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	if d.zh {
		b.WriteString("X-Mailer: Foxmail 7.2.25.375[cn]\r\n")
	} else {
		b.WriteString("X-Mailer: Microsoft Outlook 16.0\r\n")
	}
	boundary := fmt.Sprintf("----=_Part_%d_%08x", g.seq, g.rng.Uint32())
	if d.attach > 0 {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
		fmt.Fprintf(&b, "This is a multi-part message in MIME format.\r\n\r\n--%s\r\n", boundary)
	}
	if d.html {
		alt := boundary + "_alt"
		fmt.Fprintf(&b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n--%s\r\n", alt, alt)
		g.textPart(&b, "text/plain", charset, body, d.zh)
		fmt.Fprintf(&b, "\r\n--%s\r\n", alt)
		g.textPart(&b, "text/html", charset, benchHTML(d.text), d.zh)
		fmt.Fprintf(&b, "\r\n--%s--\r\n", alt)
		g.HTML++
	} else {
		g.textPart(&b, "text/plain", charset, body, d.zh)
	}
	if d.attach > 0 {
		name, ctype := "screenshot.png", "image/png"
		if d.zh {
			name = []string{"截图.png", "错误提示.jpg", "课表.pdf"}[g.rng.IntN(3)]
			ctype = map[bool]string{true: "application/pdf", false: "image/jpeg"}[strings.HasSuffix(name, ".pdf")]
			if strings.HasSuffix(name, ".png") {
				ctype = "image/png"
			}
		}
		fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
			boundary, ctype, mime.BEncoding.Encode("utf-8", name), mime.BEncoding.Encode("utf-8", name))
		data := make([]byte, d.attach)
		g.data.Read(data)
		benchBase64(&b, data)
		fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
		g.Attach++
		g.AttachBytes += int64(d.attach)
	}
	if d.gbk && charset == "GBK" {
		g.GBK++
	}
	if d.zh {
		g.ZH++
	}
	g.Bytes += int64(b.Len())
	return b.Bytes()
}

func (g *benchGen) textPart(b *bytes.Buffer, ctype, charset string, body []byte, zh bool) {
	body = bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n"))
	switch {
	case !zh:
		fmt.Fprintf(b, "Content-Type: %s; charset=%s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", ctype, charset)
		w := quotedprintable.NewWriter(b)
		w.Write(body)
		w.Close()
		b.WriteString("\r\n")
	default:
		fmt.Fprintf(b, "Content-Type: %s; charset=%s\r\nContent-Transfer-Encoding: base64\r\n\r\n", ctype, charset)
		benchBase64(b, body)
	}
}

func benchHTML(text string) []byte {
	var b strings.Builder
	b.WriteString("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body>")
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			b.WriteString("<div><br></div>")
			continue
		}
		b.WriteString("<div style=\"font-family: 微软雅黑, sans-serif; font-size: 14px;\">" + html.EscapeString(line) + "</div>")
	}
	b.WriteString("</body></html>")
	return []byte(b.String())
}

func benchBase64(b *bytes.Buffer, data []byte) {
	var line [76]byte
	for len(data) > 0 {
		n := min(57, len(data))
		base64.StdEncoding.Encode(line[:], data[:n])
		b.Write(line[:base64.StdEncoding.EncodedLen(n)])
		b.WriteString("\r\n")
		data = data[n:]
	}
}

// ---------------------------------------------------------------------
// The pipeline run.

// benchOutcomes counts what the desk made of the fetched mail.
type benchOutcomes struct {
	mu       sync.Mutex
	total    int
	byAction map[tickets.Action]int
	target   int
	reached  time.Time
}

func (c *benchOutcomes) add(out []tickets.Outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAction == nil {
		c.byAction = map[tickets.Action]int{}
	}
	for _, o := range out {
		c.byAction[o.Action]++
	}
	c.total += len(out)
	if c.target > 0 && c.total >= c.target && c.reached.IsZero() {
		c.reached = time.Now()
	}
}

func (c *benchOutcomes) get() (total, created int, reached time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.total, c.byAction[tickets.ActionCreated], c.reached
}

func (c *benchOutcomes) setTarget(n int) {
	c.mu.Lock()
	c.target, c.reached = n, time.Time{}
	if c.total >= n {
		c.reached = time.Now()
	}
	c.mu.Unlock()
}

func (c *benchOutcomes) actions() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[string]int{}
	for k, v := range c.byAction {
		m[string(k)] = v
	}
	return m
}

// benchReport* are the figures printed at the end.
type benchThroughput struct {
	Mails          int            `json:"mails"`
	Reports        int            `json:"reports"`
	Replies        int            `json:"replies"`
	Attachments    int            `json:"attachments"`
	AttachMB       float64        `json:"attachment_mb"`
	HTML           int            `json:"html"`
	GBK            int            `json:"gbk"`
	Chinese        int            `json:"chinese"`
	MailMB         float64        `json:"mail_mb"`
	Outcomes       map[string]int `json:"outcomes"`
	IntakeSec      float64        `json:"intake_s"`
	IntakeRate     float64        `json:"intake_mails_per_s"`
	ConfirmSec     float64        `json:"confirmations_s"`
	EndToEndRate   float64        `json:"end_to_end_mails_per_s"`
	DrainSec       float64        `json:"drained_s"`
	Sends          int            `json:"smtp_sends"`
	SendsToCust    int            `json:"smtp_sends_customers"`
	SendsToStaff   int            `json:"smtp_sends_staff"`
	SendsPerMail   float64        `json:"smtp_sends_per_mail"`
	SendRate       float64        `json:"smtp_sends_per_s"`
	SentMB         float64        `json:"smtp_mb"`
	Confirmations  int            `json:"confirmations"`
	ExpectedConfir int            `json:"expected_confirmations"`
	// CPUSec is this process's CPU time (user+system) from Program.Open
	// to the drained outbox; MailCPUSec the mail-server process's over
	// the whole run (fill included), when it is a child.
	CPUSec     float64 `json:"cpu_s"`
	MailCPUSec float64 `json:"mail_server_cpu_s,omitempty"`
}

type benchLatency struct {
	Mails      int     `json:"mails"`
	Rate       float64 `json:"rate_target"`
	ActualRate float64 `json:"rate_actual"`
	Confirmed  int     `json:"confirmed"`
	Missing    int     `json:"missing"`
	P50        float64 `json:"p50_ms"`
	P90        float64 `json:"p90_ms"`
	P99        float64 `json:"p99_ms"`
	Max        float64 `json:"max_ms"`
	Mean       float64 `json:"mean_ms"`
}

type benchBucket struct {
	Name      string  `json:"name"`
	Keys      int     `json:"keys"`
	Inuse     int64   `json:"inuse_bytes"`
	Alloc     int64   `json:"alloc_bytes"`
	PerTicket float64 `json:"alloc_per_ticket"`
}

type benchStorage struct {
	FileBytes        int64         `json:"file_bytes"`
	UsedBytes        int64         `json:"used_bytes"`
	Tickets          int64         `json:"tickets"`
	RawMails         int           `json:"raw_mails"`
	RawBytes         int64         `json:"raw_bytes"`
	PerTicket        float64       `json:"file_bytes_per_ticket"`
	OverheadFile     float64       `json:"overhead_per_ticket_file"`
	OverheadUsed     float64       `json:"overhead_per_ticket_used"`
	TicketJSONAvg    float64       `json:"ticket_json_avg_bytes"`
	Buckets          []benchBucket `json:"buckets"`
	PageSize         int           `json:"page_size"`
	FreePages        int           `json:"free_pages"`
	BucketAllocTotal int64         `json:"bucket_alloc_total"`
}

type benchMemory struct {
	PeakRSSMB             float64 `json:"peak_rss_mb"`
	PeakAfterThroughputMB float64 `json:"peak_rss_after_throughput_mb"`
	BaselineMB            float64 `json:"baseline_rss_mb"`
	PeakReset             bool    `json:"peak_reset_at_start"`
	MailServers           string  `json:"mail_servers"`
}

// Result is the output of a pipeline run (the JSON object of -json).
type Result struct {
	Machine    benchMachine    `json:"machine"`
	Settings   map[string]any  `json:"settings"`
	OpenMS     float64         `json:"open_ms"`
	FillSec    float64         `json:"fill_s"`
	Throughput benchThroughput `json:"throughput"`
	Latency    *benchLatency   `json:"latency,omitempty"`
	Storage    benchStorage    `json:"storage"`
	Memory     benchMemory     `json:"memory"`
	Warnings   []string        `json:"warnings,omitempty"`
}

type benchMachine struct {
	Cores int    `json:"cores"`
	Go    string `json:"go"`
	CPU   string `json:"cpu"`
	OS    string `json:"os"`
}

func benchMachineInfo() benchMachine {
	m := benchMachine{Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// benchProcKB reads a "VmXXX:  N kB" line of /proc/self/status.
func benchProcKB(key string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// benchResetPeak returns memory to the OS and resets VmHWM (Linux ≥ 4.0),
// so that the peak measured afterwards is the program's, not the mail
// generator's. It reports whether the reset worked.
func benchResetPeak() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// benchCPU returns this process's CPU time so far (user+system, from
// /proc/self/stat in clock ticks of 1/100 s), or 0 where there is no /proc.
func benchCPU() time.Duration {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	// After the command name: state is field 3; utime and stime are 14 and 15.
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond
}

func benchMB(n int64) float64 { return math.Round(float64(n)/(1<<20)*10) / 10 }

func benchMS(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }

// benchPercentile returns the q-quantile (0..1) of sorted durations.
func benchPercentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func benchStaff(n int) []Staff {
	var out []Staff
	for i := range n {
		if i == 0 {
			out = append(out, Staff{Email: demoStaff, Name: "李工"})
			continue
		}
		out = append(out, Staff{Email: fmt.Sprintf("staff%d@desk.test", i), Name: fmt.Sprintf("工程师%d", i)})
	}
	return out
}

func benchLogger(o benchOptions, stderr io.Writer) *slog.Logger {
	level := slog.LevelWarn
	if o.Verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}

// benchSetup is the setup of a pipeline run against lab.
func benchSetup(lab *benchLab, data string, o benchOptions) Setup {
	return Setup{
		IMAPAddr: lab.IMAPAddr, SMTPAddr: lab.SMTPAddr, Address: demoSupport, Password: demoPassword,
		Data: data, Secret: "bench-secret-0123456789abcdef", Poll: o.Poll, Staff: benchStaff(o.Staff),
	}
}

// benchDataFile returns the database path and a cleanup function.
func benchDataFile(data string) (string, func(), error) {
	if data != "" {
		return data, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "postdesk-bench-")
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, "postdesk.db"), func() { os.RemoveAll(dir) }, nil
}

// benchRunning is a Program running in the background.
type benchRunning struct {
	p      Program
	cancel context.CancelFunc
	done   chan error
	start  time.Time
	out    *benchOutcomes
}

func benchStart(ctx context.Context, pd Postdesk, s Setup, logger *slog.Logger) (*benchRunning, time.Duration, error) {
	out := &benchOutcomes{}
	s.Logger, s.Handled = logger, out.add
	t := time.Now()
	p, err := pd.Open(s)
	if err != nil {
		return nil, 0, err
	}
	open := time.Since(t)
	r := &benchRunning{p: p, done: make(chan error, 1), out: out}
	var rctx context.Context
	rctx, r.cancel = context.WithCancel(ctx)
	r.start = time.Now()
	go func() { r.done <- p.Run(rctx) }()
	return r, open, nil
}

// Stop stops the program and closes the database.
func (r *benchRunning) Stop() error {
	r.cancel()
	var err error
	select {
	case err = <-r.done:
	case <-time.After(15 * time.Second):
		err = errors.New("bench: program did not stop within 15s")
	}
	if cerr := r.p.Close(); err == nil {
		err = cerr
	}
	return err
}

// outboxEmpty reports whether no notice waits to be sent.
func (r *benchRunning) outboxEmpty() bool {
	empty := true
	r.p.Store().View(func(tx tickets.Tx) error {
		return tx.PendingNotices(func(*tickets.Notice) bool { empty = false; return false })
	})
	return empty
}

// benchWait polls cond (and wakes on deliveries) until it holds, ctx is
// done or timeout passes.
func benchWait(ctx context.Context, obs *benchObserver, timeout time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: timed out after %s", timeout)
		}
		_, _, _, ch := obs.snapshot()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}

func benchPipeline(ctx context.Context, pd Postdesk, o benchOptions, stdout, stderr io.Writer) error {
	res := &Result{Machine: benchMachineInfo()}
	res.Settings = map[string]any{"n": o.N, "latency_n": o.LatencyN, "rate": o.Rate, "attach_ratio": o.AttachRatio, "reply_ratio": o.ReplyRatio,
		"html_ratio": o.HTMLRatio, "gbk_ratio": o.GBKRatio, "staff": o.Staff, "poll_interval": o.Poll.String(), "idle": true, "seed": o.Seed,
		"fsync": true, "poller_batch": "200 mails or 64 MiB (defaults)"}
	lab, err := startBenchLabStaff(o, stderr)
	if err != nil {
		return err
	}
	defer lab.Close()
	res.Memory.MailServers = "child process"
	if lab.ms != nil {
		res.Memory.MailServers = "in this process (-inproc): peak RSS includes them and every mail they hold"
	}
	data, cleanup, err := benchDataFile(o.Data)
	if err != nil {
		return err
	}
	defer cleanup()

	// Fill the INBOX before the program starts.
	gen := newBenchGen(o)
	t := time.Now()
	for range o.N {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := gen.Next(o.ReplyRatio)
		if err := lab.Append(m.Raw); err != nil {
			return err
		}
	}
	res.FillSec = time.Since(t).Seconds()
	tp := &res.Throughput
	tp.Mails, tp.Reports, tp.Replies, tp.Attachments = o.N, gen.Reports, gen.Replies, gen.Attach
	tp.AttachMB, tp.HTML, tp.GBK, tp.Chinese, tp.MailMB = benchMB(gen.AttachBytes), gen.HTML, gen.GBK, gen.ZH, benchMB(gen.Bytes)

	setup := benchSetup(lab, data, o)
	res.Memory.PeakReset = benchResetPeak()
	res.Memory.BaselineMB = benchMB(benchProcKB("VmRSS") << 10)
	cpu0 := benchCPU()
	run, open, err := benchStart(ctx, pd, setup, benchLogger(o, stderr))
	if err != nil {
		return err
	}
	stopped := false
	defer func() {
		if !stopped {
			run.Stop()
		}
	}()
	res.OpenMS = benchMS(open)

	// a. Throughput.
	run.out.setTarget(o.N)
	err = benchWait(ctx, lab.Obs, o.Timeout, func() bool {
		total, created, _ := run.out.get()
		_, cust, _, _ := lab.Obs.snapshot()
		return total >= o.N && cust >= created && run.outboxEmpty()
	})
	if err != nil {
		total, created, _ := run.out.get()
		all, cust, _, _ := lab.Obs.snapshot()
		return fmt.Errorf("%w: throughput phase: %d of %d mails handled, %d tickets created, %d confirmations and %d mails sent", err, total, o.N, created, cust, all)
	}
	tp.CPUSec = math.Round((benchCPU()-cpu0).Seconds()*100) / 100
	total, created, reached := run.out.get()
	lab.Obs.mu.Lock()
	custTimes := slices.Clone(lab.Obs.customer)
	allTimes := slices.Clone(lab.Obs.all)
	tp.Sends, tp.SendsToCust, tp.SendsToStaff, tp.SentMB = len(lab.Obs.all), len(lab.Obs.customer), lab.Obs.staffN, benchMB(lab.Obs.bytes)
	lab.Obs.mu.Unlock()
	tp.Outcomes = run.out.actions()
	tp.ExpectedConfir, tp.Confirmations = created, len(custTimes)
	tp.IntakeSec = reached.Sub(run.start).Seconds()
	tp.IntakeRate = math.Round(float64(total) / tp.IntakeSec)
	if created > 0 {
		tp.ConfirmSec = custTimes[created-1].Sub(run.start).Seconds()
	}
	tp.DrainSec = allTimes[len(allTimes)-1].Sub(run.start).Seconds()
	tp.EndToEndRate = math.Round(float64(o.N) / max(tp.ConfirmSec, tp.IntakeSec))
	tp.SendsPerMail = math.Round(float64(tp.Sends)/float64(o.N)*100) / 100
	if span := allTimes[len(allTimes)-1].Sub(allTimes[0]); span > 0 {
		tp.SendRate = math.Round(float64(tp.Sends) / span.Seconds())
	}
	res.Memory.PeakAfterThroughputMB = benchMB(benchProcKB("VmHWM") << 10)
	if total != o.N {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d mails handled, %d put into the INBOX", total, o.N))
	}
	if want := gen.Reports; created != want {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d tickets created for %d new reports: some replies did not thread", created, want))
	}

	// b. Latency at a steady rate, with the program idling in IDLE.
	if o.LatencyN > 0 {
		lat, err := benchLatencyPhase(ctx, o, lab, gen)
		if err != nil {
			return err
		}
		res.Latency = lat
	}
	stopped = true
	if err := run.Stop(); err != nil {
		return err
	}
	res.Memory.PeakRSSMB = benchMB(benchProcKB("VmHWM") << 10)

	if lab.cmd != nil {
		lab.Close()
		if ps := lab.cmd.ProcessState; ps != nil {
			tp.MailCPUSec = math.Round((ps.UserTime()+ps.SystemTime()).Seconds()*100) / 100
		}
	}

	// c. Storage.
	st, err := benchStorageOf(data)
	if err != nil {
		return err
	}
	res.Storage = st
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	benchPrint(stdout, o, res)
	return nil
}

func benchLatencyPhase(ctx context.Context, o benchOptions, lab *benchLab, gen *benchGen) (*benchLatency, error) {
	interval := time.Duration(float64(time.Second) / o.Rate)
	appended := make(map[string]time.Time, o.LatencyN)
	order := make([]string, 0, o.LatencyN)
	start := time.Now()
	for i := range o.LatencyN {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(wait):
			}
		}
		m := gen.Next(0)
		if err := lab.Append(m.Raw); err != nil {
			return nil, err
		}
		appended[m.MsgID] = time.Now()
		order = append(order, m.MsgID)
	}
	lat := &benchLatency{Mails: o.LatencyN, Rate: o.Rate}
	if span := appended[order[len(order)-1]].Sub(appended[order[0]]); o.LatencyN > 1 && span > 0 {
		lat.ActualRate = math.Round(float64(o.LatencyN-1)/appended[order[len(order)-1]].Sub(appended[order[0]]).Seconds()*10) / 10
	}
	confirmed := func() int {
		lab.Obs.mu.Lock()
		defer lab.Obs.mu.Unlock()
		n := 0
		for id := range appended {
			if _, ok := lab.Obs.byIRT[id]; ok {
				n++
			}
		}
		return n
	}
	// Bounded wait: a mail not confirmed within the bound counts as missing.
	benchWait(ctx, lab.Obs, max(30*time.Second, 3*o.Poll), func() bool { return confirmed() == len(appended) })
	var d []time.Duration
	lab.Obs.mu.Lock()
	for id, at := range appended {
		if c, ok := lab.Obs.byIRT[id]; ok {
			d = append(d, c.Sub(at))
		}
	}
	lab.Obs.mu.Unlock()
	slices.Sort(d)
	lat.Confirmed, lat.Missing = len(d), len(appended)-len(d)
	if len(d) > 0 {
		var sum time.Duration
		for _, v := range d {
			sum += v
		}
		lat.P50, lat.P90, lat.P99 = benchMS(benchPercentile(d, 0.5)), benchMS(benchPercentile(d, 0.9)), benchMS(benchPercentile(d, 0.99))
		lat.Max, lat.Mean = benchMS(d[len(d)-1]), benchMS(sum/time.Duration(len(d)))
	}
	return lat, nil
}

// benchStorageOf opens the (closed) database file read-only and measures
// where its bytes go: the raw mail bytes and the average ticket record are
// counted value by value, the rest comes from benchStorageScan.
func benchStorageOf(path string) (benchStorage, error) {
	var rawBytes, jsonBytes int64
	var rawMails int
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second, ReadOnly: true})
	if err != nil {
		return benchStorage{}, fmt.Errorf("bench: open %s: %w", path, err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket([]byte("tickets")); b != nil {
			b.ForEach(func(k, v []byte) error { jsonBytes += int64(len(v)); return nil })
		}
		if b := tx.Bucket([]byte("raw")); b != nil {
			b.ForEach(func(k, v []byte) error { rawMails++; rawBytes += int64(len(v)); return nil })
		}
		return nil
	})
	db.Close()
	if err != nil {
		return benchStorage{}, err
	}
	st, err := benchStorageScan(path, rawBytes)
	st.RawMails = rawMails
	if st.Tickets > 0 {
		st.TicketJSONAvg = math.Round(float64(jsonBytes) / float64(st.Tickets))
	}
	return st, err
}

// benchStorageScan reads bucket statistics (page headers only) of a closed
// database file whose raw mail bytes are known.
func benchStorageScan(path string, rawBytes int64) (benchStorage, error) {
	st := benchStorage{RawBytes: rawBytes}
	fi, err := os.Stat(path)
	if err != nil {
		return st, err
	}
	st.FileBytes = fi.Size()
	// Without a persisted freelist the open rebuilds it and writes nothing
	// back, so FreePageN is right and the file is unchanged.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second, NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return st, fmt.Errorf("bench: open %s: %w", path, err)
	}
	defer db.Close()
	st.PageSize = db.Info().PageSize
	st.FreePages = db.Stats().FreePageN
	err = db.View(func(tx *bbolt.Tx) error {
		st.UsedBytes = tx.Size()
		if b := tx.Bucket([]byte("tickets")); b != nil {
			st.Tickets = int64(b.Sequence())
		}
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			s := b.Stats()
			if string(name) == "raw" {
				st.RawMails = s.KeyN
			}
			bk := benchBucket{Name: string(name), Keys: s.KeyN, Inuse: int64(s.BranchInuse + s.LeafInuse), Alloc: int64(s.BranchAlloc + s.LeafAlloc)}
			if st.Tickets > 0 {
				bk.PerTicket = math.Round(float64(bk.Alloc) / float64(st.Tickets))
			}
			st.BucketAllocTotal += bk.Alloc
			st.Buckets = append(st.Buckets, bk)
			return nil
		})
	})
	if st.Tickets > 0 {
		n := float64(st.Tickets)
		st.PerTicket = math.Round(float64(st.FileBytes) / n)
		st.OverheadFile = math.Round(float64(st.FileBytes-st.RawBytes) / n)
		st.OverheadUsed = math.Round(float64(st.UsedBytes-st.RawBytes) / n)
	}
	return st, err
}

func benchKB(n float64) string { return fmt.Sprintf("%.2f KiB", n/1024) }

func benchPrint(w io.Writer, o benchOptions, r *Result) {
	tp := r.Throughput
	fmt.Fprintf(w, "postdesk bench: %d cores, %s, %s, %s\n", r.Machine.Cores, r.Machine.CPU, r.Machine.Go, r.Machine.OS)
	fmt.Fprintf(w, "settings: staff %d, IMAP IDLE on, poll_interval %s, fsync on, mail servers: %s\n\n", o.Staff, o.Poll, r.Memory.MailServers)
	fmt.Fprintf(w, "a. throughput: %d mails put into the INBOX before start (%d new reports, %d replies; %d Chinese, %d HTML, %d GBK; %d with attachments, %.1f MB of attachments; %.1f MB of mail)\n",
		tp.Mails, tp.Reports, tp.Replies, tp.Chinese, tp.HTML, tp.GBK, tp.Attachments, tp.AttachMB, tp.MailMB)
	fmt.Fprintf(w, "  %-40s %10.1f ms\n", "Program.Open", r.OpenMS)
	fmt.Fprintf(w, "  %-40s %10d mails in %6.2f s = %7.0f mails/s\n", "intake (fetch, parse, commit, fsync)", tp.Mails, tp.IntakeSec, tp.IntakeRate)
	fmt.Fprintf(w, "  %-40s %10d mails in %6.2f s = %7.0f mails/s\n", "end to end (last confirmation accepted)", tp.Mails, max(tp.ConfirmSec, tp.IntakeSec), tp.EndToEndRate)
	fmt.Fprintf(w, "  %-40s %10d sends in %6.2f s = %7.0f sends/s (%.2f per mail: %d to customers, %d to staff; %.1f MB)\n",
		"SMTP (outbox drained)", tp.Sends, tp.DrainSec, tp.SendRate, tp.SendsPerMail, tp.SendsToCust, tp.SendsToStaff, tp.SentMB)
	keys := make([]string, 0, len(tp.Outcomes))
	for k := range tp.Outcomes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, tp.Outcomes[k]))
	}
	fmt.Fprintf(w, "  %-40s %s; confirmations %d of %d\n", "outcomes", strings.Join(parts, ", "), tp.Confirmations, tp.ExpectedConfir)
	fmt.Fprintf(w, "  %-40s postdesk %.2f s during the phase", "CPU time (user+system)", tp.CPUSec)
	if tp.MailCPUSec > 0 {
		fmt.Fprintf(w, "; mail-server process %.2f s over the whole run (fill included)", tp.MailCPUSec)
	}
	fmt.Fprintln(w)
	if l := r.Latency; l != nil {
		fmt.Fprintf(w, "\nb. latency: %d new reports appended at %.0f mails/s (actual %.1f/s) while postdesk idles in IMAP IDLE; append accepted -> confirmation accepted by SMTP\n",
			l.Mails, l.Rate, l.ActualRate)
		fmt.Fprintf(w, "  confirmed %d, missing %d\n", l.Confirmed, l.Missing)
		fmt.Fprintf(w, "  p50 %.1f ms   p90 %.1f ms   p99 %.1f ms   max %.1f ms   mean %.1f ms\n", l.P50, l.P90, l.P99, l.Max, l.Mean)
	}
	s := r.Storage
	fmt.Fprintf(w, "\nc. storage: %d tickets, %d raw mails (%.1f MB); file %.1f MB (high-water mark %.1f MB, page size %d, %d free pages)\n",
		s.Tickets, s.RawMails, benchMB(s.RawBytes), benchMB(s.FileBytes), benchMB(s.UsedBytes), s.PageSize, s.FreePages)
	fmt.Fprintf(w, "  per ticket: %s of file; beyond raw mail bytes: %s (file), %s (high-water mark); ticket JSON %.0f bytes on average\n",
		benchKB(s.PerTicket), benchKB(s.OverheadFile), benchKB(s.OverheadUsed), s.TicketJSONAvg)
	fmt.Fprintf(w, "  %-12s %10s %12s %12s %14s\n", "bucket", "keys", "in use", "allocated", "alloc/ticket")
	for _, b := range s.Buckets {
		fmt.Fprintf(w, "  %-12s %10d %12d %12d %14.0f\n", b.Name, b.Keys, b.Inuse, b.Alloc, b.PerTicket)
	}
	m := r.Memory
	fmt.Fprintf(w, "\nd. memory: peak RSS (VmHWM) %.1f MB (after the throughput phase %.1f MB; %.1f MB before Program.Open; peak reset at start: %v)\n",
		m.PeakRSSMB, m.PeakAfterThroughputMB, m.BaselineMB, m.PeakReset)
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
}

// benchPageKB fetches ticket n's tracking page from the running
// program's web server and returns its size in KB.
func benchPageKB(p Program, n int64) (float64, error) {
	resp, err := http.Get("http://" + p.WebAddr() + "/t/" + p.Desk().Signer.Token(tickets.PurposeTrack, n))
	if err != nil {
		return 0, fmt.Errorf("tracking page: %w", err)
	}
	defer resp.Body.Close()
	size, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("tracking page: %s", resp.Status)
	}
	return float64(size) / 1024, err
}

// BigResult is the peak-RSS run with one large mail.
type BigResult struct {
	AttachBytes int64   `json:"attachment_bytes"`
	Kind        string  `json:"kind,omitempty"` // a hostile.Kinds mail instead of an attachment
	MailBytes   int64   `json:"mail_bytes"`
	BaselineMB  float64 `json:"baseline_rss_mb"`
	PeakMB      float64 `json:"peak_rss_mb"`
	TargetMB    float64 `json:"target_mb"`
	Met         bool    `json:"met"`
	Seconds     float64 `json:"seconds_to_drained"`
	Sends       int     `json:"smtp_sends"`
	SentMB      float64 `json:"smtp_mb"`
	PeakReset   bool    `json:"peak_reset_at_start"`
	MailServers string  `json:"mail_servers"`
	// BiggestSentKB and PageKB show that output stays bounded: the
	// largest mail sent and the ticket's tracking page.
	BiggestSentKB float64 `json:"biggest_sent_kb"`
	PageKB        float64 `json:"page_kb"`
}

// benchBig measures peak RSS while postdesk takes in one mail with an
// attachment of o.Big MB, confirms it and notifies staff.
func benchBig(ctx context.Context, pd Postdesk, o benchOptions, stdout, stderr io.Writer) error {
	lab, err := startBenchLabStaff(o, stderr)
	if err != nil {
		return err
	}
	defer lab.Close()
	data, cleanup, err := benchDataFile(o.Data)
	if err != nil {
		return err
	}
	defer cleanup()
	r := &BigResult{AttachBytes: int64(o.Big) * 1_000_000, MailServers: "child process"}
	if lab.ms != nil {
		r.MailServers = "in this process (-inproc)"
	}
	o.GBKRatio, o.HTMLRatio = 0, 0
	gen := newBenchGen(o)
	m := gen.report(o.Big * 1_000_000)
	if o.BigKind != "attach" {
		r.Kind, r.AttachBytes = o.BigKind, 0
		if m.Raw, err = hostile.Mail(o.BigKind, o.Big*1_000_000, "wang@school.test", "big@school.test"); err != nil {
			return err
		}
	}
	r.MailBytes = int64(len(m.Raw))
	if err := lab.Append(m.Raw); err != nil {
		return err
	}
	m = benchMail{}
	setup := benchSetup(lab, data, o)
	r.PeakReset = benchResetPeak()
	r.BaselineMB = benchMB(benchProcKB("VmRSS") << 10)
	run, _, err := benchStart(ctx, pd, setup, benchLogger(o, stderr))
	if err != nil {
		return err
	}
	err = benchWait(ctx, lab.Obs, o.Timeout, func() bool {
		total, created, _ := run.out.get()
		_, cust, _, _ := lab.Obs.snapshot()
		return total >= 1 && cust >= created && run.outboxEmpty()
	})
	r.Seconds = math.Round(time.Since(run.start).Seconds()*100) / 100
	if err == nil {
		r.PageKB, err = benchPageKB(run.p, 1)
	}
	if serr := run.Stop(); err == nil {
		err = serr
	}
	if err != nil {
		return err
	}
	r.PeakMB = benchMB(benchProcKB("VmHWM") << 10)
	r.TargetMB = benchMB(4*r.MailBytes + 64<<20) // issue 12
	lab.Obs.mu.Lock()
	r.BiggestSentKB = float64(lab.Obs.biggest) / 1024
	lab.Obs.mu.Unlock()
	r.Met = r.PeakMB <= r.TargetMB
	all, _, _, _ := lab.Obs.snapshot()
	r.Sends = all
	lab.Obs.mu.Lock()
	r.SentMB = benchMB(lab.Obs.bytes)
	lab.Obs.mu.Unlock()
	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"machine": benchMachineInfo(), "big": r})
	}
	fmt.Fprintf(stdout, "postdesk bench -big %d -big-kind %s: one mail of %.1f MB (attachment %d bytes), staff %d, mail servers: %s\n",
		o.Big, o.BigKind, float64(r.MailBytes)/(1<<20), r.AttachBytes, o.Staff, r.MailServers)
	fmt.Fprintf(stdout, "  biggest mail sent %.1f KB; ticket page %.1f KB\n", r.BiggestSentKB, r.PageKB)
	fmt.Fprintf(stdout, "  fetched, stored, confirmed and staff notified in %.2f s; %d SMTP sends, %.1f MB\n", r.Seconds, r.Sends, r.SentMB)
	fmt.Fprintf(stdout, "  RSS before Program.Open %.1f MB; peak RSS (VmHWM) %.1f MB; target 4 x mail + 64 MB = %.1f MB: %s\n",
		r.BaselineMB, r.PeakMB, r.TargetMB, map[bool]string{true: "met", false: "NOT met"}[r.Met])
	return nil
}
