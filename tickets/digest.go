package tickets

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The digest closes the feedback loop: a periodic mail to the leads with
// what came in and went out, what is late, which problems repeat and how
// fast each category is really handled. BuildDigest computes it from
// tickets alone; Digester decides when one is due and queues it.

// NoticeDigest is the periodic digest to the leads (Notice.Digest).
const NoticeDigest NoticeKind = "digest"

// DigestListMax bounds each list of tickets in a digest (overdue,
// breached); the totals are always complete.
const DigestListMax = 20

// digestTop bounds the categories and repeated-problem groups shown.
const digestTop = 5

// Digest is what one digest mail reports about the period [From, To).
type Digest struct {
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
	Weekly bool      `json:"weekly,omitempty"`
	// New counts the tickets opened in the period; Done those resolved
	// or closed in it (each once, merged tickets not counted).
	New  int `json:"new"`
	Done int `json:"done"`
	// Open counts the open tickets at To, by status (lifecycle order,
	// open statuses only) and by priority (P0..P3).
	Open           int           `json:"open"`
	OpenByStatus   []StatusCount `json:"open_by_status"`
	OpenByPriority [4]int        `json:"open_by_prio"`
	// Overdue are open tickets past their resolution target or with a
	// breached first response (see Overdue), most overdue first, at most
	// DigestListMax; OverdueTotal counts all of them.
	Overdue      []DigestTicket `json:"overdue,omitempty"`
	OverdueTotal int            `json:"overdue_total"`
	// Breached are the open tickets nobody has answered past their
	// first-response target (see ResponseBreached), oldest target first.
	Breached      []DigestTicket `json:"breached,omitempty"`
	BreachedTotal int            `json:"breached_total"`
	// Categories are the categories of the period's new tickets, largest
	// first (at most 5).
	Categories []CategoryCount `json:"categories,omitempty"`
	// Repeated are groups of at least two new tickets with similar
	// subjects, largest first (at most 5).
	Repeated []SubjectGroup `json:"repeated,omitempty"`
	// Durations are the median first response and resolution per
	// category, measured on the tickets answered or finished in the
	// period, in category order.
	Durations []CategoryDurations `json:"durations,omitempty"`
}

// StatusCount is the number of tickets in one status.
type StatusCount struct {
	Status Status `json:"status"`
	Count  int    `json:"n"`
}

// DigestTicket is a ticket as a digest lists it.
type DigestTicket struct {
	Number   int64     `json:"n"`
	Subject  string    `json:"subject"`
	Priority Priority  `json:"prio"`
	Status   Status    `json:"status"`
	Category string    `json:"cat,omitempty"`
	Assignee string    `json:"assignee,omitempty"`
	Due      time.Time `json:"due"` // the target that was missed
}

// CategoryCount is the period's new tickets of one category, and how many
// of them are still open.
type CategoryCount struct {
	Category string `json:"cat"`
	New      int    `json:"new"`
	Open     int    `json:"open"`
}

// SubjectGroup is a repeated problem: new tickets whose subjects are alike.
type SubjectGroup struct {
	// Subject is the subject of the group's earliest ticket.
	Subject string `json:"subject"`
	Count   int    `json:"n"`
	// Tickets are the group's ticket numbers, oldest first, at most 10.
	Tickets  []int64 `json:"tickets"`
	Category string  `json:"cat,omitempty"`
}

// Verdicts of a measured duration against a category's typical one.
const (
	VerdictWithin = "within" // the median is within the typical range
	VerdictFaster = "faster" // below its lower end
	VerdictSlower = "slower" // above its upper end
)

// CategoryDurations compares how fast one category was handled with its
// typical duration. Durations are wall-clock time from the report.
type CategoryDurations struct {
	Category string `json:"cat"`
	// Answered counts the tickets first answered in the period, and
	// MedianResponse is their median time to that answer.
	Answered       int           `json:"answered"`
	MedianResponse time.Duration `json:"median_response,omitempty"`
	// Finished counts the tickets resolved or closed in the period, and
	// MedianResolve is their median time to that point.
	Finished      int           `json:"finished"`
	MedianResolve time.Duration `json:"median_resolve,omitempty"`
	// Typical is the category's typical resolution time from the rules
	// ("30m-2h"), and Verdict compares MedianResolve with it; empty when
	// either is unknown.
	Typical string `json:"typical,omitempty"`
	Verdict string `json:"verdict,omitempty"`
}

// BuildDigest computes the digest of the period [from, to) from every
// ticket of the desk (in any order), with p's categories (nil: the
// default policy). It is a pure function of its arguments.
func BuildDigest(ts []*Ticket, from, to time.Time, p *Policy) *Digest {
	b := newDigestBuilder(from, to, p)
	for _, t := range ts {
		b.add(t)
	}
	return b.finish()
}

// digestBuilder accumulates a digest one ticket at a time, so the desk
// can build it while scanning without holding every ticket.
type digestBuilder struct {
	d         *Digest
	p         *Policy
	statusN   map[Status]int
	cats      map[string]*CategoryCount
	subjects  []subjectItem
	response  map[string][]time.Duration
	resolve   map[string][]time.Duration
	overdue   []DigestTicket
	breached  []DigestTicket
	statusSet []Status
}

