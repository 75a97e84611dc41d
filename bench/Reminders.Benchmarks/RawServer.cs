using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Reminders.Benchmarks;

/// <summary>
/// <c>raw-server</c>: the load test's baseline (docs/performance.md, "HTTP load at regional scale"). A bare minimal
/// API on loopback that does the check-in search's single-patient lookup with plain Microsoft.Data.Sqlite on the same
/// file: <c>GET /raw/patient?pnr=YYYYMMDDNNNN</c> reads the patient and their reminder status by identity number
/// (the unique index) and returns a tiny HTML page with them. No authentication, no audit, no layout: the floor.
/// </summary>
internal static class RawServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var dbIndex = Array.IndexOf(args, "--db");
        if (dbIndex < 0 || dbIndex + 1 >= args.Length)
        {
            await Console.Error.WriteLineAsync("raw-server --db FILE [--port P]");
            return 2;
        }

        var portIndex = Array.IndexOf(args, "--port");
        var port = portIndex >= 0 && portIndex + 1 < args.Length ? int.Parse(args[portIndex + 1], CultureInfo.InvariantCulture) : 5199;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = args[dbIndex + 1], Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/raw/patient", async (string? pnr, HttpContext http) =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(http.RequestAborted);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT p.Id, p.Name, p.IdentityNumber, s.Status FROM Patients p JOIN ReminderSettings s ON s.PatientId = p.Id WHERE p.IdentityNumber = $id";
            command.Parameters.AddWithValue("$id", pnr ?? "");
            await using var reader = await command.ExecuteReaderAsync(http.RequestAborted);
            if (!await reader.ReadAsync(http.RequestAborted))
            {
                return Results.NotFound();
            }

            var html = string.Create(CultureInfo.InvariantCulture,
                $"<!doctype html><title>Patient</title><h1>{WebUtility.HtmlEncode(reader.GetString(1))}</h1><p>{reader.GetString(2)}</p><p>{reader.GetString(3)}</p><a href=\"/CheckIn/Patient?id={reader.GetInt64(0)}\">Öppna</a>");
            return Results.Content(html, "text/html; charset=utf-8");
        });
        Console.WriteLine(Invariant($"raw-server on http://127.0.0.1:{port}/raw/patient?pnr=…"));
        await app.RunAsync();
        return 0;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
