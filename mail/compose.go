package mail

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"

	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
)

// Outgoing is a rendered mail ready for SMTP.
type Outgoing struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients
	Data []byte   // the RFC 5322 message
}

// Composer renders outbox notices into mail from the embedded templates.
// Set its fields before use; it is then safe for concurrent use.
type Composer struct {
	Templates *templates.Set
	Viewer    *templates.Viewer
	Signer    *tickets.Signer
	// Desk is our display name and address: the From of every mail.
	Desk tickets.Address
	// BaseURL prefixes tracking and action links, without a trailing "/".
	BaseURL string
	// LoopID is the value of our loop header.
	LoopID string
	// PlusAddressing puts staff reply tokens in the Reply-To address
	// (support+TOKEN@domain) as well as in the Message-ID.
	PlusAddressing bool
	// Messages holds the stored raw mail whose attachments staff
	// notifications (and staff answers to customers) carry; nil sends none.
	Messages MessageReader
	// AttachParse are the options those stored mails are decoded with.
	AttachParse ParseOptions
	// MaxAttach bounds the bytes attached to one staff notification;
	// beyond it attachments are only listed. Zero means 10 MiB.
	MaxAttach int
	// Policy says when work starts (Policy.AfterHours): confirmations of
	// reports that arrive outside working hours say when work resumes.
	// Nil: never said.
	Policy *tickets.Policy
	// Now returns the Date of mails; nil means time.Now.
	Now func() time.Time
	// ShowCommand is the command staff mail suggests for the staff view
	// of a ticket, with %d for its number; "" means "postdesk ticket show %d".
	ShowCommand string
}

// MineURL returns the "my tickets" link anchored at ticket anchor (see
// tickets.PurposeMine).
func (c *Composer) MineURL(anchor int64) string {
	return c.BaseURL + "/m/" + c.Signer.Token(tickets.PurposeMine, anchor)
}

// MessageReader reads stored raw mail: *bolt.DB.
type MessageReader interface {
	// ReadMessage calls fn with raw mail number index of ticket n; raw is
	// valid only during the call.
	ReadMessage(n int64, index int, fn func(raw []byte) error) error
}

// attachments decodes the attachments of a stored mail; a mail that cannot
// be read has none.
func (c *Composer) attachments(ref tickets.MessageRef) []tickets.Attachment {
	var atts []tickets.Attachment
	c.Messages.ReadMessage(ref.Ticket, ref.Index, func(raw []byte) error {
		// Parse copies what it keeps, so raw may be the mapped file.
		o := c.AttachParse
		o.AttachmentsOnly = true
		atts = Parse(raw, &o).Attachments
		return nil
	})
	return atts
}

// TrackURL returns the tracking link of ticket n.
func (c *Composer) TrackURL(n int64) string {
	return c.BaseURL + "/t/" + c.Signer.Token(tickets.PurposeTrack, n)
}

// ArticleURL returns the link to a knowledge-base article from ticket n's
// mail: it carries the ticket's self-help token, so the page can offer
// "this solved my problem". n == 0 gives the plain article link.
func (c *Composer) ArticleURL(slug string, n int64) string {
	u := c.BaseURL + "/kb/" + slug
	if n > 0 {
		u += "?t=" + c.Signer.Token(tickets.PurposeSelfHelp, n)
	}
	return u
}

// ActionURL returns the one-click link for purpose (close or reopen).
func (c *Composer) ActionURL(purpose string, n int64) string {
	return c.BaseURL + "/a/" + purpose + "/" + c.Signer.Token(purpose, n)
}

