using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Domain.EService;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Messaging;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Replanning;

namespace Reminders.Application.Admin;

/// <summary>The SMS settings an admin saves (R26, R28).</summary>
public sealed record SmsSettingsInput(bool QuietHoursEnabled, LocalTime QuietHoursStart, LocalTime QuietHoursEnd, string SelfCheckInLink);

/// <summary>
/// The admin pages' reads and changes outside units and accounts: the SMS settings (R26, R28), the standard answers
/// of the e-service (R45), the SMS overview. Changes go through the write primitive with their audit row.
/// </summary>
public sealed class AdminSettings(RemindersDbContext db, ChangeWriter writer, DatabaseSmsPolicySource policySource, ReplanningSignal replanning, IClock clock)
{
    /// <summary>The saved SMS policy; null while configuration is in force.</summary>
    public async Task<SmsPolicy?> SavedPolicyAsync(CancellationToken cancellationToken) =>
        (await db.Set<SmsPolicySetting>().AsNoTracking().SingleOrDefaultAsync(cancellationToken))?.ToPolicy();

    /// <summary>The policy in force when nothing is saved.</summary>
    public SmsPolicy Fallback => policySource.Fallback;

    /// <summary>
    /// Saves the SMS settings. R26/R28 (rev. 2): the pending SMS the change affects are replanned at once, in the
    /// background (the replanning job, docs/decisions/0015), and the dispatcher re-checks each SMS when it sends.
    /// </summary>
    public async Task<Outcome<bool>> SaveSmsSettingsAsync(SmsSettingsInput input, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var row = await db.Set<SmsPolicySetting>().SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            row = new SmsPolicySetting();
            db.Add(row);
        }

        row.QuietHoursEnabled = input.QuietHoursEnabled;
        row.QuietHoursStart = input.QuietHoursStart;
        row.QuietHoursEnd = input.QuietHoursEnd;
        row.SelfCheckInLink = input.SelfCheckInLink;
        row.UpdatedAt = clock.GetCurrentInstant();
        row.UpdatedBy = actor.Id;
        var details = new
        {
            quietHours = input.QuietHoursEnabled,
            start = input.QuietHoursStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            end = input.QuietHoursEnd.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            selfCheckInLink = input.SelfCheckInLink.Length > 0,
        };
        var outcome = await writer.SaveAsync(new Change(actor, AuditAction.Settings, actor.Unit, null, Replan.None, details), () => Outcome.Ok(true), cancellationToken);
        policySource.Invalidate();
        if (outcome.Succeeded)
        {
            replanning.Request();
        }

        return outcome;
    }

    /// <summary>The standard answers, all or only those offered.</summary>
    public async Task<IReadOnlyList<StandardAnswer>> StandardAnswersAsync(bool offeredOnly, CancellationToken cancellationToken) =>
        await db.StandardAnswers.AsNoTracking().Where(a => !offeredOnly || a.Active).OrderBy(a => a.Id).ToListAsync(cancellationToken);

    /// <summary>Adds a standard answer; refused with the domain's reasons when the text is not acceptable.</summary>
    public async Task<Outcome<StandardAnswer>> AddStandardAnswerAsync(string? text, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var created = StandardAnswer.Create(text, clock.GetCurrentInstant());
        if (!created.Succeeded)
        {
            return Outcome.Refused<StandardAnswer>(created.Reasons);
        }

        await using var transaction = await writer.BeginAsync(cancellationToken);
        db.StandardAnswers.Add(created.Value);
        await writer.AssignIdsAsync(cancellationToken);
        var change = new Change(actor, AuditAction.UnitAdmin, actor.Unit, null, Replan.None, new { standardAnswer = created.Value.Id, change = "created" });
        var outcome = await writer.SaveAsync(change, () => Outcome.Created(created.Value), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Offers or retires a standard answer.</summary>
    public async Task<Outcome<StandardAnswer>> SetStandardAnswerActiveAsync(long id, bool active, Actor actor, CancellationToken cancellationToken)
    {
        var answer = await db.StandardAnswers.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (answer is null)
        {
            return Outcome.NotFound<StandardAnswer>("Svaret finns inte.");
        }

        answer.SetActive(active);
        var change = new Change(actor, AuditAction.UnitAdmin, actor.Unit, null, Replan.None, new { standardAnswer = id, change = active ? "offered" : "retired" });
        return await writer.SaveAsync(change, () => Outcome.Ok(answer), cancellationToken);
    }

    /// <summary>SMS counts per status.</summary>
    public async Task<IReadOnlyDictionary<SmsStatus, int>> SmsCountsAsync(CancellationToken cancellationToken) =>
        await db.Messages.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);

    /// <summary>The latest messages the Sink gateway stored.</summary>
    public async Task<IReadOnlyList<SinkMessage>> SinkMessagesAsync(int take, CancellationToken cancellationToken) =>
        await db.SinkMessages.AsNoTracking().OrderByDescending(m => m.Id).Take(take).ToListAsync(cancellationToken);

    /// <summary>Every care unit, by clinic and name.</summary>
    public async Task<IReadOnlyList<CareUnit>> UnitsAsync(CancellationToken cancellationToken) =>
        (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(u => u.Clinic, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal).ToList();

    /// <summary>One unit, or null.</summary>
    public Task<CareUnit?> UnitAsync(HsaId unit, CancellationToken cancellationToken) =>
        db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.HsaId == unit, cancellationToken);
}
