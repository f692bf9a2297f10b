package mail

import (
	"os"
	"reflect"
	"testing"
)

// TestAttachmentsOnlyListsTheSameAttachments parses every corpus mail
// twice, as the intake does and as a staff mail re-reads it
// (ParseOptions.AttachmentsOnly): the attachments, with their data, are
// the same.
func TestAttachmentsOnlyListsTheSameAttachments(t *testing.T) {
	with := 0
	for _, path := range corpusFiles(t) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full := Parse(raw, nil)
		only := Parse(raw, &ParseOptions{AttachmentsOnly: true})
		if !reflect.DeepEqual(full.Attachments, only.Attachments) {
			t.Errorf("%s: attachments differ:\nfull %+v\nonly %+v", path, full.Attachments, only.Attachments)
		}
		if len(full.Attachments) > 0 {
			with++
		}
	}
	t.Logf("%d corpus mails with attachments", with)
	if with == 0 {
		t.Fatal("no corpus mail has an attachment: the test compares nothing")
	}
}
