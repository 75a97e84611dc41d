using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Web.Features.Reports;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Admin;

/// <summary>The unit list admin: editor validation (R51, R27), preview without JavaScript, audit, replanning, CSV import/export.</summary>
public sealed class UnitAdminTests(UnitAdminTests.World world) : IClassFixture<UnitAdminTests.World>
{
    private const string NewUnit = "SE2321000115-N1000X";

    [Fact]
    public async Task R51_R27_creating_a_unit_through_the_form_saves_it_and_audits_it()
    {
        var page = await world.Admin.GetPageAsync("/Admin/Units/Edit");
        var response = await world.Admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string>
        {
            ["Input.HsaId"] = " " + NewUnit + " ", ["Input.Name"] = "Hudmottagningen Ny", ["Input.Clinic"] = "Hudkliniken", ["Input.OffersSelfCheckIn"] = "true",
        }, "#save-button");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        await using var db = world.Factory.NewDbContext();
        var unit = await db.Units.SingleAsync(u => u.HsaId == HsaId.FromTrusted(NewUnit));
        Assert.Equal(("Hudmottagningen Ny", "Hudkliniken", true, true), (unit.Name, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn));
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == nameof(AuditAction.UnitAdmin) && e.Unit == NewUnit);
        Assert.Equal(world.AdminId, audit.Actor);
        Assert.Equal("Admin", audit.Channel);
        Assert.Contains("created", audit.Details!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SE232100011-O39423", "Kort namn", "Input.HsaId", "SE, tio siffror")]
    [InlineData("", "Kort namn", "Input.HsaId", "Ange ett HSA-id")]
    [InlineData("SE2321000115-B1000Q", "", "Input.Name", "Ange enhetens namn")]
    public async Task R51_the_editor_refuses_bad_input_and_saves_nothing(string hsa, string name, string field, string message)
    {
        var page = await world.Admin.GetPageAsync("/Admin/Units/Edit");
        var response = await world.Admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string>
        {
            ["Input.HsaId"] = hsa, ["Input.Name"] = name, ["Input.Clinic"] = "Klinik",
        }, "#save-button");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Forms.ParseAsync(response);
        Assert.Contains(message, result.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent, StringComparison.Ordinal);
        await using var db = world.Factory.NewDbContext();
        Assert.False(await db.Units.AnyAsync(u => u.Clinic == "Klinik"));
    }

    [Fact]
    public async Task R27_a_name_making_the_reminder_three_sms_is_refused_and_two_sms_is_a_warning_in_the_preview()
    {
        var two = "Mottagningen för " + new string('x', 60);
        var page = await world.Admin.GetPageAsync("/Admin/Units/Edit");
        var preview = await Forms.ParseAsync(await world.Admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string>
        {
            ["Input.HsaId"] = "SE2321000115-W1000W", ["Input.Name"] = two, ["Input.Clinic"] = "Klinik R27",
        }, "#preview-button"));
        Assert.StartsWith("2 sms", preview.QuerySelector("[data-testid=preview-size]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Varning", preview.QuerySelector("[data-testid=preview-message]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Påminnelse om bokad kontakt med " + two + " 2025-12-31 kl. 23:59.", preview.QuerySelector("[data-testid=preview-text]")!.TextContent, StringComparison.Ordinal);

        // Within the 120 stored characters only a character outside GSM 03.38 (UCS-2: 67 per part) can pass two SMS.
        var three = "Łódź-mottagningen " + new string('x', 50);
        var refused = await Forms.ParseAsync(await world.Admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string>
        {
            ["Input.HsaId"] = "SE2321000115-W1000W", ["Input.Name"] = three, ["Input.Clinic"] = "Klinik R27",
        }, "#save-button"));
        Assert.Contains("högst 2", refused.QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent, StringComparison.Ordinal);
        await using var db = world.Factory.NewDbContext();
        Assert.False(await db.Units.AnyAsync(u => u.Clinic == "Klinik R27"));
    }

    [Fact]
    public async Task R25_preview_without_javascript_shows_the_reminder_and_one_sms()
    {
        var page = await world.Admin.GetPageAsync("/Admin/Units/Edit");
        var preview = await Forms.ParseAsync(await world.Admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string>
        {
            ["Input.HsaId"] = "", ["Input.Name"] = "Vårdcentralen Öst", ["Input.Clinic"] = "",
        }, "#preview-button"));
        Assert.Equal("Påminnelse om bokad kontakt med Vårdcentralen Öst 2025-12-31 kl. 23:59. Av/omboka senast 24 timmar innan, annars betalar du en avgift",
            preview.QuerySelector("[data-testid=preview-text]")!.TextContent);
        Assert.StartsWith("1 sms", preview.QuerySelector("[data-testid=preview-size]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R25_R4_renaming_replans_pending_SMS_and_deactivating_stops_them()
    {
        using var api = new ApiHarness();
        var (_, bookingId) = await api.ActivatedAdultWithBookingAsync(Duration.FromDays(5));
        var admin = await api.Factory.SignedInClientAsync("admin2@test.invalid", [StaffRoles.Admin], []);
        var page = await admin.GetPageAsync("/Admin/Units/Edit?id=" + ApiHarness.Unit);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "#unit-form", new Dictionary<string, string> { ["Input.Name"] = "Vårdcentralen Ekdal Norra" }, "#save-button")).StatusCode);
        await using (var db = api.Factory.NewDbContext())
        {
            var sms = await db.Messages.Where(m => m.Kind == SmsKind.Reminder).SingleAsync();
            Assert.Equal(SmsStatus.Pending, sms.Status);
            Assert.Contains("Vårdcentralen Ekdal Norra", sms.Text, StringComparison.Ordinal);
        }

        page = await admin.GetPageAsync("/Admin/Units/Edit?id=" + ApiHarness.Unit);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "#active-form")).StatusCode);
        await using (var db = api.Factory.NewDbContext())
        {
            var sms = await db.Messages.Where(m => m.Kind == SmsKind.Reminder).SingleAsync();
            Assert.Equal(SmsStatus.Suppressed, sms.Status);
            Assert.Contains(await db.AuditEvents.Where(e => e.Action == nameof(AuditAction.UnitAdmin)).Select(e => e.Details).ToListAsync(), d => d!.Contains("deactivated", StringComparison.Ordinal));
        }

        Assert.NotEmpty(bookingId);
    }

    [Fact]
    public async Task Csv_import_with_a_bad_row_writes_nothing_and_names_the_line_then_a_good_file_imports_all()
    {
        var bad = "HSA-id;Namn;Klinik;Använder sms;Självincheckning;Aktiv\r\n"
            + "SE2321000115-I1000A;Import A;Importkliniken;ja;nej;ja\r\n"
            + "SE2321000115-I1000B;\"Import; B\";Importkliniken;ja;ja;ja\r\n"
            + "SE-FEL;Import C;Importkliniken;kanske;nej;ja\r\n";
        var page = await ImportAsync(bad);
        var errors = page.QuerySelector("[data-testid=import-errors]")!.TextContent;
        Assert.Contains("Rad 4", errors, StringComparison.Ordinal);
        Assert.Contains("HSA-id", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Rad 2", errors, StringComparison.Ordinal);
        await using (var db = world.Factory.NewDbContext())
        {
            Assert.False(await db.Units.AnyAsync(u => u.Clinic == "Importkliniken"));
        }

        var good = "\uFEFFHSA-id;Namn;Klinik;Använder sms;Självincheckning;Aktiv\r\n"
            + "SE2321000115-I1000A;Import A;Importkliniken;ja;nej;ja\r\n"
            + "SE2321000115-I1000B;\"Import; B\";Importkliniken;ja;ja;nej\r\n"
            + Staff.UnitC.Value + ";Annan mottagning C;Andra kliniken;nej;nej;ja\r\n";
        await ImportAsync(good);
        await using (var db = world.Factory.NewDbContext())
        {
            var units = await db.Units.Where(u => u.Clinic == "Importkliniken").ToListAsync();
            Assert.Equal(2, units.Count);
            Assert.False(units.Single(u => u.Name == "Import; B").Active);
            Assert.False((await db.Units.SingleAsync(u => u.HsaId == Staff.UnitC)).UsesSmsReminders);
        }

        var export = Csv.Parse(Encoding.UTF8.GetString(await world.Admin.GetByteArrayAsync("/Admin/Units?handler=Csv")));
        Assert.Equal(["HSA-id", "Namn", "Klinik", "Använder sms", "Självincheckning", "Aktiv"], export[0].Cells.ToArray());
        Assert.Contains(export, r => r.Cells.SequenceEqual(["SE2321000115-I1000B", "Import; B", "Importkliniken", "ja", "ja", "nej"]));
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> ImportAsync(string csv)
    {
        var page = await world.Admin.GetPageAsync("/Admin/Units");
        var token = page.QuerySelector("#import-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "enheter.csv");
        var response = await world.Admin.PostAsync("/Admin/Units?handler=Import", content);
        return response.StatusCode == HttpStatusCode.Redirect ? await world.Admin.GetPageAsync("/Admin/Units") : await Forms.ParseAsync(response);
    }

    public sealed class World : IAsyncLifetime
    {
        public RemindersFactory Factory { get; } = new();

        public HttpClient Admin { get; private set; } = null!;

        public string AdminId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Admin = await Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
            await using var db = Factory.NewDbContext();
            AdminId = db.Users.Single(u => u.Email == "admin@test.invalid").Id;
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }
}
