package web

import (
	"github.com/postdesk/postdesk/templates"
	"github.com/postdesk/postdesk/tickets"
)

// incidentView returns the banner of the platform-wide incident t belongs
// to, or nil: the incident's public status is its lead's latest public
// staff reply.
func (s *Server) incidentView(t *tickets.Ticket) *templates.IncidentView {
	if t.Incident == 0 {
		return nil
	}
	lead := t
	if t.Incident != t.Number {
		var err error
		if lead, err = s.Tickets.Get(t.Incident); err != nil {
			return nil
		}
	}
	v := &templates.IncidentView{Lead: lead.Number, Resolved: !lead.Status.Open()}
	for i := len(lead.Events) - 1; i >= 0; i-- {
		if e := lead.Events[i]; e.Kind == tickets.EventStaffReply && e.Public {
			v.Status, v.At = e.Text, s.Viewer.Time(e.At)
			break
		}
	}
	return v
}
