package mail

import (
	"bytes"
	"io"
)

// maxHeaderSection is the header size read as it is; a larger header (a
// subject of megabytes) is read with each field cut to maxHeaderField, so
// that parsing it costs memory in proportion to what is kept (issue 12).
// The raw mail is stored whole either way.
const (
	maxHeaderSection = 1 << 20
	maxHeaderField   = 64 << 10
)

// boundedHeader returns a reader of raw whose header section is at most
// about maxHeaderSection bytes: when it is larger, every field (with its
// continuation lines) is cut to maxHeaderField bytes at a line end. It
// reports whether it cut anything.
func boundedHeader(raw []byte) (io.Reader, bool) {
	end := headerEnd(raw)
	if end <= maxHeaderSection {
		return bytes.NewReader(raw), false
	}
	var h bytes.Buffer
	field := 0 // bytes of the current field kept so far
	for rest := raw[:end]; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if line[0] != ' ' && line[0] != '\t' {
			field = 0 // a new field starts
		}
		if field+len(line) > maxHeaderField {
			continue
		}
		field += len(line)
		h.Write(line)
	}
	return io.MultiReader(&h, bytes.NewReader(raw[end:])), true
}

// headerEnd returns the offset of the blank line ending the header
// section (the body follows it), or len(raw) if there is none.
func headerEnd(raw []byte) int {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return len(raw)
		}
		line := raw[i : i+j+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return i
		}
		i += j + 1
	}
	return len(raw)
}
