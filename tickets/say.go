package tickets

import (
	"fmt"
	"strings"
	"time"
)

// Say is a sentence for staff (a receipt line, an alert, a line on the
// timeline) in domain terms: a code naming the words and the arguments
// that fill them. The templates package renders it in the reader's
// language ("say.<code>" in templates/lang), so the domain holds no
// English or Chinese prose, and durations and times are said in words.
type Say struct {
	Code string `json:"c"`
	Args []Arg  `json:"a,omitempty"`
}

// Arg is one argument of a Say: a plain string, a duration (said in
// words: "15 分钟"), a time (said with its weekday), a word of the
// language files (W, e.g. "status.resolved", said as "已解决"), or a
// category (C, said with its label: "音视频"). Exactly one field is set.
type Arg struct {
	S string        `json:"s,omitempty"`
	D time.Duration `json:"d,omitempty"`
	T time.Time     `json:"t,omitzero"`
	W string        `json:"w,omitempty"`
	C string        `json:"cat,omitempty"`
}

// Str is a plain string argument.
func Str(s string) Arg { return Arg{S: s} }

// Num is a number argument.
func Num(n int64) Arg { return Arg{S: fmt.Sprint(n)} }

// Dur is a duration argument, said in words.
func Dur(d time.Duration) Arg { return Arg{D: d} }

// At is a time argument, said with its weekday in the desk's zone.
func At(t time.Time) Arg { return Arg{T: t} }

// Word is an argument said with a word of the language files.
func Word(key string) Arg { return Arg{W: key} }

// Cat is a category argument, said with the category's label.
func Cat(name string) Arg { return Arg{C: name} }

// say builds a Say.
func say(code string, args ...Arg) Say { return Say{Code: code, Args: args} }

// String renders s without templates, for logs and errors: the code and
// its arguments ("reply_sent(1)").
func (s Say) String() string {
	parts := make([]string, len(s.Args))
	for i, a := range s.Args {
		switch {
		case a.W != "":
			parts[i] = a.W
		case a.C != "":
			parts[i] = a.C
		case a.D != 0:
			parts[i] = a.D.String()
		case !a.T.IsZero():
			parts[i] = a.T.UTC().Format(time.RFC3339)
		default:
			parts[i] = a.S
		}
	}
	return s.Code + "(" + strings.Join(parts, ", ") + ")"
}

// SayError is a staff member's mistake in a command, said to them in
// their language in the receipt.
type SayError struct{ Say Say }

func (e *SayError) Error() string { return e.Say.String() }

// sayErr returns a *SayError.
func sayErr(code string, args ...Arg) error { return &SayError{Say: say(code, args...)} }
