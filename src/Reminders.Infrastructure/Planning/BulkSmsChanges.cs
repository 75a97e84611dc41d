using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Planning;

/// <summary>
/// The SMS changes of a bulk replanning (<see cref="ReminderPlanner.PlanUnitAsync"/>, issue #9), kept outside the
/// change tracker and written by <see cref="WriteAsync"/> in the caller's transaction with one reused command per
/// statement shape, re-bound per row. It writes what EF's save would write and checks what EF's save checks:
/// only the columns the planner changed, each <c>UPDATE</c> conditional on the row's concurrency tokens
/// (<c>Status</c>, <c>LeaseOwner</c>, <c>Attempts</c>) as they were read, so an SMS the dispatcher claimed, started,
/// sent or put back for a retry meanwhile is never overwritten (R22, docs/decisions/0005); such a row is reported as a conflict for the caller to replan
/// the safe way.
/// </summary>
/// <remarks>
/// Portable on purpose (SQLite here, SQL Server in production; only SQLite is exercised by the tests): table and
/// column names come from the EF model, identifiers are quoted and parameters named by the provider's own SQL
/// generation helper (<c>@p0</c>…), parameters are created by each property's type mapping (value converters,
/// sizes and types as EF sends them), and the statements are plain <c>UPDATE … SET … WHERE</c> and
/// <c>INSERT … VALUES</c>. On SQLite the reused command keeps its compiled statement; SQL Server gets the same
/// parameterised text each time, so its plan is reused, but one round trip per row where EF would batch.
/// </remarks>
internal sealed class BulkSmsChanges
{
    private readonly List<Modified> _modified = [];
    private readonly List<OutgoingSms> _added = [];
    private readonly Dictionary<(BookingReach From, BookingReach To), List<long>> _reach = [];

    /// <summary>SMS changed so far.</summary>
    public int ModifiedCount => _modified.Count;

    /// <summary>SMS planned so far.</summary>
    public int AddedCount => _added.Count;

    /// <summary>What a loaded SMS looked like before planning: its replannable values and concurrency tokens.</summary>
    public static Original[] Snapshot(List<OutgoingSms> existing)
    {
        var originals = new Original[existing.Count];
        for (var i = 0; i < existing.Count; i++)
        {
            var s = existing[i];
            originals[i] = new Original(s.Status, s.BookingStart, s.DueAt, s.NotBefore, s.Text, [.. s.Reasons], s.LeaseOwner, s.LeaseUntil, s.Attempts);
        }

        return originals;
    }

    /// <summary>Records one booking's planning: its loaded SMS (with their <see cref="Snapshot"/>) and the new ones.</summary>
    public void Record(List<OutgoingSms> existing, Original[] originals, IReadOnlyList<OutgoingSms> added)
    {
        for (var i = 0; i < existing.Count; i++)
        {
            var changed = Changes(originals[i], existing[i]);
            if (changed != 0)
            {
                _modified.Add(new Modified(existing[i], originals[i], changed));
            }
        }

        _added.AddRange(added);
    }

    /// <summary>Records the planner's answer to "do the SMS reach anyone" (R60b) for a booking read untracked.</summary>
    public void RecordReach(Booking booking, BookingReach reach)
    {
        if (booking.Reach == reach)
        {
            return;
        }

        if (!_reach.TryGetValue((booking.Reach, reach), out var ids))
        {
            _reach.Add((booking.Reach, reach), ids = []);
        }

        ids.Add(booking.Id);
    }

    /// <summary>
    /// Writes the changes in the context's current transaction (required): the updates first, then the new SMS of
    /// every booking without a conflict. Returns the bookings with a conflicting SMS; nothing planned for them was
    /// inserted, and the caller must replan them from what is stored now.
    /// </summary>
    public async Task<HashSet<long>> WriteAsync(RemindersDbContext db, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A bulk replanning is written inside a transaction.");
        var statements = new Statements(db, transaction);
        var conflicts = new HashSet<long>();
        try
        {
            foreach (var change in _modified)
            {
                if (await statements.UpdateAsync(change, cancellationToken) == 0)
                {
                    conflicts.Add(change.Sms.BookingId);
                }
            }

            foreach (var sms in _added)
            {
                if (!conflicts.Contains(sms.BookingId))
                {
                    await statements.InsertAsync(sms, cancellationToken);
                }
            }
        }
        finally
        {
            await statements.DisposeAsync();
        }

        await WriteReachAsync(db, cancellationToken);
        return conflicts;
    }

    /// <summary>The most booking ids in one reach update (one JSON parameter on both providers).</summary>
    private const int ReachChunk = 2_000;

