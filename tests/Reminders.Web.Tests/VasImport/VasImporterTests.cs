using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Web.Tests.VasImport;

/// <summary>The VAS migration against real SQLite files (R30–R36). Migration date 2025-03-27, go-live 2025-03-29.</summary>
public sealed class VasImporterTests : IAsyncLifetime
{
    // Generated test-range numbers with valid check digits (R50): adults, children around the go-live edges.
    private const string Kirurg = "SE2321000115-K01075";
    private const string Ortoped = "SE2321000115-O01079";
    private const string Ortoped2 = "SE2321000115-O02079";

    private VasStore _store = null!;

    public async Task InitializeAsync() => _store = await VasStore.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static string Id(int year, int month, int day, int birthNumber = 123) =>
        Reminders.Domain.Identity.PersonalIdentityNumber.Create(new LocalDate(year, month, day), birthNumber).ToString();

    private static string File(params string[] rows) => VasStore.Header + "\r\n" + string.Join("\r\n", rows) + "\r\n";

    private async Task<(Patient Patient, ReminderSetting Setting)> LoadAsync(string id)
    {
        await using var db = _store.NewDbContext();
        var value = Reminders.Domain.Identity.PersonalIdentityNumber.Parse(id, new LocalDate(2025, 3, 27)).Value;
        var patient = await db.Patients.SingleAsync(p => p.IdentityNumber == value);
        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id);
        return (patient, setting);
    }

    [Fact]
    public async Task R30_R31_consenting_patient_is_activated_with_mobile_comment_and_rows_that_EF_reads_back()
    {
        var report = await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,070-174 06 05,2024-07-01,,,N"));

        Assert.Equal(1, report.Rows);
        Assert.Equal(1, report.Activated);
        var (patient, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal("+46701740605", patient.Mobile!.Value);
        Assert.Equal(Instant.FromUtc(2024, 6, 30, 22, 0), patient.MobileUpdatedAt);
        Assert.Equal(MobileSource.Feed1177, patient.MobileSource);
        Assert.True(patient.ConsentIn1177);
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Equal(_store.Time.Now, setting.StatusChangedAt);
        Assert.Equal("RPA-migrerat 2025-03-27", Assert.Single(setting.Comments).Text);
        Assert.Equal(_store.Time.Now, setting.Comments[0].At);
        Assert.Equal(2, setting.Version);
    }

    [Fact]
    public async Task R31_no_consent_is_not_activated_but_gets_the_comment()
    {
        var report = await _store.ImportAsync(File($"{Id(1980, 5, 5)},N,0701740605,2024-07-01,,,N"));
        Assert.Equal(1, report.NotActivated.NoConsent);
        var (_, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
        Assert.Equal(NotActivatedReason.None, setting.NotActivatedReason);
        Assert.Single(setting.Comments);
    }

    [Fact]
    public async Task R32_blocked_units_leave_the_patient_unactivated_with_the_VAS_blocks_as_history_and_count_per_clinic()
    {
        var report = await _store.ImportAsync(File(
            $"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg}|{Ortoped},,N",
            $"{Id(1980, 5, 6)},J,0701740606,2024-07-01,\"{Ortoped}|{Ortoped2}\",,N",
            $"{Id(1980, 5, 7)},N,0701740607,2024-07-01,{Kirurg},,N"));

        Assert.Equal(2, report.NotActivated.MigrationUnitBlocks);
        Assert.Equal(1, report.NotActivated.NoConsent);
        Assert.Equal([new VasClinicCount("Ortopedikliniken", 2), new VasClinicCount("Kirurgikliniken", 1)], report.ByClinic);
        var (_, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
        Assert.Equal(NotActivatedReason.MigrationUnitBlocks, setting.NotActivatedReason);
        // Rev. 2: kept as blocks in VAS (history), not in force: activated later at the desk, every unit sends.
        Assert.Empty(setting.Blocks);
        Assert.Equal([Kirurg, Ortoped], setting.VasBlocks.Select(b => b.Unit.Value).Order(StringComparer.Ordinal));
        var (_, noConsent) = await LoadAsync(Id(1980, 5, 7));
        Assert.Empty(noConsent.Blocks);
        Assert.Single(noConsent.VasBlocks);
        Assert.Equal(3, report.PatientsWithVasBlocks);
        await using var db = _store.NewDbContext();
        var run = await db.Set<VasImportRecord>().SingleAsync();
        Assert.False(run.CarryBlocks);
        Assert.Equal(new LocalDate(2025, 3, 27), run.MigrationDate);
    }

    [Fact]
    public async Task R32_carry_blocks_activates_with_the_blocks()
    {
        var report = await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg},,N"), new VasImportOptions { CarryBlocks = true });

        Assert.Equal(1, report.Activated);
        Assert.Empty(report.ByClinic);
        var (_, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Equal(Kirurg, Assert.Single(setting.Blocks).Unit.Value);
        Assert.Equal(ChangeChannel.Migration, setting.Blocks[0].Channel);
        Assert.Empty(setting.VasBlocks);
        Assert.Equal(0, report.PatientsWithVasBlocks);
        await using var db = _store.NewDbContext();
        Assert.True((await db.Set<VasImportRecord>().SingleAsync()).CarryBlocks);
    }

    [Fact]
    public async Task R32_unknown_units_are_kept_as_blocks_and_reported()
    {
        var report = await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg}|SE2321000115-X0001,,N"));
        Assert.Equal(1, report.UnknownUnitBlocks);
        Assert.Equal(["SE2321000115-X0001"], report.UnknownUnits);
        Assert.Equal([new VasClinicCount("Kirurgikliniken", 1)], report.ByClinic);
        var (_, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal(2, setting.VasBlocks.Count);
    }

    [Fact]
    public async Task R33_a_mobile_that_would_not_count_under_R12_on_the_run_s_date_is_not_activated_an_adult_with_an_empty_date_is()
    {
        // The run is on 2025-03-27.
        var report = await _store.ImportAsync(File(
            $"{Id(2005, 6, 1)},J,0701740605,2018-05-31,,,N",   // 19, updated the day before the 13th birthday
            $"{Id(2005, 6, 2)},J,0701740606,,,,N",             // 19, empty date: an adult, activated (rev. 2)
            $"{Id(2005, 6, 3)},J,0701740607,2018-06-03,,,N",   // 19, updated on the 13th birthday
            $"{Id(2010, 6, 4)},J,0701740608,,,,N"));           // 14, empty date: needs a confirmation

        Assert.Equal(2, report.NotActivated.MigrationMobileBefore13);
        Assert.Equal(2, report.Activated);
        Assert.Equal(1, report.AdultsWithUnknownDateActivated);
        Assert.Equal((1, 1), (report.NeedConfirmation.MobileUpdatedBefore13, report.NeedConfirmation.TeensWithUnknownDate));
        Assert.Equal(NotActivatedReason.MigrationMobileBefore13, (await LoadAsync(Id(2005, 6, 1))).Setting.NotActivatedReason);
        Assert.Equal(ReminderStatus.Activated, (await LoadAsync(Id(2005, 6, 2))).Setting.Status);
        Assert.Equal(NotActivatedReason.MigrationMobileBefore13, (await LoadAsync(Id(2010, 6, 4))).Setting.NotActivatedReason);
    }

    [Fact]
    public async Task R34_protected_identity_is_not_activated_and_no_numbers_are_stored()
    {
        var report = await _store.ImportAsync(File($"{Id(2016, 5, 5)},J,0701740605,2024-07-01,,0701740606,J"));

        Assert.Equal(1, report.NotActivated.ProtectedIdentity);
        Assert.Equal(0, report.GuardianNumbersMigrated);
        var (patient, setting) = await LoadAsync(Id(2016, 5, 5));
        Assert.True(patient.ProtectedIdentity);
        Assert.Null(patient.Mobile);
        Assert.Empty(setting.GuardianNumbers);
        Assert.Equal(NotActivatedReason.ProtectedIdentity, setting.NotActivatedReason);
    }

    [Fact]
    public async Task R35_guardian_numbers_day_before_of_and_after_the_12th_birthday_at_go_live()
    {
        var report = await _store.ImportAsync(File(
            $"{Id(2013, 3, 28)},J,,,,0701740605,N",
            $"{Id(2013, 3, 29)},J,,,,0701740606|070-174 06 07,N",
            $"{Id(2013, 3, 30)},J,,,,0701740608,N"));

        Assert.Equal(3, report.GuardianNumbersMigrated);
        Assert.Empty((await LoadAsync(Id(2013, 3, 28))).Setting.GuardianNumbers);
        Assert.Equal(["+46701740606", "+46701740607"], (await LoadAsync(Id(2013, 3, 29))).Setting.GuardianNumbers.Select(g => g.Number.Value));
        Assert.Single((await LoadAsync(Id(2013, 3, 30))).Setting.GuardianNumbers);
    }

    [Fact]
    public async Task R35_go_live_option_moves_the_edge()
    {
        var report = await _store.ImportAsync(File($"{Id(2013, 3, 29)},J,,,,0701740606,N"), new VasImportOptions { GoLive = new LocalDate(2025, 3, 30) });
        Assert.Equal(0, report.GuardianNumbersMigrated);
    }

    public static TheoryData<string, string> BadRows => new()
    {
        { "19800505-12X3,J,0701740605,2024-07-01,,,N", "R50" },
        { "19800505-1236,J,0701740605,2024-07-01,,,N", "R50" },
        { "19800505-1233,Ja,0701740605,2024-07-01,,,N", "R36" },
        { "19800505-1233,J,0701740605,2024-07-01,,,X", "R36" },
        { "19800505-1233,J,0701740605,2024/07/01,,,N", "R36" },
        { "19800505-1233,J,0701740605,2025-04-01,,,N", "R36" },
        { "19800505-1233,J,070-174 06,2024-07-01,,,N", "R16" },
        { "19800505-1233,J,031-390 06 00,2024-07-01,,,N", "R16" },
        { "19800505-1233,J,0701740605,2024-07-01,,,", "R36" },
        { "19800505-1233,J,0701740605,2024-07-01,,", "R36" },
        { "19800505-1233,J,0701740605,2024-07-01,SE123,,N", "R51" },
        { "19800505-1233,J,0701740605,2024-07-01,,0701740606|0701740607|0701740608,N", "R11" },
        { "19800505-1233,J,\"0701740605\"x,2024-07-01,,,N", "R36" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public async Task R36_a_bad_row_is_reported_with_line_and_rule_and_nothing_of_it_is_written(string bad, string rule)
    {
        var report = await _store.ImportAsync(File($"{Id(1975, 1, 1)},J,0701740605,2024-07-01,,,N", bad, $"{Id(1975, 1, 2)},N,,,,,N"));

        Assert.Equal(3, report.Rows);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Equal(rule, rejected.Rule);
        Assert.StartsWith(rule + " ", rejected.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("0701740605", rejected.Reason, StringComparison.Ordinal);
        await using var db = _store.NewDbContext();
        Assert.Equal(2, await db.Patients.CountAsync());
        Assert.Equal(2, await db.ReminderSettings.CountAsync());
    }

    [Fact]
    public async Task R36_duplicate_identity_number_in_the_file_rejects_the_later_row()
    {
        var report = await _store.ImportAsync(File(
            $"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N",
            $"{Id(1980, 5, 5).Replace("-", "", StringComparison.Ordinal)},N,,,,,N"));

        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Contains("rad 2", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.Activated);
    }

    [Fact]
    public async Task R36_quoted_fields_with_line_breaks_keep_line_numbers()
    {
        var report = await _store.ImportAsync(File(
            $"{Id(1980, 5, 5)},J,\"070-174 06 05\",2024-07-01,\"{Kirurg}\",,N",
            $"\"{Id(1980, 5, 6)}\",J,\"07017406\n05\",2024-07-01,,,N",
            $"{Id(1980, 5, 7)},X,,,,,N"));

        Assert.Equal(3, report.Rows);
        Assert.Equal(1, report.Activated);
        Assert.Equal(1, report.NotActivated.MigrationUnitBlocks);
        Assert.Equal([5], report.Rejected.Select(r => r.Line));
    }

    [Fact]
    public async Task R36_rerun_with_the_same_file_changes_nothing_and_duplicates_nothing()
    {
        var file = File(
            $"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg},,N",
            $"{Id(2016, 5, 5)},J,,,,0701740606,N",
            $"{Id(2005, 6, 1)},J,0701740605,2018-05-31,,,N",
            $"{Id(1975, 1, 1)},J,0701740607,2024-07-01,,,N",
            "bad,J,,,,,N");
        var first = await _store.ImportAsync(file);
        var before = await _store.DumpAsync();
        _store.Time.Advance(Duration.FromMinutes(5));

        var second = await _store.ImportAsync(file);

        Assert.Equal(before, await _store.DumpAsync());
        Assert.Equal(first.Activated, second.Activated);
        Assert.Equal(first.Rejected, second.Rejected);
        Assert.Equal(0, first.AlreadyMigrated);
        Assert.Equal(4, second.AlreadyMigrated);
    }

    [Fact]
    public async Task R36_rerun_on_a_later_day_adds_no_second_comment_and_keeps_staff_changes()
    {
        var file = File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg},,N", $"{Id(1975, 1, 1)},J,0701740607,2024-07-01,,,N");
        await _store.ImportAsync(file);
        await using (var db = _store.NewDbContext())
        {
            // Staff: activate the blocked patient and remove the block; deactivate the other.
            var staff = new ChangeContext(_store.Time.Now + Duration.FromHours(1), HsaId.FromTrusted(Kirurg), ChangeChannel.CheckIn);
            var patients = await db.Patients.ToListAsync();
            foreach (var setting in await db.ReminderSettings.ToListAsync())
            {
                var patient = patients.Single(p => p.Id == setting.PatientId);
                if (setting.Status == ReminderStatus.Activated)
                {
                    setting.Deactivate(staff);
                }
                else
                {
                    Assert.True(setting.Activate(patient, staff).Succeeded);
                    setting.Unblock(HsaId.FromTrusted(Kirurg));
                }
            }

            await db.SaveChangesAsync();
        }

        var before = await _store.DumpAsync();
        _store.Time.Advance(Duration.FromDays(2));
        await _store.ImportAsync(file);

        Assert.Equal(before, await _store.DumpAsync());
        var (_, blocked) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal(ReminderStatus.Activated, blocked.Status);
        Assert.Empty(blocked.Blocks);
        Assert.Single(blocked.Comments);
        Assert.Equal(ReminderStatus.Deactivated, (await LoadAsync(Id(1975, 1, 1))).Setting.Status);
    }

    [Fact]
    public async Task R36_a_patient_the_register_delivered_first_is_migrated_once_and_keeps_a_newer_mobile()
    {
        await using (var db = _store.NewDbContext())
        {
            var id = Reminders.Domain.Identity.PersonalIdentityNumber.Parse(Id(1980, 5, 5), new LocalDate(2025, 3, 27)).Value;
            var patient = Patient.Create(id, "Test Testsson");
            patient.UpdateFromRegister("Test Testsson", false, Reminders.Domain.Phones.PhoneNumber.FromTrusted("+46701740699"), Instant.FromUtc(2025, 1, 1, 0, 0), false);
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
        }

        await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N"));
        await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N"));

        await using var check = _store.NewDbContext();
        Assert.Equal(1, await check.Patients.CountAsync());
        var (loaded, setting) = await LoadAsync(Id(1980, 5, 5));
        Assert.Equal("Test Testsson", loaded.Name);
        Assert.Equal("+46701740699", loaded.Mobile!.Value);
        Assert.True(loaded.ConsentIn1177);
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Single(setting.Comments);
    }

    [Fact]
    public async Task R36_a_file_that_is_not_UTF8_fails_and_writes_nothing()
    {
        var bytes = Encoding.Latin1.GetBytes(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N", $"{Id(1975, 1, 1)},J,,,,,N") + "Åsa,,,,,,\r\n");
        var error = await Assert.ThrowsAsync<VasImportFileException>(() => _store.ImportAsync(new MemoryStream(bytes)));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
        await using var db = _store.NewDbContext();
        Assert.Equal(0, await db.Patients.CountAsync());
    }

    [Fact]
    public async Task R36_a_non_seekable_stream_that_is_not_UTF8_fails_and_writes_nothing()
    {
        var bytes = Encoding.Latin1.GetBytes(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N") + "Åsa\r\n");
        await Assert.ThrowsAsync<VasImportFileException>(() => _store.ImportAsync(new NonSeekable(bytes)));
        var ok = await _store.ImportAsync(new NonSeekable(Encoding.UTF8.GetBytes(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,,,N"))));
        Assert.Equal(1, ok.Activated);
    }

    [Theory]
    [InlineData("personnummer,sms_consent,mobile\r\n19800505-1233,J,0701740605\r\n", "header")]
    [InlineData("", "empty")]
    [InlineData("\uFEFF\r\n  \r\n", "empty")]
    public async Task R36_a_wrong_header_or_empty_file_fails_and_writes_nothing(string content, string word)
    {
        var error = await Assert.ThrowsAsync<VasImportFileException>(() => _store.ImportAsync(content));
        Assert.Contains(word, error.Message, StringComparison.OrdinalIgnoreCase);
        await using var db = _store.NewDbContext();
        Assert.Equal(0, await db.Patients.CountAsync());
    }

    [Fact]
    public async Task A_header_with_BOM_and_no_rows_is_read()
    {
        var report = await _store.ImportAsync("\uFEFF" + VasStore.Header + "\n");
        Assert.Equal(0, report.Rows);
    }

    [Fact]
    public async Task R36_report_serialises_to_the_contract_json()
    {
        var report = await _store.ImportAsync(File($"{Id(1980, 5, 5)},J,0701740605,2024-07-01,{Kirurg},,N", "x,J,,,,,N"));
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("rows").GetInt32());
        Assert.Equal(0, root.GetProperty("activated").GetInt32());
        var notActivated = root.GetProperty("notActivated");
        Assert.Equal(1, notActivated.GetProperty("MigrationUnitBlocks").GetInt32());
        foreach (var key in new[] { "MigrationMobileBefore13", "ProtectedIdentity", "NoConsent" })
        {
            Assert.Equal(0, notActivated.GetProperty(key).GetInt32());
        }

        Assert.Equal(0, root.GetProperty("guardianNumbersMigrated").GetInt32());
        Assert.Equal(3, root.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.StartsWith("R50", root.GetProperty("rejected")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Kirurgikliniken", root.GetProperty("byClinic")[0].GetProperty("clinic").GetString());
        Assert.Equal(1, root.GetProperty("byClinic")[0].GetProperty("patientsWithBlocks").GetInt32());
    }

    [Theory]
    [InlineData(1001, 1, "field")] // one field over the 1 000-character cap
    [InlineData(900, 12, "record")] // every field under it, the record over 10 000
    public async Task R36_a_row_over_the_length_caps_is_rejected_by_its_line_and_the_rows_after_it_are_read(int fieldLength, int fields, string over)
    {
        var longRow = string.Join(",", Enumerable.Repeat("\"" + new string('å', fieldLength) + "\"", fields));
        var report = await _store.ImportAsync(File($"{Id(1975, 1, 1)},J,0701740605,2024-07-01,,,N", longRow, $"{Id(1975, 1, 2)},J,0701740606,2024-07-01,,,N"));

        Assert.Equal(3, report.Rows);
        Assert.Equal(2, report.Activated);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.StartsWith("R36 ", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("för lång", rejected.Reason, StringComparison.Ordinal);
        Assert.True(fieldLength > VasCsvRecords.MaxFieldLength || fieldLength * fields > VasCsvRecords.MaxRecordLength, over);
    }

    [Fact]
    public async Task R36_a_row_just_under_the_caps_is_read_and_judged_on_its_content()
    {
        // 1 000 characters in a field and 10 000 in the record are allowed: the row is judged by the rules (R36 column count).
        var row = string.Join(",", Enumerable.Repeat(new string('x', VasCsvRecords.MaxFieldLength), VasCsvRecords.MaxRecordLength / VasCsvRecords.MaxFieldLength));
        var report = await _store.ImportAsync(File(row));

        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(2, rejected.Line);
        Assert.DoesNotContain("för lång", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("kolumner", rejected.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("19800505-1233,J,\"0701740605,2024-07-01,,,N")] // a quote never closed
    [InlineData("19800505-1233,J,07017\"40605,2024-07-01,,,N")] // a quote inside an unquoted field
    public async Task R36_a_row_with_broken_quotes_is_rejected_with_its_line(string bad)
    {
        var report = await _store.ImportAsync(File($"{Id(1975, 1, 1)},J,0701740605,2024-07-01,,,N", bad));

        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Contains("citattecken", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(1, report.Activated);
    }

    [Fact]
    public async Task R36_a_record_too_large_to_hold_fails_the_file_before_anything_is_written()
    {
        // An unclosed quote on line 3 runs on to the end of a file of more than a megabyte: what follows cannot be split
        // into rows with any confidence, so nothing is imported, and the message names the line.
        var filler = string.Concat(Enumerable.Repeat($"{Id(1975, 1, 2)},J,0701740606,2024-07-01,,,N\r\n", 40_000));
        var content = File($"{Id(1975, 1, 1)},J,0701740605,2024-07-01,,,N", $"{Id(1975, 1, 3)},J,\"0701740607,2024-07-01,,,N") + filler;
        Assert.True(Encoding.UTF8.GetByteCount(content) > VasCsvRecords.MaxBufferedRecordBytes);

        var error = await Assert.ThrowsAsync<VasImportFileException>(() => _store.ImportAsync(content));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        await using var db = _store.NewDbContext();
        Assert.Equal(0, await db.Patients.CountAsync());
    }

    [Fact]
    public async Task R36_CR_LF_and_CRLF_line_ends_and_a_missing_last_line_end_all_count_lines()
    {
        var content = VasStore.Header + "\n" + $"{Id(1975, 1, 1)},J,0701740605,2024-07-01,,,N" + "\r" + "x,J,,,,,N" + "\r\n" + $"{Id(1975, 1, 2)},N,,,,,N" + "\n\n" + "y,J,,,,,N";
        var report = await _store.ImportAsync(content);

        Assert.Equal(4, report.Rows);
        Assert.Equal([3, 6], report.Rejected.Select(r => r.Line));
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
