package tickets

import "time"

// Article is a knowledge-base article as the desk mentions it: in a
// confirmation's suggestions, in a staff reply (#kb) and on the timeline.
type Article struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"`
	Lang    string `json:"lang,omitempty"`
}

// KnowledgeBase is what the desk needs of the self-help knowledge base
// (package kb implements it). Methods must be safe for concurrent use and
// must not block on I/O for long: they run inside intake transactions.
type KnowledgeBase interface {
	// Suggest returns up to max articles that answer a new report, best
	// first, or none when nothing fits well.
	Suggest(subject, text string, max int) []Article
	// Article returns the article with that slug.
	Article(slug string) (Article, bool)
}

// MaxSuggestions is how many articles a confirmation lists at most.
const MaxSuggestions = 3

// suggest picks the articles a new ticket's confirmation lists. P0 reports
// get none: they need a person now, not reading.
func (d *Desk) suggest(t *Ticket, m *Message) []Article {
	if d.KB == nil || t.Priority == P0 {
		return nil
	}
	arts := d.KB.Suggest(t.Subject, m.Text, MaxSuggestions)
	for _, a := range arts {
		t.Suggested = append(t.Suggested, a.Slug)
	}
	return arts
}

// SolvedBySelfHelp resolves ticket n because its requester says the
// article slug solved the problem (the button on an article page opened
// from the ticket's mail, whose token the caller has checked). The
// timeline records which article; staff are told. It reports whether
// anything changed: a ticket already resolved or closed stays as it is.
func (d *Desk) SolvedBySelfHelp(n int64, slug string) (bool, error) {
	title := slug
	if d.KB != nil {
		if a, ok := d.KB.Article(slug); ok {
			title = a.Title
		}
	}
	return d.customerChange(n, func(tx Tx, t *Ticket, now time.Time) (bool, error) {
		if !t.Status.Open() {
			return false, nil
		}
		t.Events = append(t.Events, Event{At: now, Kind: EventSelfHelp, Actor: t.Requester.Email, Name: t.Requester.Name,
			Public: true, Text: title, Article: slug})
		if err := d.setStatus(tx, t, StatusResolved, t.Requester.Email, "", now, true); err != nil {
			return false, err
		}
		return true, d.alertStaff(tx, t, d.replyRecipients(t), "", say("alert_self_help", Str(title), Str("/kb/"+slug)))
	})
}
