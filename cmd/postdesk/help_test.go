package main

import (
	"bytes"
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

func TestHelpForEveryCommand(t *testing.T) {
	// Every command named in the usage has help, as `help CMD` and as
	// `CMD --help`, and both exit 0.
	cmds := regexp.MustCompile(`(?m)^  ([a-z]+)`).FindAllStringSubmatch(usage, -1)
	if len(cmds) < 10 {
		t.Fatalf("found only %d commands in the usage", len(cmds))
	}
	for _, m := range cmds {
		cmd := m[1]
		if cmd == "bench" {
			continue // prints the flag set of the load generator; tested below
		}
		t.Run(cmd, func(t *testing.T) {
			for _, args := range [][]string{{"help", cmd}, {cmd, "--help"}, {cmd, "-h"}} {
				var out bytes.Buffer
				if err := run(context.Background(), args, &out, &out); err != nil {
					t.Errorf("%v: err = %v", args, err)
				}
				if !strings.Contains(out.String(), "usage: postdesk "+cmd) {
					t.Errorf("%v printed:\n%s", args, out.String())
				}
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"bench", "--help"}, &out, &out); err != nil || !strings.Contains(out.String(), "-scale") {
		t.Errorf("bench --help: %v\n%s", err, out.String())
	}
	if err := run(context.Background(), []string{"help", "nosuch"}, &out, &out); err == nil {
		t.Error("help for an unknown command succeeded")
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{arg}, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "postdesk ") || !strings.Contains(out.String(), runtime.Version()) || !strings.Contains(out.String(), "commit ") {
			t.Errorf("%s printed %q", arg, out.String())
		}
	}
	version, commit = "1.2.3", "0123456789abcdef"
	defer func() { version, commit = "", "" }()
	if got := versionString(); !strings.Contains(got, "postdesk 1.2.3 (commit 0123456789ab,") {
		t.Errorf("versionString() with ldflags = %q", got)
	}
}
