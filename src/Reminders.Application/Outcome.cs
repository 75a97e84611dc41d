using Reminders.Domain;

namespace Reminders.Application;

/// <summary>How a use case ended; the API maps it to a status code, a page to its model state.</summary>
public enum OutcomeKind
{
    /// <summary>Done; an existing resource.</summary>
    Ok,

    /// <summary>Done; a new resource.</summary>
    Created,

    /// <summary>The resource named does not exist.</summary>
    NotFound,

    /// <summary>The input refers to something that does not exist or has the wrong shape (field → messages).</summary>
    Invalid,

    /// <summary>A rule refused it (reasons with rule IDs).</summary>
    Refused,

    /// <summary>Someone else changed the data since the caller read it; nothing was changed.</summary>
    Conflict,
}

/// <summary>A handler's answer.</summary>
/// <typeparam name="T">The value on success.</typeparam>
public sealed record Outcome<T>(OutcomeKind Kind, T? Value, IReadOnlyList<Reason> Reasons, IReadOnlyDictionary<string, string[]> Errors, string? Detail)
{
    /// <summary>True for Ok and Created.</summary>
    public bool Succeeded => Kind is OutcomeKind.Ok or OutcomeKind.Created;
}

/// <summary>Builders for <see cref="Outcome{T}"/>.</summary>
public static class Outcome
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public static Outcome<T> Ok<T>(T value) => new(OutcomeKind.Ok, value, [], NoErrors, null);

    public static Outcome<T> Created<T>(T value) => new(OutcomeKind.Created, value, [], NoErrors, null);

    public static Outcome<T> NotFound<T>(string detail) => new(OutcomeKind.NotFound, default, [], NoErrors, detail);

    public static Outcome<T> Invalid<T>(string field, string message) =>
        new(OutcomeKind.Invalid, default, [], new Dictionary<string, string[]> { [field] = [message] }, null);

    public static Outcome<T> Refused<T>(IReadOnlyList<Reason> reasons) => new(OutcomeKind.Refused, default, reasons, NoErrors, null);

    public static Outcome<T> Conflict<T>() => new(OutcomeKind.Conflict, default, [], NoErrors, null);

    /// <summary>The same failure for another value type (a use case that ends on another use case's failure).</summary>
    public static Outcome<T> Failed<T, TOther>(Outcome<TOther> failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return failed.Succeeded
            ? throw new InvalidOperationException("Only a failed outcome carries over.")
            : new(failed.Kind, default, failed.Reasons, failed.Errors, failed.Detail);
    }
}
