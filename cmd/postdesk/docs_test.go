package main

// Documentation tests: they fail when README.md, example.toml (what
// `postdesk init` writes), the help texts or the staff mail's command help
// drift from what the program accepts. Operators and acceptance tests drive
// postdesk through exactly these names.

import (
	"bytes"
	"context"
	"encoding"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unsafe"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/postdesk/postdesk/tickets"
)

// readRepoFile returns a file of the repository (tests run in cmd/postdesk).
func readRepoFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// configKeys returns every key the config accepts, as dotted paths
// ("desk.name", "sla.p0.response", "staff.email"), walking the toml tags
// of Config. A map (sla.typical) is one key; an array of tables
// ([[staff]]) contributes its fields.
func configKeys(t reflect.Type, prefix string) []string {
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		ft := f.Type
		if name == "" && f.Anonymous && ft.Kind() == reflect.Struct {
			// An embedded struct's keys sit in the parent table.
			keys = append(keys, configKeys(ft, prefix)...)
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name) // as the TOML decoder matches it
		}
		key := prefix + name
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(textUnmarshaler) {
			keys = append(keys, configKeys(ft, key+".")...)
			continue
		}
		keys = append(keys, key)
	}
	return keys
}

// exampleKeys returns the keys example.toml shows, commented out or not:
// "[table]" / "[[table]]" headers and "key = value" lines under them.
func exampleKeys(example string) map[string]bool {
	header := regexp.MustCompile(`^#?\s*\[\[?([a-z0-9_.]+)\]\]?\s*$`)
	assign := regexp.MustCompile(`^#?\s*([a-z0-9_]+) = ["'\[{0-9tf-]`)
	keys := map[string]bool{}
	table := ""
	for _, line := range strings.Split(example, "\n") {
		if m := header.FindStringSubmatch(line); m != nil {
			table = m[1]
			keys[table] = true
			continue
		}
		if m := assign.FindStringSubmatch(line); m != nil {
			k := m[1]
			if table != "" {
				k = table + "." + k
			}
			keys[k] = true
		}
	}
	return keys
}

// numbered matches the numbered tables of a key ("sla.p2.resolve").
var numbered = regexp.MustCompile(`\.([a-z]+)[0-9]+\.`)

// collapse writes the numbered tables of key with N ("sla.pN.resolve"):
// the docs may describe sla.p0 ... sla.p3 once.
func collapse(key string) string { return numbered.ReplaceAllString(key, ".${1}N.") }

// mentions reports whether text names key as a whole dotted name
// ("desk.name", not "desk.names" or "xdesk.name").
func mentions(text, key string) bool {
	return regexp.MustCompile(`(^|[^a-z0-9_.])` + regexp.QuoteMeta(key) + `($|[^a-z0-9_])`).MatchString(text)
}

func TestConfigKeysDocumented(t *testing.T) {
	keys := configKeys(reflect.TypeFor[Config](), "")
	if len(keys) < 50 {
		t.Fatalf("found only %d config keys: the walk is broken", len(keys))
	}
	accepted := map[string]bool{}
	for _, k := range keys {
		accepted[k] = true
		for p := k; strings.Contains(p, "."); {
			p = p[:strings.LastIndex(p, ".")]
			accepted[p] = true // its tables
		}
	}
	for k := range accepted {
		accepted[strings.TrimSuffix(collapse(k+"."), ".")] = true
	}
	example := exampleKeys(exampleConfig)
	for k := range example {
		example[collapse(k)] = true
	}
	readme := readRepoFile(t, "README.md")
	for _, k := range keys {
		if !example[k] && !example[collapse(k)] {
			t.Errorf("config key %s is not in cmd/postdesk/example.toml (what `postdesk init` writes): add it, commented out if it has no useful default", k)
		}
		if !mentions(readme, k) && !mentions(readme, collapse(k)) {
			t.Errorf("config key %s is not named in README.md (write it out as `%s`)", k, k)
		}
	}
	// And the other way: nothing documented that the config refuses.
	for k := range exampleKeys(exampleConfig) {
		if !accepted[k] && !strings.HasPrefix(k, "sla.typical.") {
			t.Errorf("example.toml shows %s, which the config does not accept", k)
		}
	}
	sections := map[string]bool{}
	for _, k := range keys {
		sections[strings.SplitN(k, ".", 2)[0]] = true
	}
	stale := map[string]bool{}
	for _, m := range regexp.MustCompile("`\\[{0,2}([a-z]+)\\.([a-z0-9_.N]*[a-z0-9_N])").FindAllStringSubmatch(readme, -1) {
		k := m[1] + "." + m[2]
		if sections[m[1]] && !accepted[k] && !stale[k] && !strings.HasPrefix(k, "sla.typical.") && !strings.HasPrefix(k, "desk.data.") {
			stale[k] = true
			t.Errorf("README.md names config key %s, which the config does not accept", k)
		}
	}
}

