package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/postdesk/postdesk/internal/bench"
)

// version and commit can be set at build time:
//
//	go build -ldflags "-X main.version=1.2.0 -X main.commit=$(git rev-parse --short HEAD)" ./cmd/postdesk
//
// Otherwise they come from the module and VCS data Go records in the binary.
var version, commit string

// versionString is what `postdesk version` prints: version, commit and the
// Go release that built the binary.
func versionString() string {
	v, c, modified := version, commit, false
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" && info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	if c == "" {
		c = "unknown"
	} else if len(c) > 12 {
		c = c[:12]
	}
	if modified {
		c += "+modified"
	}
	return fmt.Sprintf("postdesk %s (commit %s, %s %s/%s)", v, c, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// commandHelp is the help of each command: what it does and its flags.
var commandHelp = map[string]string{
	"init": `usage: postdesk init [FILE]

Writes a commented example config to FILE (default postdesk.toml; "-" for
stdout). Never overwrites an existing file.
`,
	"serve": `usage: postdesk serve [--config FILE]

Runs the IMAP poller, the SMTP sender, the timer scheduler, the web server
(and the metrics server if metrics.listen is set) until SIGINT or SIGTERM.

  --config FILE   config file (default postdesk.toml)
  --data FILE     database file instead of desk.data
`,
	"demo": `usage: postdesk demo [--data FILE] [--listen ADDR] [--imap ADDR] [--smtp ADDR] [--lang L] [--config FILE]

Runs the whole pipeline against an embedded mail server with sample users.

  --data FILE     database file (default: a new temporary file)
  --listen ADDR   web address (default 127.0.0.1:8080)
  --imap ADDR     embedded IMAP server address (default 127.0.0.1:1143)
  --smtp ADDR     embedded SMTP server address (default 127.0.0.1:1025)
  --lang L        language of the desk and the sample report: zh-CN or en
                  (default: the config's, else zh-CN)
  --config FILE   your config file: its keys apply, but the mail servers
                  stay the embedded ones
`,
	"ticket": `usage: postdesk ticket show N [--config FILE] [--data FILE]

Prints the staff view of ticket N: every event, internal notes included.
Works while serve runs (over the control socket) and without it.

  --config FILE   config file (default postdesk.toml)
  --data FILE     database file instead of desk.data (no config file needed)
`,
	"failed": `usage: postdesk failed list [--config FILE]
       postdesk failed retry ID|all [--config FILE]

Lists mail that failed processing, or processes it again after a fix.

  --config FILE   config file (default postdesk.toml)
  --data FILE     database file instead of desk.data (no config file needed)
`,
	"backup": `usage: postdesk backup FILE [--config FILE]

Writes a consistent copy of the database to FILE (also while serve runs).

  --config FILE   config file (default postdesk.toml)
  --data FILE     database file instead of desk.data (no config file needed)
`,
	"check": checkUsage + "\n  --config FILE   config file (default postdesk.toml)\n",
	"oauth": oauthUsage + "\n  --config FILE   config file (default postdesk.toml)\n  --data FILE     database file instead of desk.data\n",
	"tickets": listUsage + `

The queue, most urgent first. Works while serve runs (over the control
socket) and without it.

  --status S      open (default), all, or one status: new, acknowledged,
                  in_progress, waiting, resolved, closed (or 待处理 ...)
  --overdue       only tickets past their resolution target or with a
                  missed first response
  --assignee A    only tickets assigned to A; "none": the unassigned ones
  --json          print JSON instead of a table
  --config FILE   config file (default postdesk.toml)
`,
	"kb": `usage: postdesk kb check [--config FILE | --dir DIR]
       postdesk kb starter DIR

Checks a knowledge-base folder (front matter, languages, categories, file
names, internal links), or writes the shipped starter articles into DIR.
`,
	"triage": `usage: postdesk triage export [--config FILE]

Prints the staff corrections of priority and category, with the report's
text, as TSV.

  --config FILE   config file (default postdesk.toml)
  --data FILE     database file instead of desk.data (no config file needed)
`,
	"health":  healthUsage + "\n  --url URL       health URL (default http://127.0.0.1:8080/readyz)\n",
	"version": "usage: postdesk version\n\nPrints the version, the commit and the Go version of this binary.\n",
	"help":    "usage: postdesk help [COMMAND]\n\nPrints the commands, or the help and flags of one command.\n",
}

// wantsHelp reports whether args ask for help ("-h", "--help", "-help").
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" || a == "-help" {
			return true
		}
	}
	return false
}

// printHelp writes the help of cmd; bench prints its own flags.
func printHelp(ctx context.Context, cmd string, stdout io.Writer) error {
	if wantsHelp([]string{cmd}) {
		cmd = "help"
	}
	if cmd == "bench" {
		return bench.Main(ctx, []string{"-h"}, stdout, stdout, benchTarget{})
	}
	h, ok := commandHelp[cmd]
	if !ok {
		fmt.Fprint(stdout, usage)
		return fmt.Errorf("help: unknown command %q", cmd)
	}
	_, err := io.WriteString(stdout, strings.TrimLeft(h, "\n"))
	return err
}
