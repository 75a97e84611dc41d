using System.Net;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Reminders;
using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Audit;
using Reminders.Testing;

namespace Reminders.Web.Tests.CheckIn;

/// <summary>Issue #5: today's arrivals at the user's unit, the state badges (derived from the decision) and the search (R50).</summary>
public sealed class ArrivalsTests(CheckInFixture fixture) : IClassFixture<CheckInFixture>
{
    private readonly CheckInFixture _f = fixture;

    [Fact]
    public async Task R1_R3_R5_R6_R10_R12_R14_R32_arrivals_list_today_at_this_unit_in_time_order_with_a_text_badge_per_state()
    {
        var adult = new LocalDate(1980, 5, 5);
        var ids = new Dictionary<string, (PersonalIdentityNumber Id, long Patient)>();
        async Task Add(string key, int hour, Func<PersonalIdentityNumber, Task<long>> create)
        {
            var id = Fiction.NewIdentity(adult);
            var patient = await create(id);
            ids[key] = (id, patient);
            await _f.BookingAsync(id, Staff.UnitA, hour, 5);
        }

        await Add("activated", 14, id => _f.PatientAsync(id, "Aktiv Testsson", Fiction.Mobile(10), configure: (p, s, c) => s.Activate(p, c)));
        await Add("never", 10, id => _f.PatientAsync(id, "Aldrig Testsson", Fiction.Mobile(11)));
        await Add("consent", 11, id => _f.PatientAsync(id, "Samtycke Testsson", Fiction.Mobile(12), consent: true));
        await Add("declined", 12, id => _f.PatientAsync(id, "Nej Testsson", Fiction.Mobile(13), configure: (_, s, c) => s.Decline(c)));
        await Add("deactivated", 13, id => _f.PatientAsync(id, "Av Testsson", Fiction.Mobile(14), configure: (_, s, c) => s.Deactivate(c)));
        await Add("protected", 15, id => _f.PatientAsync(id, "Skyddad Testsson", Fiction.Mobile(15), protectedIdentity: true));
        await Add("blocked", 16, id => _f.PatientAsync(id, "Block Testsson", Fiction.Mobile(16), configure: (p, s, c) => { s.Activate(p, c); s.Block(Staff.UnitA, c); }));
        await Add("nomobile", 17, id => _f.PatientAsync(id, "Utan Testsson", configure: (p, s, c) => s.Activate(p, c)));
        await Add("migrated", 18, id => _f.PatientAsync(id, "Migrerad Testsson", Fiction.Mobile(17),
            configure: (_, s, c) => s.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, c with { Channel = ChangeChannel.Migration })));

        // R12: a 14-year-old whose mobile came from 1177 before the 13th birthday.
        var teen = Fiction.NewIdentity(_f.Today.PlusYears(-14));
        var teenId = await _f.PatientAsync(teen, "Tonåring Testsson", Fiction.Mobile(18), Stockholm(_f.Today.PlusYears(-1).PlusDays(-30)), configure: (p, s, c) => s.Activate(p, c));
        await _f.BookingAsync(teen, Staff.UnitA, 9, 30);

        // Not today's arrivals at unit A: another unit, tomorrow.
        var elsewhere = Fiction.NewIdentity(adult);
        var elsewhereId = await _f.PatientAsync(elsewhere, "Annan Testsson");
        await _f.BookingAsync(elsewhere, Staff.UnitB, 10);
        await _f.BookingAsync(elsewhere, Staff.UnitA, 10, days: 1);

        var page = await _f.Reception.GetPageAsync("/CheckIn");

