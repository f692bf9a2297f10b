package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/postdesk/postdesk/kb"
)

// cmdKB is `postdesk kb check [--config F | --dir D]` and `postdesk kb
// starter DIR`.
func cmdKB(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: postdesk kb check [--config FILE | --dir DIR] | postdesk kb starter DIR")
	}
	switch args[0] {
	case "check":
		return kbCheck(args[1:], stdout)
	case "starter":
		if len(args) != 2 {
			return errors.New("usage: postdesk kb starter DIR")
		}
		return kbStarter(args[1], stdout)
	default:
		return fmt.Errorf("kb: unknown subcommand %q (check, starter)", args[0])
	}
}

// kbCheck validates a knowledge-base folder: front matter, languages,
// categories, file names (the slugs) and internal links. It prints every
// problem and fails when there is one.
func kbCheck(args []string, stdout io.Writer) error {
	fset := flag.NewFlagSet("kb check", flag.ContinueOnError)
	fset.SetOutput(stdout)
	config := fset.String("config", "postdesk.toml", "config file whose kb.dir is checked")
	dir := fset.String("dir", "", "check this folder instead of the config's kb.dir")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		c, err := LoadConfig(*config)
		if err != nil {
			return err
		}
		if c.KB.Dir == "" {
			return &ConfigError{Key: "kb.dir", Msg: "not set: there is no knowledge base to check"}
		}
		*dir = c.KB.Dir
	}
	b, probs, err := kb.Load(os.DirFS(*dir))
	if err != nil {
		return fmt.Errorf("kb check %s: %w", *dir, err)
	}
	for _, p := range probs {
		fmt.Fprintf(stdout, "%s: %s\n", filepath.Join(*dir, p.File), p.Message)
	}
	langs := map[string]int{}
	for _, a := range b.Articles() {
		langs[a.Lang]++
	}
	fmt.Fprintf(stdout, "%s: %d articles (%d zh-CN, %d en), %d problems\n", *dir, b.Len(), langs["zh-CN"], langs["en"], len(probs))
	if len(probs) > 0 {
		return fmt.Errorf("kb check: %d problems in %s", len(probs), *dir)
	}
	return nil
}

// kbStarter copies the shipped starter articles into dir (created if
// needed; existing files are never overwritten).
func kbStarter(dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kb starter: %w", err)
	}
	n := 0
	err := fs.WalkDir(kb.Starter(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(kb.Starter(), name)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(stdout, "kept %s (exists)\n", name)
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		n++
		return f.Close()
	})
	if err != nil {
		return fmt.Errorf("kb starter: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %d articles to %s: edit them, then set [kb] dir = %q\n", n, dir, dir)
	return nil
}
