using NodaTime;

namespace Reminders.Domain.Messages;

/// <summary>What the dispatcher does with a claimed SMS after deciding again (R23).</summary>
public enum SendVerdict
{
    /// <summary>Send it now, with the decision's text.</summary>
    Send,

    /// <summary>Not yet: its due time moved (R28).</summary>
    Defer,

    /// <summary>A rule stops it now.</summary>
    Stop,
}

/// <summary>
/// Turns a <see cref="Decision"/> into changes to a booking's SMS (R22, R23). Pure: it changes the
/// entities it is given and returns the new ones to add.
/// </summary>
public static class SmsPlanner
{
    /// <summary>
    /// Reconciles the booking's existing SMS with the decision: pending ones that still apply take the new
    /// due time and text; the others are cancelled (R22) or suppressed (R23) with the decision's reasons;
    /// SMS the decision wants that were never attempted for this start are planned, stopped ones revived.
    /// An SMS already attempted for the same kind, recipient, number and start is never planned again (R22).
    /// </summary>
    /// <returns>New SMS to add to the store.</returns>
    public static IReadOnlyList<OutgoingSms> Reconcile(long bookingId, Instant bookingStart, bool bookingCancelled, Decision decision, IReadOnlyList<OutgoingSms> existing, Instant now, Func<string> newCallbackToken)
    {
        var added = new List<OutgoingSms>();
        var used = new HashSet<OutgoingSms>(ReferenceEqualityComparer.Instance);
        var alreadySent = new List<PlannedSms>();

        foreach (var planned in decision.Messages)
        {
            if (existing.Any(e => e.WasAttempted && e.Matches(planned) && e.BookingStart == bookingStart))
            {
                alreadySent.Add(planned);
                continue;
            }

            // Prefer the pending SMS for this key; else revive a stopped one; else plan a new one.
            var reuse = existing.FirstOrDefault(e => e.IsPending && e.Matches(planned) && !used.Contains(e))
                ?? existing.FirstOrDefault(e => e.Status is SmsStatus.Cancelled or SmsStatus.Suppressed && e.Matches(planned) && !used.Contains(e));
            if (reuse is null)
            {
                added.Add(OutgoingSms.Plan(bookingId, planned, bookingStart, newCallbackToken(), now));
                continue;
            }

            used.Add(reuse);
            var unchangedButLate = reuse.IsPending && reuse.BookingStart == bookingStart && reuse.Text == planned.Text
                && reuse.DueAt <= now && planned.DueAt <= now;
            if (!unchangedButLate)
            {
                reuse.Replan(planned, bookingStart);
            }
        }

        foreach (var sms in existing.Where(e => e.IsPending && !used.Contains(e)))
        {
            var reasons = decision.ReasonsFor(sms.Kind);
            if (bookingCancelled)
            {
                sms.Cancel(reasons.Count > 0 ? reasons : [Reasons.BookingCancelled]);
            }
            else if (reasons.Count == 0 && alreadySent.Exists(sms.Matches))
            {
                // Moved back to a start this SMS was already sent for (R22), not a new recipient.
                sms.Suppress([Reasons.AlreadySent]);
            }
            else
            {
                sms.Suppress(reasons.Count > 0 ? reasons : [Reasons.RecipientChanged]);
            }
        }

        return added;
    }

    /// <summary>
    /// R23: decide again at the moment of sending. The claimed SMS is sent only if the fresh decision
    /// still wants it (same kind, recipient, number and start) and it is due; otherwise it waits (quiet
    /// hours) or stops with the reasons.
    /// </summary>
    public static (SendVerdict Verdict, PlannedSms? Planned, IReadOnlyList<Reason> Reasons) AtSendTime(OutgoingSms sms, Instant bookingStart, Decision decision, Instant now)
    {
        var planned = decision.Messages.FirstOrDefault(sms.Matches);
        if (planned is null || bookingStart != sms.BookingStart)
        {
            var reasons = decision.ReasonsFor(sms.Kind);
            return (SendVerdict.Stop, null, reasons.Count > 0 ? reasons : [Reasons.RecipientChanged]);
        }

        return planned.DueAt > now
            ? (SendVerdict.Defer, planned, planned.Notes)
            : (SendVerdict.Send, planned, planned.Notes);
    }
}
