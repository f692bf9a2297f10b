package reply

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClientFixtures runs the fixtures of testdata/clients: replies as zh
// and en clients and staff write them (Gmail's wrapped attribution,
// DingTalk and phone footers, the newer QQ web layout, sign-offs and
// company blocks, interleaved answers). Each NAME.txt must give
// NAME.txt.golden through Text, each NAME.html NAME.html.golden through
// HTML (without the golden file's final newline).
func TestClientFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/clients/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	htmls, err := filepath.Glob("testdata/clients/*.html")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, htmls...)
	if len(files) < 20 {
		t.Fatalf("found %d fixtures in testdata/clients, want at least 20", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(f + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			extract := Text
			if strings.HasSuffix(f, ".html") {
				extract = HTML
			}
			if got := extract(string(in)); got != strings.TrimSuffix(string(want), "\n") {
				t.Errorf("Text() =\n%s\n--- want\n%s", got, want)
			}
		})
	}
}