    /// <summary>
    /// R60b: stores each booking's answer, a few set-based updates (one per old and new value). Each is conditional on
    /// the value read: a booking planned again meanwhile by a change of its own (tracked, and fresher than this unit's
    /// replanning) keeps that answer.
    /// </summary>
    private async Task WriteReachAsync(RemindersDbContext db, CancellationToken cancellationToken)
    {
        foreach (var ((from, to), ids) in _reach)
        {
            foreach (var chunk in ids.Chunk(ReachChunk))
            {
                await db.Bookings.Where(b => chunk.Contains(b.Id) && b.Reach == from)
                    .ExecuteUpdateAsync(u => u.SetProperty(b => b.Reach, to), cancellationToken);
            }
        }
    }

    private static int Changes(Original o, OutgoingSms s)
    {
        var changed = 0;
        changed |= o.Status != s.Status ? 1 << 0 : 0;
        changed |= o.BookingStart != s.BookingStart ? 1 << 1 : 0;
        changed |= o.DueAt != s.DueAt ? 1 << 2 : 0;
        changed |= o.NotBefore != s.NotBefore ? 1 << 3 : 0;
        changed |= !string.Equals(o.Text, s.Text, StringComparison.Ordinal) ? 1 << 4 : 0;
        changed |= !o.Reasons.AsSpan().SequenceEqual(s.Reasons is List<Reason> list ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list) : [.. s.Reasons]) ? 1 << 5 : 0;
        changed |= !string.Equals(o.LeaseOwner, s.LeaseOwner, StringComparison.Ordinal) ? 1 << 6 : 0;
        changed |= o.LeaseUntil != s.LeaseUntil ? 1 << 7 : 0;
        return changed;
    }

    /// <summary>An SMS's replannable values and concurrency tokens as loaded.</summary>
    internal readonly record struct Original(SmsStatus Status, Instant BookingStart, Instant DueAt, Instant NotBefore, string Text, Reason[] Reasons, string? LeaseOwner, Instant? LeaseUntil, int Attempts);

    private readonly record struct Modified(OutgoingSms Sms, Original Original, int Changed);

    /// <summary>The commands, built once per write and reused for every row of the same shape.</summary>
    private sealed class Statements(RemindersDbContext db, DbTransaction transaction) : IAsyncDisposable
    {
        private readonly DbConnection _connection = db.Database.GetDbConnection();
        private readonly int? _timeout = db.Database.GetCommandTimeout();
        private readonly BulkSmsSql _sql = new(db.Model, db.GetService<ISqlGenerationHelper>());
        private readonly Dictionary<(int Changed, bool NoLease), (DbCommand Command, IProperty[] Set)> _updates = [];
        private DbCommand? _insert;

        /// <summary>One conditional update; returns the rows affected (0: the stored row moved on, a conflict).</summary>
        public async Task<int> UpdateAsync(Modified change, CancellationToken cancellationToken)
        {
            var noLease = change.Original.LeaseOwner is null;
            if (!_updates.TryGetValue((change.Changed, noLease), out var update))
            {
                var (sql, set) = _sql.Update(change.Changed, noLease);
                update = (NewCommand(sql), set);
                _updates.Add((change.Changed, noLease), update);
            }

            var (command, columns) = update;
            _sql.BindUpdate(command, columns, change.Sms, change.Original);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task InsertAsync(OutgoingSms sms, CancellationToken cancellationToken)
        {
            _insert ??= NewCommand(_sql.Insert());
            _sql.BindInsert(_insert, sms);
            await _insert.ExecuteNonQueryAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (command, _) in _updates.Values)
            {
                await command.DisposeAsync();
            }

            if (_insert is not null)
            {
                await _insert.DisposeAsync();
            }
        }

        private DbCommand NewCommand(string sql)
        {
            var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandTimeout = _timeout ?? command.CommandTimeout;
#pragma warning disable CA2100 // Built only from the EF model's names and parameter placeholders; every value is a parameter.
            command.CommandText = sql;
#pragma warning restore CA2100
            return command;
        }
    }
}

/// <summary>
/// The statements of <see cref="BulkSmsChanges"/>, made from the EF model and the provider's SQL generation helper
/// alone (no connection), so the SQL Server text the product sends can be produced and parsed in the tests.
/// </summary>
internal sealed class BulkSmsSql
{
    // What SmsPlanner.Reconcile can change on an existing SMS (Replan, Cancel, Suppress, which releases the lease), as
    // EF property names in bit order. The comparison of bulk and one-by-one rows in the tests guards this list.
    private static readonly string[] Replannable =
    [
        nameof(OutgoingSms.Status), nameof(OutgoingSms.BookingStart), nameof(OutgoingSms.DueAt), nameof(OutgoingSms.NotBefore),
        nameof(OutgoingSms.Text), "_reasons", nameof(OutgoingSms.LeaseOwner), nameof(OutgoingSms.LeaseUntil),
    ];

