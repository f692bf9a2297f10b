package mail

import (
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the MIME intake: it must never panic,
// keep the raw bytes, and return valid UTF-8 text.
func FuzzParse(f *testing.F) {
	for i, path := range corpusFiles(f) {
		if i%8 != 0 {
			continue // a sample of the corpus keeps seeding quick
		}
		if raw, err := os.ReadFile(path); err == nil && len(raw) < 64<<10 {
			f.Add(raw)
		}
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n--x--"))
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nMessage-ID: <pd2.1.00@d>\r\nReferences: <a@b>\r\n\r\nhi\r\n--x--"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := Parse(raw, &ParseOptions{MaxParts: 50, MaxAttachmentBytes: 1 << 20})
		if len(m.Raw) != len(raw) {
			t.Fatal("raw bytes not kept")
		}
		for _, s := range []string{m.Subject, m.Text, m.NewText, m.From.Name} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8: %q", s)
			}
		}
	})
}