// Data builds the template data of a notice.
func (c *Composer) Data(p tickets.Pending) *templates.MailData {
	nt := p.Notice
	lang := c.Templates.Lang(nt.Lang)
	d := &templates.MailData{
		Desk:  templates.Desk{Name: c.Desk.Name, Address: c.Desk.Email},
		Lang:  lang,
		Text:  nt.Text,
		Actor: nt.Actor.Name,
		Lines: nt.Lines,

		Reason: nt.Reason,
	}
	if len(nt.Says) > 0 {
		d.Lines = append(c.Viewer.Says(nt.Says, lang), nt.Lines...)
	}
	if nt.Digest != nil {
		d.Digest = c.Viewer.Digest(nt.Digest, lang, c.TrackURL)
	}
	for _, t := range p.List {
		tv := c.Viewer.Ticket(t, lang)
		tv.Track = c.TrackURL(t.Number)
		d.Tickets = append(d.Tickets, tv)
	}
	if p.Mine > 0 && !isStaffKind(nt.Kind) && nt.Kind != tickets.NoticeReceipt && nt.Kind != tickets.NoticeStaffAlert {
		d.Mine = c.MineURL(p.Mine)
	}
	show := c.ShowCommand
	if show == "" {
		show = "postdesk ticket show %d"
	}
	if p.Ticket != nil {
		d.ShowCommand = fmt.Sprintf(show, p.Ticket.Number)
		d.Incident = c.Viewer.Banner(p.Ticket, lang)
		tv := c.Viewer.Ticket(p.Ticket, lang)
		d.T = &tv
		d.Track = c.TrackURL(p.Ticket.Number)
		d.CloseURL = c.ActionURL(tickets.PurposeClose, p.Ticket.Number)
		d.ReopenURL = c.ActionURL(tickets.PurposeReopen, p.Ticket.Number)
		for _, a := range nt.Articles {
			d.Articles = append(d.Articles, templates.ArticleView{Title: a.Title, Summary: a.Summary, URL: c.ArticleURL(a.Slug, p.Ticket.Number)})
		}
		// An incident member's confirmation and incident mails (while the
		// incident is open) carry the banner: a known, platform-wide fault.
		if p.Ticket.Incident != 0 && (nt.Kind == tickets.NoticeConfirmation || nt.Kind == tickets.NoticeIncidentDeclared ||
			nt.Kind == tickets.NoticeIncidentUpdate && p.Ticket.Status.Open()) {
			d.Incident = fmt.Sprintf(c.Templates.Word(lang, "incident.note"), p.Ticket.Incident)
		}
		if c.Policy != nil && nt.Kind == tickets.NoticeConfirmation {
			if ws, ok := c.Policy.AfterHours(p.Ticket); ok {
				d.AfterHours = c.Viewer.When(ws, lang)
			}
		}
		if nt.Event >= 0 && nt.Event < len(p.Ticket.Events) {
			e := p.Ticket.Events[nt.Event]
			if d.Text == "" {
				d.Text = e.Text
			}
			d.Attachments = e.Attachments
			if e.Public && e.Kind == tickets.EventEscalated {
				d.EventLabel = c.Templates.Word(lang, "event.escalated")
			}
		}
		// The quote: the staff reply this mail reports, or for context the
		// newest one when the mail has no text of its own.
		reportsReply := nt.Event >= 0 && nt.Event < len(p.Ticket.Events) && p.Ticket.Events[nt.Event].Kind == tickets.EventStaffReply
		if nt.Kind == tickets.NoticeReminder || nt.Kind == tickets.NoticeProgress && (d.Text == "" || reportsReply) {
			d.Reply = c.Viewer.LatestReply(p.Ticket, lang, nt.Event)
		}
	}
	return d
}

