package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/postdesk/postdesk/internal/bench"
)

// TestBench runs `postdesk bench` in-process at a tiny size and checks that
// every mail was processed and confirmed. It asserts no timings.
func TestBench(t *testing.T) {
	var out, errs bytes.Buffer
	args := []string{"bench", "-inproc", "-json", "-n", "30", "-latency-n", "10", "-rate", "50", "-attach-ratio", "0.2", "-gbk-ratio", "0.2"}
	if err := run(context.Background(), args, &out, &errs); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, errs.String())
	}
	var r bench.Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("bench -json output: %v\n%s", err, out.String())
	}
	tp := r.Throughput
	handled := 0
	for _, n := range tp.Outcomes {
		handled += n
	}
	if tp.Mails != 30 || handled != 30 {
		t.Errorf("throughput: %d mails, %d handled (%v), want 30 and 30", tp.Mails, handled, tp.Outcomes)
	}
	if tp.Outcomes["created"] != tp.Reports || tp.Outcomes["appended"] != tp.Replies {
		t.Errorf("outcomes %v, want created %d (new reports) and appended %d (replies)", tp.Outcomes, tp.Reports, tp.Replies)
	}
	if tp.Confirmations != tp.Reports || tp.ExpectedConfir != tp.Reports {
		t.Errorf("confirmations %d (expected %d), want one per new report (%d)", tp.Confirmations, tp.ExpectedConfir, tp.Reports)
	}
	if tp.SendsToStaff < 30 {
		t.Errorf("staff mails = %d, want at least 30 (one staff member: one per new ticket and per reply, plus incident alerts)", tp.SendsToStaff)
	}
	if r.Latency == nil || r.Latency.Mails != 10 || r.Latency.Confirmed != 10 || r.Latency.Missing != 0 {
		t.Errorf("latency = %+v, want 10 mails, all confirmed", r.Latency)
	}
	if r.Storage.Tickets != int64(tp.Reports+10) || r.Storage.RawMails != 40 {
		t.Errorf("storage: %d tickets, %d raw mails; want %d and 40", r.Storage.Tickets, r.Storage.RawMails, tp.Reports+10)
	}
	if r.Memory.PeakRSSMB <= 0 {
		t.Errorf("peak RSS = %v, want a figure", r.Memory.PeakRSSMB)
	}
	if len(r.Warnings) > 0 {
		t.Errorf("warnings: %v", r.Warnings)
	}
}

// TestBenchTable checks the readable output of a tiny run.
func TestBenchTable(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"bench", "-inproc", "-n", "8", "-latency-n", "3", "-staff", "0"}, &out, &errs); err != nil {
		t.Fatalf("bench: %v\nstderr:\n%s", err, errs.String())
	}
	for _, want := range []string{"a. throughput: 8 mails", "b. latency: 3 new reports", "confirmed 3, missing 0", "c. storage:", "d. memory: peak RSS"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBenchBig runs the peak-RSS mode at a tiny size.
func TestBenchBig(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run(context.Background(), []string{"bench", "-inproc", "-big", "1", "-json"}, &out, &errs); err != nil {
		t.Fatalf("bench -big: %v\nstderr:\n%s", err, errs.String())
	}
	var big struct{ Big bench.BigResult }
	if err := json.Unmarshal(out.Bytes(), &big); err != nil || big.Big.MailBytes < 1_000_000 || big.Big.Sends != 2 || big.Big.PeakMB <= 0 {
		t.Errorf("bench -big 1 = %+v, %v; want a mail over 1 MB, 2 sends (confirmation, staff) and a peak", big.Big, err)
	}
}
