namespace Reminders.Domain.Units;

/// <summary>
/// A care unit's HSA-id, rule R51: <c>SE</c> + a 10-digit organisation number + <c>-</c> + one or
/// more ASCII letters and digits, at most 31 characters in all, e.g. <c>SE2321000115-O39423</c>.
/// </summary>
/// <remarks>
/// A person's HSA-id (a staff member's, carried by their SITHS card) has the same shape, e.g.
/// <c>SE2321000016-15RX</c>, and is this type too.
/// Letters keep their case and equality is ordinal (case-sensitive): <c>SE2321000115-a1</c> and
/// <c>SE2321000115-A1</c> are different ids. The prefix must be upper-case <c>SE</c>.
/// </remarks>
public sealed record HsaId
{
    /// <summary>The longest HSA-id, in characters.</summary>
    public const int MaxLength = 31;

    private const string Rule = "R51";
    private const int PrefixLength = 13; // "SE" + 10 digits + "-"

    private HsaId(string value) => Value = value;

    /// <summary>The id exactly as issued, e.g. <c>SE2321000115-O39423</c>.</summary>
    public string Value { get; }

    /// <summary>
    /// Parses input (surrounding whitespace ignored). Refusals are <c>Reason("R51", code, text)</c>
    /// with the code <c>Empty</c>, <c>TooLong</c> (more than 31 characters) or <c>Format</c>.
    /// </summary>
    /// <param name="input">The id as typed.</param>
    public static Result<HsaId> Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Refuse("Empty", "Ange ett HSA-id.");
        }

        var text = input.Trim();
        if (text.Length > MaxLength)
        {
            return Refuse("TooLong", "Ett HSA-id får vara högst 31 tecken.");
        }

        return IsWellFormed(text)
            ? Result.Success(new HsaId(text))
            : Refuse(
                "Format",
                "Ange HSA-id som SE, tio siffror, bindestreck och bokstäver eller siffror, t.ex. SE2321000115-O39423.");
    }

    /// <summary>Recreates an id read back from storage or configuration; no trimming.</summary>
    /// <param name="value">A well-formed HSA-id.</param>
    /// <exception cref="ArgumentException">The value is not a well-formed HSA-id (a broken invariant).</exception>
    public static HsaId FromTrusted(string value) =>
        value is not null && value.Length <= MaxLength && IsWellFormed(value)
            ? new HsaId(value)
            : throw new ArgumentException($"Not a well-formed HSA-id: '{value}'.", nameof(value));

    /// <summary>The id, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    private static bool IsWellFormed(string text)
    {
        if (text.Length <= PrefixLength || !text.StartsWith("SE", StringComparison.Ordinal) || text[12] != '-')
        {
            return false;
        }

        for (var i = 2; i < 12; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        for (var i = PrefixLength; i < text.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Result<HsaId> Refuse(string code, string text) =>
        Result.Failure<HsaId>(new Reason(Rule, code, text));
}
