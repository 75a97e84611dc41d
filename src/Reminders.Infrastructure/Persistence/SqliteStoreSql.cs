using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Infrastructure.Persistence;

/// <summary>The SQLite side of <see cref="IStoreSql"/>.</summary>
internal sealed class SqliteStoreSql : IStoreSql
{
    /// <summary>
    /// The claim: the due SMS are chosen and leased in one statement. SQLite has no row locks; the claim runs in a
    /// <c>BEGIN IMMEDIATE</c> transaction, which takes the database's write lock first, so the choice and the
    /// update see one state. Instants are compared as EF's SQLite text (<see cref="SqliteFormats.DateTimeText"/>).
    /// </summary>
    public const string ClaimSql = """
        UPDATE "Messages" SET "LeaseOwner" = $owner, "LeaseUntil" = $until
        WHERE "Id" IN (
            SELECT "Id" FROM "Messages"
            WHERE "Status" = 'Pending' AND "NotBefore" <= $now AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= $now)
            ORDER BY "NotBefore", "Id"
            LIMIT $limit)
        RETURNING "Id";
        """;

    private SqliteStoreSql()
    {
    }

    /// <summary>The one instance.</summary>
    public static SqliteStoreSql Instance { get; } = new();

    /// <inheritdoc />
    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <inheritdoc />
    public Task<IReadOnlyList<long>> ClaimDueSmsAsync(RemindersDbContext db, SmsClaim claim, CancellationToken cancellationToken) =>
        StoreCommands.ReadIdsInTransactionAsync(
            db,
            connection => ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false)),
            connection => ClaimCommand(connection, db.Model, claim),
            cancellationToken);

    /// <inheritdoc />
    public DbCommand ClaimCommand(DbConnection connection, IModel model, SmsClaim claim)
    {
        var command = connection.CreateCommand();
        command.CommandText = ClaimSql;
        StoreCommands.Add(command, "$owner", claim.Owner);
        StoreCommands.Add(command, "$until", SqliteFormats.DateTimeText(claim.Until));
        StoreCommands.Add(command, "$now", SqliteFormats.DateTimeText(claim.Now));
        StoreCommands.Add(command, "$limit", claim.Limit);
        return command;
    }

    /// <inheritdoc />
    public async Task<IVasBatchWriter> OpenVasWriterAsync(RemindersDbContext db, VasImportWriteMode mode, CancellationToken cancellationToken) =>
        mode == VasImportWriteMode.Auto
            ? await SqliteVasBatchWriter.OpenAsync(db, cancellationToken)
            : (IVasBatchWriter)new EfVasBatchWriter(db);
}

/// <summary>Small helpers of the raw commands.</summary>
internal static class StoreCommands
{
    /// <summary>Adds an untyped parameter (SQLite binds by value; SQL Server's paths use <see cref="StoreParameters"/>).</summary>
    public static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Opens the context's connection, begins a transaction with <paramref name="begin"/>, runs the command
    /// <paramref name="create"/> makes, reads the first column of every row as an id, and commits.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ReadIdsInTransactionAsync(
        RemindersDbContext db, Func<DbConnection, ValueTask<DbTransaction>> begin, Func<DbConnection, DbCommand> create, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await begin(connection);
            await using var command = create(connection);
            command.Transaction = transaction;
            var ids = new List<long>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
