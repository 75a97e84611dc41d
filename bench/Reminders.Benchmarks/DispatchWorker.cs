using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Infrastructure.Messaging;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Benchmarks;

/// <summary>
/// One dispatcher instance in its own process (<c>dispatch-worker --db FILE --provider URL [--raw]</c>): the
/// benchmark starts one or two of them on the same SQLite file, as two app instances on one database. A worker
/// builds its container, warms up, prints <c>READY</c>, waits for <c>GO</c> on stdin, dispatches until nothing is
/// due and prints <c>DONE</c> with its counts. Settings can be overridden by environment variables
/// (<c>Dispatcher__BatchSize=…</c>), which the benchmark's child processes inherit.
/// </summary>
internal static class DispatchWorker
{
    public static async Task<int> RunAsync(string[] args)
    {
        var file = Value(args, "--db");
        var provider = Value(args, "--provider");
        if (args.Contains("--raw"))
        {
            return await RawAsync(file, new Uri(provider));
        }

        var warmup = Array.IndexOf(args, "--warmup") is var at and >= 0
            ? TimeSpan.FromSeconds(double.Parse(args[at + 1], CultureInfo.InvariantCulture))
            : TimeSpan.Zero;
        return await ProductAsync(file, provider, warmup > TimeSpan.Zero ? Value(args, "--warm-from") : null, warmup);
    }

    /// <summary>
    /// The product: the container the app builds for the dispatcher, driven like the hosted loop. With a
    /// warm-up, the worker first dispatches for that long from its own copies of the template (the provider's
    /// counters are reset afterwards) and waits for the tiered JIT to settle, so that the timed run measures a
    /// long-running instance, not the JIT (docs: performance-notes, warm up servers).
    /// </summary>
    private static async Task<int> ProductAsync(string file, string provider, string? template, TimeSpan warmup)
    {
        if (template is not null)
        {
            await WarmUpAsync(file, provider, template, warmup);
        }

        using var host = BuildHost(file, provider);
        var dispatcher = host.Services.GetRequiredService<SmsDispatcher>();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // The EF model, a connection, the policy.
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            _ = await db.Messages.CountAsync(m => m.Status == Domain.Messages.SmsStatus.Pending);
            _ = host.Services.GetRequiredService<ISmsPolicySource>().Current;
        }