// Compose renders p into a mail. Staff notifications get the ticket's
// stored attachments (up to MaxAttach); customer mail never does.
func (c *Composer) Compose(p tickets.Pending, extra *templates.MailData) (*Outgoing, error) {
	nt := p.Notice
	data := extra
	if data == nil {
		data = c.Data(p)
	}
	subject, text, html, err := c.Templates.Mail(string(nt.Kind), nt.Lang, data)
	if err != nil {
		return nil, err
	}
	var h gomail.Header
	from := c.Desk
	if nt.Kind == tickets.NoticeProgress && nt.Actor.Name != "" {
		from.Name = nt.Actor.Name + " · " + c.Desk.Name
	}
	if isStaffKind(nt.Kind) && p.Ticket != nil {
		// Staff recognise who wrote from their inbox list; replies still
		// go to the desk.
		who := p.Ticket.Requester.Name
		if who == "" {
			who, _, _ = strings.Cut(p.Ticket.Requester.Email, "@")
		}
		from.Name = fmt.Sprintf(c.Templates.Word(nt.Lang, "mail.via"), who, c.Desk.Name)
	}
	h.SetAddressList("From", []*gomail.Address{{Name: templates.OneLine(from.Name, 100), Address: from.Email}})
	h.SetAddressList("To", []*gomail.Address{{Name: templates.OneLine(nt.To.Name, 100), Address: nt.To.Email}})
	if nt.Token != "" && c.PlusAddressing {
		h.SetAddressList("Reply-To", []*gomail.Address{{Name: templates.OneLine(c.Desk.Name, 100), Address: tickets.ReplyAddress(c.Desk.Email, nt.Token)}})
	} else if from.Name != c.Desk.Name {
		h.SetAddressList("Reply-To", []*gomail.Address{{Name: templates.OneLine(c.Desk.Name, 100), Address: c.Desk.Email}})
	}
	h.SetSubject(subject)
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	h.SetDate(now())
	h.SetMessageID(nt.MessageID)
	if nt.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{nt.InReplyTo})
	}
	if len(nt.References) > 0 {
		h.SetMsgIDList("References", nt.References)
	}
	if nt.Auto {
		h.Set("Auto-Submitted", "auto-replied")
	}
	h.Set("X-Auto-Response-Suppress", "All")
	h.Set(LoopHeader, c.LoopID)
	h.Set("Content-Language", c.Templates.Lang(nt.Lang))
	if nt.Ticket > 0 {
		h.Set("X-Postdesk-Ticket", fmt.Sprint(nt.Ticket))
	}
	if nt.Kind == tickets.NoticeConfirmation || nt.Kind == tickets.NoticeStatusList || nt.Kind == tickets.NoticeSummary {
		h.Set("Precedence", "bulk") // RFC 3834 5.1: discourage auto-answers to us
	}

	var atts []tickets.Attachment
	var listed []string
	if (isStaffKind(nt.Kind) || nt.Kind == tickets.NoticeProgress) && c.Messages != nil {
		budget := c.MaxAttach
		if budget == 0 {
			budget = 10 << 20
		}
		for _, ref := range nt.Attach {
			for _, a := range c.attachments(ref) {
				if !a.Dropped && a.Data != nil && len(a.Data) <= budget {
					budget -= len(a.Data)
					atts = append(atts, a)
				} else {
					listed = append(listed, fmt.Sprintf(c.Templates.Word(nt.Lang, "mail.not_attached"), a.Name, (a.Size+1023)>>10))
				}
			}
		}
	}
	if len(listed) > 0 {
		text += "\n" + strings.Join(listed, "\n") + "\n"
	}

	var buf bytes.Buffer
	if err := writeMessage(&buf, h, text, html, atts); err != nil {
		return nil, err
	}
	return &Outgoing{From: c.Desk.Email, To: []string{nt.To.Email}, Data: buf.Bytes()}, nil
}

func isStaffKind(k tickets.NoticeKind) bool {
	return k == tickets.NoticeStaffNew || k == tickets.NoticeStaffReply
}

func writeMessage(buf *bytes.Buffer, h gomail.Header, text, html string, atts []tickets.Attachment) error {
	textHeader := func() gomail.InlineHeader {
		var th gomail.InlineHeader
		th.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		th.Set("Content-Transfer-Encoding", "quoted-printable")
		return th
	}
	if html == "" && len(atts) == 0 {
		h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
		h.Set("Content-Transfer-Encoding", "quoted-printable")
		w, err := message.CreateWriter(buf, h.Header)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(text)); err != nil {
			return err
		}
		return w.Close()
	}
	var mw *gomail.Writer
	var err error
	if len(atts) > 0 {
		mw, err = gomail.CreateWriter(buf, h)
	} else {
		var iw *gomail.InlineWriter
		iw, err = gomail.CreateInlineWriter(buf, h)
		if err != nil {
			return err
		}
		if err := writeAlternatives(iw, textHeader(), text, html); err != nil {
			return err
		}
		return iw.Close()
	}
	if err != nil {
		return err
	}
	iw, err := mw.CreateInline()
	if err != nil {
		return err
	}
	if err := writeAlternatives(iw, textHeader(), text, html); err != nil {
		return err
	}
	if err := iw.Close(); err != nil {
		return err
	}
	for _, a := range atts {
		var ah gomail.AttachmentHeader
		ct := a.ContentType
		if ct == "" || strings.ContainsAny(ct, "\r\n") {
			ct = "application/octet-stream"
		}
		ah.SetContentType(ct, nil)
		ah.SetFilename(templates.OneLine(a.Name, 200))
		ah.Set("Content-Transfer-Encoding", "base64")
		w, err := mw.CreateAttachment(ah)
		if err != nil {
			return err
		}
		if _, err := w.Write(a.Data); err != nil {
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	return mw.Close()
}

func writeAlternatives(iw *gomail.InlineWriter, th gomail.InlineHeader, text, html string) error {
	w, err := iw.CreatePart(th)
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(text)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if html == "" {
		return nil
	}
	var hh gomail.InlineHeader
	hh.SetContentType("text/html", map[string]string{"charset": "utf-8"})
	hh.Set("Content-Transfer-Encoding", "quoted-printable")
	w, err = iw.CreatePart(hh)
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(html)); err != nil {
		return err
	}
	return w.Close()
}
