package templates

import (
	"time"

	"github.com/postdesk/postdesk/tickets"
)

// Desk is what templates show of the desk itself.
type Desk struct {
	Name    string
	Address string
}

// TicketView is a ticket as templates show it: labels in the reader's
// language and times formatted in the desk's time zone.
type TicketView struct {
	Number        int64
	Tag           string
	Subject       string
	Status        tickets.Status
	StatusLabel   string
	StatusMeaning string
	Priority      string
	PriorityLabel string
	Category      string
	CategoryLabel string
	Typical       string
	Created       string
	Updated       string
	ResponseDue   string
	ResolveDue    string
	Requester     tickets.Address
	Assignee      string
	Open          bool
	Track         string // tracking link, when the view is for a list
}

// EventView is one timeline entry as shown.
type EventView struct {
	At          string
	Label       string
	Who         string
	Text        string
	Attachments []string
}

// MailData is what mail templates receive.
type MailData struct {
	Desk        Desk
	Lang        string
	T           *TicketView
	Track       string
	CloseURL    string
	ReopenURL   string
	Text        string
	Actor       string
	Lines       []string
	Attachments []string
	Tickets     []TicketView
	AfterHours  string
	Incident    string
}

// PageData is what the ticket page receives.
type PageData struct {
	Lang      string
	Desk      Desk
	T         TicketView
	Events    []EventView
	CloseURL  string
	ReopenURL string
	Flash     string
}

// CategoryInfo returns the display label and typical resolution time of a
// category in a language.
type CategoryInfo func(name, lang string) (label, typical string)

// Viewer builds views. Set it up once; it is then safe for concurrent use.
type Viewer struct {
	Set       *Set
	Loc       *time.Location // nil: UTC
	TagPrefix string
	Category  CategoryInfo // nil: the category name is shown as is
}

// Time formats t in the desk's zone, or "" for the zero time.
func (v *Viewer) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	loc := v.Loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// Ticket returns the view of t in lang.
func (v *Viewer) Ticket(t *tickets.Ticket, lang string) TicketView {
	lang = v.Set.Lang(lang)
	tv := TicketView{
		Number:        t.Number,
		Tag:           tickets.Tag(v.TagPrefix, t.Number),
		Subject:       OneLine(t.Subject, ShownHeader),
		Status:        t.Status,
		StatusLabel:   v.Set.word(lang, "status."+string(t.Status)),
		StatusMeaning: v.Set.word(lang, "status."+string(t.Status)+".meaning"),
		Priority:      t.Priority.String(),
		PriorityLabel: v.Set.word(lang, "priority."+t.Priority.String()),
		Category:      t.Category,
		Created:       v.Time(t.Created),
		Updated:       v.Time(t.Updated),
		Requester:     tickets.Address{Name: OneLine(t.Requester.Name, ShownHeader), Email: t.Requester.Email},
		Assignee:      t.Assignee,
		Open:          t.Status.Open(),
	}
	if t.Status.Open() {
		if t.FirstResponse.IsZero() {
			tv.ResponseDue = v.Time(t.ResponseDue)
		}
		tv.ResolveDue = v.Time(t.ResolveDue)
	}
	if t.Category != "" {
		tv.CategoryLabel = t.Category
		if v.Category != nil {
			tv.CategoryLabel, tv.Typical = v.Category(t.Category, lang)
		}
	}
	return tv
}

// Events returns the timeline of t in lang: only public events unless
// internal is set.
func (v *Viewer) Events(t *tickets.Ticket, lang string, internal bool) []EventView {
	lang = v.Set.Lang(lang)
	var out []EventView
	for _, e := range t.Events {
		if !e.Public && !internal {
			continue
		}
		out = append(out, v.Event(t, e, lang))
	}
	return out
}

// Event returns the view of one event.
func (v *Viewer) Event(t *tickets.Ticket, e tickets.Event, lang string) EventView {
	ev := EventView{At: v.Time(e.At), Label: v.Set.word(lang, "event."+string(e.Kind)), Text: e.Text, Attachments: e.Attachments}
	switch {
	case e.Kind == tickets.EventStatus:
		ev.Label += ": " + v.Set.word(lang, "status."+string(e.Status))
	case e.Kind == tickets.EventStaffReply && e.Name != "":
		ev.Who = e.Name
	case e.Kind == tickets.EventStaffReply:
		ev.Who = v.Set.word(lang, "word.staff")
	case e.Actor == t.Requester.Email || e.Actor == "":
		ev.Who = e.Name
	default:
		ev.Who = e.Name
	}
	if e.Kind == tickets.EventStatus || e.Kind == tickets.EventPriority || e.Kind == tickets.EventAssign {
		if e.Name != "" {
			ev.Who = e.Name
		} else if e.Actor == "" {
			ev.Who = v.Set.word(lang, "word.system")
		}
	}
	ev.Who = OneLine(ev.Who, ShownHeader)
	return ev
}

// ShownHeader is how many characters of a stored single-line header
// (subject, name; at most tickets.MaxHeaderBytes) pages and mails show.
const ShownHeader = 250
