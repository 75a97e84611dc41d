using NodaTime;

namespace Reminders.Domain.Audit;

/// <summary>
/// One row of the access and change log (R55; Patientdatalagen 4 kap. 3 §, HSLF-FS 2016:40 4 kap. 9 §):
/// action, care unit, time, user, patient, how, and what changed. Append-only: the product offers no way
/// to edit or delete it.
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent(Instant at, string actor, string action, string channel)
    {
        At = at;
        Actor = actor;
        Action = action;
        Channel = channel;
    }

    /// <summary>The longest <see cref="Details"/> the column takes (nvarchar(4000) on SQL Server).</summary>
    public const int MaxDetailsLength = 4000;

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>When.</summary>
    public Instant At { get; private set; }

    /// <summary>Who: a user id, an API key's name, or <c>system</c>.</summary>
    public string Actor { get; private set; }

    /// <summary>The actor's role at the time.</summary>
    public string? Role { get; private set; }

    /// <summary>The care unit the actor worked from.</summary>
    public string? Unit { get; private set; }

    /// <summary>The patient's internal id, when a patient is concerned.</summary>
    public long? PatientId { get; private set; }

    /// <summary>What was done, e.g. <c>ViewPatient</c>, <c>Activate</c>.</summary>
    public string Action { get; private set; }

    /// <summary>How: CheckIn, EService, Migration, Automatic, Api, Admin.</summary>
    public string Channel { get; private set; }

    /// <summary>What changed (before → after), as compact JSON without names or numbers in clear where avoidable.</summary>
    public string? Details { get; private set; }

    /// <summary>False for a refused attempt (refused access is logged too).</summary>
    public bool Succeeded { get; private set; }

    /// <summary>Creates a row.</summary>
    public static AuditEvent Create(Instant at, string actor, string? role, string? unit, long? patientId, string action, string channel, string? details, bool succeeded = true) =>
        new(at, actor, action, channel)
        {
            Role = role,
            Unit = unit,
            PatientId = patientId,
            Details = details,
            Succeeded = succeeded,
        };
}
