//go:build !linux

package bench

import (
	"context"
	"errors"
	"io"
)

// benchScale is `postdesk bench -scale`, built for Linux only.
func benchScale(ctx context.Context, pd Postdesk, o benchOptions, stdout, stderr io.Writer) error {
	return errors.New("bench: -scale is only built for Linux (it drops the file from the page cache with posix_fadvise)")
}
