using System.Data;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Phones;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Web.Tests.SqlServer;

/// <summary>
/// Issue #14: every statement the product sends to SQL Server, made by the code that makes it at run time, is
/// parsed by SQL Server's own parser and checked against the SQL Server model, without a server.
/// </summary>
public sealed class SqlServerStatementTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 8, 15, 30) + Duration.FromTicks(1234567);

    [Fact]
    public void The_parser_and_the_model_check_refuse_a_broken_statement()
    {
        // A claim with its SET list lost: the parser must say so, or none of these tests could fail.
        var (_, errors) = SqlServerStore.TryParse("UPDATE TOP (@limit) [Messages] WITH (UPDLOCK) SET OUTPUT inserted.[Id] WHERE [Status] = 'Pending';");
        var error = Assert.Single(errors);
        Assert.Equal(46010, error.Number);
        Assert.Equal("Incorrect syntax near 'inserted'.", error.Message);

        // Parses, but names a column and a table the model has not, compares a varchar column with N'…', a status
        // that is no status, and a too long text.
        var check = TSqlModelCheck.Run(SqlServerStore.Parse("""
            UPDATE [Messages] SET [Owner] = @owner WHERE [Status] = N'Pending' AND [LeaseOwner] = 'x' AND [Status] = 'Waiting';
            SELECT [Id] FROM [Message];
            INSERT INTO [Messages] ([LeaseOwner]) VALUES ('
            """ + new string('x', 101) + "');"), SqlServerStore.Model);
        Assert.Contains(check.Problems, p => p.StartsWith("Column Owner is not in Messages", StringComparison.Ordinal));
        Assert.Contains(check.Problems, p => p.StartsWith("Table Message is not", StringComparison.Ordinal));
        Assert.Contains(check.Problems, p => p.StartsWith("N'Pending' meets the varchar column Messages.Status", StringComparison.Ordinal));
        Assert.Contains(check.Problems, p => p.StartsWith("'Waiting' is not a SmsStatus", StringComparison.Ordinal));
        Assert.Contains(check.Problems, p => p.Contains("is longer than Messages.LeaseOwner (varchar(100))", StringComparison.Ordinal));

        // A parameter of the wrong type or length, and an instant bound as the legacy datetime.
        using var command = new SqlCommand("UPDATE [Messages] SET [LeaseOwner] = @owner, [LeaseUntil] = @until WHERE [Id] = @id");
        command.Parameters.Add("@owner", SqlDbType.NVarChar, 4000).Value = "a";
        command.Parameters.Add("@until", SqlDbType.DateTime).Value = Now.ToDateTimeUtc();
        command.Parameters.Add("@id", SqlDbType.BigInt).Value = 1L;
        var parameters = TSqlModelCheck.Run(SqlServerStore.Parse(command.CommandText), SqlServerStore.Model).ParameterProblems(command.Parameters);
        Assert.Contains("@owner is NVarChar but Messages.LeaseOwner is varchar(100).", parameters);
        Assert.Contains("@until is DateTime but Messages.LeaseUntil is datetime2.", parameters);
        Assert.Contains("@until carries an instant as DateTime, not datetime2.", parameters);
        Assert.Equal(3, parameters.Count);
    }

    [Fact]
    public void The_idempotent_migration_script_parses_and_creates_every_table_and_column_of_the_model()
    {
        using var db = SqlServerStore.NewContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var tree = (TSqlScript)SqlServerStore.Parse(script);

        var created = new CreatedTables();
        tree.Accept(created);
        foreach (var table in SqlServerStore.Model.GetRelationalModel().Tables)
        {
            Assert.True(created.Columns.TryGetValue(table.Name, out var columns), $"The script creates no table {table.Name}.");
            foreach (var column in table.Columns)
            {
                Assert.True(columns.TryGetValue(column.Name, out var type), $"The script creates {table.Name} without {column.Name}.");
                Assert.Equal(column.StoreType, type, ignoreCase: true);
            }
        }

        // Every migration is guarded by the history table, so the script can be run again on a migrated database.
        foreach (var migration in db.Database.GetMigrations())
        {
            Assert.Contains($"WHERE [MigrationId] = N'{migration}'", script, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_dispatchers_claim_parses_fits_the_model_holds_its_row_locks_and_binds_datetime2()
    {
        using var connection = SqlServerStore.UnopenedConnection();
        var claim = new SmsClaim("host:4242:" + Guid.NewGuid().ToString("N"), Now, Now + Duration.FromMinutes(5), 50);
        using var command = (SqlCommand)StoreSql.For(DatabaseProvider.SqlServer).ClaimCommand(connection, SqlServerStore.Model, claim);

        var tree = SqlServerStore.Parse(command.CommandText);

        var check = TSqlModelCheck.Run(tree, SqlServerStore.Model);
        Assert.Empty(check.Problems);
        Assert.Empty(check.ParameterProblems(command.Parameters));
        Assert.Equal(["@now", "@now", "@owner", "@until"], check.Bindings.Select(b => b.Variable).Order(StringComparer.Ordinal));

        var hints = new Hints();
        tree.Accept(hints);
        var messages = Assert.Single(hints.Tables, t => t.Name == "Messages");
        Assert.Equal([TableHintKind.UpdLock, TableHintKind.ReadPast, TableHintKind.Rowlock], messages.Hints);
        Assert.Equal(["Id"], hints.Output);
        Assert.Equal(SqlDbType.Int, command.Parameters["@limit"].SqlDbType);
        Assert.Equal(SqlDbType.DateTime2, command.Parameters["@now"].SqlDbType);
        Assert.Equal(SqlDbType.DateTime2, command.Parameters["@until"].SqlDbType);
        Assert.Equal(claim.Now.ToDateTimeUtc(), command.Parameters["@now"].Value);
        Assert.Equal(claim.Owner, command.Parameters["@owner"].Value);
    }

    [Fact]
    public void Bulk_replanning_updates_of_every_shape_and_its_insert_parse_fit_the_model_and_bind_typed_parameters()
    {
        using var db = SqlServerStore.NewContext();
        var sql = new BulkSmsSql(db.Model, db.GetService<ISqlGenerationHelper>());
        using var connection = SqlServerStore.UnopenedConnection();
        var start = Now + Duration.FromDays(3);
        var sms = OutgoingSms.Plan(7, new PlannedSms(SmsKind.Reminder, Recipient.Patient, PhoneNumber.FromTrusted("+46701740612"), start - Duration.FromHours(48), "Påminnelse: tid på Vårdcentralen Ekdal.", []), start, "token-" + Guid.NewGuid().ToString("N"), Now);
        sms.Lease("host:1:lease", Now + Duration.FromMinutes(5));
        var original = BulkSmsChanges.Snapshot([sms])[0];

        var shapes = 0;
        for (var changed = 1; changed < 1 << BulkSmsSql.ReplannableCount; changed++)
        {
            foreach (var noLease in new[] { true, false })
            {
                var (text, set) = sql.Update(changed, noLease);
                using var command = (SqlCommand)connection.CreateCommand();
                command.CommandText = text;
                sql.BindUpdate(command, set, sms, noLease ? original with { LeaseOwner = null } : original);
                var check = TSqlModelCheck.Run(SqlServerStore.Parse(text), SqlServerStore.Model);
                Assert.True(check.Problems.Count == 0, string.Join('\n', check.Problems) + "\n" + text);
                var parameters = check.ParameterProblems(command.Parameters);
                Assert.True(parameters.Count == 0, string.Join('\n', parameters) + "\n" + text);
                Assert.Equal(command.Parameters.Count, check.Bindings.Count);
                shapes++;
            }
        }

        Assert.Equal(510, shapes);
        using var insert = (SqlCommand)connection.CreateCommand();
        insert.CommandText = sql.Insert();
        sql.BindInsert(insert, sms);
        var inserted = TSqlModelCheck.Run(SqlServerStore.Parse(insert.CommandText), SqlServerStore.Model);
        Assert.Empty(inserted.Problems);
        Assert.Empty(inserted.ParameterProblems(insert.Parameters));
        var columns = SqlServerStore.Model.GetRelationalModel().FindTable("Messages", null)!.Columns.Select(c => c.Name).Where(c => c != "Id");
        Assert.Equal(columns.Order(StringComparer.Ordinal), inserted.Bindings.Select(b => b.Column.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_string_longer_than_its_column_is_refused_before_it_is_bound()
    {
        using var connection = SqlServerStore.UnopenedConnection();
        var claim = new SmsClaim(new string('h', 101), Now, Now + Duration.FromMinutes(5), 50);

        var refused = Assert.Throws<InvalidOperationException>(() => StoreSql.For(DatabaseProvider.SqlServer).ClaimCommand(connection, SqlServerStore.Model, claim));

        Assert.Equal("OutgoingSms.LeaseOwner holds at most 100 characters; the value has 101.", refused.Message);
        using var fits = StoreSql.For(DatabaseProvider.SqlServer).ClaimCommand(connection, SqlServerStore.Model, claim with { Owner = new string('h', 100) });
        Assert.Equal(100, fits.Parameters["@owner"].Size);
    }

    /// <summary>The columns and store types of every CREATE TABLE, with the columns later migrations add or alter.</summary>
    private sealed class CreatedTables : TSqlFragmentVisitor
    {
        public Dictionary<string, Dictionary<string, string>> Columns { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override void Visit(CreateTableStatement node)
        {
            var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var column in node.Definition.ColumnDefinitions)
            {
                columns[column.ColumnIdentifier.Value] = StoreType(column.DataType);
            }

            Columns[node.SchemaObjectName.BaseIdentifier.Value] = columns;
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            if (Columns.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var columns))
            {
                foreach (var column in node.Definition.ColumnDefinitions)
                {
                    columns[column.ColumnIdentifier.Value] = StoreType(column.DataType);
                }
            }
        }

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            if (node.DataType is not null && Columns.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var columns))
            {
                columns[node.ColumnIdentifier.Value] = StoreType(node.DataType);
            }
        }

        private static string StoreType(DataTypeReference dataType)
        {
            var type = (SqlDataTypeReference)dataType;
            var length = type.Parameters.Count == 0 ? "" : $"({string.Join(",", type.Parameters.Select(p => p is MaxLiteral ? "max" : p.Value))})";
            return type.SqlDataTypeOption.ToString().ToLowerInvariant() + length;
        }
    }

    /// <summary>The table hints of every table named, and the columns of OUTPUT clauses.</summary>
    private sealed class Hints : TSqlFragmentVisitor
    {
        public List<(string Name, List<TableHintKind> Hints)> Tables { get; } = [];

        public List<string> Output { get; } = [];

        public override void Visit(NamedTableReference node) =>
            Tables.Add((node.SchemaObject.BaseIdentifier.Value, [.. node.TableHints.Select(h => h.HintKind)]));

        public override void Visit(OutputClause node) =>
            Output.AddRange(node.SelectColumns.OfType<SelectScalarExpression>().Select(s => ((ColumnReferenceExpression)s.Expression).MultiPartIdentifier.Identifiers[^1].Value));
    }
}
