package templates

import (
	"fmt"

	"github.com/postdesk/postdesk/tickets"
)

// Say renders a sentence for staff (tickets.Say) in lang: the words of
// "say.<code>" filled with the arguments, durations said in words
// ("15 分钟"), times with their weekday, words looked up ("已解决"). A code
// without words is shown as the code and its arguments, never dropped.
func (v *Viewer) Say(s tickets.Say, lang string) string {
	lang = v.Set.Lang(lang)
	args := make([]any, len(s.Args))
	for i, a := range s.Args {
		switch {
		case a.W != "":
			args[i] = v.Set.word(lang, a.W)
		case a.C != "" && v.Category != nil:
			args[i], _ = v.Category(a.C, lang)
		case a.C != "":
			args[i] = a.C
		case a.D != 0:
			args[i] = v.Set.Duration(lang, a.D)
		case !a.T.IsZero():
			args[i] = v.When(a.T, lang)
		default:
			args[i] = a.S
		}
	}
	key := "say." + s.Code
	w := v.Set.word(lang, key)
	if w == key {
		return s.String()
	}
	return fmt.Sprintf(w, args...)
}

// Says renders each of says in lang.
func (v *Viewer) Says(says []tickets.Say, lang string) []string {
	out := make([]string, 0, len(says))
	for _, s := range says {
		out = append(out, v.Say(s, lang))
	}
	return out
}
