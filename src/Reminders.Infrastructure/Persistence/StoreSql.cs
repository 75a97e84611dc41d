using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NodaTime;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// Every place where the SQL the product sends differs between SQLite and SQL Server, one implementation per
/// provider (<see cref="SqliteStoreSql"/>, <see cref="SqlServerStoreSql"/>), chosen by <c>Database:Provider</c>.
/// The behaviour is tested on SQLite; the SQL Server text is parsed by SQL Server's own parser in the tests and
/// checked against the SQL Server model (no server needed), so the two cannot drift apart unseen.
/// </summary>
internal interface IStoreSql
{
    /// <summary>The provider this implementation speaks to.</summary>
    DatabaseProvider Provider { get; }

    /// <summary>
    /// The dispatcher's claim: leases up to <see cref="SmsClaim.Limit"/> due, pending, unleased SMS to
    /// <see cref="SmsClaim.Owner"/> until <see cref="SmsClaim.Until"/>, oldest due first, in one atomic step that
    /// another instance's claim can neither see half-done nor take the same rows in; returns their ids.
    /// </summary>
    Task<IReadOnlyList<long>> ClaimDueSmsAsync(RemindersDbContext db, SmsClaim claim, CancellationToken cancellationToken);

    /// <summary>The claim's command, text and parameters bound, on <paramref name="connection"/>, not executed.</summary>
    DbCommand ClaimCommand(DbConnection connection, IModel model, SmsClaim claim);

    /// <summary>The writer of a VAS migration's batches (the raw bulk path where the provider has one).</summary>
    Task<IVasBatchWriter> OpenVasWriterAsync(RemindersDbContext db, VasImportWriteMode mode, CancellationToken cancellationToken);
}

/// <summary>One claim of the dispatcher.</summary>
/// <param name="Owner">The claiming instance's lease owner id.</param>
/// <param name="Now">Due at or before this instant, and any lease ended by it.</param>
/// <param name="Until">The lease's end.</param>
/// <param name="Limit">At most this many SMS.</param>
internal sealed record SmsClaim(string Owner, Instant Now, Instant Until, int Limit);

/// <summary>Chooses the <see cref="IStoreSql"/> of a provider.</summary>
internal static class StoreSql
{
    /// <summary>The implementation for <paramref name="provider"/>.</summary>
    public static IStoreSql For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => SqliteStoreSql.Instance,
        DatabaseProvider.SqlServer => SqlServerStoreSql.Instance,
        _ => throw new InvalidOperationException($"Unknown provider {provider}."),
    };

    /// <summary>The implementation for the provider <paramref name="db"/> was configured with (from <c>Database:Provider</c>).</summary>
    public static IStoreSql For(RemindersDbContext db) =>
        For(db.Database.IsSqlServer() ? DatabaseProvider.SqlServer
            : db.Database.IsSqlite() ? DatabaseProvider.Sqlite
            : throw new InvalidOperationException($"Unsupported provider {db.Database.ProviderName}."));
}

/// <summary>
/// Parameters of the raw statements, created by the mapped property's own type mapping as EF's saves create
/// them (value converter applied; on SQL Server an instant is a <c>datetime2</c> parameter, a string has its
/// column's type and length), after checking that a string fits its column: SQLite would keep an over-long value
/// that SQL Server refuses, so both refuse it here, before anything is written.
/// </summary>
internal static class StoreParameters
{
    /// <summary>Adds the parameter <paramref name="name"/> for <paramref name="property"/>'s column with <paramref name="value"/>.</summary>
    public static DbParameter Add(DbCommand command, IProperty property, string name, object? value)
    {
        var mapping = property.GetRelationalTypeMapping();
        var stored = mapping.Converter is { } converter && value is not null ? converter.ConvertToProvider(value) : value;
        if (stored is string text && property.GetMaxLength() is { } max && text.Length > max)
        {
            throw new InvalidOperationException(
                $"{property.DeclaringType.DisplayName()}.{property.Name} holds at most {max} characters; the value has {text.Length}.");
        }

        var parameter = mapping.CreateParameter(command, name, value, property.IsNullable);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
