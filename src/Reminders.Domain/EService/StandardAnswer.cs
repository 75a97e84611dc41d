using NodaTime;

namespace Reminders.Domain.EService;

/// <summary>
/// A prepared answer staff give when they close an e-service request (R45). Admins maintain them; an
/// answer no longer offered is retired, never deleted, because closed requests keep its text.
/// </summary>
public sealed class StandardAnswer
{
    /// <summary>The longest answer stored.</summary>
    public const int MaxTextLength = 1000;

    private StandardAnswer(string text, Instant createdAt)
    {
        Text = text;
        CreatedAt = createdAt;
    }

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>The answer as the resident reads it (Swedish).</summary>
    public string Text { get; private set; }

    /// <summary>False once retired: no longer offered.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>When it was added.</summary>
    public Instant CreatedAt { get; private set; }

    /// <summary>A new answer; the text must be non-empty and at most <see cref="MaxTextLength"/> characters.</summary>
    public static Result<StandardAnswer> Create(string? text, Instant now)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > MaxTextLength)
        {
            return Result.Failure<StandardAnswer>(Reasons.AnswerText);
        }

        return Result.Success(new StandardAnswer(trimmed, now));
    }

    /// <summary>Offers or retires the answer.</summary>
    public void SetActive(bool active) => Active = active;
}
