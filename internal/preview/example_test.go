package preview_test

import (
	"fmt"
	"os"

	"github.com/postdesk/postdesk/internal/preview"
)

// Play the conversation in English and list what it produced.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "preview-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := preview.Run(dir, "en", preview.DefaultSample("en"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files[:4] {
		fmt.Printf("%s: %s\n", f.Name, f.Title)
	}
	fmt.Println(files[0].Subject)
	// Output:
	// mail-01-confirmation-new-report: new report
	// mail-02-staff_new-new-ticket: new ticket
	// page-03-ticket-new: tracking page, new ticket
	// mail-04-progress-staff-answer-in-progress: staff answer, in progress
	// [#1] Live class: students see a black screen
}
