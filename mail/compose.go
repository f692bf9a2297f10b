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
	// Attachments loads the attachments of a stored mail, for staff
	// notifications; nil sends none.
	Attachments func(ref tickets.MessageRef) []tickets.Attachment
	// MaxAttach bounds the bytes attached to one staff notification;
	// beyond it attachments are only listed. Zero means 10 MiB.
	MaxAttach int
	// WorkStarts returns when work on t starts (its creation time during
	// working hours); confirmations of reports that arrive outside working
	// hours say when work resumes. Nil: never said.
	WorkStarts func(t *tickets.Ticket) time.Time
	// Now returns the Date of mails; nil means time.Now.
	Now func() time.Time
}

// TrackURL returns the tracking link of ticket n.
func (c *Composer) TrackURL(n int64) string {
	return c.BaseURL + "/t/" + c.Signer.Token(tickets.PurposeTrack, n)
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
	}
	for _, t := range p.List {
		tv := c.Viewer.Ticket(t, lang)
		tv.Track = c.TrackURL(t.Number)
		d.Tickets = append(d.Tickets, tv)
	}
	if p.Ticket != nil {
		tv := c.Viewer.Ticket(p.Ticket, lang)
		d.T = &tv
		d.Track = c.TrackURL(p.Ticket.Number)
		d.CloseURL = c.ActionURL(tickets.PurposeClose, p.Ticket.Number)
		d.ReopenURL = c.ActionURL(tickets.PurposeReopen, p.Ticket.Number)
		if p.Ticket.Incident != 0 && nt.Kind == tickets.NoticeConfirmation {
			d.Incident = fmt.Sprintf(c.Templates.Word(lang, "incident.note"), p.Ticket.Incident)
		}
		if c.WorkStarts != nil && nt.Kind == tickets.NoticeConfirmation {
			if ws := c.WorkStarts(p.Ticket); ws.Sub(p.Ticket.Created) > time.Minute {
				d.AfterHours = c.Viewer.Time(ws)
			}
		}
		if nt.Event >= 0 && nt.Event < len(p.Ticket.Events) {
			e := p.Ticket.Events[nt.Event]
			if d.Text == "" {
				d.Text = e.Text
			}
			d.Attachments = e.Attachments
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
	h.SetAddressList("From", []*gomail.Address{{Name: templates.OneLine(from.Name, 100), Address: from.Email}})
	h.SetAddressList("To", []*gomail.Address{{Name: templates.OneLine(nt.To.Name, 100), Address: nt.To.Email}})
	if nt.Token != "" && c.PlusAddressing {
		local, domain, _ := strings.Cut(c.Desk.Email, "@")
		h.SetAddressList("Reply-To", []*gomail.Address{{Name: templates.OneLine(c.Desk.Name, 100), Address: local + "+" + nt.Token + "@" + domain}})
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
	if (isStaffKind(nt.Kind) || nt.Kind == tickets.NoticeProgress) && c.Attachments != nil {
		budget := c.MaxAttach
		if budget == 0 {
			budget = 10 << 20
		}
		for _, ref := range nt.Attach {
			for _, a := range c.Attachments(ref) {
				if !a.Dropped && a.Data != nil && len(a.Data) <= budget {
					budget -= len(a.Data)
					atts = append(atts, a)
				} else {
					listed = append(listed, fmt.Sprintf("%s (%d bytes, not attached)", a.Name, a.Size))
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