    private readonly ISqlGenerationHelper _sql;
    private readonly StoreObjectIdentifier _table;
    private readonly IProperty _key;
    private readonly IProperty _status;
    private readonly IProperty _leaseOwner;
    private readonly IProperty _attempts;
    private readonly IProperty[] _replannable;
    private readonly IProperty[] _inserted;

    public BulkSmsSql(IModel model, ISqlGenerationHelper sql)
    {
        _sql = sql;
        var entity = model.FindEntityType(typeof(OutgoingSms))!;
        _table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        _key = entity.FindPrimaryKey()!.Properties.Single();
        _status = entity.FindProperty(nameof(OutgoingSms.Status))!;
        _leaseOwner = entity.FindProperty(nameof(OutgoingSms.LeaseOwner))!;
        _attempts = entity.FindProperty(nameof(OutgoingSms.Attempts))!;
        _replannable = [.. Replannable.Select(name => entity.FindProperty(name) ?? throw new InvalidOperationException($"OutgoingSms has no mapped property {name}."))];
        _inserted = [.. entity.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never))];

        // The WHERE below checks exactly these tokens: a token added to the model must be added here too.
        var tokens = entity.GetProperties().Where(p => p.IsConcurrencyToken).Select(p => p.Name).Order(StringComparer.Ordinal);
        if (!tokens.SequenceEqual([nameof(OutgoingSms.Attempts), nameof(OutgoingSms.LeaseOwner), nameof(OutgoingSms.Status)]))
        {
            throw new InvalidOperationException("The bulk SMS writer checks Status, LeaseOwner and Attempts; the model's concurrency tokens differ.");
        }
    }

    /// <summary>How many replannable columns there are: an update's <c>changed</c> mask has this many bits.</summary>
    public static int ReplannableCount => Replannable.Length;

    /// <summary>
    /// The conditional update of the replannable columns set in <paramref name="changed"/> (bit i: the i-th of
    /// <see cref="Replannable"/>), for a row loaded with (<paramref name="noLease"/>) or without a lease; and the
    /// properties it sets, in parameter order.
    /// </summary>
    public (string Sql, IProperty[] Set) Update(int changed, bool noLease)
    {
        var set = _replannable.Where((_, bit) => (changed & (1 << bit)) != 0).ToArray();
        var index = 0;
        var assignments = string.Join(", ", set.Select(p => $"{Column(p)} = {Placeholder(index++)}"));
        var where = $"{Column(_key)} = {Placeholder(index++)} AND {Column(_status)} = {Placeholder(index++)} AND {Column(_attempts)} = {Placeholder(index++)} AND "
            + (noLease ? $"{Column(_leaseOwner)} IS NULL" : $"{Column(_leaseOwner)} = {Placeholder(index)}");
        return ($"UPDATE {Table()} SET {assignments} WHERE {where}", set);
    }

    /// <summary>The insert of a new SMS (every column but a generated key).</summary>
    public string Insert() =>
        $"INSERT INTO {Table()} ({string.Join(", ", _inserted.Select(Column))}) VALUES ({string.Join(", ", _inserted.Select((_, i) => Placeholder(i)))})";

    /// <summary>Binds an update's parameters (made by <see cref="Update"/> with <paramref name="set"/>) for one SMS.</summary>
    public void BindUpdate(DbCommand command, IProperty[] set, OutgoingSms sms, BulkSmsChanges.Original original)
    {
        command.Parameters.Clear();
        var index = 0;
        foreach (var property in set)
        {
            Add(command, index++, property, property.GetGetter().GetClrValue(sms));
        }

        Add(command, index++, _key, sms.Id);
        Add(command, index++, _status, original.Status);
        Add(command, index++, _attempts, original.Attempts);
        if (original.LeaseOwner is not null)
        {
            Add(command, index, _leaseOwner, original.LeaseOwner);
        }
    }

    /// <summary>Binds the insert's parameters for one new SMS.</summary>
    public void BindInsert(DbCommand command, OutgoingSms sms)
    {
        command.Parameters.Clear();
        for (var i = 0; i < _inserted.Length; i++)
        {
            Add(command, i, _inserted[i], _inserted[i].GetGetter().GetClrValue(sms));
        }
    }

    // Each row's parameters are created by the property's type mapping, as EF's own save creates them (converter
    // applied; type, size and nullability set the provider's way for that value); the command text stays the same.
    private void Add(DbCommand command, int index, IProperty property, object? value) =>
        StoreParameters.Add(command, property, _sql.GenerateParameterName("p" + index), value);

    private string Placeholder(int index) => _sql.GenerateParameterNamePlaceholder("p" + index);

    private string Table() => _sql.DelimitIdentifier(_table.Name, _table.Schema);

    private string Column(IProperty property) => _sql.DelimitIdentifier(property.GetColumnName(_table)!);
}