func newDigestBuilder(from, to time.Time, p *Policy) *digestBuilder {
	if p == nil {
		p = defaultPolicy
	}
	return &digestBuilder{
		d:        &Digest{From: from, To: to},
		p:        p,
		statusN:  map[Status]int{},
		cats:     map[string]*CategoryCount{},
		response: map[string][]time.Duration{},
		resolve:  map[string][]time.Duration{},
	}
}

func in(at, from, to time.Time) bool { return !at.IsZero() && !at.Before(from) && at.Before(to) }

// doneAt returns when t was resolved or closed, the zero time while open.
func doneAt(t *Ticket) time.Time {
	switch t.Status {
	case StatusResolved:
		return t.Resolved
	case StatusClosed:
		if !t.Resolved.IsZero() && t.Resolved.Before(t.Closed) {
			return t.Resolved
		}
		return t.Closed
	}
	return time.Time{}
}

func (b *digestBuilder) add(t *Ticket) {
	d, from, to := b.d, b.d.From, b.d.To
	if t.MergedInto != 0 {
		return
	}
	if in(t.Created, from, to) {
		d.New++
		c := b.cats[t.Category]
		if c == nil {
			c = &CategoryCount{Category: t.Category}
			b.cats[t.Category] = c
		}
		c.New++
		if t.Status.Open() {
			c.Open++
		}
		b.subjects = append(b.subjects, subjectItem{n: t.Number, subject: t.Subject, cat: t.Category, at: t.Created})
	}
	done := doneAt(t)
	if in(done, from, to) {
		d.Done++
		b.resolve[t.Category] = append(b.resolve[t.Category], done.Sub(t.Created))
	}
	if in(t.FirstResponse, from, to) {
		b.response[t.Category] = append(b.response[t.Category], t.FirstResponse.Sub(t.Created))
	}
	if !t.Status.Open() || t.Created.After(to) {
		return
	}
	d.Open++
	b.statusN[t.Status]++
	if t.Priority >= P0 && t.Priority <= P3 {
		d.OpenByPriority[t.Priority]++
	}
	dt := DigestTicket{Number: t.Number, Subject: t.Subject, Priority: t.Priority, Status: t.Status, Category: t.Category, Assignee: t.Assignee}
	if ResponseBreached(t, to) {
		dt.Due = t.ResponseDue
		b.breached = append(b.breached, dt)
	}
	if Overdue(t, to) {
		dt.Due = t.ResolveDue
		if ResponseBreached(t, to) && (dt.Due.IsZero() || t.ResponseDue.Before(dt.Due)) {
			dt.Due = t.ResponseDue
		}
		b.overdue = append(b.overdue, dt)
	}
}

func (b *digestBuilder) finish() *Digest {
	d := b.d
	for _, s := range Statuses {
		if s.Open() {
			d.OpenByStatus = append(d.OpenByStatus, StatusCount{Status: s, Count: b.statusN[s]})
		}
	}
	byDue := func(a, b DigestTicket) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Priority, b.Priority), cmp.Compare(a.Number, b.Number))
	}
	slices.SortFunc(b.overdue, byDue)
	slices.SortFunc(b.breached, byDue)
	d.OverdueTotal, d.BreachedTotal = len(b.overdue), len(b.breached)
	d.Overdue = b.overdue[:min(len(b.overdue), DigestListMax)]
	d.Breached = b.breached[:min(len(b.breached), DigestListMax)]

	for _, c := range b.cats {
		d.Categories = append(d.Categories, *c)
	}
	slices.SortFunc(d.Categories, func(a, b CategoryCount) int {
		return cmp.Or(cmp.Compare(b.New, a.New), strings.Compare(a.Category, b.Category))
	})
	d.Categories = d.Categories[:min(len(d.Categories), digestTop)]
	d.Repeated = groupSubjects(b.subjects, 2)
	d.Repeated = d.Repeated[:min(len(d.Repeated), digestTop)]

	names := b.p.categoryNames()
	for c := range b.resolve {
		if !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	for c := range b.response {
		if !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	for _, c := range names {
		resp, res := b.response[c], b.resolve[c]
		if len(resp) == 0 && len(res) == 0 {
			continue
		}
		cd := CategoryDurations{Category: c, Answered: len(resp), MedianResponse: Median(resp), Finished: len(res), MedianResolve: Median(res)}
		if cat, ok := b.p.rules().Category(c); ok {
			cd.Typical = cat.Typical
			if lo, hi, ok := TypicalSpan(cat.Typical); ok && len(res) > 0 {
				switch {
				case cd.MedianResolve > hi:
					cd.Verdict = VerdictSlower
				case cd.MedianResolve < lo:
					cd.Verdict = VerdictFaster
				default:
					cd.Verdict = VerdictWithin
				}
			}
		}
		d.Durations = append(d.Durations, cd)
	}
	return d
}

// Median returns the median of ds (the mean of the middle two for an even
// count), 0 for none. ds is not changed.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return s[m-1] + (s[m]-s[m-1])/2
}

// TypicalSpan reads a category's typical duration ("30m-2h", "4h-1d",
// "1d"; see ParseTypical) as wall-clock time, a day being 24 hours: what
// the digest compares measured medians with. A single value is the range
// from 0; text that is no duration ("hours-days") gives ok false.
func TypicalSpan(s string) (lo, hi time.Duration, ok bool) {
	t, err := ParseTypical(s)
	if err != nil {
		return 0, 0, false
	}
	lo, hi = t.Min.wall(), t.Max.wall()
	if hi <= 0 || lo > hi {
		return 0, 0, false
	}
	return lo, hi, true
}
