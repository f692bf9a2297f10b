package tickets_test

import (
	"fmt"

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
