package tickets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/postdesk/postdesk/tickets/similar"
)

// A platform-wide incident is many people hit by one fault at once. The
// machine proposes, staff confirm, and then the machine does the telling:
//
//   - Detection (detect, at intake): a new report is compared with the
//     reports of the last IncidentPolicy.Window (at most MaxRecent of
//     them) by text (package similar) and joins the group it resembles.
//     A group with MinReporters distinct requesters from MinDomains mail
//     domains is a candidate: staff get one alert listing its reports and
//     the proposed lead, and confirm with "#incident".
//   - Declared (declare): the lead is raised to RaiseTo; every linked
//     report (members) follows its priority and due times, and each
//     member's requester gets one mail on their own thread saying the
//     fault is platform-wide and known. New similar reports are linked at
//     intake and told so in their confirmation.
//   - Updates (afterLeadReply): a public staff reply on the lead goes to
//     every open member as an update on their own ticket; resolving the
//     lead resolves every open member with the lead's resolution text.
//
// Members live in their own index (Tx.AddIncidentMember), never in the
// lead's record, so linking a report costs the same with 5 or 5,000
// members.

// IncidentPolicy is how platform-wide incidents are proposed and
// declared. The zero value disables detection (MinReporters 0); staff can
// still declare incidents by hand.
type IncidentPolicy struct {
	// MinReporters distinct requesters with similar reports within
	// Window, from at least MinDomains mail domains, make a candidate.
	// Several reports from one sender count once. 0 disables detection.
	MinReporters int
	Window       time.Duration
	MinDomains   int
	// AutoDeclare declares a candidate without staff once it has
	// AutoReporters requesters from AutoDomains domains.
	AutoDeclare   bool
	AutoReporters int
	AutoDomains   int
	// RaiseTo is the priority a declared incident's lead is raised to
	// (if it is lower).
	RaiseTo Priority
	// MaxRecent bounds the recent reports a new report is compared with,
	// so that detection work per report stays bounded in a flood; 0 means
	// 200.
	MaxRecent int
}

// DefaultIncidentPolicy returns the documented defaults: 5 reporters from
// 2 domains within 15 minutes make a candidate; auto-declare off (its bar,
// when on, 20 reporters from 5 domains); the lead goes to P0.
func DefaultIncidentPolicy() IncidentPolicy {
	return IncidentPolicy{MinReporters: 5, Window: 15 * time.Minute, MinDomains: 2,
		AutoReporters: 20, AutoDomains: 5, RaiseTo: P0, MaxRecent: 200}
}

func (p IncidentPolicy) maxRecent() int {
	if p.MaxRecent > 0 {
		return p.MaxRecent
	}
	return 200
}

// IncidentState is where an incident is.
type IncidentState string

// The incident states.
const (
	IncidentCandidate IncidentState = "candidate" // proposed to staff, not declared
	IncidentDeclared  IncidentState = "declared"  // confirmed: members are told and follow the lead
	IncidentResolved  IncidentState = "resolved"  // the lead was resolved; members were told
	IncidentEnded     IncidentState = "ended"     // dissolved by "#incident off" on the lead
)

// Incident is a platform-wide incident, stored under its lead ticket's
// number. Its members are in their own index (Tx.IncidentMembers).
type Incident struct {
	Lead  int64         `json:"lead"`
	State IncidentState `json:"state"`
	// Proposed lists the reports of a candidate (the alert's list and
	// those that joined since), bounded by maxProposed.
	Proposed []int64 `json:"proposed,omitempty"`
	// Exemplars are the similarity vectors (see package similar) of a few
	// members, encoded by encodeVector: a new report like one of them is
	// linked at intake.
	Exemplars [][]byte  `json:"exemplars,omitempty"`
	Created   time.Time `json:"created"`
	Declared  time.Time `json:"declared,omitzero"`
	Resolved  time.Time `json:"resolved,omitzero"`
}

// maxProposed bounds the reports a candidate remembers; maxExemplars the
// vectors a declared incident matches new reports against.
const (
	maxProposed  = 500
	maxExemplars = 8
)

func encodeVector(v similar.Vector) []byte {
	b := make([]byte, 4*len(v))
	for i, f := range v {
		binary.LittleEndian.PutUint32(b[4*i:], f)
	}
	return b
}

