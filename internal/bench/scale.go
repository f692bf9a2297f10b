//go:build linux

package bench

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	bbolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/bolt"
)

// ScaleResult holds the figures of `postdesk bench -scale N`.
type ScaleResult struct {
	Tickets    int     `json:"tickets"`
	Mails      int     `json:"mails"`
	Requesters int     `json:"requesters"`
	BuildSec   float64 `json:"build_s"`
	BuildRate  float64 `json:"build_tickets_per_s"`
	RawBytes   int64   `json:"raw_bytes"`
	JSONAvg    float64 `json:"ticket_json_avg_bytes"`
	JSONFlate  float64 `json:"ticket_json_deflated_avg_bytes"`

	Storage benchStorage `json:"storage"`

	// Startup, with the file's pages dropped from the page cache (cold)
	// and again right after (warm).
	BoltOpenColdMS    float64 `json:"bolt_open_cold_ms"`
	BoltOpenWarmMS    float64 `json:"bolt_open_warm_ms"`
	ProgramOpenColdMS float64 `json:"program_open_cold_ms"`
	ProgramOpenWarmMS float64 `json:"program_open_warm_ms"`
	// The same open with the freelist persisted (bbolt NoFreelistSync
	// false), for comparison.
	SyncedFreelistOpenColdMS float64 `json:"synced_freelist_open_cold_ms"`
	SyncedFreelistOpenWarmMS float64 `json:"synced_freelist_open_warm_ms"`
	// Lookups right after that cold open: from disk, since nothing read
	// the file before them.
	SyncedFreelistLookupCold benchDist `json:"synced_freelist_lookup_cold"`

	// Desk.Get of random tickets: first after a cold start, then warm.
	LookupCold benchDist `json:"lookup_cold"`
	LookupWarm benchDist `json:"lookup_warm"`
	LookupRead float64   `json:"lookup_ticket_reads"`

	// A sender's open tickets: tx.TicketsOf plus a load of each.
	HeavyTickets   int       `json:"heavy_sender_tickets"`
	HeavyOpen      int       `json:"heavy_sender_open"`
	HeavyList      benchDist `json:"heavy_sender_list"`
	TypicalTickets int       `json:"typical_sender_tickets"`
	TypicalList    benchDist `json:"typical_sender_list"`
	// The real status query (Desk.Intake of a "查询" mail, fsync'd) by the
	// heavy sender, with the ticket reads it made.
	StatusQueryMS    float64 `json:"status_query_ms"`
	StatusQueryReads int     `json:"status_query_ticket_reads"`
	// Threading a reply at this size (Desk.Intake, fsync'd).
	ReplyByTagMS float64 `json:"reply_by_tag_ms"`
	ReplyByIRTMS float64 `json:"reply_by_in_reply_to_ms"`
	ReplyReads   int     `json:"reply_ticket_reads"`

	Web     benchWeb `json:"web"`
	WarmSec float64  `json:"web_warmup_s"`

	PeakRSSMB float64 `json:"peak_rss_mb"`
}

// benchDist is a latency distribution in microseconds.
type benchDist struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50_us"`
	P90  float64 `json:"p90_us"`
	P99  float64 `json:"p99_us"`
	Max  float64 `json:"max_us"`
	Mean float64 `json:"mean_us"`
}

func benchDistOf(d []time.Duration) benchDist {
	slices.Sort(d)
	r := benchDist{N: len(d)}
	if len(d) == 0 {
		return r
	}
	us := func(v time.Duration) float64 { return math.Round(float64(v)/10) / 100 }
	var sum time.Duration
	for _, v := range d {
		sum += v
	}
	r.P50, r.P90, r.P99 = us(benchPercentile(d, 0.5)), us(benchPercentile(d, 0.9)), us(benchPercentile(d, 0.99))
	r.Max, r.Mean = us(d[len(d)-1]), us(sum/time.Duration(len(d)))
	return r
}

