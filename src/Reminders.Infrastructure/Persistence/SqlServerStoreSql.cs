using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Metadata;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// The SQL Server side of <see cref="IStoreSql"/>. No SQL Server runs in the tests: its statements are parsed by
/// SQL Server's own parser (ScriptDom) and checked against the SQL Server model there (tests/…/SqlServer).
/// </summary>
internal sealed class SqlServerStoreSql : IStoreSql
{
    /// <summary>
    /// The claim, the usual SQL Server queue pattern: the oldest due rows are chosen and leased in one statement.
    /// UPDLOCK holds each chosen row against another claim until the statement ends, READPAST skips rows another
    /// instance holds instead of waiting on them, ROWLOCK keeps the locks on rows (not pages, which would make
    /// READPAST skip due rows that nobody claimed); OUTPUT returns the ids leased. The status is compared as a
    /// varchar literal, the column's type, so the (Status, NotBefore) index is used without conversion.
    /// </summary>
    public const string ClaimSql = """
        WITH [due] AS (
            SELECT TOP (@limit) [Id], [LeaseOwner], [LeaseUntil]
            FROM [Messages] WITH (UPDLOCK, READPAST, ROWLOCK)
            WHERE [Status] = 'Pending' AND [NotBefore] <= @now AND ([LeaseUntil] IS NULL OR [LeaseUntil] <= @now)
            ORDER BY [NotBefore], [Id])
        UPDATE [due] SET [LeaseOwner] = @owner, [LeaseUntil] = @until
        OUTPUT [inserted].[Id];
        """;

    private SqlServerStoreSql()
    {
    }

    /// <summary>The one instance.</summary>
    public static SqlServerStoreSql Instance { get; } = new();

    /// <inheritdoc />
    public DatabaseProvider Provider => DatabaseProvider.SqlServer;

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> ClaimDueSmsAsync(RemindersDbContext db, SmsClaim claim, CancellationToken cancellationToken) =>
        StoreCommands.ReadIdsInTransactionAsync(
            db,
            connection => connection.BeginTransactionAsync(cancellationToken),
            connection => ClaimCommand(connection, db.Model, claim),
            cancellationToken);

    /// <inheritdoc />
    public DbCommand ClaimCommand(DbConnection connection, IModel model, SmsClaim claim)
    {
        var sms = model.FindEntityType(typeof(OutgoingSms)) ?? throw new InvalidOperationException("OutgoingSms is not mapped.");
        var command = connection.CreateCommand();
        command.CommandText = ClaimSql;
        var limit = command.CreateParameter();
        limit.ParameterName = "@limit";
        limit.DbType = DbType.Int32;
        limit.Value = claim.Limit;
        command.Parameters.Add(limit);
        StoreParameters.Add(command, sms.GetProperty(nameof(OutgoingSms.LeaseOwner)), "@owner", claim.Owner);
        StoreParameters.Add(command, sms.GetProperty(nameof(OutgoingSms.LeaseUntil)), "@until", claim.Until);
        StoreParameters.Add(command, sms.GetProperty(nameof(OutgoingSms.NotBefore)), "@now", claim.Now);
        return command;
    }

    /// <inheritdoc />
    public Task<IVasBatchWriter> OpenVasWriterAsync(RemindersDbContext db, VasImportWriteMode mode, CancellationToken cancellationToken) =>
        Task.FromResult<IVasBatchWriter>(new EfVasBatchWriter(db));
}
