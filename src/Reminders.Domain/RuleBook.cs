namespace Reminders.Domain;

/// <summary>The rule book this code implements (docs/rules.md).</summary>
public static class RuleBook
{
    /// <summary>
    /// The revision: data written under an older one is converted once by the replanning job (docs/decisions/0015);
    /// a store that starts empty, or is seeded by this code, is at this revision from the start.
    /// </summary>
    public const int Revision = 2;
}
