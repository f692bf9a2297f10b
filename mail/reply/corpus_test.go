package reply

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/internal/corpustest"
)

// update rewrites the golden files from the current output:
//
//	go test ./mail/reply/ -run Corpus -update
//
// Review every changed file by eye before committing it.
var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// corpusDir holds the shared test mails (see its MANIFEST.tsv).
var corpusDir = corpustest.Dir()

// corpusCase is one corpus fixture and the new text expected from it.
type corpusCase struct {
	file string // path under corpusDir
	want string // expected output; "" means testdata/<base name>[.html].golden
}

// replyBodyCases are the body-only fixtures of github/email_reply_parser.
// Every file of reply-bodies/ is listed.
var replyBodyCases = []corpusCase{
	{"reply-bodies/emailreplyparser__correct_sig.txt", "this is an email with a correct -- signature."},
	// Debatable: "-Abhishek Kona" is a sign-off, kept (email_reply_parser
	// calls it a signature); the Mailman trailer below the "____" line goes.
	{"reply-bodies/emailreplyparser__email_1_1.txt", ""},
	// Debatable: an interleaved reply with a greeting above the first quote.
	// By the rule "the text above the first quote" only "Hi," is new; the
	// answer Russell wrote between the quotes is lost.
	{"reply-bodies/emailreplyparser__email_1_2.txt", "Hi,"},
	{"reply-bodies/emailreplyparser__email_1_3.txt", "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona"},
	{"reply-bodies/emailreplyparser__email_1_4.txt", "Awesome! I haven't had another problem with it."},
	{"reply-bodies/emailreplyparser__email_1_5.txt", ""},
	// Debatable: "Sent from a magnificent torch of pixels" is a custom
	// mobile footer, but no client writes it; it is kept as prose (as
	// email_reply_parser does). The 3-line attribution is cut.
	{"reply-bodies/emailreplyparser__email_1_6.txt", "I get proper rendering as well.\n\nSent from a magnificent torch of pixels"},
	{"reply-bodies/emailreplyparser__email_1_7.txt", ":+1:"},
	// Nothing above the quote: the answers written between the quotes.
	{"reply-bodies/emailreplyparser__email_1_8.txt", "I will reply under this one\n\nand under this."},
	{"reply-bodies/emailreplyparser__email_2_1.txt", "Outlook with a reply"},
	{"reply-bodies/emailreplyparser__email_2_2.txt", "Outlook with a reply directly above line"},
	{"reply-bodies/emailreplyparser__email_2_3.txt", "Outlook with a reply directly above line"},
	{"reply-bodies/emailreplyparser__email_BlackBerry.txt", "Here is another email"},
	{"reply-bodies/emailreplyparser__email_bullets.txt", ""},
	{"reply-bodies/emailreplyparser__email_iPhone.txt", "Here is another email"},
	// Debatable: a line of 4,000 ">" starts a quote block by the rules, so
	// the two lines below it ("I am currently using the Java HTTP API.",
	// "-Abhishek Kona") are cut. The fixture exists to test speed.
	{"reply-bodies/emailreplyparser__email_long_quote.txt", "Hi folks\n\nWhat is the best way to clear a Riak bucket of all key, values after\nrunning a test?"},
	{"reply-bodies/emailreplyparser__email_multi_word_sent_from_my_mobile_device.txt", "Here is another email"},
	{"reply-bodies/emailreplyparser__email_one_is_not_on.txt", "Thank, this is really helpful.\n\nOne outstanding question I had:\n\nLocally (on development), when I run..."},
	{"reply-bodies/emailreplyparser__email_sent_from_my_not_signature.txt", "Here is another email\n\nSent from my desk, is much easier then my mobile phone."},
	{"reply-bodies/emailreplyparser__email_sig_delimiter_in_middle_of_line.txt", "Hi there!\n\nStuff happened.\n\nAnd here is a fix -- this is not a signature.\n\nkthxbai"},
	// "On your remote host you can run:" is prose, not an attribution.
	{"reply-bodies/emailreplyparser__greedy_on.txt", ""},
	{"reply-bodies/emailreplyparser__pathological.txt", "I think you're onto something. I will try to fix the problem as soon as I\nget back to a computer."},
}