        Assert.Equal(["Aktiverad"], page.Badges(ids["activated"].Patient));
        Assert.Equal(["Inte aktiverad"], page.Badges(ids["never"].Patient));
        Assert.Equal(["Samtyckt i 1177 men inte aktiverad"], page.Badges(ids["consent"].Patient));
        Assert.Equal(["Tackat nej 2025-03-07"], page.Badges(ids["declined"].Patient));
        Assert.Equal(["Avaktiverad"], page.Badges(ids["deactivated"].Patient));
        Assert.Equal(["Skyddad identitet"], page.Badges(ids["protected"].Patient));
        Assert.Equal(["Aktiverad", "Blockerar denna enhet"], page.Badges(ids["blocked"].Patient));
        Assert.Equal(["Aktiverad", "Nummerproblem: mobilnummer saknas"], page.Badges(ids["nomobile"].Patient));
        Assert.Equal(["Inte aktiverad vid migreringen (hade blockerade enheter)"], page.Badges(ids["migrated"].Patient));
        Assert.Equal(["Aktiverad", "Nummerproblem: registrerat före 13-årsdagen"], page.Badges(teenId));
        Assert.Empty(page.QuerySelectorAll($"tr[data-patient='{elsewhereId}']"));

        var order = page.QuerySelectorAll("#arrivals-heading ~ table tbody tr").Select(r => long.Parse(r.GetAttribute("data-patient")!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([teenId, ids["never"].Patient, ids["consent"].Patient, ids["declined"].Patient, ids["deactivated"].Patient, ids["activated"].Patient,
            ids["protected"].Patient, ids["blocked"].Patient, ids["nomobile"].Patient, ids["migrated"].Patient], order);
    }

    public static TheoryData<string> IdentityForms => new() { "full-dash", "full", "short-dash", "short", "spaces" };

    [Theory]
    [MemberData(nameof(IdentityForms))]
    public async Task R50_search_by_every_identity_number_form_finds_the_patient_even_without_a_booking_today(string form)
    {
        var id = Fiction.NewIdentity(new LocalDate(1990, 2, 3));
        var patient = await _f.PatientAsync(id, "Sök Testsson");
        var v = id.Value;
        var input = form switch
        {
            "full-dash" => $"{v[..8]}-{v[8..]}",
            "full" => v,
            "short-dash" => $"{v[2..8]}-{v[8..]}",
            "short" => v[2..],
            _ => $"  {v[..8]}-{v[8..]}  ",
        };

        var response = await Search(input);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/CheckIn/Patient?id={patient}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task R50_search_by_the_plus_form_finds_a_centenarian_and_by_samordningsnummer()
    {
        var old = Fiction.NewIdentity(new LocalDate(1920, 4, 1));
        var oldId = await _f.PatientAsync(old, "Hundra Testsson");
        var coordination = Fiction.NewIdentity(new LocalDate(1991, 7, 7), coordination: true);
        var coordinationId = await _f.PatientAsync(coordination, "Samordning Testsson");

        var plus = await Search($"{old.Value[2..8]}+{old.Value[8..]}");
        var samordning = await Search($"{coordination.Value[..8]}-{coordination.Value[8..]}");

        Assert.Equal($"/CheckIn/Patient?id={oldId}", plus.Headers.Location!.ToString());
        Assert.Equal($"/CheckIn/Patient?id={coordinationId}", samordning.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("19121212-1213", "Kontrollsiffran stämmer inte.")]
    [InlineData("1912121-21212", "Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.")]
    [InlineData("19121312-1212", "Datumet finns inte.")]
    [InlineData("", "Ange personnummer eller namn.")]
    public async Task R50_invalid_identity_number_gets_a_clear_Swedish_error_next_to_the_field_with_the_input_kept(string input, string error)
    {
        var response = await Search(input);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Forms.ParseAsync(response);
        Assert.Contains(error, page.QuerySelector("[data-valmsg-for='Search.Query']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(input, ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#Search_Query")!).Value);
    }

    [Fact]
    public async Task R50_a_valid_number_of_nobody_says_so()
    {
        var page = await Forms.ParseAsync(await Search(Fiction.NewIdentity(new LocalDate(1970, 1, 1)).Value));

        Assert.Contains("Ingen patient med det personnumret", page.QuerySelector("[data-valmsg-for='Search.Query']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_by_name_lists_matching_patients_with_their_state()
    {
        var id = Fiction.NewIdentity(new LocalDate(1975, 3, 3));
        var patient = await _f.PatientAsync(id, "Namnsök Unikdotter", Fiction.Mobile(20), configure: (p, s, c) => s.Activate(p, c));

        var page = await Forms.ParseAsync(await Search("unikdotter"));

        Assert.Equal(["Aktiverad"], page.QuerySelectorAll($"#results-heading ~ table tr[data-patient='{patient}'] .badge").Select(b => b.TextContent.Trim()).ToList());
    }

    [Fact]
    public async Task R55_the_arrivals_list_and_each_name_search_hit_are_audited()
    {
        var listed = Fiction.NewIdentity(new LocalDate(1971, 4, 4));
        var listedId = await _f.PatientAsync(listed, "Listad Loggsson", Fiction.Mobile(30));
        await _f.BookingAsync(listed, Staff.UnitA, 15);
        var found = await _f.PatientAsync(Fiction.NewIdentity(new LocalDate(1972, 5, 5)), "Sökt Spårdotter", Fiction.Mobile(31));

        await _f.Reception.GetPageAsync("/CheckIn");
        await Search("spårdotter");

        await using var db = _f.Factory.NewDbContext();
        var view = await db.AuditEvents.Where(a => a.Action == "ViewArrivals").OrderByDescending(a => a.Id).FirstAsync();
        Assert.Equal(_f.ReceptionId, view.Actor);
        Assert.Equal(Staff.UnitA.Value, view.Unit);
        Assert.Equal("CheckIn", view.Channel);
        Assert.DoesNotContain("Loggsson", view.Details!, StringComparison.Ordinal);

        // R57: the patient listed has a row of their own (NeedToKnowTests has the extract).
        var listedRow = (await _f.AuditAsync(listedId)).Last(a => a.Action == nameof(AuditAction.ShownInList));
        Assert.Equal((_f.ReceptionId, Staff.UnitA.Value), (listedRow.Actor, listedRow.Unit!));
        Assert.DoesNotContain("Loggsson", listedRow.Details!, StringComparison.Ordinal);

        var hit = Assert.Single(await _f.AuditAsync(found), a => a.Action == "SearchPatients");
        Assert.Equal(_f.ReceptionId, hit.Actor);
        Assert.Equal(Staff.UnitA.Value, hit.Unit);
        Assert.DoesNotContain("Spårdotter", hit.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R55_a_search_that_opens_the_patient_page_does_not_log_an_arrivals_list_it_never_showed()
    {
        var id = Fiction.NewIdentity(new LocalDate(1973, 6, 6));
        var patient = await _f.PatientAsync(id, "Direkt Sökdotter", Fiction.Mobile(32));
        var page = await _f.Reception.GetPageAsync("/CheckIn");
        var before = await ArrivalViewsAsync();

        var found = await _f.Reception.SubmitAsync(page, "#search", new Dictionary<string, string> { ["Search.Query"] = id.Value });
        var afterMatch = await ArrivalViewsAsync();
        var missing = await _f.Reception.SubmitAsync(page, "#search", new Dictionary<string, string> { ["Search.Query"] = Fiction.NewIdentity(new LocalDate(1970, 2, 2)).Value });

        // The match redirects without the list (so nothing is read or logged for it); a miss shows the list again and logs it.
        Assert.Equal(HttpStatusCode.Redirect, found.StatusCode);
        Assert.Equal($"/CheckIn/Patient?id={patient}", found.Headers.Location!.ToString());
        Assert.Equal(before, afterMatch);
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Equal(before + 1, await ArrivalViewsAsync());
    }

    private async Task<int> ArrivalViewsAsync()
    {
        await using var db = _f.Factory.NewDbContext();
        return await db.AuditEvents.CountAsync(a => a.Action == "ViewArrivals" && a.Actor == _f.ReceptionId);
    }

    private async Task<HttpResponseMessage> Search(string query)
    {
        var page = await _f.Reception.GetPageAsync("/CheckIn");
        return await _f.Reception.SubmitAsync(page, "#search", new Dictionary<string, string> { ["Search.Query"] = query });
    }

    private static Instant Stockholm(LocalDate date) => Domain.Time.Stockholm.ToInstant(date.AtMidnight());
}
