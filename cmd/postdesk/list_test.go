package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/postdesk/postdesk/tickets"
	"github.com/postdesk/postdesk/tickets/hours"
)

// TestTicketsList: `tickets list` shows the queue with its filters, as a
// table and as JSON, from the running server (control socket) and from
// the database file once the server is stopped.
func TestTicketsList(t *testing.T) {
	e := newEnv(t, nil)
	loc := hours.Default().Loc
	// Dates long past, so the stopped round (which reads the real clock) sees
	// the same tickets overdue.
	clk := &testClock{t: time.Date(2020, 1, 6, 9, 0, 0, 0, loc)} // Monday
	e.restart(func(p *Program) { p.Desk.Now = clk.Now })
	d := e.p.Desk
	open := func(id, subject, text string) int64 {
		t.Helper()
		out, err := d.Intake([]*tickets.Message{{MessageID: id, From: tickets.Address{Email: "bob@school.test"}, Subject: subject, Text: text, Raw: []byte(id)}}, nil)
		if err != nil || out[0].Action != tickets.ActionCreated {
			t.Fatalf("intake: %v %+v", err, out)
		}
		return out[0].Ticket
	}
	staff := func(n int64, cmds string) {
		t.Helper()
		m := &tickets.Message{MessageID: fmt.Sprintf("s%d-%s@desk.test", n, cmds[1:4]), From: tickets.Address{Email: demoStaff}, Subject: fmt.Sprintf("Re: [#%d]", n),
			Text: cmds, InReplyTo: []string{e.staffRef(n)}, Raw: []byte(cmds)}
		if out, err := d.Intake([]*tickets.Message{m}, nil); err != nil || out[0].Action != tickets.ActionStaff {
			t.Fatalf("staff %q: %v %+v", cmds, err, out)
		}
	}
	late := open("l1@school.test", "学生无法登录", "全班都登录不了")     // P1: first answer due 11:00, never given
	waiting := open("l2@school.test", "作业上传失败", "上传到一半就报错") // assigned, waiting for the customer
	done := open("l3@school.test", "希望增加夜间模式", "建议增加夜间模式")  // resolved
	staff(waiting, "#assign wang@desk.test\n#wait\n请发一下截图")
	staff(done, "#resolve")
	clk.Set(time.Date(2020, 1, 8, 12, 0, 0, 0, loc)) // Wednesday: #late is overdue

	cfgPath := filepath.Join(t.TempDir(), "pd.toml")
	var b bytes.Buffer
	if err := toml.NewEncoder(&b).Encode(e.cfg); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfgPath, b.Bytes(), 0o600)
	list := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append(append([]string{"tickets", "list"}, args...), "--config", cfgPath), &out, &out); err != nil {
			t.Fatalf("tickets list %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	numbers := func(js string) []int64 {
		t.Helper()
		var ts []listedTicket
		if err := json.Unmarshal([]byte(js), &ts); err != nil {
			t.Fatalf("JSON output: %v\n%s", err, js)
		}
		var ns []int64
		for _, lt := range ts {
			ns = append(ns, lt.Number)
			if lt.Number == late && (!lt.Overdue || !lt.ResponseBreached || !strings.Contains(lt.Track, "/t/")) {
				t.Errorf("late ticket in JSON: %+v", lt)
			}
		}
		return ns
	}
	for _, where := range []string{"serving", "stopped"} {
		t.Run(where, func(t *testing.T) {
			table := list()
			t.Logf("table:\n%s", table)
			for _, want := range []string{"TICKET", "[#1]", "no answer", "学生无法登录", "[#2]", "wang@desk.test", "waiting", "2 tickets, 1 late"} {
				if !strings.Contains(table, want) {
					t.Errorf("table lacks %q:\n%s", want, table)
				}
			}
			if strings.Contains(table, "夜间模式") {
				t.Errorf("the resolved ticket is in the open list:\n%s", table)
			}
			cases := []struct {
				args []string
				want string
			}{
				{[]string{"--json"}, fmt.Sprint([]int64{late, waiting})},
				{[]string{"--json", "--overdue"}, fmt.Sprint([]int64{late})},
				{[]string{"--json", "--assignee", "WANG@desk.test"}, fmt.Sprint([]int64{waiting})},
				{[]string{"--json", "--assignee", "none"}, fmt.Sprint([]int64{late})},
				{[]string{"--json", "--status", "resolved"}, fmt.Sprint([]int64{done})},
				{[]string{"--json", "--status", "待反馈"}, fmt.Sprint([]int64{waiting})},
				{[]string{"--json", "--status", "all"}, fmt.Sprint([]int64{late, waiting, done})},
			}
			for _, c := range cases {
				if got := fmt.Sprint(numbers(list(c.args...))); got != c.want {
					t.Errorf("tickets list %v = %s, want %s", c.args, got, c.want)
				}
			}
			var out bytes.Buffer
			err := run(context.Background(), []string{"tickets", "list", "--status", "someday", "--config", cfgPath}, &out, &out)
			if err == nil || !strings.Contains(err.Error(), "--status") {
				t.Errorf("bad --status: %v", err)
			}
		})
		e.stop() // the second round reads the file itself
	}
}
