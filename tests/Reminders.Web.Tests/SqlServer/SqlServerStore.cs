using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Tests.SqlServer;

/// <summary>
/// SQL Server without a server: a context configured exactly as <c>Database:Provider=SqlServer</c> configures it
/// (never opened), its model, and SQL Server's own T-SQL parser (ScriptDom, the parser of SQL Server's tools).
/// </summary>
internal static class SqlServerStore
{
    /// <summary>A connection string that is never used to connect: nothing here opens a connection.</summary>
    public const string ConnectionString = "Server=sqlserver.invalid;Database=Reminders;Integrated Security=true;TrustServerCertificate=true";

    private static readonly Lazy<IModel> SharedModel = new(() =>
    {
        using var db = NewContext();
        return db.Model;
    });

    /// <summary>The runtime model of the SQL Server provider (table, column and type names as SQL Server gets them).</summary>
    public static IModel Model => SharedModel.Value;

    /// <summary>A context configured for SQL Server as the product configures it (<see cref="StoreRegistration.UseRemindersStore"/>).</summary>
    public static RemindersDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.SqlServer, ConnectionString);
        return new RemindersDbContext(options.Options);
    }

    /// <summary>A SqlClient connection, never opened, to build commands on as the product builds them.</summary>
    public static SqlConnection UnopenedConnection() => new(ConnectionString);

    /// <summary>
    /// Parses <paramref name="sql"/> with the newest T-SQL parser, QUOTED_IDENTIFIER on as SqlClient sets it for
    /// every session; returns the tree and the parser's errors.
    /// </summary>
    public static (TSqlFragment Tree, IList<ParseError> Errors) TryParse(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        var tree = parser.Parse(reader, out var errors);
        return (tree, errors);
    }

    /// <summary>Parses <paramref name="sql"/> and fails the test with every parse error, located, and the text.</summary>
    public static TSqlFragment Parse(string sql)
    {
        var (tree, errors) = TryParse(sql);
        Assert.True(errors.Count == 0,
            $"SQL Server's parser refused the statement:\n{Describe(errors)}\n--- statement ---\n{sql}");
        return tree;
    }

    /// <summary>The parser's errors, one a line, with their position.</summary>
    public static string Describe(IEnumerable<ParseError> errors) =>
        string.Join('\n', errors.Select(e => $"  line {e.Line}, column {e.Column}: error {e.Number}: {e.Message}"));
}
