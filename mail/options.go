package mail

import (
	"crypto/sha256"
	"encoding/hex"
)

// LoopID derives the value of our loop header from the desk's address and
// secret: stable across restarts, unguessable by others.
func LoopID(deskAddress string, secret []byte) string {
	sum := sha256.Sum256([]byte(deskAddress + "\x00" + string(secret)))
	return hex.EncodeToString(sum[:8])
}

// IntakeOptions returns the parse options of every path that reads
// incoming mail (the poller, `postdesk failed retry`): built once, from
// the configured values, so the paths cannot drift apart. maxMailSize
// bounds the attachment bytes kept (0: the default); loopID is our loop
// header's value (see LoopID); authServID is the authserv-id of our own
// receiving server whose Authentication-Results are read (empty: never).
func IntakeOptions(maxMailSize int, loopID, authServID string) ParseOptions {
	return ParseOptions{MaxAttachmentBytes: maxMailSize, LoopID: loopID, AuthServID: authServID}
}
