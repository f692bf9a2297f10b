package auto

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/internal/corpustest"
)

// corpusDir is the shared corpus of third-party messages, beside the repository.
var corpusDir = corpustest.Dir()

// corpusTable is the reviewed expectation for every corpus message.
const corpusTable = "testdata/corpus_classes.tsv"

// expectation is one line of corpusTable.
type expectation struct {
	kind      Kind
	recipient string // first failed recipient, "-" for none; bounces only
	refs      string // "yes" or "no"; bounces only
	temporary string // "yes" or "no"; bounces only
	comment   string
}

func readCorpusTable(t *testing.T) map[string]expectation {
	t.Helper()
	f, err := os.Open(corpusTable)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]expectation{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "file\t") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 6 {
			t.Fatalf("%s:%d: %d columns, want 6", corpusTable, n, len(cols))
		}
		kind, ok := ParseKind(cols[1])
		if !ok {
			t.Fatalf("%s:%d: unknown kind %q", corpusTable, n, cols[1])
		}
		if _, dup := want[cols[0]]; dup {
			t.Fatalf("%s:%d: %s listed twice", corpusTable, n, cols[0])
		}
		want[cols[0]] = expectation{kind: kind, recipient: cols[2], refs: cols[3], temporary: cols[4], comment: cols[5]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// corpusFiles returns the corpus messages (every file but the notes and
// reply-bodies/, which holds bodies without headers), relative to corpusDir.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	corpustest.Require(tb)
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(corpusDir, path)
		switch {
		case d.IsDir() && rel == "reply-bodies":
			return filepath.SkipDir
		case d.IsDir() || filepath.Dir(rel) == ".":
			return nil // README.md, MANIFEST.tsv
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// TestCorpus classifies every corpus message and compares it with the
// reviewed table, which must list every message and nothing else.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	want := readCorpusTable(t)
	seen := map[string]bool{}
	for _, file := range files {
		seen[file] = true
		t.Run(file, func(t *testing.T) {
			w, ok := want[file]
			if !ok {
				t.Fatalf("%s is not in %s: classify it, review it and add a line", file, corpusTable)
			}
			raw, err := os.ReadFile(filepath.Join(corpusDir, file))
			if err != nil {
				t.Fatal(err)
			}
			got := Classify(raw)
			if got.Kind != w.kind {
				t.Fatalf("Classify().Kind = %q, want %q (reason %q; %s)", got.Kind, w.kind, got.Reason, w.comment)
			}
			if got.Kind != Human && got.Reason == "" {
				t.Errorf("Classify().Reason = %q, want a reason for %s", got.Reason, got.Kind)
			}
			if got.Kind != Bounce {
				return
			}
			first := "-"
			if len(got.Recipients) > 0 {
				first = got.Recipients[0].Email
			}
			if first != w.recipient {
				t.Errorf("Classify().Recipients[0].Email = %q, want %q (all: %+v)", first, w.recipient, got.Recipients)
			}
			if r := yesNo(len(got.Refs) > 0); r != w.refs {
				t.Errorf("Classify() has Refs = %q (%q), want %q", r, got.Refs, w.refs)
			}
			if tmp := yesNo(got.Temporary); tmp != w.temporary {
				t.Errorf("Classify().Temporary = %q, want %q", tmp, w.temporary)
			}
		})
	}
	for file := range want {
		if !seen[file] {
			t.Errorf("%s lists %s, which is not in the corpus", corpusTable, file)
		}
	}
}

// TestCorpusHeaderAgrees checks that the quick header-only decision never
// calls a message a bounce or an auto-reply when the full one does not.
func TestCorpusHeaderAgrees(t *testing.T) {
	for _, file := range corpusFiles(t) {
		raw, err := os.ReadFile(filepath.Join(corpusDir, file))
		if err != nil {
			t.Fatal(err)
		}
		full := Classify(raw)
		quick := ClassifyHeader(headerOf(raw))
		if (quick.Kind == Bounce || quick.Kind == AutoReply) && quick.Kind != full.Kind {
			t.Errorf("%s: ClassifyHeader().Kind = %q, want %q as Classify", file, quick.Kind, full.Kind)
		}
	}
}
