package tickets_test

import (
	"fmt"
	"time"

	"github.com/postdesk/postdesk/tickets"
)

func ExampleSubjectTag() {
	fmt.Println(tickets.SubjectTag("回复：［＃12］直播卡顿", ""))
	fmt.Println(tickets.SubjectTag("AW: [Support #7] camera", "Support"))
	fmt.Println(tickets.StripReplyPrefixes("Re: 答复: 直播卡顿"))
	// Output:
	// 12
	// 7
	// 直播卡顿
}

func ExampleSigner() {
	s := &tickets.Signer{Secret: []byte("an example secret, not for use")}
	tok := s.Token(tickets.PurposeTrack, 42)
	n, ok := s.Check(tickets.PurposeTrack, tok)
	fmt.Println(n, ok)
	_, ok = s.Check(tickets.PurposeClose, tok) // a tracking token cannot close
	fmt.Println(ok)
	// Output:
	// 42 true
	// false
}

func ExampleRefCodec() {
	c := &tickets.RefCodec{Domain: "desk.test", Secret: []byte("an example secret, not for use")}
	tok, _ := c.NewToken(42, "li@desk.test")
	id := c.MessageID(42, tok) // the Message-ID of a notification to li about #42
	r, ok := c.Parse(id)
	fmt.Println(r.Ticket, r.Version, r.Token == tok, ok)
	fmt.Println(c.CheckToken(r.Token, 42, "li@desk.test"), c.CheckToken(r.Token, 42, "wang@desk.test"))
	old, _ := c.Parse("pd.7-abcdefghijklmnopqrstu.00ff@desk.test") // version 1: threads, grants nothing
	fmt.Println(old.Ticket, old.Version, old.Token == "")
	// Output:
	// 42 2 true true
	// true false
	// 7 1 true
}

func ExamplePolicy_Promise() {
	p := tickets.DefaultPolicy() // P2: first answer within 1 working day
	friday := time.Date(2026, 12, 4, 17, 0, 0, 0, p.Hours.Loc)
	t := &tickets.Ticket{Status: tickets.StatusNew, Priority: tickets.P2, Category: "feature", Created: friday}
	t.ResponseDue, t.ResolveDue = p.DueTimes(t.Priority, friday)
	pr := p.Promise(t, friday)
	fmt.Println("first answer:", pr.ResponseDue.Format("Mon 15:04"), "within", pr.Response)
	// 3 working days would contradict "usually 4h to 1 working day":
	// the customer is told the typical time instead.
	fmt.Println("resolution promised:", !pr.ResolveDue.IsZero(), "typical:", pr.Typical)
	// Output:
	// first answer: Mon 17:00 within 1d
	// resolution promised: false typical: 4h-1d
}

func ExampleBuildDigest() {
	day := time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC)
	ts := []*tickets.Ticket{
		{Number: 1, Subject: "学生无法登录", Category: "account", Status: tickets.StatusNew, Priority: tickets.P1,
			Created: day.Add(-20 * time.Hour), ResponseDue: day.Add(-18 * time.Hour)},
		{Number: 2, Subject: "回复：登录失败，学生登录不了", Category: "account", Status: tickets.StatusResolved, Priority: tickets.P2,
			Created: day.Add(-19 * time.Hour), FirstResponse: day.Add(-18 * time.Hour), Resolved: day.Add(-16 * time.Hour)},
	}
	d := tickets.BuildDigest(ts, day.Add(-24*time.Hour), day, nil)
	fmt.Println("new", d.New, "done", d.Done, "open", d.Open, "no answer", d.BreachedTotal)
	for _, g := range d.Repeated {
		fmt.Println(g.Count, "x", g.Subject, g.Tickets)
	}
	for _, cd := range d.Durations {
		fmt.Println(cd.Category, cd.MedianResponse, cd.MedianResolve, cd.Typical, cd.Verdict)
	}
	// Output:
	// new 2 done 1 open 1 no answer 1
	// 2 x 学生无法登录 [1 2]
	// account 1h0m0s 3h0m0s 30m-2h slower
}
