package reply

import (
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // gb2312, iso-8859-x, windows-125x bodies
)

// mailBody is the readable body of a mail: the first text/plain part and
// the first text/html part that are not attachments, decoded to UTF-8.
type mailBody struct {
	plain, html string
}

// readMail reads the RFC 5322 mail at path and returns its text parts.
func readMail(t *testing.T, path string) mailBody {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := message.Read(bytes.NewReader(repairHeader(raw)))
	if err != nil && !message.IsUnknownCharset(err) {
		t.Fatalf("read %s: %v", path, err)
	}
	var b mailBody
	err = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) {
			return err
		}
		mt, _, _ := part.Header.ContentType()
		if disp, _, _ := part.Header.ContentDisposition(); disp == "attachment" {
			return nil
		}
		switch {
		case (mt == "text/plain" || mt == "") && b.plain == "":
			b.plain = readAll(t, part.Body)
		case mt == "text/html" && b.html == "":
			b.html = readAll(t, part.Body)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", path, err)
	}
	return b
}

// readAll reads a part body. zammad__mail004.box ends its base64 body
// without padding: what was decoded before the unexpected EOF is kept.
func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	p, err := io.ReadAll(r)
	if err != nil && !message.IsUnknownCharset(err) && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatal(err)
	}
	return string(p)
}

// headerKeyRE matches the start of a header field line.
var headerKeyRE = regexp.MustCompile(`^[!-9;-~]+:`)

// repairHeader makes a few corpus mails parseable: it drops an mbox
// "From " line (zammad__*.box, rubymail__raw_email2.eml) and turns header
// lines that are neither a field nor indented into continuation lines
// (phpmimemailparser__issue84.eml and mimekit__issue358.txt lost the
// folding white space of their Received and DKIM headers).
func repairHeader(raw []byte) []byte {
	s := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if strings.HasPrefix(s, "From ") {
		_, s, _ = strings.Cut(s, "\n")
	}
	head, body, _ := strings.Cut(s, "\n\n")
	lines := strings.Split(head, "\n")
	for i, l := range lines {
		if i > 0 && l != "" && l[0] != ' ' && l[0] != '\t' && !headerKeyRE.MatchString(l) {
			lines[i] = " " + l
		}
	}
	return []byte(strings.Join(lines, "\n") + "\n\n" + body)
}