// replyCases are the full mails of replies/, read with readMail: Text of
// the text/plain part, or HTML of the text/html part when there is no
// plain one. Every file of replies/ is listed. Many are mailing-list posts
// that answer below or between the quotes: with nothing above the first
// quote, the expected text is what the sender wrote between the quotes.
var replyCases = []corpusCase{
	{"replies/djangohelpdesk__forwarded-message.eml", "This is email body"},
	// "Marc Slemko wrote:" above the quote; "---/dev/il" is not "-- ".
	{"replies/flanker__from-encoding.eml", "Isn't that the case for almost every other server you care to mention?\nWhat about switching to an EUID of nobody early in the request\nprocessing stage?\n\n---/dev/il"},
	// Debatable: a forward with no comment. Nothing is new, so the whole
	// trimmed body is kept rather than "".
	{"replies/flanker__multi-received-headers.eml", ""},
	// ">Sehr geehrter" (no space after ">") starts the quote.
	{"replies/mime4j__german.msg", ""},
	{"replies/mimekit__epilogue.txt", `Don't you mean: "NeXTstep, NeXTSTEP, NEXTSTEP..."?`},
	{"replies/mimekit__issue358.txt", "Test headers"},
	// Supercite quotes (" LK> ") under a custom Gnus attribution.
	{"replies/notmuch__04_2.eml", "See the patch just posted here."},
	// "-- Lars" is a sign-off; the "-- " line below it starts the signature.
	{"replies/notmuch__08_2.eml", ""},
	// Debatable: like email_1_2, only the greeting is above the quote and
	// the answer written below it is lost.
	{"replies/notmuch__1354585346.000323_2.eml", "Hello."},
	{"replies/notmuch__1354585346.000324_2.eml", ""},
	{"replies/notmuch__1354585346.000539_2.eml", "Looks right, works here with bash, dash & zsh, so:\n\nReviewed-by: Ingmar Vanhassel <ingmar@exherbo.org>\n\nThanks!"},
	// Two-line Claws attribution.
	{"replies/notmuch__1382298587.001887_2.eml", "Strong ACK\n\nAcked-by: Jeff Layton <jlayton-eUNUBHrolfbYtjvyW6yDsg@public.gmane.org>"},
	// Lotus Notes "wrote on <date>:"; the quote has lines wrapped without
	// ">" ("better", "inode", "that?") which must not count as new text.
	{"replies/notmuch__1382298587.003171_2.eml", ""},
	{"replies/notmuch__1382298775.004363_2.eml", "I'm looking at this now and wondering what we added the mcheck handler for in the first place and what its trying to accomplish.\n\n- k"},
	// gb2312; a quote wrapped without ">" ("*pm8001_ha)") is dropped.
	{"replies/notmuch__1382298793.002302_2.eml", "[Jack Wang] Acked-by: Jack Wang <jack_wang@usish.com>\nThanks！"},
	{"replies/notmuch__1382298793.002329_2.eml", "Applied.\n\nThanks,\nMichal"},
	{"replies/notmuch__1382298793.002432_2.eml", "Acked-by: Liam Girdwood <lrg@slimlogic.co.uk>"},
	// Mew writes "From: / Date:" above the quote instead of "wrote:".
	{"replies/notmuch__1382298793.002661_2.eml", "Applied."},
	{"replies/notmuch__1382298793.003501_2.eml", ""},
	// Two-line Wanderlust attribution ("At <date>,\nJoe Perches wrote:").
	{"replies/notmuch__1382298795.001362_2.eml", "Applied now.  Thanks.\n\n\nTakashi"},
	{"replies/notmuch__22_2.eml", "The version of lib/messages.cc in your repo doesn't build because it's\nmissing \"#include <stdint.h>\" (for the uint32_t on line 466)."},
	{"replies/notmuch__24_2.eml", "Whoops, missed a couple of stderr's in that last patch.  New one\nattached."},
	{"replies/notmuch__27_2.eml", ""},
	{"replies/notmuch__28_2.eml", ""},
	{"replies/notmuch__34_2.eml", ""},
	{"replies/notmuch__45_2.eml", ""},
	{"replies/notmuch__46_2.eml", ""},
	{"replies/notmuch__47_2.eml", ""},
	// French "Le ..., Allan McRae a écrit :".
	{"replies/notmuch__52_2.eml", "Thank you Allan"},
	{"replies/phpmimemailparser__issue84.eml", "+1 from me."},
	// m0019, m0022, m0023: no quote at all. The part says utf-8 but holds
	// Latin-1 "ä" (=E4); Text passes the invalid bytes through.
	{"replies/phpmimemailparser__m0019.eml", windowsLiveBody},
	{"replies/phpmimemailparser__m0022.eml", windowsLiveBody},
	{"replies/phpmimemailparser__m0023.eml", windowsLiveBody},
	{"replies/rt__multipart-alternative-with-umlaut.eml", "Hello,\n\nist this kind of Messages, that causes rt to crash.\n\nMit freundlichen Grüßen\nGregor Stever      ^^causes Error!!"},
	{"replies/rubymail__raw_email2.eml", "We should not include these files or vcards as attachments."},
	{"replies/rubymail__raw_email_reply.eml", "Message body"},
	// Italian Outlook block (Da/Inviato/A/Oggetto). Debatable: the sender's
	// signature stays; the disclaimer below its "_____" line goes.
	{"replies/spamscope__mail_test_7.eml", ""},
	// Russian Gmail attribution wrapped over two lines.
	{"replies/talon__android.eml", "Hello"},
	{"replies/talon__aol.eml", "Hello"},
	{"replies/talon__apple_mail.eml", "Hello"},
	{"replies/talon__apple_mail_2.eml", "Hello"},
	{"replies/talon__comcast.eml", "Hello"},
	{"replies/talon__gmail.eml", "Hello"},
	{"replies/talon__hotmail.eml", "Hello"},
	{"replies/talon__iphone.eml", "Hello"},
	{"replies/talon__outlook.eml", "Hello"},
	// Yahoo "--- On <date>, x wrote:".
	// The plain part has no-break spaces; Text keeps them (HTML turns them
	// into spaces).
	{"replies/talon__reply-quotations-share-block.eml", "Hi Katharine.\u00a0 Sounds great.\u00a0 Are there and dietry restrictions or things your husband does/doesn't like to eat?\u00a0 Would you like to do a few hors d oeuvres and then a\u00a03 or 4\u00a0course dinner?\u00a0 Let me know what you think will work best and I will start working on a menu and proposal.\u00a0 Thanks so much and look forward to hearing from you soon.\n\nJoe XXX"},
	{"replies/talon__sparrow.eml", "Hello"},
	{"replies/talon__thunderbird.eml", "Hello"},
	{"replies/talon__yahoo.eml", "Hello"},
	// German Outlook block (Von/Gesendet/An/Cc/Betreff). Debatable: the
	// corporate signature and disclaimer have no delimiter and stay.
	{"replies/zammad__mail003.box", ""},
	{"replies/zammad__mail004.box", ""},
	// "Am 07.05.2012 08:10, schrieb ...:" at the top, answer below.
	{"replies/zammad__mail005.box", ""},
	// HTML only, Lotus Notes: the domino-section is the quoted mail.
	{"replies/zammad__mail007.box", "Hallo.\nJetzt muss ich dir noch kurzfristig absagen für morgen.\nLass uns evtl morgen Tel.\n\nMfg eike"},
	// "-----Ursprüngliche Nachricht-----". Debatable: signature stays.
	{"replies/zammad__mail012.box", ""},
	{"replies/zammad__mail013.box", "JA"},
	// Debatable: HTML only, a web.de forward whose only own text is the
	// signature; nothing is new, so the whole converted body is kept.
	{"replies/zammad__mail036.box", ""},
	{"replies/zammad__mail054.box", "some text"},
	// Debatable: a forward ("----- Original Nachricht ----") with no
	// comment; the whole trimmed body is kept.
	{"replies/zammad__mail057.box", ""},
	// Debatable: "Office Management" below the "_____" line is the
	// sender's title, removed with the rest of the signature block.
	{"replies/zammad__mail085.box", "Liebes Team,\n\nMit freundlichen Grüßen"},
}