// TestExampleConfigCommentedKeysParse checks that the keys example.toml
// shows commented out are real: each uncommented alone still loads.
func TestExampleConfigCommentedKeysParse(t *testing.T) {
	lines := strings.Split(exampleConfig, "\n")
	assign := regexp.MustCompile(`^#\s*([a-z0-9_]+ = ["'\[{0-9tf-].*)$`)
	// Keys of earlier versions conflict with their new names when both
	// are set.
	newName := map[string]string{"incident_threshold": "min_reporters", "incident_window": "window"}
	n := 0
	for i, line := range lines {
		m := assign.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n++
		edited := slices.Clone(lines)
		edited[i] = m[1]
		// A commented key may repeat one set below it ("# to = [...]"
		// beside "to = []"): drop the set one of the same table.
		key := strings.TrimSpace(strings.SplitN(m[1], "=", 2)[0])
		for j := i + 1; j < len(edited) && !strings.HasPrefix(strings.TrimSpace(edited[j]), "["); j++ {
			if strings.HasPrefix(edited[j], key+" ") || strings.HasPrefix(edited[j], key+"=") {
				edited[j] = ""
			}
		}
		for j := i - 1; j >= 0 && !strings.HasPrefix(strings.TrimSpace(edited[j]), "["); j-- {
			if strings.HasPrefix(edited[j], key+" ") || strings.HasPrefix(edited[j], key+"=") {
				edited[j] = ""
			}
		}
		if nn, ok := newName[key]; ok {
			for j := range edited {
				if strings.HasPrefix(edited[j], nn+" = ") {
					edited[j] = ""
				}
			}
		}
		text := strings.Join(edited, "\n")
		if key == "dir" { // kb.dir must name an existing folder
			text = strings.Replace(text, m[1], "dir = "+tomlString(t.TempDir()), 1)
		}
		if _, err := ParseConfig(text, nil); err != nil {
			t.Errorf("example.toml line %d uncommented (%s): %v", i+1, m[1], err)
		}
	}
	if n == 0 {
		t.Fatal("example.toml has no commented-out keys: the scan is broken")
	}
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// commandWritten reports whether text shows "#spelling" as a command (not
// as the start of a longer word).
func commandWritten(text, spelling string) bool {
	return regexp.MustCompile(`[#＃]` + regexp.QuoteMeta(spelling) + `($|[^\p{L}\p{N}_])`).MatchString(text)
}

func TestStaffCommandsDocumented(t *testing.T) {
	spellings := tickets.CommandSpellings()
	if len(spellings) < 10 {
		t.Fatalf("only %d staff commands: tickets.CommandSpellings is broken", len(spellings))
	}
	readme := readRepoFile(t, "README.md")
	for verb, ss := range spellings {
		for _, s := range ss {
			if !commandWritten(readme, s) {
				t.Errorf("README.md does not show the staff command #%s (a spelling of #%s)", s, verb)
			}
		}
	}

	// Every staff template that carries the command help (it shows
	// #status) names every command; the Chinese one every Chinese spelling.
	files, err := filepath.Glob(filepath.Join("..", "..", "templates", "mail", "*", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	helps := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !commandWritten(text, "status") {
			continue
		}
		helps++
		lang := filepath.Base(filepath.Dir(f))
		for verb, ss := range spellings {
			if !commandWritten(text, verb) {
				t.Errorf("%s: the command help does not show #%s", f, verb)
			}
			if lang != "zh-CN" {
				continue
			}
			for _, s := range ss {
				if hasHan(s) && !commandWritten(text, s) {
					t.Errorf("%s: the command help does not show #%s (Chinese #%s)", f, s, verb)
				}
			}
		}
	}
	for _, name := range []string{"staff_new.txt", "staff_reply.txt"} {
		for _, lang := range []string{"zh-CN", "en"} {
			f := filepath.Join("..", "..", "templates", "mail", lang, name)
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !commandWritten(string(b), "status") {
				t.Errorf("%s has no command help (no #status)", f)
			}
		}
	}
	if helps < 4 {
		t.Errorf("found the command help in %d templates, want at least 4 (staff_new and staff_reply, zh-CN and en)", helps)
	}
}

// usageCommands returns the commands of the usage text, with their
// subcommand where they have one: "init", "ticket show", "kb starter".
func usageCommands() []string {
	line := regexp.MustCompile(`^  ([a-z]+)(?: ([a-z]+)\b)?`)
	var out []string
	for _, l := range strings.Split(usage, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		c := m[1]
		if m[2] != "" {
			c += " " + m[2]
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

func TestCommandsDocumented(t *testing.T) {
	cmds := usageCommands()
	if len(cmds) < 15 {
		t.Fatalf("usage lists only %d commands: the scan is broken: %q", len(cmds), cmds)
	}
	readme := readRepoFile(t, "README.md")
	_, table, _ := strings.Cut(readme, "\n## Commands\n")
	table, _, _ = strings.Cut(table, "\n## ")
	words := map[string]bool{}
	for _, c := range cmds {
		name, sub, _ := strings.Cut(c, " ")
		words[name] = true
		t.Run(strings.ReplaceAll(c, " ", "_"), func(t *testing.T) {
			if !strings.Contains(table, "| `postdesk "+c) {
				t.Errorf("README's Commands table has no row for `postdesk %s`", c)
			}
			for _, args := range [][]string{{"help", name}, {name, "--help"}} {
				var out, errw bytes.Buffer
				if err := run(context.Background(), args, &out, &errw); err != nil {
					t.Errorf("postdesk %s: %v", strings.Join(args, " "), err)
				}
				h := out.String()
				if !strings.Contains(h, "postdesk "+name) && !strings.Contains(h, "Usage of "+name) {
					t.Errorf("postdesk %s prints no usage of %s:\n%s", strings.Join(args, " "), name, h)
				}
				if sub != "" && !strings.Contains(h, name+" "+sub) {
					t.Errorf("postdesk %s does not mention %q:\n%s", strings.Join(args, " "), c, h)
				}
			}
		})
	}
	for name := range commandHelp {
		if !words[name] {
			t.Errorf("help has an entry for %q, which the usage text does not list", name)
		}
	}
}

// descName is the fully-qualified name in a Desc's String().
var descName = regexp.MustCompile(`fqName: "([a-z0-9_:]+)"`)

func TestMetricsDocumented(t *testing.T) {
	_, c := metricsEnv(t)
	c.KB.Dir = t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"kb", "starter", c.KB.Dir}, &out, &out); err != nil {
		t.Fatal(err)
	}
	p := &Program{Config: c, Logger: newLogger(testWriter{t})}
	if err := p.Open(); err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := p.ops.metrics
	if m == nil {
		t.Fatal("no metrics with metrics.listen set")
	}

	// What the registry gathers, and what every collector field of
	// metrics describes (a labelled vector gathers nothing until used).
	names := map[string]bool{}
	fams, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		names[f.GetName()] = true
	}
	v := reflect.ValueOf(m).Elem()
	collectorType := reflect.TypeFor[prometheus.Collector]()
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.Type().Implements(collectorType) || f.IsNil() {
			continue
		}
		col := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(prometheus.Collector)
		ch := make(chan *prometheus.Desc, 16)
		go func() { col.Describe(ch); close(ch) }()
		for d := range ch {
			if mm := descName.FindStringSubmatch(d.String()); mm != nil {
				names[mm[1]] = true
			}
		}
	}
	readme := readRepoFile(t, "README.md")
	n := 0
	for name := range names {
		if !strings.HasPrefix(name, "postdesk_") {
			continue
		}
		n++
		if !regexp.MustCompile("`" + regexp.QuoteMeta(name) + "[`{]").MatchString(readme) {
			t.Errorf("metric %s is not in README.md's metrics table", name)
		}
	}
	if n < 15 {
		t.Errorf("found only %d postdesk_ metrics: the walk is broken", n)
	}
}

// goSources returns the text of the non-test Go files under dirs (paths
// from the repository root).
func goSources(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join("..", "..", d, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out[f] = string(b)
		}
	}
	return out
}

