using Reminders.Domain.Reminders;

namespace Reminders.Domain.Audit;

/// <summary>
/// Who acts, and through which channel (R55): a staff user's id (never the name), an API key's name
/// (<c>api:{name}</c>), or <c>system</c>. The one actor type: the web layer builds it from the signed-in user's
/// claims in one place, the API from its key, jobs and the importer use <see cref="System"/>.
/// </summary>
/// <param name="Id">The actor recorded in the audit log; never a secret, a name or a number.</param>
/// <param name="Channel">How the action is made.</param>
/// <param name="Role">The user's role(s), comma-separated, for staff.</param>
/// <param name="Unit">The care unit the user works from, when chosen.</param>
public sealed record Actor(string Id, ChangeChannel Channel, string? Role = null, string? Unit = null)
{
    /// <summary>The product itself (the nightly R13 job, the importer run from the command line).</summary>
    public static Actor System { get; } = new("system", ChangeChannel.Automatic);
}