// htmlAltCases are the replies/ mails that have a text/html alternative
// too: HTML of that part. Where it differs from the plain part the fixture
// differs (talon__outlook.eml's HTML says "Allo! Follow up MIME!").
// zammad__mail085.box is left out: its first HTML part only says "123".
var htmlAltCases = []corpusCase{
	// Debatable, as for the plain part: a forward with no comment.
	{"replies/flanker__multi-received-headers.eml", ""},
	{"replies/mimekit__issue358.txt", "Test headers"},
	{"replies/rt__multipart-alternative-with-umlaut.eml", "Hello,\n\nist this kind of Messages, that causes rt to crash.\n\nMit freundlichen Grüßen\nGregor Stever      ^^causes Error!!"},
	{"replies/spamscope__mail_test_7.eml", ""},
	{"replies/talon__android.eml", "Hello"},
	{"replies/talon__aol.eml", "Hello"},
	{"replies/talon__comcast.eml", "Hello"},
	{"replies/talon__gmail.eml", "Hello"},
	{"replies/talon__hotmail.eml", "Hello"},
	{"replies/talon__outlook.eml", "Allo! Follow up MIME!"},
	{"replies/talon__reply-quotations-share-block.eml", "Hi Katharine.  Sounds great.  Are there and dietry restrictions or things your husband does/doesn't like to eat?  Would you like to do a few hors d oeuvres and then a 3 or 4 course dinner?  Let me know what you think will work best and I will start working on a menu and proposal.  Thanks so much and look forward to hearing from you soon.\n\nJhon Doe"},
	{"replies/talon__sparrow.eml", "Hello"},
	{"replies/zammad__mail003.box", ""},
	{"replies/zammad__mail012.box", ""},
	{"replies/zammad__mail013.box", "JA"},
	{"replies/zammad__mail054.box", "some text"},
}

