package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestTicketsList(t *testing.T) {
	e := newEnv(t, nil)
	e.deliver(report("张老师 <alice@school.test>", "l1@school.test", "打印机卡纸", "三楼打印机卡纸。"))
	e.deliver(report("张老师 <alice@school.test>", "l2@school.test", "紧急：直播中断", "正在上课，直播中断了！"))
	e.mailsTo(demoCustomer, 2)
	path := writeConfig(t, e.cfg)

	list := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), append([]string{"tickets", "list", "--config", path}, args...), &out, &out); err != nil {
			t.Fatalf("tickets list %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	// serve runs: the list comes over the control socket.
	table := list()
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[1], "2 ") || !strings.Contains(lines[1], "P0") || !strings.HasPrefix(lines[2], "1 ") {
		t.Errorf("table (want header, #2 P0 first, #1, count):\n%s", table)
	}
	var got []listedTicket
	if err := json.Unmarshal([]byte(list("--json")), &got); err != nil || len(got) != 2 || got[0].Number != 2 || got[0].Requester != demoCustomer {
		t.Errorf("--json = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--overdue"}, "no tickets match"},
		{[]string{"--status", "closed"}, "no tickets match"},
		{[]string{"--assignee", "-"}, "2 ticket(s)"},
		{[]string{"--assignee", demoStaff}, "no tickets match"},
		{[]string{"--status", "new,closed"}, "2 ticket(s)"},
		{[]string{"--limit", "1"}, "1 ticket(s)"},
	} {
		if out := list(tc.args...); !strings.Contains(out, tc.want) {
			t.Errorf("tickets list %v:\n%s\nwant %q", tc.args, out, tc.want)
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"tickets", "list", "--status", "done", "--config", path}, &out, &out); err == nil {
		t.Error("--status done accepted")
	}

	// Without serve the command opens the database itself.
	e.stop()
	if offline := list(); offline != table {
		t.Errorf("offline list differs:\n%s\nwant\n%s", offline, table)
	}
}