// benchWeb is the tracking-page load.
type benchWeb struct {
	Clients  int     `json:"clients"`
	Seconds  float64 `json:"seconds"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	RPS      float64 `json:"req_per_s"`
	P50      float64 `json:"p50_ms"`
	P90      float64 `json:"p90_ms"`
	P99      float64 `json:"p99_ms"`
	Max      float64 `json:"max_ms"`
	Bytes    float64 `json:"avg_page_bytes"`
	Note     string  `json:"note"`
}

// benchCountTx counts ticket reads, to show that lookups use indexes.
type benchCountTx struct {
	tickets.Tx
	reads *atomic.Int64
}

func (t benchCountTx) Ticket(n int64) (*tickets.Ticket, error) {
	t.reads.Add(1)
	return t.Tx.Ticket(n)
}

type benchCountStore struct {
	tickets.Store
	reads atomic.Int64
}

func (s *benchCountStore) Update(fn func(tickets.Tx) error) error {
	return s.Store.Update(func(tx tickets.Tx) error { return fn(benchCountTx{tx, &s.reads}) })
}

func (s *benchCountStore) View(fn func(tickets.Tx) error) error {
	return s.Store.View(func(tx tickets.Tx) error { return fn(benchCountTx{tx, &s.reads}) })
}

// benchDropCache asks the kernel to forget the file's cached pages, so the
// next open reads from disk.
func benchDropCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// benchFixture writes realistic tickets straight through tickets.Tx: the
// same methods (and so the same layout) as the desk uses.
type benchFixture struct {
	rng      *rand.Rand
	start    time.Time
	step     time.Duration
	n        int
	ordinary int
	bodies   [][]byte // base64 bodies of the raw mails
	raw      []byte   // scratch
	Mails    int
	RawBytes int64
	jsonSum  int64
	flateSum int64
	jsonN    int64
}

const benchHeavy = 100 // senders who write 5% of all tickets

func (f *benchFixture) requester(i int) (tickets.Address, string) {
	if f.rng.IntN(20) == 0 {
		h := f.rng.IntN(benchHeavy)
		return tickets.Address{Name: benchZHNames[h%len(benchZHNames)], Email: fmt.Sprintf("teacher%03d@school.test", h)}, "school.test"
	}
	r := f.rng.IntN(f.ordinary)
	domain := benchZHDomains[r%len(benchZHDomains)]
	return tickets.Address{Name: benchZHNames[r%len(benchZHNames)], Email: fmt.Sprintf("p%07d@%s", r, domain)}, domain
}

func (f *benchFixture) rawMail(from, to tickets.Address, subject, msgid, irt string, at time.Time) []byte {
	b := f.raw[:0]
	b = fmt.Appendf(b, "Return-Path: <%s>\r\nReceived: from mx.%s (mx.%s [10.1.2.3]) by mail.desk.test with ESMTPS id %08x; %s\r\n",
		from.Email, from.Email[strings.IndexByte(from.Email, '@')+1:], from.Email[strings.IndexByte(from.Email, '@')+1:], f.rng.Uint32(), at.Format(time.RFC1123Z))
	b = fmt.Appendf(b, "From: %s <%s>\r\nTo: %s <%s>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n",
		mime.BEncoding.Encode("utf-8", from.Name), from.Email, mime.BEncoding.Encode("utf-8", to.Name), to.Email,
		mime.BEncoding.Encode("utf-8", subject), at.Format(time.RFC1123Z), msgid)
	if irt != "" {
		b = fmt.Appendf(b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", irt, irt)
	}
	b = append(b, "MIME-Version: 1.0\r\nX-Mailer: Foxmail 7.2.25.375[cn]\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"...)
	b = append(b, f.bodies[f.rng.IntN(len(f.bodies))]...)
	f.raw = b
	f.Mails++
	f.RawBytes += int64(len(b))
	return b
}

// ticket writes ticket i (0-based) and everything the desk would have
// written for it by the time it reached its status.
func (f *benchFixture) ticket(tx tickets.Tx, i int) error {
	created := f.start.Add(time.Duration(i) * f.step)
	req, domain := f.requester(i)
	desk := tickets.Address{Name: "技术支持", Email: demoSupport}
	staff := tickets.Address{Name: "李工", Email: demoStaff}
	// Status by age: the newest 2% are open, the 3% before resolved, the
	// rest closed, as on a desk that has run for two years.
	age := float64(f.n-i) / float64(f.n)
	status := tickets.StatusClosed
	switch {
	case age <= 0.02:
		status = []tickets.Status{tickets.StatusNew, tickets.StatusInProgress, tickets.StatusWaiting}[f.rng.IntN(3)]
	case age <= 0.05:
		status = tickets.StatusResolved
	}
	subject := fmt.Sprintf("%s（%d年级%d班）", benchZHSubjects[f.rng.IntN(len(benchZHSubjects))], 1+f.rng.IntN(9), 1+f.rng.IntN(12))
	prio := tickets.Priority(1 + f.rng.IntN(3))
	t := &tickets.Ticket{Subject: subject, Requester: req, Status: tickets.StatusNew, Priority: prio,
		Category: []string{"av", "account", "network", "feature", "other"}[f.rng.IntN(5)], Lang: "zh-CN",
		Created: created, Updated: created, ResponseDue: created.Add(24 * time.Hour), ResolveDue: created.Add(72 * time.Hour)}
	report := fmt.Sprintf("%x.%d@%s", f.rng.Uint64(), i, domain)
	text := fmt.Sprintf("老师您好：\n\n%s。今天上午第%d节课开始后大约%d分钟出现这个问题，我们试过重新登录、清除缓存和更换浏览器，问题依旧。\n设备：%s\n网络：%s\n\n麻烦尽快帮忙看一下，谢谢！\n%s",
		strings.SplitN(subject, "（", 2)[0], 1+f.rng.IntN(6), 1+f.rng.IntN(40), benchDevices[f.rng.IntN(len(benchDevices))], benchNetworks[f.rng.IntN(len(benchNetworks))], req.Name)
	t.Events = append(t.Events, tickets.Event{At: created, Kind: tickets.EventCreated, Actor: req.Email, Name: req.Name, Public: true, Text: text, Status: tickets.StatusNew, MessageID: report})
	if err := tx.CreateTicket(t); err != nil {
		return err
	}
	n := t.Number
	var msgids []string
	mail := func(from, to tickets.Address, id, irt string, at time.Time, outcome tickets.Action) error {
		if err := tx.PutMessage(n, t.Messages, f.rawMail(from, to, t.Subject, id, irt, at)); err != nil {
			return err
		}
		t.Messages++
		msgids = append(msgids, id)
		if err := tx.IndexMessageID(id, n); err != nil {
			return err
		}
		return tx.MarkSeen("id:"+id, tickets.Outcome{Action: outcome, Ticket: n})
	}
	// Our own Message-IDs are not indexed (they carry the ticket number);
	// those of customer mail go into the ticket's conversation list.
	notice := func(kind tickets.NoticeKind, to tickets.Address) error {
		if to.Email == staff.Email {
			return nil
		}
		msgids = append(msgids, fmt.Sprintf("pd.%d.%016x@desk.test", n, f.rng.Uint64()))
		return nil
	}
	if err := mail(req, desk, report, "", created, tickets.ActionCreated); err != nil {
		return err
	}
	if err := notice(tickets.NoticeConfirmation, req); err != nil {
		return err
	}
	if err := notice(tickets.NoticeStaffNew, staff); err != nil {
		return err
	}
	at := created
	if status != tickets.StatusNew {
		// Staff answer: first response, in progress, a progress mail.
		at = at.Add(time.Duration(20+f.rng.IntN(200)) * time.Minute)
		t.FirstResponse, t.Status, t.Assignee = at, tickets.StatusInProgress, staff.Email
		t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventStatus, Actor: staff.Email, Name: staff.Name, Public: true, Status: tickets.StatusInProgress})
		t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventStaffReply, Actor: staff.Email, Name: staff.Name, Public: true,
			Text: "您好，我们已经定位到问题：直播服务器的一个节点负载过高，已经切换到备用节点。请您刷新页面后再试一次，如果还有问题请直接回复这封邮件。", MessageID: fmt.Sprintf("staff.%x@desk.test", f.rng.Uint64())})
		if err := mail(staff, req, t.Events[len(t.Events)-1].MessageID, msgids[len(msgids)-1], at, tickets.ActionStaff); err != nil {
			return err
		}
		if err := notice(tickets.NoticeProgress, req); err != nil {
			return err
		}
	}
	if status == tickets.StatusWaiting {
		t.Status, t.WaitingSince = tickets.StatusWaiting, at
		t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventStatus, Actor: staff.Email, Name: staff.Name, Public: true, Status: tickets.StatusWaiting})
	}
	if status == tickets.StatusResolved || status == tickets.StatusClosed {
		// The customer answers; staff resolve; it closes after 3 days.
		at = at.Add(time.Duration(10+f.rng.IntN(300)) * time.Minute)
		id := fmt.Sprintf("%x.r%d@%s", f.rng.Uint64(), i, domain)
		t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventCustomerReply, Actor: req.Email, Name: req.Name, Public: true, Text: "刚才试了一下，已经恢复正常了，谢谢！", MessageID: id})
		if err := mail(req, desk, id, msgids[len(msgids)-1], at, tickets.ActionAppended); err != nil {
			return err
		}
		if err := notice(tickets.NoticeStaffReply, staff); err != nil {
			return err
		}
		at = at.Add(time.Duration(5+f.rng.IntN(60)) * time.Minute)
		t.Status, t.Resolved = tickets.StatusResolved, at
		t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventStatus, Actor: staff.Email, Name: staff.Name, Public: true, Status: tickets.StatusResolved})
		if err := notice(tickets.NoticeProgress, req); err != nil {
			return err
		}
		if status == tickets.StatusClosed {
			at = at.Add(72 * time.Hour)
			t.Status, t.Closed = tickets.StatusClosed, at
			t.Events = append(t.Events, tickets.Event{At: at, Kind: tickets.EventStatus, Public: true, Status: tickets.StatusClosed})
			if err := notice(tickets.NoticeProgress, req); err != nil {
				return err
			}
		}
	}
	t.Updated = at
	t.MessageIDs = msgids
	t.LastMessageID = msgids[len(msgids)-1]
	// Pending timers, as Policy.scheduleTimers leaves them.
	timer := func(kind string, due time.Time, gen string) error {
		return tx.AddTimer(&tickets.Timer{Due: due, Ticket: n, Kind: kind, Gen: gen})
	}
	var err error
	switch t.Status {
	case tickets.StatusNew:
		gen := "resp:" + t.ResponseDue.UTC().Format(time.RFC3339Nano)
		if err = timer(tickets.TimerWarn, created.Add(19*time.Hour), gen); err == nil {
			err = timer(tickets.TimerBreach, t.ResponseDue, gen)
		}
	case tickets.StatusWaiting:
		gen := "wait:" + t.WaitingSince.UTC().Format(time.RFC3339Nano)
		for _, d := range []time.Duration{24 * time.Hour, 48 * time.Hour} {
			if err == nil {
				err = timer(tickets.TimerRemind, t.WaitingSince.Add(d), gen)
			}
		}
		if err == nil {
			err = timer(tickets.TimerWaitDone, t.WaitingSince.Add(72*time.Hour), gen)
		}
	case tickets.StatusResolved:
		err = timer(tickets.TimerAutoClose, t.Resolved.Add(72*time.Hour), "res:"+t.Resolved.UTC().Format(time.RFC3339Nano))
	}
	if err != nil {
		return err
	}
	if i%97 == 0 {
		v, _ := json.Marshal(t)
		f.jsonSum += int64(len(v))
		f.jsonN++
		var z bytes.Buffer
		zw, _ := flate.NewWriter(&z, flate.BestSpeed)
		zw.Write(v)
		zw.Close()
		f.flateSum += int64(z.Len())
	}
	return tx.PutTicket(t)
}

func benchScale(ctx context.Context, pd Postdesk, o benchOptions, stdout, stderr io.Writer) error {
	res := &ScaleResult{Tickets: o.Scale}
	data, cleanup, err := benchDataFile(o.Data)
	if err != nil {
		return err
	}
	defer cleanup()
	if _, err := os.Stat(data); err == nil {
		return fmt.Errorf("bench: %s exists; -scale builds a new database", data)
	}
	secret := "bench-secret-0123456789abcdef"
	progress := func(format string, args ...any) {
		if !o.JSON || o.Verbose {
			fmt.Fprintf(stderr, "bench: "+format+"\n", args...)
		}
	}

	// Build, in big NoSync transactions, then one sync.
	f := &benchFixture{rng: rand.New(rand.NewPCG(o.Seed, 7)), n: o.Scale,
		ordinary: max(1, o.Scale/3)}
	res.Requesters = f.ordinary + benchHeavy
	end := time.Now().Add(-time.Hour)
	f.start = end.Add(-2 * 365 * 24 * time.Hour)
	f.step = 2 * 365 * 24 * time.Hour / time.Duration(o.Scale)
	for k := range 16 {
		var body strings.Builder
		for body.Len() < 1100 {
			body.WriteString(benchZHReplies[(k+body.Len())%len(benchZHReplies)])
			body.WriteString("\r\n")
		}
		enc := base64.StdEncoding.EncodeToString([]byte(body.String()))
		var b strings.Builder
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
		f.bodies = append(f.bodies, []byte(b.String()))
	}
	db, err := bolt.Open(data, &bolt.Options{NoSync: true})
	if err != nil {
		return err
	}
	const batch = 2000
	t0 := time.Now()
	for i := 0; i < o.Scale; {
		if err := ctx.Err(); err != nil {
			db.Close()
			return err
		}
		n := min(batch, o.Scale-i)
		err := db.Update(func(tx tickets.Tx) error {
			for j := range n {
				if err := f.ticket(tx, i+j); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			db.Close()
			return fmt.Errorf("bench: build: %w", err)
		}
		i += n
		if i%200000 == 0 || i == o.Scale {
			progress("built %d of %d tickets in %s", i, o.Scale, time.Since(t0).Round(time.Second))
		}
	}
	if err := db.Close(); err != nil {
		return err
	}
	if fh, err := os.OpenFile(data, os.O_RDWR, 0); err == nil {
		err = fh.Sync()
		fh.Close()
		if err != nil {
			return err
		}
	}
	built := time.Since(t0)
	res.BuildSec = math.Round(built.Seconds()*10) / 10
	res.BuildRate = math.Round(float64(o.Scale) / built.Seconds())
	res.Mails, res.RawBytes = f.Mails, f.RawBytes
	if f.jsonN > 0 {
		res.JSONAvg = math.Round(float64(f.jsonSum) / float64(f.jsonN))
		res.JSONFlate = math.Round(float64(f.flateSum) / float64(f.jsonN))
	}

	// Startup: bolt.Open alone, then the whole Program.Open, cold and warm.
	timeOpen := func() (time.Duration, error) {
		t := time.Now()
		db, err := bolt.Open(data, nil)
		if err != nil {
			return 0, err
		}
		d := time.Since(t)
		return d, db.Close()
	}
	if err := benchDropCache(data); err != nil {
		return err
	}
	d, err := timeOpen()
	if err != nil {
		return err
	}
	res.BoltOpenColdMS = benchMS(d)
	if d, err = timeOpen(); err != nil {
		return err
	}
	res.BoltOpenWarmMS = benchMS(d)
	// The per-client rate limiter would answer most of the load with 429:
	// it is switched off (negative rate) for the measurement.
	setup := Setup{IMAPAddr: "127.0.0.1:1", SMTPAddr: "127.0.0.1:1", Address: demoSupport, Password: demoPassword,
		Data: data, Secret: secret, Staff: benchStaff(1), NoRateLimit: true, Logger: benchLogger(o, stderr)}
	openProgram := func() (Program, time.Duration, error) {
		t := time.Now()
		p, err := pd.Open(setup)
		if err != nil {
			return nil, 0, err
		}
		return p, time.Since(t), nil
	}
	p, d, err := openProgram()
	if err != nil {
		return err
	}
	p.Close()
	res.ProgramOpenWarmMS = benchMS(d)
	if err := benchDropCache(data); err != nil {
		return err
	}
	if p, d, err = openProgram(); err != nil {
		return err
	}
	res.ProgramOpenColdMS = benchMS(d)
	closed := false
	defer func() {
		if !closed {
			p.Close()
		}
	}()

	// Lookups by number: the first ones after the cold start, then warm.
	rng := rand.New(rand.NewPCG(o.Seed, 11))
	lookups := func(k int) ([]time.Duration, error) {
		out := make([]time.Duration, 0, k)
		for range k {
			n := int64(1 + rng.IntN(o.Scale))
			t := time.Now()
			tk, err := p.Desk().Get(n)
			out = append(out, time.Since(t))
			if err != nil || tk.Number != n {
				return nil, fmt.Errorf("bench: Get(%d) = %v, %v", n, tk, err)
			}
		}
		return out, nil
	}
	cold, err := lookups(1000)
	if err != nil {
		return err
	}
	res.LookupCold = benchDistOf(cold)
	warm, err := lookups(50000)
	if err != nil {
		return err
	}
	res.LookupWarm = benchDistOf(warm)
	cs := &benchCountStore{Store: p.Store()}
	cd := &tickets.Desk{Store: cs}
	for range 100 {
		cd.Get(int64(1 + rng.IntN(o.Scale)))
	}
	res.LookupRead = float64(cs.reads.Load()) / 100

	// A sender's open tickets.
	listOpen := func(email string) (total, open int, err error) {
		err = p.Store().View(func(tx tickets.Tx) error {
			nums, err := tx.TicketsOf(email)
			if err != nil {
				return err
			}
			total = len(nums)
			for _, n := range nums {
				t, err := tx.Ticket(n)
				if err != nil {
					return err
				}
				if t.Status.Open() {
					open++
				}
			}
			return nil
		})
		return total, open, err
	}
	heavy := "teacher007@school.test"
	var hd, td []time.Duration
	for range 200 {
		t := time.Now()
		total, open, err := listOpen(heavy)
		hd = append(hd, time.Since(t))
		if err != nil {
			return err
		}
		res.HeavyTickets, res.HeavyOpen = total, open
	}
	res.HeavyList = benchDistOf(hd)
	for range 2000 {
		r := rng.IntN(f.ordinary)
		email := fmt.Sprintf("p%07d@%s", r, benchZHDomains[r%len(benchZHDomains)])
		t := time.Now()
		total, _, err := listOpen(email)
		td = append(td, time.Since(t))
		if err != nil {
			return err
		}
		res.TypicalTickets = max(res.TypicalTickets, total)
	}
	res.TypicalList = benchDistOf(td)

	// The real desk paths, counting ticket reads: a status query and two
	// replies that thread (by tag, by In-Reply-To).
	qd := *p.Desk()
	qs := &benchCountStore{Store: p.Store()}
	qd.Store = qs
	heavyAddr := tickets.Address{Name: "王老师", Email: heavy}
	q := &tickets.Message{MessageID: fmt.Sprintf("q.%d@school.test", time.Now().UnixNano()), From: heavyAddr,
		To: []tickets.Address{{Email: demoSupport}}, Subject: "查询", Text: "", Raw: []byte("Subject: query\r\n\r\n")}
	t := time.Now()
	out, err := qd.Intake([]*tickets.Message{q}, nil)
	res.StatusQueryMS = benchMS(time.Since(t))
	if err != nil || out[0].Action != tickets.ActionQuery {
		return fmt.Errorf("bench: status query: %v %v", out, err)
	}
	res.StatusQueryReads = int(qs.reads.Load())
	var target *tickets.Ticket
	for range 1000 {
		tk, err := p.Desk().Get(int64(1 + rng.IntN(o.Scale)))
		if err == nil && tk.Status == tickets.StatusClosed && time.Since(tk.Closed) < 24*time.Hour*6 {
			target = tk
			break
		}
		if err == nil && tk.Status.Open() {
			target = tk
			break
		}
	}
	if target == nil {
		target, _ = p.Desk().Get(int64(o.Scale))
	}
	qs.reads.Store(0)
	r1 := &tickets.Message{MessageID: fmt.Sprintf("r1.%d@school.test", time.Now().UnixNano()), From: target.Requester,
		Subject: fmt.Sprintf("回复：[#%d] %s", target.Number, target.Subject), Text: "还是不行。", Raw: []byte("Subject: reply\r\n\r\n")}
	t = time.Now()
	out, err = qd.Intake([]*tickets.Message{r1}, nil)
	res.ReplyByTagMS = benchMS(time.Since(t))
	if err != nil || out[0].Ticket != target.Number {
		return fmt.Errorf("bench: reply by tag to #%d: %v %v", target.Number, out, err)
	}
	r2 := &tickets.Message{MessageID: fmt.Sprintf("r2.%d@school.test", time.Now().UnixNano()), From: target.Requester,
		InReplyTo: []string{target.Events[0].MessageID}, Subject: "回复：" + target.Subject, Text: "补充一下情况。", Raw: []byte("Subject: reply\r\n\r\n")}
	t = time.Now()
	out, err = qd.Intake([]*tickets.Message{r2}, nil)
	res.ReplyByIRTMS = benchMS(time.Since(t))
	if err != nil || out[0].Ticket != target.Number {
		return fmt.Errorf("bench: reply by In-Reply-To to #%d: %v %v", target.Number, out, err)
	}
	res.ReplyReads = int(qs.reads.Load())

	// The tracking page under load, against the real HTTP server, with
	// the tickets bucket in the page cache (as on a server that has run
	// for a while; the cold figures are the lookups above).
	t = time.Now()
	p.Store().View(func(tx tickets.Tx) error {
		for n := int64(1); n <= int64(o.Scale); n += 1 {
			if _, err := tx.Ticket(n); err != nil {
				return err
			}
		}
		return nil
	})
	res.WarmSec = math.Round(time.Since(t).Seconds()*10) / 10
	web, err := benchWebLoad(ctx, p, o, rng)
	if err != nil {
		return err
	}
	res.Web = web
	res.PeakRSSMB = benchMB(benchProcKB("VmHWM") << 10)
	closed = true
	if err := p.Close(); err != nil {
		return err
	}

	// Storage, then the open time with a persisted freelist for comparison.
	st, err := benchStorageScan(data, res.RawBytes)
	if err != nil {
		return err
	}
	res.Storage = st
	if cold, warm, lookups, err := benchSyncedFreelistOpen(data, o.Scale, rng); err != nil {
		progress("synced-freelist comparison failed: %v", err)
	} else {
		res.SyncedFreelistOpenColdMS, res.SyncedFreelistOpenWarmMS = benchMS(cold), benchMS(warm)
		res.SyncedFreelistLookupCold = benchDistOf(lookups)
	}

	if o.JSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"machine": benchMachineInfo(), "scale": res})
	}
	benchPrintScale(stdout, res)
	return nil
}

// benchWebLoad runs o.Clients clients against the program's own HTTP
// server on 127.0.0.1 for o.Duration, each fetching tracking pages of
// random tickets over keep-alive connections.
func benchWebLoad(ctx context.Context, p Program, o benchOptions, rng *rand.Rand) (benchWeb, error) {
	w := benchWeb{Clients: o.Clients, Note: "web.rate_per_second = -1 (limiter off); clients and server share this process and its cores"}
	addr, stop := p.ServeWeb()
	defer stop()
	urls := make([]string, 20000)
	for i := range urls {
		urls[i] = "http://" + addr + "/t/" + p.Desk().Signer.Token(tickets.PurposeTrack, int64(1+rng.IntN(o.Scale)))
	}
	tr := &http.Transport{MaxIdleConns: o.Clients, MaxIdleConnsPerHost: o.Clients, MaxConnsPerHost: o.Clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	// Warm up: one request per client.
	for i := range o.Clients {
		resp, err := client.Get(urls[i%len(urls)])
		if err != nil {
			return w, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return w, fmt.Errorf("bench: tracking page: status %d", resp.StatusCode)
		}
	}
	lctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var errs, bytes int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var e, b int64
			i := c * 7919
			for lctx.Err() == nil {
				i++
				t := time.Now()
				resp, err := client.Get(urls[i%len(urls)])
				if err != nil {
					if lctx.Err() == nil {
						e++
					}
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat = append(lat, time.Since(t))
				b += n
				if resp.StatusCode != 200 {
					e++
				}
			}
			mu.Lock()
			all = append(all, lat...)
			errs += e
			bytes += b
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(all)
	w.Seconds = math.Round(el.Seconds()*100) / 100
	w.Requests, w.Errors = len(all), int(errs)
	w.RPS = math.Round(float64(len(all)) / el.Seconds())
	if len(all) > 0 {
		w.P50, w.P90, w.P99 = benchMS(benchPercentile(all, 0.5)), benchMS(benchPercentile(all, 0.9)), benchMS(benchPercentile(all, 0.99))
		w.Max = benchMS(all[len(all)-1])
		w.Bytes = math.Round(float64(bytes) / float64(len(all)))
	}
	return w, nil
}

// benchSyncedFreelistOpen persists the freelist once (bbolt's default,
// NoFreelistSync false) and times cold and warm opens with it. It runs
// last: tickets/bolt's own options drop the persisted freelist again on
// their next commit.
func benchSyncedFreelistOpen(path string, n int, rng *rand.Rand) (cold, warm time.Duration, lookups []time.Duration, err error) {
	opts := &bbolt.Options{Timeout: 5 * time.Second, FreelistType: bbolt.FreelistMapType}
	db, err := bbolt.Open(path, 0o600, opts)
	if err != nil {
		return 0, 0, nil, err
	}
	// Opening with NoFreelistSync false writes the freelist when none is
	// stored; a commit makes sure it is.
	if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket([]byte("state")).Put([]byte("bench:freelist"), []byte("1")) }); err != nil {
		db.Close()
		return 0, 0, nil, err
	}
	if err := db.Close(); err != nil {
		return 0, 0, nil, err
	}
	if err := benchDropCache(path); err != nil {
		return 0, 0, nil, err
	}
	t := time.Now()
	db, err = bbolt.Open(path, 0o600, opts)
	if err != nil {
		return 0, 0, nil, err
	}
	cold = time.Since(t)
	// What tickets/bolt's txn.Ticket does: one Get, one JSON decode.
	for range 1000 {
		k := uint64(1 + rng.IntN(n))
		t := time.Now()
		err := db.View(func(tx *bbolt.Tx) error {
			var key [8]byte
			for i := range 8 {
				key[i] = byte(k >> (56 - 8*i))
			}
			var tk tickets.Ticket
			return json.Unmarshal(tx.Bucket([]byte("tickets")).Get(key[:]), &tk)
		})
		lookups = append(lookups, time.Since(t))
		if err != nil {
			db.Close()
			return 0, 0, nil, err
		}
	}
	if err := db.Close(); err != nil {
		return 0, 0, nil, err
	}
	t = time.Now()
	db, err = bbolt.Open(path, 0o600, opts)
	if err != nil {
		return 0, 0, nil, err
	}
	warm = time.Since(t)
	return cold, warm, lookups, db.Close()
}

func benchPrintScale(w io.Writer, r *ScaleResult) {
	m := benchMachineInfo()
	fmt.Fprintf(w, "postdesk bench -scale %d: %d cores, %s, %s\n\n", r.Tickets, m.Cores, m.CPU, m.Go)
	fmt.Fprintf(w, "fixture: %d tickets, %d raw mails (%.2f per ticket, %.1f MB), %d requesters (%d heavy senders write 5%%)\n",
		r.Tickets, r.Mails, float64(r.Mails)/float64(r.Tickets), benchMB(r.RawBytes), r.Requesters, benchHeavy)
	fmt.Fprintf(w, "  built through tickets.Tx in %.1f s (%.0f tickets/s, NoSync transactions of 2000 tickets, one fsync at the end); ticket JSON %.0f bytes on average (%.0f deflated)\n",
		r.BuildSec, r.BuildRate, r.JSONAvg, r.JSONFlate)
	s := r.Storage
	fmt.Fprintf(w, "\nstorage: file %.1f MB (high-water mark %.1f MB, %d free pages of %d bytes)\n", benchMB(s.FileBytes), benchMB(s.UsedBytes), s.FreePages, s.PageSize)
	fmt.Fprintf(w, "  per ticket %s; beyond raw mail bytes %s (file) %s (high-water mark)\n", benchKB(s.PerTicket), benchKB(s.OverheadFile), benchKB(s.OverheadUsed))
	fmt.Fprintf(w, "  %-12s %10s %14s %14s %14s\n", "bucket", "keys", "in use", "allocated", "alloc/ticket")
	for _, b := range s.Buckets {
		fmt.Fprintf(w, "  %-12s %10d %14d %14d %14.0f\n", b.Name, b.Keys, b.Inuse, b.Alloc, b.PerTicket)
	}
	fmt.Fprintf(w, "\nstartup (cold: the file's pages dropped from the page cache first)\n")
	fmt.Fprintf(w, "  %-44s cold %9.1f ms   warm %9.1f ms\n", "bolt.Open (tickets/bolt options)", r.BoltOpenColdMS, r.BoltOpenWarmMS)
	fmt.Fprintf(w, "  %-44s cold %9.1f ms   warm %9.1f ms\n", "Program.Open (db, secret, templates, listen)", r.ProgramOpenColdMS, r.ProgramOpenWarmMS)
	fmt.Fprintf(w, "  %-44s cold %9.1f ms   warm %9.1f ms\n", "bbolt.Open with a persisted freelist", r.SyncedFreelistOpenColdMS, r.SyncedFreelistOpenWarmMS)
	fmt.Fprintf(w, "\nlookups (Desk.Get of a random number; %.0f ticket read per call)\n", r.LookupRead)
	pd := func(name string, d benchDist) {
		fmt.Fprintf(w, "  %-44s n %6d  p50 %8.1f µs  p90 %8.1f µs  p99 %8.1f µs  max %9.1f µs\n", name, d.N, d.P50, d.P90, d.P99, d.Max)
	}
	pd("first after a cold Program.Open", r.LookupCold)
	pd("warm", r.LookupWarm)
	pd("cold, after a persisted-freelist open", r.SyncedFreelistLookupCold)
	pd(fmt.Sprintf("open tickets of a heavy sender (%d tickets)", r.HeavyTickets), r.HeavyList)
	pd(fmt.Sprintf("open tickets of a typical sender (<= %d)", r.TypicalTickets), r.TypicalList)
	fmt.Fprintf(w, "  status query by the heavy sender (Desk.Intake, fsync): %.1f ms, %d ticket reads (= its %d tickets: requester index, no scan)\n",
		r.StatusQueryMS, r.StatusQueryReads, r.HeavyTickets)
	fmt.Fprintf(w, "  reply threaded by tag: %.1f ms; by In-Reply-To: %.1f ms (Desk.Intake, fsync); %d ticket reads for both\n", r.ReplyByTagMS, r.ReplyByIRTMS, r.ReplyReads)
	web := r.Web
	fmt.Fprintf(w, "\ntracking page: %d clients for %.1f s against the real server on 127.0.0.1 (%s; every ticket read once beforehand to warm the page cache: %.1f s)\n", web.Clients, web.Seconds, web.Note, r.WarmSec)
	fmt.Fprintf(w, "  %d requests, %d errors: %.0f req/s; p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms; %.0f bytes per page\n",
		web.Requests, web.Errors, web.RPS, web.P50, web.P90, web.P99, web.Max, web.Bytes)
	fmt.Fprintf(w, "\npeak RSS (VmHWM, includes the database pages mapped while building and measuring) %.1f MB\n", r.PeakRSSMB)
}
