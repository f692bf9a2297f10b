package main

import (
	"context"
	"errors"
	"io"
)

// cmdBench is `postdesk bench`. Being written: see issue 6.
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("bench: not built yet")
}
