using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;

namespace Reminders.Infrastructure.Persistence;

/// <summary>The two supported stores (docs/decisions/0001-two-migrations-assemblies.md).</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: a SQLite file in the data folder, migrated at start-up.</summary>
    Sqlite,

    /// <summary>Production: SQL Server, migrated with an idempotent script (README).</summary>
    SqlServer,
}

/// <summary>Registers <see cref="RemindersDbContext"/> for the configured provider.</summary>
public static class StoreRegistration
{
    /// <summary>The migrations assembly of the SQLite provider.</summary>
    public const string SqliteMigrationsAssembly = "Reminders.Migrations.Sqlite";

    /// <summary>The migrations assembly of the SQL Server provider.</summary>
    public const string SqlServerMigrationsAssembly = "Reminders.Migrations.SqlServer";

    /// <summary>Reads <c>Database:Provider</c> (default Sqlite); anything else is a configuration error.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var value = configuration["Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value, ignoreCase: true, out var provider)
            ? provider
            : throw new InvalidOperationException($"Database:Provider: '{value}' is not accepted; expected one of Sqlite, SqlServer.");
    }

    /// <summary>
    /// The data folder (SQLite file, logs): <c>Data:Directory</c>, relative to the content root, or <c>data</c>
    /// under the content root.
    /// </summary>
    public static string DataDirectoryFrom(IConfiguration configuration, IHostEnvironment environment) =>
        configuration["Data:Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, environment.ContentRootPath)
            : Path.Combine(environment.ContentRootPath, "data");

    /// <summary>
    /// The connection string: <c>ConnectionStrings:Reminders</c>, or for SQLite a file in
    /// <paramref name="dataDirectory"/> (created when missing).
    /// </summary>
    public static string ConnectionStringFrom(IConfiguration configuration, DatabaseProvider provider, string dataDirectory)
    {
        var configured = configuration.GetConnectionString("Reminders");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        if (provider == DatabaseProvider.SqlServer)
        {
            throw new InvalidOperationException("ConnectionStrings:Reminders: required when Database:Provider is SqlServer.");
        }

        Directory.CreateDirectory(dataDirectory);
        return new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "reminders.db") }.ToString();
    }

    /// <summary>Configures <paramref name="options"/> for a provider and connection string.</summary>
    public static DbContextOptionsBuilder UseRemindersStore(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                var builder = new SqliteConnectionStringBuilder(connectionString);
                if (builder.DataSource is { Length: > 0 } file && builder.Mode != SqliteOpenMode.Memory && Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir)
                {
                    Directory.CreateDirectory(dir);
                }

                options.UseSqlite(connectionString, o => o.MigrationsAssembly(SqliteMigrationsAssembly).CommandTimeout(30));
                options.AddInterceptors(SqlitePragmas.Instance);
                break;
            case DatabaseProvider.SqlServer:
                options.UseSqlServer(connectionString, o => o.MigrationsAssembly(SqlServerMigrationsAssembly));
                break;
            default:
                throw new InvalidOperationException($"Unknown provider {provider}.");
        }

        options.AddInterceptors(Audit.AppendOnlyAuditInterceptor.Instance, ColumnLengthGuard.Instance);
        // These events print the whole exception into their message, and a provider's message can quote a refused
        // row's key (on SQL Server a personnummer). The exception still reaches the caller; unhandled, it is logged
        // with the database message withheld (Reminders.Web.Hosting.PersonalDataRedaction).
        options.ConfigureWarnings(w => w.Ignore(CoreEventId.SaveChangesFailed, CoreEventId.QueryIterationFailed, CoreEventId.OptimisticConcurrencyException));
        return options;
    }

    /// <summary>
    /// Registers the context for the configured provider. Configuration is read when the container first
    /// needs it, not at registration, so every configuration source (tests' included) is seen.
    /// </summary>
    public static IServiceCollection AddRemindersStore(this IServiceCollection services)
    {
        services.AddCheckedOptions<DatabaseOptions>("Database");
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var environment = sp.GetRequiredService<IHostEnvironment>();
            var dataDirectory = DataDirectoryFrom(configuration, environment);
            var provider = ProviderFrom(configuration);
            return new StoreSettings(provider, ConnectionStringFrom(configuration, provider, dataDirectory), dataDirectory);
        });
        services.AddSingleton(sp => StoreSql.For(sp.GetRequiredService<StoreSettings>().Provider));
        services.AddSingleton(sp => new Units.UnitDirectory(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddMetrics();
        services.AddSingleton(sp => new Messaging.SmsMetrics(
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<IServiceScopeFactory>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<SqliteMemoryMetrics>();
        // The options are built once (singleton), not for every request's context: building them parses the
        // connection string and touches the data folder.
        services.AddDbContext<RemindersDbContext>(
            (sp, options) =>
            {
                var store = sp.GetRequiredService<StoreSettings>();
                options.UseRemindersStore(store.Provider, store.ConnectionString);
                options.AddInterceptors(sp.GetRequiredService<Units.UnitDirectory>().ChangeInterceptor, sp.GetRequiredService<Messaging.SmsMetrics>().Interceptor);
            },
            contextLifetime: ServiceLifetime.Scoped,
            optionsLifetime: ServiceLifetime.Singleton);
        return services;
    }

    /// <summary>
    /// Per-connection SQLite settings: WAL lets readers run beside the one writer (persists in the file once
    /// set); synchronous=NORMAL is durable under WAL except for power loss on the last commits; busy_timeout lets
    /// SQLite itself wait for the write lock. synchronous and busy_timeout belong to the native connection, which
    /// Microsoft.Data.Sqlite keeps across pooled opens, so the pragmas run once per native connection (keyed by
    /// its handle), not at every open EF makes.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = [];
        private static readonly object Marker = new();

        public static SqlitePragmas Instance { get; } = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Apply(connection);
            return Task.CompletedTask;
        }

        private static void Apply(DbConnection connection)
        {
            var handle = ((SqliteConnection)connection).Handle;
            if (handle is not null && Applied.TryGetValue(handle, out _))
            {
                return;
            }

            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
                command.ExecuteNonQuery();
            }

            if (handle is not null)
            {
                Applied.TryAdd(handle, Marker);
            }
        }
    }
}

/// <summary><c>Database:*</c>, checked at start (the store itself is resolved into <see cref="StoreSettings"/>).</summary>
public sealed class DatabaseOptions
{
    /// <summary>Which store.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply migrations at start; default true for SQLite, false for SQL Server (a script applies them).</summary>
    public bool? MigrateAtStartup { get; set; }

    /// <summary>Whether migrations are applied at start.</summary>
    public bool Migrates => MigrateAtStartup ?? Provider == DatabaseProvider.Sqlite;
}

/// <summary>SQL Server needs a connection string; SQLite defaults to a file in the data folder.</summary>
public sealed class DatabaseOptionsValidator(IConfiguration configuration) : IValidateOptions<DatabaseOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) => new OptionsFailures()
        .Check(options.Provider == DatabaseProvider.SqlServer && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Reminders")),
            "ConnectionStrings:Reminders", "required when Database:Provider is SqlServer, e.g. Server=db;Database=Reminders;Integrated Security=true;Encrypt=true.")
        .Result();
}

/// <summary>The resolved store settings, for health checks and raw-SQL paths (dispatcher claim).</summary>
/// <param name="Provider">The provider.</param>
/// <param name="ConnectionString">The connection string.</param>
/// <param name="DataDirectory">The data folder (SQLite file, logs, imports).</param>
public sealed record StoreSettings(DatabaseProvider Provider, string ConnectionString, string DataDirectory);
