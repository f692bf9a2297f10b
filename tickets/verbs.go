package tickets

import "slices"

// CommandSpellings returns every accepted spelling of the staff mail
// commands ("#status", "#状态", ...), keyed by canonical English verb, each
// list sorted. It is a fresh copy: the caller may change it. The
// documentation tests use it so README and the staff mail's command help
// name every command staff can write.
func CommandSpellings() map[string][]string {
	out := map[string][]string{}
	for spelling, verb := range verbs {
		out[verb] = append(out[verb], spelling)
	}
	for _, s := range out {
		slices.Sort(s)
	}
	return out
}
