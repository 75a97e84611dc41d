using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Messaging;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.VasImport;
using Reminders.Application.Reports;

namespace Reminders.Web.Tests.SqlServer;

/// <summary>
/// EF Core's SQL Server text of the product's main queries (the dispatcher's, the bulk replanning's, the VAS
/// migration's SQL Server path, the reports' raw statement and the queries over it), from the methods the product runs, translated by the SQL Server provider with
/// <c>ToQueryString()</c> (no connection), parsed and checked against the model.
/// </summary>
public sealed class SqlServerQueryTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 8, 15, 30);

    [Fact]
    public void The_dispatchers_queries_translate_to_TSql_that_parses_and_fits_the_model()
    {
        using var db = SqlServerStore.NewContext();

        AssertValid(SmsDispatcher.UnknownOutcomes(db, Now, 50).ToQueryString(), "[Messages]", "datetime2");
        AssertValid(SmsDispatcher.ToSend(db, 42).ToQueryString(), "INNER JOIN [Units]", "bigint");
        AssertValid(SmsDispatcher.SettingOf(db, 42).ToQueryString(), "[ReminderSettings]", "bigint");
    }

    [Fact]
    public void The_bulk_replannings_reads_translate_to_TSql_that_parses_and_fits_the_model()
    {
        using var db = SqlServerStore.NewContext();
        var bookings = ReminderPlanner.FutureBookings(db, HsaId.FromTrusted("SE2321000115-O39423"), Now);
        var (patients, settings, messages) = ReminderPlanner.UnitPlanningReads(db, bookings);

        AssertValid(bookings.ToQueryString(), "[Bookings]", "varchar(31)");
        AssertValid(patients.ToQueryString(), "[Patients]", "datetime2");
        AssertValid(settings.ToQueryString(), "[ReminderSettings]", "datetime2");
        AssertValid(messages.ToQueryString(), "[Messages]", "datetime2");
    }

    [Fact]
    public void The_VAS_migrations_SQL_Server_reads_translate_to_TSql_that_parses_and_fits_the_model()
    {
        using var db = SqlServerStore.NewContext();
        List<PersonalIdentityNumber> ids = [PersonalIdentityNumber.Create(new LocalDate(1985, 6, 15), 1), PersonalIdentityNumber.Create(new LocalDate(1990, 1, 2), 2)];

        AssertValid(EfVasBatchWriter.PatientsWith(db, ids).ToQueryString(), "[Patients]", "varchar(12)");
        AssertValid(EfVasBatchWriter.SettingsOf(db, [1L, 2L]).ToQueryString(), "[ReminderSettings]", "bigint");
    }

    [Fact]
    public void R60b_the_shared_number_queries_translate_to_TSql_that_parses_and_fits_the_model_selecting_adults_by_birth_date()
    {
        using var db = SqlServerStore.NewContext();
        var today = new LocalDate(2026, 3, 2);
        var first = PhoneNumber.Parse("+46701740612").Value;
        var second = PhoneNumber.Parse("+46701740613").Value;

        AssertValid(ReportQueries.SharedNumberCounts(db, [first, second], today).ToQueryString(), "GROUP BY", "HAVING COUNT(*) > 1", "[BirthDate] <= @");
        AssertValid(ReportQueries.SharedNumberListed(db, first, today).ToQueryString(), "ORDER BY", "[BirthDate] <= @", "date");
    }

    [Fact]
    public void R60b_the_unreachable_candidates_query_translates_to_TSql_that_parses_and_repeats_the_filtered_indexs_constant()
    {
        using var db = SqlServerStore.NewContext();

        // SQL Server uses a filtered index only for a query whose predicate is the filter's own constant, not a parameter.
        AssertValid(ReportQueries.NotReached(db, HsaId.FromTrusted("SE2321000115-O39423"), Now).ToQueryString(), "[b].[Reach] <> 1 AND [b].[Reach] <> 3", "INNER JOIN [ReminderSettings]");
        var counted = ReportQueries.StoredUnreachable(db, HsaId.FromTrusted("SE2321000115-O39423"), Now).ToQueryString();
        AssertValid(counted, "[b].[Reach] <> 1 AND [b].[Reach] <> 3", "[b].[Reach] = 2", "SELECT DISTINCT");
        Assert.DoesNotContain("JOIN", counted, StringComparison.Ordinal);
    }

    [Fact]
    public void R60_the_left_out_counts_queries_translate_to_TSql_that_parses_and_fits_the_model()
    {
        using var db = SqlServerStore.NewContext();
        var unit = HsaId.FromTrusted("SE2321000115-O39423");

        // R32 reads the VAS blocks' table alone (no join to the settings); R33 sends the ids as one JSON parameter, and
        // counts (the overview) in one statement with a subquery on the bookings.
        AssertValid(ReportQueries.LeftOutByVasBlocks(db, unit).ToQueryString(), "FROM [ReminderVasBlocks]", "[PatientLeftOut] = CAST(1 AS bit)");
        Assert.DoesNotContain("JOIN", ReportQueries.LeftOutByVasBlocks(db, unit).ToQueryString(), StringComparison.Ordinal);
        AssertValid(ReportQueries.BookedPatients(db, unit).ToQueryString(), "SELECT DISTINCT", "[Bookings]");
        AssertValid(ReportQueries.LeftOutForMobile(db, [1L, 2L, 3L]).ToQueryString(), "OPENJSON", "[ReminderSettings]");
        var count = ReportQueries.BookedLeftOutForMobile(db, unit).ToQueryString();
        AssertValid(count, "FROM [ReminderSettings]", "IN (", "FROM [Bookings]", "[NotActivatedReason] = 'MigrationMobileBefore13'");
        Assert.DoesNotContain("JOIN", count, StringComparison.Ordinal);
        // The overview's counts: one statement per unit, the blocked count and both left-out counts as subqueries.
        var overview = ReportQueries.CountsOf(db, unit).ToQueryString();
        AssertValid(overview, "FROM [Units]", "FROM [ReminderBlocks]", "FROM [ReminderVasBlocks]", "FROM [ReminderSettings]", "FROM [Bookings]");
        Assert.Equal(4, overview.Split("COUNT(*)").Length);
    }

    [Fact]
    public void R60b_the_migration_creates_the_filtered_index_and_makes_the_job_replan_every_unit()
    {
        using var db = SqlServerStore.NewContext();
        var script = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>(db)
            .GenerateScript(options: Microsoft.EntityFrameworkCore.Migrations.MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE INDEX [IX_Bookings_Unit_Start_NotReached] ON [Bookings] ([Unit], [Start]) WHERE [Reach] <> 1", script, StringComparison.Ordinal);
        Assert.Contains("UPDATE PlanningStates SET PolicyFingerprint = ''", script, StringComparison.Ordinal);
    }

    /// <summary>Parses, checks against the model, and sees that the text is the one meant (a table, a parameter type).</summary>
    internal static void AssertValid(string sql, params string[] expected)
    {
        var check = TSqlModelCheck.Run(SqlServerStore.Parse(sql), SqlServerStore.Model);
        Assert.True(check.Problems.Count == 0, string.Join('\n', check.Problems) + "\n--- statement ---\n" + sql);
        foreach (var part in expected)
        {
            Assert.Contains(part, sql, StringComparison.Ordinal);
        }
    }
}
