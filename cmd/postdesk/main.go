// Command postdesk is an email-driven ticket system: it watches a support
// mailbox over IMAP, turns each new mail into a numbered ticket, confirms it
// to the reporter with a tracking link, threads replies, and relays staff
// answers. See README.md.
//
// Usage:
//
//	postdesk init [FILE]              write a commented example config
//	postdesk serve [--config FILE]    run until SIGINT/SIGTERM
//	postdesk demo [--data FILE] [--lang L] [--config FILE]  run against an embedded mail server
//	postdesk ticket show N            staff view of a ticket (internal notes too)
//	postdesk tickets list [flags]     the queue: open, overdue, by assignee
//	postdesk failed list|retry ID|all quarantined mail
//	postdesk backup FILE              consistent copy of the live database
//	postdesk triage export            staff corrections of the triage, as TSV
//	postdesk bench [flags]            load test with figures (see BENCHMARKS.md)
//	postdesk kb check|starter         self-help knowledge base
//	postdesk check [--config F]       test the config and the servers it names
//	postdesk oauth login              OAuth2 sign-in of the mailbox account
//	postdesk version                  version, commit, Go version
//	postdesk health [--url URL]       is a running postdesk ready (exit 0 if so)
//	postdesk help [COMMAND]           the commands, or one command's help
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/postdesk/postdesk/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "postdesk:", err)
		}
		os.Exit(1)
	}
}

const usage = `usage: postdesk <command> [arguments]

commands:
  init [FILE]                 write a commented example config (default postdesk.toml)
  serve [--config FILE]       run poller, sender, scheduler and web server
  demo [--data FILE] [--lang en] [--config FILE]
                              run against an embedded demo mail server
  ticket show N [--config F] [--data DB]
                              staff view of ticket N, internal notes included
  tickets list [--status S] [--overdue] [--assignee A] [--json] [--config F]
                              the queue, most urgent first (a table, or JSON)
  failed list [--config F]    list quarantined mail
  failed retry ID|all         reprocess quarantined mail
  backup FILE [--config F]    write a consistent copy of the live database
  triage export [--config F]  staff corrections of priority/category with the report's text, as TSV
  bench [flags]               load test: in-process mail servers, real pipeline, figures
  kb check [--config F|--dir D]  check a knowledge-base folder (front matter, links)
  kb starter DIR              write the shipped starter articles into DIR
  check [--config F]          test the config, mail servers and addresses; fixes for problems
  oauth login [--config F]    sign the mailbox in with OAuth2 (Microsoft 365, Google)
  health [--url URL]          ask a running postdesk whether it is ready (container health checks)
  version                     version, commit and Go version (also --version)
  help [COMMAND]              this list, or a command's help and flags (also COMMAND --help)
`

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command")
	}
	cmd, args := args[0], args[1:]
	if _, known := commandHelp[cmd]; (known || cmd == "bench") && cmd != "help" && wantsHelp(args) {
		err := printHelp(ctx, cmd, stdout)
		if errors.Is(err, flag.ErrHelp) {
			err = nil
		}
		return err
	}
	switch cmd {
	case "init":
		return cmdInit(args, stdout)
	case "serve":
		return cmdServe(ctx, args, stderr)
	case "demo":
		return cmdDemo(ctx, args, stdout, stderr)
	case "ticket":
		return cmdTicket(args, stdout)
	case "tickets":
		return cmdTickets(args, stdout)
	case "failed":
		return cmdFailed(args, stdout)
	case "backup":
		return cmdBackup(args, stdout)
	case "kb":
		return cmdKB(args, stdout)
	case "triage":
		return cmdTriage(args, stdout)
	case "bench":
		return bench.Main(ctx, args, stdout, stderr, benchTarget{})
	case "check":
		return cmdCheck(ctx, args, stdout)
	case "health":
		return cmdHealth(ctx, args, stdout)
	case "oauth":
		return cmdOAuth(ctx, args, stdin, stdout)
	case "help", "-h", "--help":
		if len(args) > 0 {
			err := printHelp(ctx, args[0], stdout)
			if errors.Is(err, flag.ErrHelp) {
				err = nil
			}
			return err
		}
		fmt.Fprint(stdout, usage)
		return nil
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionString())
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func cmdInit(args []string, stdout io.Writer) error {
	path := "postdesk.toml"
	if len(args) > 0 {
		path = args[0]
	}
	if path == "-" {
		_, err := io.WriteString(stdout, exampleConfig)
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	if _, err := io.WriteString(f, exampleConfig); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: edit [desk], [imap], [smtp] and [[staff]], test it with: postdesk check --config %s\nthen run: postdesk serve --config %s\n", path, path, path)
	return nil
}

// configFlag parses --config FILE (default postdesk.toml) and loads it.
// --data FILE names the database instead of desk.data; with it and no
// config file (as in the demo) the defaults are used.
func configFlag(name string, args []string) (Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	path := fs.String("config", "postdesk.toml", "config file")
	data := fs.String("data", "", "database file (overrides desk.data; no config file needed)")
	if err := fs.Parse(args); err != nil {
		return Config{}, fs, err
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	c, err := LoadConfig(*path)
	if *data != "" {
		if err != nil && !explicit && errors.Is(err, os.ErrNotExist) {
			c, err = defaultConfig(), nil
		}
		c.Desk.Data = *data
	}
	return c, fs, err
}

// showCommand is the staff-view command mails print for a config file
// and database: it names what the default would not find.
func showCommand(configPath, data string) string {
	cmd := "postdesk ticket show %d"
	if configPath != "" && configPath != "postdesk.toml" {
		if abs, err := filepath.Abs(configPath); err == nil {
			configPath = abs
		}
		cmd += " --config " + shellQuote(configPath)
	}
	if data != "" {
		cmd += " --data " + shellQuote(data)
	}
	return cmd
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("POSTDESK_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	c, fs, err := configFlag("serve", args)
	if err != nil {
		return err
	}
	// --data without a config file gives the bare defaults (fine for
	// reading a database); serving needs a valid config.
	if err := c.Validate(); err != nil {
		return fmt.Errorf("serve needs a config file (--config FILE, default postdesk.toml): %w", err)
	}
	p := &Program{Config: c, Logger: configLogger(c.Log, stderr)}
	warnConfig(c, p.Logger)
	if err := p.Open(); err != nil {
		p.Close()
		return err
	}
	p.Composer.ShowCommand = showCommand(fs.Lookup("config").Value.String(), "")
	defer p.Close()
	return p.Run(ctx)
}
