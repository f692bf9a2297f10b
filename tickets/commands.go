package tickets

import (
	"strings"
)

// Command is one "#verb argument" line at the top of a staff reply.
type Command struct {
	Verb string // canonical English verb (a key of commandTable), "" if unknown
	Arg  string
	Line string // as written
}

// verbs maps every accepted spelling (English and Chinese) to its verb.
var verbs = map[string]string{
	"status": "status", "状态": "status",
	"priority": "priority", "prio": "priority", "优先级": "priority",
	"assign": "assign", "指派": "assign", "分配": "assign",
	"take": "take", "接手": "take", "认领": "take",
	"category": "category", "cat": "category", "分类": "category",
	"note": "note", "备注": "note", "内部": "note",
	"wait": "wait", "等待": "wait", "待反馈": "wait",
	"merge": "merge", "合并": "merge",
	"close": "close", "关闭": "close",
	"escalate": "escalate", "升级": "escalate", "转技术": "escalate",
	"resolve": "resolve", "解决": "resolve", "已解决": "resolve",
	"cc": "cc", "抄送": "cc",
	"kb": "kb", "知识库": "kb",
	"incident": "incident", "事件": "incident", // see incident_cmd.go
}

// statusNames maps status spellings (English and Chinese) to statuses.
var statusNames = map[string]Status{
	"new": StatusNew, "待处理": StatusNew,
	"acknowledged": StatusAcknowledged, "ack": StatusAcknowledged, "已确认": StatusAcknowledged, "确认": StatusAcknowledged,
	"in_progress": StatusInProgress, "in-progress": StatusInProgress, "progress": StatusInProgress, "处理中": StatusInProgress,
	"waiting": StatusWaiting, "wait": StatusWaiting, "待反馈": StatusWaiting,
	"resolved": StatusResolved, "已解决": StatusResolved, "解决": StatusResolved,
	"closed": StatusClosed, "close": StatusClosed, "已关闭": StatusClosed, "关闭": StatusClosed,
}

// ParseStatus accepts a status in English ("in_progress") or Chinese
// ("处理中"), any case.
func ParseStatus(s string) (Status, bool) {
	st, ok := statusNames[strings.ToLower(strings.TrimSpace(s))]
	return st, ok
}

// ParseCommands splits the top of a staff reply into commands and the
// rest. Commands are lines that start with "#" (or full-width "＃") before
// any other text; blank lines between them are skipped. A "#" line whose
// verb is unknown is still returned (Verb "") so the receipt can say so;
// "#123" alone is not a command (it is prose about a ticket number).
func ParseCommands(text string) (cmds []Command, rest string) {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	i := 0
	for ; i < len(lines); i++ {
		line := strings.TrimSpace(foldWidth(lines[i]))
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "#") || len(line) < 2 || line[1] == '#' || line[1] == ' ' || isDigit(line[1]) {
			break
		}
		word, arg, _ := strings.Cut(line[1:], " ")
		word = strings.TrimRight(strings.ToLower(word), ":：")
		cmds = append(cmds, Command{Verb: verbs[word], Arg: strings.TrimSpace(arg), Line: line})
		if len(cmds) >= 20 {
			i++
			break
		}
	}
	return cmds, strings.TrimSpace(strings.Join(lines[i:], "\n"))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
