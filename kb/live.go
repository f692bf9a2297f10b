package kb

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// starter is the knowledge base postdesk ships: the demo serves it, and
// operators may copy it (`postdesk kb starter DIR`) as a beginning.
//
//go:embed starter/*.md
var starter embed.FS

// Starter returns the shipped starter articles as a file system.
func Starter() fs.FS {
	sub, err := fs.Sub(starter, "starter")
	if err != nil {
		panic(err) // the embedded folder exists at build time
	}
	return sub
}

// Live is a knowledge base kept in step with a folder: Base rebuilds it
// when a file in the folder was added, removed or changed, checking at
// most once per Every. A Live is safe for concurrent use.
type Live struct {
	// FS is the folder; Dir names it in logs (os.DirFS(Dir) when FS is nil).
	FS  fs.FS
	Dir string
	// Every is how often the folder is looked at; zero means 10 seconds.
	Every time.Duration
	// Logger receives load problems; nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	// Stats counts what the knowledge base did for people.
	Stats Stats

	mu      sync.Mutex
	base    *Base
	stamp   string
	checked time.Time
}

// Stats are counters for metrics and the digest. Safe for concurrent use.
type Stats struct {
	Suggested atomic.Int64 // confirmations that suggested at least one article
	Opened    atomic.Int64 // article pages opened from a ticket's mail
	Solved    atomic.Int64 // tickets resolved by "this solved my problem"
}

// NewLive loads dir once and returns a Live for it. It fails when the
// folder cannot be read; problems with single articles are logged and
// those articles left out (`postdesk kb check` lists them).
func NewLive(dir string, logger *slog.Logger) (*Live, error) {
	l := &Live{FS: os.DirFS(dir), Dir: dir, Logger: logger}
	if _, err := l.reload(); err != nil {
		return nil, err
	}
	return l, nil
}

// Base returns the current knowledge base, rebuilding it first when the
// folder changed. If a rebuild fails, the last good Base stays.
func (l *Live) Base() *Base {
	if l == nil {
		return nil
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	every := l.Every
	if every <= 0 {
		every = 10 * time.Second
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.base != nil && now.Sub(l.checked) < every {
		return l.base
	}
	l.checked = now
	if _, err := l.reloadLocked(); err != nil && l.Logger != nil {
		l.Logger.Warn("kb: reload failed; keeping the articles loaded before", "dir", l.Dir, "err", err)
	}
	return l.base
}

func (l *Live) reload() (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reloadLocked()
}

func (l *Live) reloadLocked() (bool, error) {
	stamp, err := fingerprint(l.FS)
	if err != nil {
		return false, err
	}
	if l.base != nil && stamp == l.stamp {
		return false, nil
	}
	b, probs, err := Load(l.FS)
	if err != nil {
		return false, err
	}
	for _, p := range probs {
		if l.Logger != nil {
			l.Logger.Warn("kb: article left out", "dir", l.Dir, "file", p.File, "problem", p.Message)
		}
	}
	l.base, l.stamp = b, stamp
	return true, nil
}

// fingerprint names every article file with its size and time: a change
// of any of them means a rebuild.
func fingerprint(fsys fs.FS) (string, error) {
	files, err := articleFiles(fsys)
	if err != nil {
		return "", fmt.Errorf("read knowledge base: %w", err)
	}
	var parts []string
	for _, name := range files {
		info, err := fs.Stat(fsys, name)
		if err != nil {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d %d", name, info.Size(), info.ModTime().UnixNano()))
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n"), nil
}
