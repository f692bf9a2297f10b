package tickets

import "time"

// What customer mail says about a ticket, decided here so that every
// renderer says the same: when work starts, and what a category is called.

// AfterHours reports when work on t starts if t arrived outside the working
// hours of its priority (more than a minute before they begin); its
// confirmation then says when work resumes. A nil *Policy is
// DefaultPolicy().
func (p *Policy) AfterHours(t *Ticket) (time.Time, bool) {
	if p == nil {
		p = defaultPolicy
	}
	start := p.WorkStarts(t.Priority, t.Created)
	return start, start.Sub(t.Created) > time.Minute
}

// CategoryInfo returns the display label of category name in lang and its
// typical resolution time (a templates.CategoryInfo); a category the rules
// do not know is shown by its name. A nil *Policy is DefaultPolicy().
func (p *Policy) CategoryInfo(name, lang string) (label, typical string) {
	if p == nil {
		p = defaultPolicy
	}
	if cat, ok := p.rules().Category(name); ok {
		return cat.LabelFor(lang), cat.TypicalFor(lang)
	}
	return name, ""
}
