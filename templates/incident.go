package templates

// IncidentView is the platform-wide incident a ticket belongs to, as the
// tracking page's banner shows it.
type IncidentView struct {
	Lead int64
	// Status is the incident's public status: the lead's latest public
	// staff reply ("" before the first); At is when it was written.
	Status string
	At     string
	// Resolved is set once the lead is resolved or closed.
	Resolved bool
}
