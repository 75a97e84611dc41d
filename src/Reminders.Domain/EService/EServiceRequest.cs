using NodaTime;
using Reminders.Domain.Units;

namespace Reminders.Domain.EService;

/// <summary>The kinds of 1177 e-service request (R45).</summary>
public enum EServiceKind
{
    /// <summary>Activate reminders.</summary>
    Activate,

    /// <summary>Block a unit.</summary>
    Block,

    /// <summary>Remove a block.</summary>
    Unblock,

    /// <summary>Register a guardian's number for a child under 13.</summary>
    GuardianNumber,

    /// <summary>(rev. 2) Deactivate: stop all SMS (R5).</summary>
    Deactivate,
}

/// <summary>Where a request stands.</summary>
public enum EServiceStatus
{
    /// <summary>In the receiving unit's inbox.</summary>
    Open,

    /// <summary>Applied through the same rules as check-in.</summary>
    Applied,

    /// <summary>Answered with a standard answer and not applied.</summary>
    Rejected,
}

/// <summary>
/// A resident's request through 1177 (R45). It lands at the unit where it was submitted and is handled
/// there, whichever unit it concerns: never forwarded.
/// </summary>
public sealed class EServiceRequest
{
    private EServiceRequest(HsaId receivedAtUnit, long patientId, EServiceKind kind, Instant receivedAt)
    {
        ReceivedAtUnit = receivedAtUnit;
        PatientId = patientId;
        Kind = kind;
        ReceivedAt = receivedAt;
    }

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>The unit whose inbox it is in.</summary>
    public HsaId ReceivedAtUnit { get; private set; }

    /// <summary>The patient's internal id.</summary>
    public long PatientId { get; private set; }

    /// <summary>What is asked.</summary>
    public EServiceKind Kind { get; private set; }

    /// <summary>The unit a block or unblock concerns.</summary>
    public HsaId? ConcernsUnit { get; private set; }

    /// <summary>The number given for a guardian, as typed by the resident (validated when applied, R16).</summary>
    public string? Number { get; private set; }

    /// <summary>When it arrived.</summary>
    public Instant ReceivedAt { get; private set; }

    /// <summary>Open, applied or rejected.</summary>
    public EServiceStatus Status { get; private set; }

    /// <summary>When it was handled.</summary>
    public Instant? HandledAt { get; private set; }

    /// <summary>Who handled it.</summary>
    public string? HandledBy { get; private set; }

    /// <summary>The standard answer given.</summary>
    public string? Answer { get; private set; }

    /// <summary>
    /// Concurrency token: moves on when the request is taken in hand and when it is closed, so of two staff handling
    /// it at the same time only one does (issue #16).
    /// </summary>
    public int Version { get; private set; }

    /// <summary>Registers a request.</summary>
    public static EServiceRequest Receive(HsaId receivedAtUnit, long patientId, EServiceKind kind, HsaId? concernsUnit, string? number, Instant receivedAt) =>
        new(receivedAtUnit, patientId, kind, receivedAt) { ConcernsUnit = concernsUnit, Number = number?.Trim() };

    /// <summary>
    /// R45: takes the open request in hand before its change is made: the token moves on, so when two staff handle it
    /// at the same time, the second one's save finds it moved and nothing of theirs is applied. It stays open until
    /// <see cref="Close"/>.
    /// </summary>
    public Result TakeInHand()
    {
        if (Status != EServiceStatus.Open)
        {
            return Result.Refused(Reasons.RequestAlreadyHandled);
        }

        Version++;
        return Result.Ok;
    }

    /// <summary>Closes the request where it arrived.</summary>
    public Result Close(bool applied, string handledBy, string answer, Instant now)
    {
        if (Status != EServiceStatus.Open)
        {
            return Result.Refused(Reasons.RequestAlreadyHandled);
        }

        Version++;
        Status = applied ? EServiceStatus.Applied : EServiceStatus.Rejected;
        HandledBy = handledBy;
        Answer = answer;
        HandledAt = now;
        return Result.Ok;
    }
}
