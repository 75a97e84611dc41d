using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Security;

/// <summary>
/// Issue #16 item 5: no personal data in any log line on any provider. SQLite's constraint messages name no value, so
/// an interceptor throws what SQL Server would: its duplicate-key message quoting the personnummer.
/// </summary>
public sealed class LogRedactionTests
{
    [Fact]
    public async Task A_database_error_quoting_a_personnummer_leaves_no_trace_of_it_in_the_log()
    {
        var patient = ApiHarness.NewAdult();
        var digits = patient.Value.Replace("-", "", StringComparison.Ordinal);
        var thrower = new SqlServerDuplicateKey(digits);
        using var h = new ApiHarness(f => f.With("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Information"));
        using var factory = h.Factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.ConfigureDbContext<RemindersDbContext>(o => o.AddInterceptors(thrower))));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiHarness.Key);

        var response = await client.PutAsync($"/api/v1/patients/{patient.Value}", System.Net.Http.Json.JsonContent.Create(new
        {
            name = "Test Testsson",
            protectedIdentity = false,
            mobile = (string?)null,
            mobileUpdatedAt = (string?)null,
            consentIn1177 = false,
        }));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(thrower.Thrown > 0);
        var log = await h.Factory.ReadLogAsync();
        // The failure is logged (EF's command error and the unhandled exception), without its message.
        Assert.Contains(typeof(FakeSqlException).FullName!, log, StringComparison.Ordinal);
        Assert.Contains("message withheld", log, StringComparison.Ordinal);
        Assert.DoesNotContain(digits, log, StringComparison.Ordinal);
        Assert.DoesNotContain(digits[2..], log, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Value, log, StringComparison.Ordinal);
        Assert.DoesNotContain("duplicate key value", log, StringComparison.Ordinal);

        await using var db = h.Factory.NewDbContext();
        Assert.False(await db.Patients.AnyAsync());
    }

    /// <summary>Throws SQL Server's unique-key message (error 2627) when a patient is inserted.</summary>
    private sealed class SqlServerDuplicateKey(string personnummer) : DbCommandInterceptor
    {
        public int Thrown { get; private set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Throw(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Throw(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Throw(DbCommand command)
        {
            if (command.CommandText.Contains("INSERT INTO \"Patients\"", StringComparison.Ordinal))
            {
                Thrown++;
                throw new FakeSqlException($"Violation of UNIQUE KEY constraint 'UQ_Patients_Id'. Cannot insert duplicate key in object 'dbo.Patients'. The duplicate key value is ({personnummer}).");
            }
        }
    }

    private sealed class FakeSqlException(string message) : DbException(message, 2627);
}
