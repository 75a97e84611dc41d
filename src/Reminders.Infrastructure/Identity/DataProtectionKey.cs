namespace Reminders.Infrastructure.Identity;

/// <summary>
/// A data-protection key ring entry kept in the database, so that several app instances share one key
/// ring (a form or cookie issued by one is accepted by another). Microsoft's EF package for this is not
/// on the registry here (docs/decisions/0003); <see cref="DatabaseXmlRepository"/> does its job.
/// </summary>
public sealed class DataProtectionKey
{
    /// <summary>Internal id.</summary>
    public int Id { get; set; }

    /// <summary>The key's friendly name.</summary>
    public string? FriendlyName { get; set; }

    /// <summary>The key XML.</summary>
    public string Xml { get; set; } = "";
}