        await WaitForGoAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jit = JitInfo.GetCompilationTime();
        var jitted = JitInfo.GetCompiledMethodCount();
        var watch = Stopwatch.StartNew();
        var summary = await dispatcher.DispatchUntilIdleAsync(CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DONE claimed={summary.Claimed} sent={summary.Sent} retried={summary.Retried} failed={summary.Failed} stopped={summary.Stopped} unknown={summary.UnknownOutcome} seconds={watch.Elapsed.TotalSeconds:F3} cpu={(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3} jit={(JitInfo.GetCompilationTime() - jit).TotalSeconds:F3}s/{JitInfo.GetCompiledMethodCount() - jitted}"));
        return 0;
    }

    private static async Task WarmUpAsync(string file, string provider, string template, TimeSpan warmup)
    {
        var watch = Stopwatch.StartNew();
        var files = new List<string>();
        for (var round = 0; watch.Elapsed < warmup; round++)
        {
            var copy = string.Create(CultureInfo.InvariantCulture, $"{file}.warm-{Environment.ProcessId}-{round}.db");
            files.Add(copy);
            DispatchData.Copy(template, copy);
            using var host = BuildHost(copy, provider);
            var dispatcher = host.Services.GetRequiredService<SmsDispatcher>();
            while (watch.Elapsed < warmup && (await dispatcher.DispatchDueAsync(CancellationToken.None)).Claimed > 0)
            {
            }
        }

        // Until the tiered JIT has compiled nothing new for a second (at most 20 s more).
        var settle = Stopwatch.StartNew();
        for (var count = JitInfo.GetCompiledMethodCount(); settle.Elapsed < TimeSpan.FromSeconds(20);)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = JitInfo.GetCompiledMethodCount();
            if (now == count)
            {
                break;
            }

            count = now;
        }

        SqliteConnection.ClearAllPools();
        foreach (var copy in files)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(copy + suffix);
            }
        }
    }

    private static IHost BuildHost(string file, string provider)
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Reminders"] = $"Data Source={file}",
            ["Sms:Provider"] = "FortySixElks",
            ["Sms:From"] = "Regionen",
            ["Sms:CallbackBaseUrl"] = "https://paminnelser.example.invalid",
            ["Sms:QuietHoursEnabled"] = "false",
            ["Sms:FortySixElks:BaseUrl"] = provider,
            ["Sms:FortySixElks:Username"] = "bench",
            ["Sms:FortySixElks:Password"] = "bench",
            ["Dispatcher:Enabled"] = "false",
        });
        builder.Configuration.AddEnvironmentVariables();

        // As RemindersApp registers them (only what the dispatcher uses; no web server). The app logs one
        // Information line per SMS through Serilog; the workers log nothing, so the figures leave logging out.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        builder.Services.AddRemindersStore();
        builder.Services.AddScoped<ReminderPlanner>();
        builder.Services.AddSingleton(sp => new DatabaseSmsPolicySource(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            (sp.GetRequiredService<IConfiguration>().GetSection("Sms").Get<SmsPolicyOptions>() ?? new SmsPolicyOptions()).ToPolicy()));
        builder.Services.AddSingleton<ISmsPolicySource>(sp => sp.GetRequiredService<DatabaseSmsPolicySource>());
        builder.Services.AddRemindersMessaging();
        // The web layer registers where it maps the delivery report; this host maps nothing, so it names the same path.
        builder.Services.Configure<DeliveryReportRouteOptions>(route => route.PathBeforeToken = "/api/v1/sms/delivery/");
        return builder.Build();
    }

    /// <summary>
    /// The floor: the product's claim statement and the same two writes per SMS around the HTTP call (attempt
    /// recorded before, provider id after, both conditional on the lease), with reused prepared commands and
    /// no decision at send time.
    /// </summary>
    private static async Task<int> RawAsync(string file, Uri provider)
    {
        var owner = "raw:" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = provider };
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
        await using var claim = Command(connection, """
            UPDATE "Messages" SET "LeaseOwner" = $owner, "LeaseUntil" = $until
            WHERE "Id" IN (
                SELECT "Id" FROM "Messages"
                WHERE "Status" = 'Pending' AND "NotBefore" <= $now AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= $now)
                ORDER BY "NotBefore", "Id"
                LIMIT 50)
            RETURNING "Id", "To", "Text", "CallbackToken";
            """, "$owner", "$until", "$now");
        await using var begin = Command(connection,
            "UPDATE \"Messages\" SET \"Status\" = 'Sending', \"Attempts\" = \"Attempts\" + 1, \"LastAttemptAt\" = $at WHERE \"Id\" = $id AND \"LeaseOwner\" = $owner AND \"Status\" = 'Pending'",
            "$at", "$id", "$owner");
        await using var sent = Command(connection,
            "UPDATE \"Messages\" SET \"Status\" = 'Sent', \"ProviderId\" = $provider, \"SentAt\" = $at, \"LeaseOwner\" = NULL, \"LeaseUntil\" = NULL WHERE \"Id\" = $id AND \"LeaseOwner\" = $owner AND \"Status\" = 'Sending'",
            "$provider", "$at", "$id", "$owner");
        claim.Parameters["$owner"].Value = owner;
        begin.Parameters["$owner"].Value = owner;
        sent.Parameters["$owner"].Value = owner;

        await WaitForGoAsync();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        int claimed = 0, done = 0;
        while (true)
        {
            var batch = new List<(long Id, string To, string Text, string Token)>();
            var now = DateTime.UtcNow;
            claim.Parameters["$now"].Value = Text(now);
            claim.Parameters["$until"].Value = Text(now.AddMinutes(5));
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                claim.Transaction = transaction;
                await using (var reader = await claim.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        batch.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                    }
                }

                await transaction.CommitAsync();
            }

            if (batch.Count == 0)
            {
                break;
            }

            claimed += batch.Count;
            foreach (var sms in batch)
            {
                begin.Parameters["$at"].Value = Text(DateTime.UtcNow);
                begin.Parameters["$id"].Value = sms.Id;
                if (await begin.ExecuteNonQueryAsync() != 1)
                {
                    continue;
                }

                using var content = new FormUrlEncodedContent(
                [
                    new("from", "Regionen"),
                    new("to", sms.To),
                    new("message", sms.Text),
                    new("whendelivered", "https://paminnelser.example.invalid/api/v1/sms/delivery/" + Uri.EscapeDataString(sms.Token)),
                    new("dontlog", "message"),
                ]);
                using var response = await http.PostAsync(new Uri("a1/sms", UriKind.Relative), content);
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                sent.Parameters["$provider"].Value = answer.GetProperty("id").GetString();
                sent.Parameters["$at"].Value = Text(DateTime.UtcNow);
                sent.Parameters["$id"].Value = sms.Id;
                done += await sent.ExecuteNonQueryAsync();
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DONE claimed={claimed} sent={done} retried=0 failed=0 stopped=0 unknown=0 seconds={watch.Elapsed.TotalSeconds:F3} cpu={(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F3}"));
        return 0;
    }

    private static async Task WaitForGoAsync()
    {
        Console.WriteLine("READY");
        if (await Console.In.ReadLineAsync() != "GO")
        {
            throw new InvalidOperationException("Expected GO on stdin.");
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // EF Core's SQLite text format for instants, so that the lexical comparisons match the product's.
    private static string Text(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static string Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : throw new InvalidOperationException($"dispatch-worker needs {name}.");
    }
}