// Every environment variable the program reads is in README.
func TestEnvironmentDocumented(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	env := regexp.MustCompile(`"(POSTDESK_[A-Z0-9_]*[A-Z0-9])"`)
	n := 0
	for f, src := range goSources(t, "cmd/postdesk", "mail", "tickets", "web", "templates", "kb") {
		for _, m := range env.FindAllStringSubmatch(src, -1) {
			n++
			if !strings.Contains(readme, m[1]) {
				t.Errorf("%s reads %s, which README.md does not mention", f, m[1])
			}
		}
	}
	if n < 4 {
		t.Errorf("found %d environment variables, want at least 4: the scan is broken", n)
	}
}

// Every path the web and metrics servers route is in README (its first
// segment: "/t/", "/kb/", "/readyz").
func TestPathsDocumented(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	route := regexp.MustCompile(`Handle(?:Func)?\("(?:[A-Z]+ )?(/[a-z0-9_.-]*/?)`)
	n := 0
	for f, src := range goSources(t, "cmd/postdesk", "web") {
		for _, m := range route.FindAllStringSubmatch(src, -1) {
			p := m[1]
			if p == "/" {
				continue // the web handler mounted under the health routes
			}
			n++
			if !strings.Contains(readme, "`"+p) && !strings.Contains(readme, " "+p) {
				t.Errorf("%s routes %s, which README.md does not mention", f, p)
			}
		}
	}
	if n < 5 {
		t.Errorf("found %d routes, want at least 5: the scan is broken", n)
	}
}

