package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// DigestConfig is [digest]: a summary mail for the desk's leads.
type DigestConfig struct {
	// To receives the digest; empty: no digest.
	To []string `toml:"to"`
	// At is the local time ([hours] timezone) it is sent, "HH:MM".
	At string `toml:"at"`
	// Weekly, if set to a weekday ("Mon"), sends one digest a week on
	// that day covering the week, instead of one every day.
	Weekly string `toml:"weekly"`
}

// learnMinResolved is how many resolved tickets a category needs in the
// last 30 days before its typical duration is learned from them.
const learnMinResolved = 20

// validateDigest checks [digest].
func (c *Config) validateDigest() error {
	d := c.Digest
	bad := func(key, format string, args ...any) error {
		return &ConfigError{Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	for i, a := range d.To {
		if !strings.Contains(a, "@") {
			return bad(fmt.Sprintf("digest.to[%d]", i), "must be an email address, got %q", a)
		}
	}
	if _, _, err := d.clock(); err != nil {
		return bad("digest.at", "%v", err)
	}
	if _, err := d.weekday(); err != nil {
		return bad("digest.weekly", "%v", err)
	}
	return nil
}

// clock parses At (default 08:30).
func (d DigestConfig) clock() (h, m int, err error) {
	at := d.At
	if at == "" {
		at = "08:30"
	}
	t, err := time.Parse("15:04", at)
	if err != nil {
		return 0, 0, fmt.Errorf("want a time of day like \"08:30\", got %q", d.At)
	}
	return t.Hour(), t.Minute(), nil
}

// weekday parses Weekly; -1 means daily.
func (d DigestConfig) weekday() (time.Weekday, error) {
	if d.Weekly == "" {
		return -1, nil
	}
	for wd := time.Sunday; wd <= time.Saturday; wd++ {
		if strings.EqualFold(d.Weekly, wd.String()[:3]) || strings.EqualFold(d.Weekly, wd.String()) {
			return wd, nil
		}
	}
	return -1, fmt.Errorf("want a weekday like \"Mon\" or \"\" (daily), got %q", d.Weekly)
}

// lastSlot is the latest scheduled digest time at or before now.
func (d DigestConfig) lastSlot(now time.Time, loc *time.Location) time.Time {
	h, m, _ := d.clock()
	wd, _ := d.weekday()
	local := now.In(loc)
	t := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
	if t.After(now) {
		t = t.AddDate(0, 0, -1)
	}
	for wd >= 0 && t.Weekday() != wd {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// period is the span a digest normally covers.
func (d DigestConfig) period() time.Duration {
	if d.Weekly != "" {
		return 7 * 24 * time.Hour
	}
	return 24 * time.Hour
}

// digestTask sends the digest when its time has come (checked every
// minute) and, with triage.learn_durations, relearns the typical
// durations every hour.
func (p *Program) digestTask(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	var learned time.Time
	for {
		if len(p.Config.Digest.To) > 0 {
			if _, err := p.digestStep(); err != nil {
				p.Logger.Error("digest: not sent", "err", err)
			}
		}
		if p.Config.Triage.LearnDurations && time.Since(learned) >= time.Hour {
			if err := p.learnDurations(); err != nil {
				p.Logger.Error("digest: learn durations", "err", err)
			}
			learned = time.Now()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// digestStep queues the digest if one is due at the program's now, and
// reports whether it did.
func (p *Program) digestStep() (bool, error) {
	dc := p.Config.Digest
	cal := p.Desk.Policy.Hours
	now := p.now()
	slot := dc.lastSlot(now, cal.Loc)
	last, err := p.Desk.LastDigest()
	if err != nil {
		return false, err
	}
	if !last.Before(slot) {
		return false, nil
	}
	from := last
	if from.IsZero() {
		from = slot.Add(-dc.period())
	}
	g, err := p.Desk.Digest(from, now)
	if err != nil {
		return false, err
	}
	headline, lines := p.digestText(g, dc)
	var to []tickets.Address
	for _, a := range dc.To {
		to = append(to, tickets.Address{Email: tickets.NormalizeEmail(a)})
	}
	return true, p.Desk.QueueDigest(to, headline, lines, now)
}

// digestText renders a digest's headline and lines in the desk's language,
// every phrase from the templates' words.
func (p *Program) digestText(g *tickets.Digest, dc DigestConfig) (string, []string) {
	set, lang := p.Composer.Templates, p.Config.Desk.Language
	w := func(key string, args ...any) string { return fmt.Sprintf(set.Word(lang, key), args...) }
	loc := p.Desk.Policy.Hours.Loc
	day := func(t time.Time) string { return t.In(loc).Format(hours.DateLayout) }
	headline := w("digest.daily", day(g.To))
	if dc.Weekly != "" {
		headline = w("digest.weekly", day(g.From), day(g.To))
	}
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	add(w("digest.counts", g.New, g.Resolved, g.Closed, g.From.In(loc).Format("2006-01-02 15:04")))
	add("")
	add(w("digest.open"))
	open := 0
	for _, s := range tickets.Statuses {
		if row, ok := g.Open[s]; ok && s.Open() {
			add(w("digest.open_row", set.Word(lang, "status."+string(s)), row[0], row[1], row[2], row[3]))
			open++
		}
	}
	if open == 0 {
		add(w("digest.none"))
	}
	list := func(head string, ts []*tickets.Ticket) {
		add("")
		add(w(head, len(ts)))
		for _, t := range ts {
			add(w("digest.ticket", t.Number, templates.OneLine(t.Subject, 60), t.Priority, set.Word(lang, "status."+string(t.Status)), p.Composer.TrackURL(t.Number)))
		}
		if len(ts) == 0 {
			add(w("digest.none"))
		}
	}
	list("digest.overdue", g.Overdue)
	list("digest.breached", g.Breached)
	label := func(name string) (string, string) {
		if p.Composer.Viewer.Category != nil {
			return p.Composer.Viewer.Category(name, lang)
		}
		return name, ""
	}
	add("")
	add(w("digest.categories"))
	for i, c := range g.Categories {
		if i == 5 {
			break
		}
		l, _ := label(c.Category)
		add(w("digest.category", l, c.Count))
	}
	if len(g.Categories) == 0 {
		add(w("digest.none"))
	}
	add("")
	add(w("digest.repeated"))
	for _, grp := range g.Repeated {
		var nums []string
		for _, t := range grp {
			nums = append(nums, "#"+strconv.FormatInt(t.Number, 10))
		}
		add(w("digest.repeated_row", len(grp), templates.OneLine(grp[0].Subject, 60), strings.Join(nums, " ")))
	}
	if len(g.Repeated) == 0 {
		add(w("digest.none"))
	}
	add("")
	add(w("digest.durations"))
	for _, c := range g.Durations {
		l, _ := label(c.Category)
		promised, max := "-", time.Duration(0)
		if cat, ok := p.Desk.Policy.Rules.Category(c.Category); ok {
			promised, max = cat.TypicalFor(lang), typicalMax(cat.Typical)
		}
		slower := ""
		if max > 0 && c.MedianResolve > max {
			slower = w("digest.slower")
		}
		resp := w("digest.no_response")
		if c.MedianResponse > 0 {
			resp = humanDuration(set, lang, c.MedianResponse)
		}
		add(w("digest.duration", l, resp, humanDuration(set, lang, c.MedianResolve), c.Resolved, promised, slower))
	}
	if len(g.Durations) == 0 {
		add(w("digest.none"))
	}
	return headline, lines
}

// typicalMax reads the upper bound of a category's Typical ("30m-2h" is
// 2h, "1d" a day); 0 when it has none ("hours-days").
func typicalMax(typical string) time.Duration {
	s := typical[strings.LastIndexByte(typical, '-')+1:]
	if strings.HasSuffix(s, "d") {
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil {
			return 0
		}
		return time.Duration(n) * 24 * time.Hour
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0
	}
	return d
}

// humanDuration says d in minutes, hours or days.
func humanDuration(set *templates.Set, lang string, d time.Duration) string {
	switch {
	case d < time.Hour:
		return fmt.Sprintf(set.Word(lang, "unit.minutes"), int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf(set.Word(lang, "unit.hours"), d.Hours())
	}
	return fmt.Sprintf(set.Word(lang, "unit.days"), d.Hours()/24)
}

// learned holds the typical durations learned from history, by category.
type learned struct {
	mu sync.Mutex
	by map[string]tickets.CategoryDurations
}

// learnDurations recomputes the learned typical durations and makes the
// viewer (confirmations, tracking pages) use them.
func (p *Program) learnDurations() error {
	by, err := p.Desk.LearnedDurations(learnMinResolved)
	if err != nil {
		return err
	}
	p.ops.learned.mu.Lock()
	p.ops.learned.by = by
	p.ops.learned.mu.Unlock()
	return nil
}

// learnedCategory wraps a viewer's category function: a category with a
// learned duration shows it instead of the promised one.
func (p *Program) learnedCategory(next templates.CategoryInfo) templates.CategoryInfo {
	return func(name, lang string) (string, string) {
		label, typical := name, ""
		if next != nil {
			label, typical = next(name, lang)
		}
		p.ops.learned.mu.Lock()
		c, ok := p.ops.learned.by[name]
		p.ops.learned.mu.Unlock()
		if ok {
			set := p.Composer.Templates
			typical = fmt.Sprintf(set.Word(lang, "typical.learned"), humanDuration(set, lang, c.MedianResolve), c.Resolved)
		}
		return label, typical
	}
}
