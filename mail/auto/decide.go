package auto

// decide turns the facts into a Result. b is nil when only the header is known.
func decide(f *headerFacts, b *bodyFacts) Result {
	if b == nil {
		b = &bodyFacts{}
	}
	var bounce string
	switch {
	case f.dsn != "":
		bounce = f.dsn
	case b.dsn:
		bounce = "message/delivery-status part"
	case f.bounceSubject != "" && f.sender != "":
		bounce = "Subject: " + f.bounceSubject + " from " + f.sender
	case f.sender == "mailer-daemon" && matchAny(string(b.explain), bounceTexts, false) != "":
		bounce = "bounce text from mailer-daemon"
	case f.sender == "null sender" && f.autoReply == "" && matchAny(string(b.explain), bounceTexts, false) != "":
		bounce = "bounce text from null sender"
	}
	if bounce != "" && b.delivered > 0 && len(b.recipients) == 0 && len(f.failed) == 0 {
		// A DSN that only reports success: not a bounce, still a robot.
		return Result{Kind: Automatic, Reason: "delivery-status: delivered"}
	}
	if bounce != "" {
		return bounceResult(f, b, bounce)
	}

	report := f.report
	if report == "" {
		report = b.report
	}
	switch {
	case report != "":
		// An MDN or a feedback report is Automatic even when it says auto-replied.
		return Result{Kind: Automatic, Reason: "multipart/report " + report, Refs: refs(b.partRefs, f.inReplyTo, f.refs)}
	case f.autoReply != "":
		return Result{Kind: AutoReply, Reason: f.autoReply, Refs: refs(b.partRefs, f.inReplyTo, f.refs, b.textRefs)}
	case f.automatic != "":
		return Result{Kind: Automatic, Reason: f.automatic}
	}
	return Result{Kind: Human}
}

// bounceResult fills in the recipients, Temporary and Refs of a Bounce.
func bounceResult(f *headerFacts, b *bodyFacts, reason string) Result {
	r := Result{Kind: Bounce, Reason: reason, Recipients: b.recipients}
	if len(r.Recipients) > 0 {
		r.Temporary = true
		for _, rc := range r.Recipients {
			delayed := rc.Action == "delayed" || (rc.Action == "" && len(rc.Status) > 0 && rc.Status[0] == '4')
			if !delayed {
				r.Temporary = false
				break
			}
		}
	} else {
		action := "failed"
		if f.warning {
			action = "delayed"
		}
		addrs := f.failed
		if len(addrs) == 0 {
			addrs = textRecipients(b.explain, f.ownAddrs)
		}
		r.Recipients = describe(b.explain, addrs, action)
		r.Temporary = f.warning
	}
	r.Refs = refs(b.partRefs, b.textRefs, f.inReplyTo, f.refs)
	return r
}

// refs returns the first source list when it is not empty, else all the
// others together, without duplicates.
func refs(first []string, rest ...[]string) []string {
	var out []string
	for _, id := range first {
		out = appendRef(out, id)
	}
	if len(out) > 0 {
		return out
	}
	for _, l := range rest {
		for _, id := range l {
			out = appendRef(out, id)
		}
	}
	return out
}
