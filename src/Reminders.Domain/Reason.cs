namespace Reminders.Domain;

/// <summary>
/// Why a rule stopped or shaped something: the rule ID of the rule book (R1…R61), a stable
/// machine code, and a Swedish text for staff. Expected refusals are reasons, never exceptions.
/// </summary>
/// <param name="Rule">The rule ID, e.g. <c>R14</c>.</param>
/// <param name="Code">A stable code for programs and tests, e.g. <c>ProtectedIdentity</c>.</param>
/// <param name="Text">The explanation shown to staff, in Swedish.</param>
public sealed record Reason(string Rule, string Code, string Text)
{
    /// <summary>
    /// True when <paramref name="other"/> is the same reason: the same rule and code. Codes alone repeat across rules
    /// (<c>AtOnce</c> for R20 and R21, <c>Cancelled</c> for R22 and R61, <c>ProtectedIdentity</c> for R14 and R34), so a
    /// reason is never recognised by its code alone; the text is wording, not identity.
    /// </summary>
    public bool Is(Reason other) => other is not null && Rule == other.Rule && Code == other.Code;

    /// <summary>True when this reason is any of <paramref name="reasons"/> (<see cref="Is"/>).</summary>
    public bool IsAnyOf(params ReadOnlySpan<Reason> reasons)
    {
        foreach (var reason in reasons)
        {
            if (Is(reason))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Rule} {Code}: {Text}";
}

/// <summary>The outcome of an operation that a rule may refuse: success, or the reasons it was refused.</summary>
public class Result
{
    /// <summary>Creates a result; empty <paramref name="reasons"/> means success.</summary>
    protected Result(IReadOnlyList<Reason> reasons) => Reasons = reasons;

    /// <summary>The reasons for a refusal; empty on success.</summary>
    public IReadOnlyList<Reason> Reasons { get; }

    /// <summary>True when no rule refused.</summary>
    public bool Succeeded => Reasons.Count == 0;

    /// <summary>The one success value.</summary>
    public static Result Ok { get; } = new([]);

    /// <summary>A refusal with at least one reason.</summary>
    public static Result Refused(params Reason[] reasons) => Refused((IReadOnlyList<Reason>)reasons);

    /// <summary>A refusal with at least one reason.</summary>
    public static Result Refused(IReadOnlyList<Reason> reasons)
    {
        if (reasons.Count == 0)
        {
            throw new ArgumentException("A refusal needs at least one reason.", nameof(reasons));
        }

        return new Result(reasons);
    }

    /// <summary>A successful value.</summary>
    public static Result<T> Success<T>(T value) => new(value, []);

    /// <summary>A refused value with at least one reason.</summary>
    public static Result<T> Failure<T>(params Reason[] reasons)
    {
        if (reasons.Length == 0)
        {
            throw new ArgumentException("A refusal needs at least one reason.", nameof(reasons));
        }

        return new Result<T>(default, reasons);
    }
}

/// <summary>A result that carries a value on success.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed class Result<T> : Result
{
    private readonly T? _value;

    internal Result(T? value, IReadOnlyList<Reason> reasons) : base(reasons) => _value = value;

    /// <summary>The value; reading it from a refusal is a programming error.</summary>
    public T Value => Succeeded
        ? _value!
        : throw new InvalidOperationException($"No value: refused ({string.Join("; ", Reasons)}).");
}
