package templates

import (
	htmltemplate "html/template"
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

	// Presentation, filled by the Viewer (see look.go).
	Color   string // badge colour of the status, "#rrggbb"
	Steps   []Step // the progress stepper
	Zone    string // the time zone of every time shown
	Promise string // what happens next and by when, in plain words
	// PromiseHTML is Promise escaped for HTML, each date kept on one line.
	PromiseHTML htmltemplate.HTML
	// ResponsePromise and ResolvePromise are the due times as promised to
	// the customer, with weekday and relative words ("12月7日（周一）17:00
	// 前，即 1 个工作日内"); ResolvePromise is empty where the target would
	// contradict the category's typical time (tickets.Policy.Promise).
	ResponsePromise string
	ResolvePromise  string
	// WorkingHours says the desk's hours once, with the zone; AllHours
	// says this ticket's targets run 24x7 anyway.
	WorkingHours string
	AllHours     bool
	// Closures are the holidays the promised times cross ("10月1日至10月7日").
	Closures []string
	// LastReply is the latest public staff reply, shortened to one line,
	// with when and by whom (LastReplyBy is empty when unnamed).
	LastReply   string
	LastReplyAt string
	LastReplyBy string
	// Question is what the desk waits for while the ticket waits for the
	// customer: the questions of the latest staff reply (or the reply,
	// shortened). Empty unless the status is waiting.
	Question string
	// Participants are the customer-side participants besides the
	// requester, with who added each (for staff mail).
	Participants []ParticipantView
}

// ParticipantView is one participant of a ticket as staff mail shows it.
type ParticipantView struct {
	Name, Email string
	AddedBy     string // the customer whose mail named them, or the staff member who wrote #cc
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
	// Mine is the recipient's "my tickets" link; empty when they have
	// requested no ticket.
	Mine string
	// Reply is the newest public staff reply, shown as a quote.
	Reply *EventView
	// ShowCommand is the command that prints the staff view of the
	// ticket, e.g. "postdesk ticket show 12" (staff mail).
	ShowCommand string
	// EventLabel names the public step a progress mail reports when it
	// is neither a reply nor a plain status change ("已转技术团队处理").
	EventLabel string
	// Reason is the notice's reason code (e.g. why a reply token was
	// revoked), for the template to explain.
	Reason string
	// Articles are knowledge-base articles the mail points to (the
	// suggestions of a confirmation, a #kb answer).
	Articles []ArticleView
	// Digest is the content of a digest mail.
	Digest *DigestView
}

// ArticleView is a knowledge-base article as a mail or page links to it.
type ArticleView struct {
	Title, Summary, URL string
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
	// Articles are the self-help articles the confirmation suggested.
	Articles []ArticleView
	// Incident, when set, shows the platform-wide incident banner.
	Incident *IncidentView

	// State selects what an action page shows: "" (the ticket), "close"
	// or "reopen" (the one action and its button), "closed", "reopened"
	// (thank you), "noop" (nothing to do), "mine" (the requester's list).
	State   string
	Track   string       // the tracking page of T
	Mine    string       // the requester's "my tickets" page
	Tickets []TicketView // the "my tickets" list, open first
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
	// Policy decides the promises shown (tickets.Policy.Promise) and the
	// typical times; nil: none are shown beyond the due times.
	Policy *tickets.Policy
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
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
		Created:       v.When(t.Created, lang),
		Updated:       v.When(t.Updated, lang),
		Requester:     tickets.Address{Name: OneLine(t.Requester.Name, ShownHeader), Email: t.Requester.Email},
		Assignee:      t.Assignee,
		Open:          t.Status.Open(),
	}
	for _, p := range t.Participants {
		tv.Participants = append(tv.Participants, ParticipantView{Name: p.Name, Email: p.Email, AddedBy: t.AddedBy[p.Email]})
	}
	if t.Status.Open() {
		if t.FirstResponse.IsZero() {
			tv.ResponseDue = v.When(t.ResponseDue, lang)
		}
		tv.ResolveDue = v.When(t.ResolveDue, lang)
	}
	if t.Category != "" {
		tv.CategoryLabel = t.Category
		if v.Category != nil {
			tv.CategoryLabel, tv.Typical = v.Category(t.Category, lang)
		}
		if t.Typical > 0 {
			tv.Typical = v.Set.About(lang, t.Typical) // learned from history
		}
	}
	v.promise(&tv, t, lang)
	v.lastReply(&tv, t, lang)
	v.look(&tv, lang)
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
	ev := EventView{At: v.When(e.At, lang), Label: v.Set.word(lang, "event."+string(e.Kind)), Text: e.Text, Attachments: e.Attachments}
	if e.Say != nil {
		ev.Text = v.Say(*e.Say, lang)
	}
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
