package auto_test

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/emersion/go-message/textproto"
	"github.com/postdesk/postdesk/mail/auto"
)

func ExampleClassify() {
	raw := strings.ReplaceAll(`From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@desk.test
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary=b

--b
Content-Type: text/plain

Your message could not be delivered.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; customer@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b
Content-Type: text/rfc822-headers

From: support@desk.test
Message-ID: <postdesk.1.2@desk.test>

--b--
`, "\n", "\r\n")

	r := auto.Classify([]byte(raw))
	fmt.Println(r.Kind, "-", r.Reason)
	for _, rc := range r.Recipients {
		fmt.Println(rc.Email, rc.Action, rc.Status, rc.Diagnostic)
	}
	fmt.Println("temporary:", r.Temporary, "refs:", r.Refs)
	// Output:
	// bounce - multipart/report delivery-status
	// customer@example.com failed 5.1.1 550 5.1.1 User unknown
	// temporary: false refs: [postdesk.1.2@desk.test]
}

func ExampleClassifyHeader() {
	h, err := textproto.ReadHeader(bufio.NewReader(strings.NewReader(
		"From: Bob <bob@example.com>\r\nSubject: Automatic reply: Printer\r\n\r\n")))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := auto.ClassifyHeader(h)
	fmt.Println(r.Kind, "-", r.Reason)
	// Output:
	// auto_reply - Subject: Automatic reply
}