func decodeVector(b []byte) similar.Vector {
	v := make(similar.Vector, len(b)/4)
	for i := range v {
		v[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return v
}

// recent is a new report as detection remembers it for one window.
type recent struct {
	ticket    int64
	cluster   int64  // the first report of the group it joined
	requester uint64 // hashes of the requester's address and mail domain
	domain    uint64
	vector    similar.Vector
	raw       []byte // the encoded vector, decoded only when compared
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// groupSample is how many of a group's newest reports a new report is
// compared with: enough to judge the group, and a bound on the work.
const groupSample = 16

// encode: be64 cluster, be64 requester, be64 domain, then the vector.
func (r *recent) encode() []byte {
	b := make([]byte, 0, 24+4*len(r.vector))
	b = binary.BigEndian.AppendUint64(b, uint64(r.cluster))
	b = binary.BigEndian.AppendUint64(b, r.requester)
	b = binary.BigEndian.AppendUint64(b, r.domain)
	return append(b, encodeVector(r.vector)...)
}

func decodeRecent(n int64, b []byte) (recent, bool) {
	if len(b) < 24 {
		return recent{}, false
	}
	return recent{ticket: n, cluster: int64(binary.BigEndian.Uint64(b)), requester: binary.BigEndian.Uint64(b[8:]),
		domain: binary.BigEndian.Uint64(b[16:]), raw: b[24:]}, true
}

func domainOf(email string) string {
	_, d, _ := strings.Cut(email, "@")
	return d
}

// reportVector is the similarity vector of ticket t's first report.
func reportVector(t *Ticket) similar.Vector {
	text := ""
	for _, e := range t.Events {
		if e.Kind == EventCreated {
			text = e.Text
			break
		}
	}
	return similar.Features(t.Subject, text)
}

// detect runs at intake of new report t (from mail m): it links t to a
// declared incident it resembles, or adds it to the recent reports and
// proposes a candidate when its group is big enough. The work is bounded
// by the open incidents' exemplars and MaxRecent recent reports.
func (d *Desk) detect(tx Tx, t *Ticket, m *Message, now time.Time) error {
	p := d.policy().Incident
	v := d.features(m, t.Subject)
	if len(v) == 0 {
		return nil
	}
	var match *Incident
	err := tx.OpenIncidents(func(in *Incident) bool {
		ex := make([]similar.Vector, len(in.Exemplars))
		for i, b := range in.Exemplars {
			ex[i] = decodeVector(b)
		}
		if similar.Group(v, [][]similar.Vector{ex}) == 0 {
			match = in
			return false
		}
		return true
	})
	if err != nil {
		return err
	}
	if match != nil {
		lead, err := tx.Ticket(match.Lead)
		if err != nil {
			return err
		}
		if lead.Status.Open() {
			return d.link(tx, t, lead, nil, "", now)
		}
	}
	if p.MinReporters <= 0 || p.Window <= 0 {
		return nil
	}
	// The recent reports, grouped as they were grouped when they came.
	entries, err := recentWindow(tx, now.Add(-p.Window), p.maxRecent())
	if err != nil {
		return err
	}
	var ids []int64
	var groups [][]similar.Vector
	index := map[int64]int{}
	for i, r := range entries { // newest first
		g, ok := index[r.cluster]
		if !ok {
			g = len(ids)
			index[r.cluster] = g
			ids = append(ids, r.cluster)
			groups = append(groups, nil)
		}
		if len(groups[g]) < groupSample {
			if r.vector == nil {
				entries[i].vector = decodeVector(r.raw)
			}
			groups[g] = append(groups[g], entries[i].vector)
		}
	}
	me := recent{ticket: t.Number, cluster: t.Number, requester: hashString(t.Requester.Email), domain: hashString(domainOf(t.Requester.Email)), vector: v}
	if g := similar.Group(v, groups); g >= 0 {
		me.cluster = ids[g]
	}
	if err := putRecent(tx, now, me); err != nil {
		return err
	}
	if err := pruneRecent(tx, now.Add(-p.Window)); err != nil {
		return err
	}
	if me.cluster == t.Number {
		return nil // a group of one
	}
	size := 1
	for _, r := range entries {
		if r.cluster == me.cluster {
			size++
		}
	}
	reps, doms := make([]uint64, 1, size), make([]uint64, 1, size)
	reps[0], doms[0] = me.requester, me.domain
	for _, r := range entries {
		if r.cluster == me.cluster {
			reps, doms = append(reps, r.requester), append(doms, r.domain)
		}
	}
	reporters, domains := distinct(reps), distinct(doms)
	if reporters < p.MinReporters || domains < max(p.MinDomains, 1) {
		return nil
	}
	group := make([]recent, 1, size)
	group[0] = me
	for _, r := range entries {
		if r.cluster == me.cluster {
			group = append(group, r)
		}
	}
	return d.propose(tx, t, group, reporters, domains, now)
}

// distinct counts the different values of s (and sorts it).
func distinct(s []uint64) int {
	slices.Sort(s)
	return len(slices.Compact(s))
}

// candidateKey names the state entry from a detection group to its
// candidate's lead.
func candidateKey(cluster int64) string { return fmt.Sprintf("incident:cand:%d", cluster) }

// propose makes group (newest first; group[0] is t) a candidate and alerts
// staff once, or adds t to the group's candidate; with AutoDeclare and a
// group over the higher bar it declares the candidate.
func (d *Desk) propose(tx Tx, t *Ticket, group []recent, reporters, domains int, now time.Time) error {
	p := d.policy().Incident
	key := candidateKey(group[len(group)-1].cluster)
	v, err := tx.State(key)
	if err != nil {
		return err
	}
	var in *Incident
	if v != nil {
		lead := parseNumber(string(v))
		if in, err = tx.Incident(lead); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if in == nil {
		in = &Incident{Lead: proposedLead(group), State: IncidentCandidate, Created: now}
		for i := len(group) - 1; i >= 0; i-- {
			in.Proposed = append(in.Proposed, group[i].ticket)
		}
		if err := tx.PutState(key, []byte(fmt.Sprint(in.Lead))); err != nil {
			return err
		}
		if err := d.alertCandidate(tx, t, in, reporters, domains); err != nil {
			return err
		}
	} else if in.State == IncidentDeclared {
		// The group was declared since, and t is like its recent
		// reports though not like the exemplars: it belongs too.
		lead, err := tx.Ticket(in.Lead)
		if err != nil || !lead.Status.Open() {
			return err
		}
		return d.link(tx, t, lead, nil, "", now)
	} else if in.State != IncidentCandidate {
		return nil
	} else if len(in.Proposed) < maxProposed && !slices.Contains(in.Proposed, t.Number) {
		in.Proposed = append(in.Proposed, t.Number)
	}
	if err := tx.PutIncident(in); err != nil {
		return err
	}
	if p.AutoDeclare && reporters >= p.AutoReporters && domains >= p.AutoDomains {
		lead := t
		if in.Lead != t.Number {
			if lead, err = tx.Ticket(in.Lead); err != nil {
				return err
			}
		}
		if err := d.declare(tx, lead, in, t, "", "", now); err != nil {
			return err
		}
		if lead != t {
			return tx.PutTicket(lead)
		}
	}
	return nil
}

// proposedLead is the report most like the others of its group (ties go
// to the earliest): the best summary of the fault for staff to work on.
func proposedLead(group []recent) int64 {
	for i := range group {
		if group[i].vector == nil {
			group[i].vector = decodeVector(group[i].raw)
		}
	}
	best, bestScore := group[len(group)-1].ticket, -1.0
	for i := len(group) - 1; i >= 0; i-- {
		score := 0.0
		for j := range group {
			if j != i {
				score += similar.Similarity(group[i].vector, group[j].vector)
			}
		}
		if score > bestScore+1e-9 {
			best, bestScore = group[i].ticket, score
		}
	}
	return best
}

// alertCandidate mails staff the candidate: its reports, the proposed
// lead and how to confirm. The alert is about the lead, so a reply to it
// acts on the lead (its subject carries the lead's tag).
func (d *Desk) alertCandidate(tx Tx, t *Ticket, in *Incident, reporters, domains int) error {
	lead := t
	if in.Lead != t.Number {
		var err error
		if lead, err = tx.Ticket(in.Lead); err != nil {
			return err
		}
	}
	var lines []string
	for _, n := range in.Proposed {
		m := t
		if n != t.Number {
			var err error
			if m, err = tx.Ticket(n); err != nil {
				return err
			}
		}
		first := ""
		for _, e := range m.Events {
			if e.Kind == EventCreated {
				first = firstLine(e.Text)
				break
			}
		}
		lines = append(lines, fmt.Sprintf("#%d  %s  「%s」  %s", n, m.Requester.Email, m.Subject, first))
	}
	d.log().Info("incident: candidate proposed", "lead", in.Lead, "reports", len(in.Proposed), "reporters", reporters, "domains", domains)
	for _, s := range d.Staff {
		nt := d.staffNotice(lead, NoticeIncidentCandidate, s)
		nt.Lines = lines
		if err := d.enqueue(tx, lead, nt); err != nil {
			return err
		}
	}
	return nil
}

// declare makes in (a candidate, or a new incident) a declared incident
// led by lead: lead raised, exemplars kept, every proposed report linked
// and told. skip is a ticket the caller stores itself (or nil); actor and
// text (a staff member's words for the reporters) may be empty.
func (d *Desk) declare(tx Tx, lead *Ticket, in *Incident, skip *Ticket, actor, text string, now time.Time) error {
	p := d.policy().Incident
	in.State, in.Declared = IncidentDeclared, now
	if lead.Priority > p.RaiseTo {
		old := lead.Priority
		lead.Priority = p.RaiseTo
		d.policy().setDueFrom(lead, lead.Created)
		if err := d.policy().scheduleTimers(tx, lead, now); err != nil {
			return err
		}
		lead.Events = append(lead.Events, Event{At: now, Kind: EventPriority, Actor: actor, Say: &Say{Code: "event_priority_incident", Args: []Arg{Str(old.String()), Str(lead.Priority.String())}}})
	}
	lead.Incident = lead.Number
	lead.Events = append(lead.Events, Event{At: now, Kind: EventIncident, Actor: actor, Public: true, Text: fmt.Sprintf("#%d", lead.Number)})
	in.Exemplars = [][]byte{encodeVector(reportVector(lead))}
	told := map[string]bool{} // one mail per person, however many reports they sent
	if err := d.tellMember(tx, lead, NoticeIncidentDeclared, text, actor, len(lead.Events)-1, told); err != nil {
		return err
	}
	for _, n := range in.Proposed {
		if n == lead.Number {
			continue
		}
		m := skip
		if skip == nil || n != skip.Number {
			var err error
			m, err = tx.Ticket(n)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
		}
		if m.Incident != 0 || m.MergedInto != 0 || !m.Status.Open() {
			continue
		}
		if len(in.Exemplars) < maxExemplars {
			in.Exemplars = append(in.Exemplars, encodeVector(reportVector(m)))
		}
		tell := told
		if m == skip {
			tell = nil // its confirmation says it
		}
		if err := d.link(tx, m, lead, tell, text, now); err != nil {
			return err
		}
		if m != skip {
			if err := tx.PutTicket(m); err != nil {
				return err
			}
		}
	}
	in.Proposed = nil
	return tx.PutIncident(in)
}

// link makes report m a member of the incident led by lead: it follows
// the lead's priority and due times (its own SLA timers lapse: the lead's
// escalate for all), and, unless told is nil, its requester is told on
// their own thread if told does not hold their address yet (a new
// report's confirmation says it instead). The caller stores m.
func (d *Desk) link(tx Tx, m, lead *Ticket, told map[string]bool, text string, now time.Time) error {
	m.Incident = lead.Number
	m.Priority = lead.Priority
	m.ResponseDue, m.ResolveDue = lead.ResponseDue, lead.ResolveDue
	m.Events = append(m.Events, Event{At: now, Kind: EventIncident, Public: true, Text: fmt.Sprintf("#%d", lead.Number)})
	if err := tx.AddIncidentMember(lead.Number, m.Number); err != nil {
		return err
	}
	if told == nil {
		return nil
	}
	return d.tellMember(tx, m, NoticeIncidentDeclared, text, "", len(m.Events)-1, told)
}

// unlink takes m out of its incident; it hears nothing more of it.
func (d *Desk) unlink(tx Tx, m *Ticket, actor string, now time.Time) error {
	lead := m.Incident
	m.Incident = 0
	m.Events = append(m.Events, Event{At: now, Kind: EventIncident, Actor: actor, Say: &Say{Code: "event_incident_unlinked", Args: []Arg{Num(lead)}}})
	return tx.RemoveIncidentMember(lead, m.Number)
}

// tellMember queues one mail of kind to each customer recipient of m, on
// m's own thread, except to the addresses in told, which it adds to: a
// teacher who sent five reports hears once.
func (d *Desk) tellMember(tx Tx, m *Ticket, kind NoticeKind, text, actor string, ev int, told map[string]bool) error {
	name := ""
	if s, ok := d.StaffByEmail(actor); ok {
		name = s.Name
	}
	for _, to := range m.CustomerRecipients() {
		if told[to.Email] {
			continue
		}
		told[to.Email] = true
		nt := d.customerNotice(m, kind, to, nil)
		nt.Auto = false // a person decided: caps on automatic mail do not apply
		nt.Event = ev
		nt.Text = text
		nt.Actor = Address{Name: name, Email: actor}
		if err := d.enqueue(tx, m, nt); err != nil {
			return err
		}
	}
	return nil
}

// afterLeadReply carries a verified staff mail on lead ticket t to the
// incident's members: orig is t before the mail; body the public reply
// ("" for none or an internal note). A resolved lead resolves every open
// member with the resolution text (body, else the lead's latest public
// reply); otherwise a public reply becomes an update to each open member,
// and a new priority is followed. It returns receipt lines.
func (d *Desk) afterLeadReply(tx Tx, orig, t *Ticket, staff Staff, body string, declared bool, now time.Time) ([]Say, error) {
	if t.Incident != t.Number {
		return nil, nil
	}
	in, err := tx.Incident(t.Number)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil || in.State != IncidentDeclared {
		return nil, err
	}
	resolved := orig.Status != StatusResolved && orig.Status != StatusClosed && !t.Status.Open()
	if !resolved && (body == "" || declared) && orig.Priority == t.Priority {
		return nil, nil
	}
	if resolved && body == "" {
		body = LatestPublicReply(t)
	}
	var members []int64
	if err := tx.IncidentMembers(t.Number, func(n int64) bool { members = append(members, n); return true }); err != nil {
		return nil, err
	}
	told, seen := 0, map[string]bool{}
	for _, a := range t.CustomerRecipients() {
		seen[a.Email] = true // the lead's own customer has the reply itself
	}
	for _, n := range members {
		m, err := tx.Ticket(n)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m.Incident != t.Number || !m.Status.Open() || m.MergedInto != 0 {
			continue
		}
		m.Priority = t.Priority
		m.ResponseDue, m.ResolveDue = t.ResponseDue, t.ResolveDue
		switch {
		case resolved:
			if err := d.setStatus(tx, m, StatusResolved, staff.Email, body, now, false); err != nil {
				return nil, err
			}
			if err := d.tellMember(tx, m, NoticeIncidentUpdate, body, staff.Email, len(m.Events)-1, seen); err != nil {
				return nil, err
			}
			told++
		case body != "" && !declared:
			m.Events = append(m.Events, Event{At: now, Kind: EventIncident, Actor: staff.Email, Name: staff.Name, Public: true, Text: clip(body)})
			if err := d.tellMember(tx, m, NoticeIncidentUpdate, body, staff.Email, len(m.Events)-1, seen); err != nil {
				return nil, err
			}
			told++
		}
		m.Updated = now
		if err := tx.PutTicket(m); err != nil {
			return nil, err
		}
	}
	if resolved {
		in.State, in.Resolved = IncidentResolved, now
		if err := tx.PutIncident(in); err != nil {
			return nil, err
		}
		return []Say{say("receipt_incident_resolved", Num(int64(told)))}, nil
	}
	if told > 0 {
		return []Say{say("receipt_incident_update", Num(int64(told)))}, nil
	}
	return nil, nil
}

// LatestPublicReply returns the text of the newest public staff reply on
// t, or "": an incident's public status.
func LatestPublicReply(t *Ticket) string {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if e := t.Events[i]; e.Kind == EventStaffReply && e.Public {
			return e.Text
		}
	}
	return ""
}
