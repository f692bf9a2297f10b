package hours_test

import (
	"fmt"
	"time"

	"github.com/postdesk/postdesk/tickets/hours"
)

func ExampleCalendar_Add() {
	cal := hours.Default() // Asia/Shanghai, Mon-Fri 09:00-17:30
	cal.Holidays["2026-03-09"] = true

	// A report arrives on Friday evening; the response is due after two
	// working hours. Monday is a holiday, so the clock runs on Tuesday.
	arrived := time.Date(2026, 3, 6, 18, 0, 0, 0, cal.Loc)
	due := cal.Add(arrived, 2*time.Hour)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	fmt.Println(cal.Between(arrived, due))
	// Output:
	// Tue 2026-03-10 11:00
	// 2h0m0s
}

func ExampleParseWeek() {
	week, err := hours.ParseWeek("mon-fri 9:00-12:00,13:30-18:00; sat 10:00-12:00")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(week[time.Saturday])
	fmt.Println(hours.FormatWeek(week))

	_, err = hours.ParseWeek("Mon-Fri 9:00-17:30; Sun 10-12")
	fmt.Println(err)
	// Output:
	// [10:00-12:00]
	// Mon-Fri 09:00-12:00,13:30-18:00; Sat 10:00-12:00
	// hours: schedule part "Sun 10-12": span "10-12": bad time "10": want H:MM
}

func ExampleCalendar_nil() {
	var cal *hours.Calendar // nil: open around the clock
	t := time.Date(2026, 3, 7, 23, 0, 0, 0, time.UTC)
	fmt.Println(cal.IsOpen(t), cal.Add(t, 2*time.Hour).Format("Mon 15:04"))
	// Output:
	// true Sun 01:00
}

func ExampleCalendar_AddDays() {
	cal := hours.Default() // Asia/Shanghai, Mon-Fri 09:00-17:30
	// "Within 1 working day" from Friday 17:00 is Monday 17:00; from
	// Saturday it is Monday at closing time.
	fmt.Println(cal.AddDays(time.Date(2026, 12, 4, 17, 0, 0, 0, cal.Loc), 1).Format("Mon 15:04"))
	fmt.Println(cal.AddDays(time.Date(2026, 12, 5, 11, 0, 0, 0, cal.Loc), 1).Format("Mon 15:04"))
	// Output:
	// Mon 17:00
	// Mon 17:30
}
