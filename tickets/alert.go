package tickets

// AlertStaff queues a staff alert about no ticket (an operational problem
// such as a mailbox login that stopped working) to every staff member and
// to the escalation addresses. It returns nil without queuing anything when
// there is nobody to tell.
func (d *Desk) AlertStaff(text string) error {
	to := append([]Staff(nil), d.Staff...)
	if d.Policy != nil {
		for _, a := range d.Policy.EscalateTo {
			if _, ok := d.StaffByEmail(a.Email); !ok {
				to = append(to, Staff{Email: a.Email, Name: a.Name})
			}
		}
	}
	if len(to) == 0 {
		return nil
	}
	err := d.Store.Update(func(tx Tx) error {
		for _, s := range to {
			nt := &Notice{Kind: NoticeStaffAlert, To: Address{Name: s.Name, Email: s.Email}, Lang: d.Lang, Auto: true, Event: -1, Text: text}
			if err := d.enqueueRaw(tx, nil, nt); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		d.queued()
	}
	return err
}
