// Command preview writes every postdesk mail and page, in zh-CN and en, as
// HTML files into a directory, with an index.html: the input of
// scripts/screenshots.sh. Text-only mails are shown as a plain-text mail
// client shows them.
//
//	go run ./scripts/preview DIR
package main

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"github.com/postdesk/postdesk/internal/preview"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/preview DIR")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "preview:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "postdesk-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var index strings.Builder
	index.WriteString("<!DOCTYPE html><meta charset=utf-8><title>postdesk preview</title><ul>\n")
	for _, lang := range []string{"zh-CN", "en"} {
		files, err := preview.Run(tmp, lang, preview.DefaultSample(lang))
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		for _, f := range files {
			body := f.HTML
			if body == "" {
				body = preview.TextPage(f)
			}
			name := lang + "-" + f.Name + ".html"
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(&index, "<li><a href=%q>%s</a> %s</li>\n", name, html.EscapeString(name), html.EscapeString(f.Title))
			if !f.Page && f.HTML != "" {
				// The text alternative, as a text-only client shows it.
				name = lang + "-" + f.Name + "-text.html"
				if err := os.WriteFile(filepath.Join(dir, name), []byte(preview.TextPage(f)), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(&index, "<li><a href=%q>%s</a> (text alternative)</li>\n", name, html.EscapeString(name))
			}
		}
	}
	index.WriteString("</ul>\n")
	return os.WriteFile(filepath.Join(dir, "index.html"), []byte(index.String()), 0o644)
}
