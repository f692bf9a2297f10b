package reply

import "strings"

// maxQuestion is how many quoted lines above an answer are kept with it.
const maxQuestion = 3

// answer is one answer of an interleaved reply and the quoted lines it
// answers (at most maxQuestion, the end of the quoted paragraph above it).
type answer struct {
	question, text []string
}

// answers returns the sender's runs of text below the first quote with the
// quoted paragraph each one answers. The last run loses its signature.
func answers(lines []string, m marks) []answer {
	var out []answer
	for _, r := range textRuns(lines, m) {
		out = append(out, answer{question: questionAbove(lines, m, r.start), text: r.lines})
	}
	if n := len(out); n > 0 {
		out[n-1].text = stripSignature(out[n-1].text)
		if !hasText(out[n-1].text) {
			out = out[:n-1]
		}
	}
	return out
}

// questionAbove returns the quoted paragraph that ends just above line i
// (blank lines between allowed), at most its last maxQuestion lines.
func questionAbove(lines []string, m marks, i int) []string {
	j := i - 1
	for j >= 0 && m.kinds[j] == kindText && isBlank(lines[j]) {
		j--
	}
	end := j + 1
	for j >= 0 && m.kinds[j] == kindQuote && !isBlank(strings.TrimLeft(strings.TrimSpace(lines[j]), ">")) && end-j <= maxQuestion {
		j--
	}
	return lines[j+1 : end]
}

// interleaved reports whether as are the answers of an interleaved reply:
// two or more, each below a quoted question.
func interleaved(as []answer) bool {
	if len(as) < 2 {
		return false
	}
	for _, a := range as {
		if len(a.question) == 0 {
			return false
		}
	}
	return true
}

// joinAnswers lays out the answers, each below its question, separated by
// blank lines.
func joinAnswers(as []answer) []string {
	var out []string
	for i, a := range as {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, a.question...)
		out = append(out, a.text...)
	}
	return out
}

// countText returns the number of non-blank lines.
func countText(lines []string) int {
	n := 0
	for _, l := range lines {
		if !isBlank(l) {
			n++
		}
	}
	return n
}