// windowsLiveBody is the text of the phpmimemailparser__m00xx.eml mails.
const windowsLiveBody = "This email will not be captured correctly by php-mime-mail-parser.\n\n" +
	"Mailparse is unable to handle poorly formed emails. For example ...\n\n" +
	"    Det h\xe4r \xe4r ett flerdelat meddelande i MIME-format.\n\n" +
	"... is directly above this quoted-printable wrapper, thanks to the Swedish email client " +
	"Microsoft Windows Live (circa 2009), adding UTF-8 chars where there should only be ascii. " +
	"At least, that's what I think the problem is."

func TestTextReplyBodies(t *testing.T) {
	skipWithoutCorpus(t)
	checkListed(t, "reply-bodies", replyBodyCases)
	for _, tc := range replyBodyCases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(corpusDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc, ".golden", "Text", Text(string(raw)))
		})
	}
}

func TestTextReplies(t *testing.T) {
	skipWithoutCorpus(t)
	checkListed(t, "replies", replyCases)
	for _, tc := range replyCases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			m := readMail(t, filepath.Join(corpusDir, tc.file))
			switch {
			case m.plain != "":
				checkGolden(t, tc, ".golden", "Text", Text(m.plain))
			case m.html != "":
				checkGolden(t, tc, ".golden", "HTML", HTML(m.html))
			default:
				t.Fatal("no text part")
			}
		})
	}
}

func TestHTMLReplies(t *testing.T) {
	skipWithoutCorpus(t)
	for _, tc := range htmlAltCases {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			m := readMail(t, filepath.Join(corpusDir, tc.file))
			if m.html == "" {
				t.Fatal("no text/html part")
			}
			checkGolden(t, tc, ".html.golden", "HTML", HTML(m.html))
		})
	}
}

// skipWithoutCorpus skips the test (or fails it under CI) when the shared
// corpus is not checked out next to the repository.
func skipWithoutCorpus(t *testing.T) {
	t.Helper()
	corpustest.Require(t)
}

// checkListed fails when a fixture of dir has no case, so that a new
// fixture gets an expectation rather than silently no test.
func checkListed(t *testing.T, dir string, cases []corpusCase) {
	t.Helper()
	listed := make(map[string]bool)
	for _, tc := range cases {
		listed[tc.file] = true
	}
	files, err := os.ReadDir(filepath.Join(corpusDir, dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name := dir + "/" + f.Name(); !listed[name] {
			t.Errorf("%s has no test case", name)
		}
	}
}

// checkGolden compares got, the result of function fn, with tc.want, or
// with the golden file when tc.want is "" (rewriting it with -update).
func checkGolden(t *testing.T, tc corpusCase, ext, fn, got string) {
	t.Helper()
	want := tc.want
	if want == "" {
		golden := filepath.Join("testdata", filepath.Base(tc.file)+ext)
		if *update {
			if err := os.WriteFile(golden, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		want = strings.TrimSuffix(string(p), "\n")
	}
	if got != want {
		t.Errorf("%s() = %q, want %q", fn, got, want)
	}
}
