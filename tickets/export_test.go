package tickets

// StaffRefForTest issues a reply token to staff address email about
// ticket n, as a staff notice would, and returns the Message-ID that
// carries it (what the staff member's reply names in In-Reply-To).
func StaffRefForTest(d *Desk, email string, n int64) string {
	var id string
	err := d.Store.Update(func(tx Tx) error {
		tok, err := d.issueToken(tx, n, email, NoticeStaffNew)
		id = d.refs().MessageID(n, tok)
		return err
	})
	if err != nil {
		panic(err)
	}
	return id
}