// Every package of the module is in README's Layout (helper programs under
// scripts/ aside).
func TestLayoutDocumented(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	_, layout, _ := strings.Cut(readme, "\n## Layout\n")
	layout, _, _ = strings.Cut(layout, "\n## ")
	root := filepath.Join("..", "..")
	n := 0
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || name == "scripts" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		if dir == "." {
			return nil
		}
		dir = filepath.ToSlash(dir) + "/"
		if seen[dir] {
			return nil
		}
		seen[dir] = true
		if !strings.Contains(layout, dir) {
			t.Errorf("package %s is not in README's Layout", dir)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Errorf("found %d packages, want more: the walk is broken", n)
	}
}

// usageLines returns each command of the usage text with the arguments
// that reach its flags ("ticket show 1", "backup x", "kb check").
func usageLines() map[string][]string {
	line := regexp.MustCompile(`^  ([a-z]+(?: [a-z]+)?)((?: [A-Z][A-Za-z|]*)*)(?: |$)`)
	out := map[string][]string{}
	for _, l := range strings.Split(usage, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		args := strings.Fields(m[1])
		for range strings.Fields(m[2]) {
			args = append(args, "1") // N, FILE, ID|all, DIR
		}
		out[m[1]] = args
	}
	return out
}

// definedFlags runs args with an undefined flag and returns the flags
// the command's flag set lists in its complaint ("Usage of ...").
func definedFlags(t *testing.T, args []string) []string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	var out bytes.Buffer
	runErr := run(context.Background(), append(slices.Clone(args), "--no-such-flag-zz"), &out, &out)
	os.Stderr = stderr
	w.Close()
	var errOut bytes.Buffer
	errOut.ReadFrom(r)
	r.Close()
	if runErr == nil {
		t.Errorf("postdesk %s --no-such-flag-zz succeeded", strings.Join(args, " "))
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`).FindAllStringSubmatch(out.String()+errOut.String(), -1) {
		flags = append(flags, m[1])
	}
	return flags
}

// Every flag a command accepts is in its help (`help CMD`), and every flag
// the usage text shows is one it accepts.
func TestCommandFlagsDocumented(t *testing.T) {
	for cmd, args := range usageLines() {
		name := args[0]
		if name == "bench" || name == "help" || name == "version" || name == "init" {
			continue // bench's help is its flag list; the others take no flags
		}
		t.Run(strings.ReplaceAll(cmd, " ", "_"), func(t *testing.T) {
			flags := definedFlags(t, args) // none: the command takes no flags
			help := commandHelp[name]
			for _, f := range flags {
				if !regexp.MustCompile(`--?` + regexp.QuoteMeta(f) + `\b`).MatchString(help) {
					t.Errorf("postdesk %s accepts --%s, which `postdesk help %s` does not show", cmd, f, name)
				}
			}
			for _, l := range strings.Split(usage, "\n") {
				if !strings.HasPrefix(l, "  "+cmd+" ") {
					continue
				}
				for _, m := range regexp.MustCompile(`--([a-z][a-z0-9-]*)`).FindAllStringSubmatch(l, -1) {
					if !slices.Contains(flags, m[1]) {
						t.Errorf("the usage text shows %s --%s, which it does not accept", cmd, m[1])
					}
				}
			}
		})
	}
}

// Every intake outcome (tickets.Action, the label of
// postdesk_mails_handled_total) is in README's metrics table.
func TestMailOutcomesDocumented(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	var row string
	for _, l := range strings.Split(readme, "\n") {
		if strings.Contains(l, "`postdesk_mails_handled_total{outcome}`") {
			row = l
		}
	}
	if row == "" {
		t.Fatal("README has no postdesk_mails_handled_total{outcome} row")
	}
	action := regexp.MustCompile(`(?m)^\s*Action[A-Za-z]+\s+Action\s*=\s*"([a-z_]+)"`)
	n := 0
	for f, src := range goSources(t, "tickets") {
		for _, m := range action.FindAllStringSubmatch(src, -1) {
			n++
			if !strings.Contains(row, "`"+m[1]+"`") {
				t.Errorf("%s: outcome %q is not in README's postdesk_mails_handled_total row", f, m[1])
			}
		}
	}
	if n < 10 {
		t.Errorf("found %d outcomes, want at least 10: the scan is broken", n)
	}
}
