using NodaTime;
using Reminders.Testing;

namespace Reminders.Web.Tests.CheckIn;

/// <summary>Refusals that need the clock to pass a 13th birthday between rendering and posting (own app: the clock moves).</summary>
public sealed class TimeTravelTests(CheckInFixture fixture) : IClassFixture<CheckInFixture>
{
    private readonly CheckInFixture _f = fixture;

    [Fact]
    public async Task R13_a_guardian_number_is_refused_once_the_child_has_turned_13()
    {
        // Ten minutes before midnight, the eve of the 13th birthday (a session lasts a shift, so stay within it).
        var start = _f.Factory.Time.Now;
        _f.Factory.Time.SetNow(Domain.Time.Stockholm.ToInstant(new LocalDateTime(2025, 3, 27, 23, 50)));
        try
        {
            var client = await _f.Factory.SignedInClientAsync("late@test.invalid", [Infrastructure.Identity.StaffRoles.Receptionist], [Staff.UnitA]);
            var patient = await _f.PatientAsync(Fiction.NewIdentity(new LocalDate(2012, 3, 28)), "Tretton Imorgon", configure: (p, s, c) => s.Activate(p, c));
            var page = await client.GetPageAsync(CheckInFixture.PatientUrl(patient));
            Assert.NotNull(page.QuerySelector("#add-guardian"));
            _f.Factory.Time.Advance(Duration.FromMinutes(20));

            var after = await client.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "070-174 06 60" });

            Assert.Contains("Patienten har fyllt 13 år", after.QuerySelector("[data-valmsg-for='Guardian.Number']")!.TextContent, StringComparison.Ordinal);
            Assert.Equal("070-174 06 60", ((AngleSharp.Html.Dom.IHtmlInputElement)after.QuerySelector("#Guardian_Number")!).Value);
            Assert.Empty((await _f.SettingAsync(patient)).GuardianNumbers);
        }
        finally
        {
            _f.Factory.Time.SetNow(start);
        }
    }

    [Fact]
    public async Task R12_confirming_the_mobile_is_refused_earlier_than_30_days_before_the_13th_birthday()
    {
        var patient = await _f.PatientAsync(Fiction.NewIdentity(_f.Today.PlusYears(-13).PlusDays(-3)), "Tretton Nyss", Fiction.Mobile(61), configure: (p, s, c) => s.Activate(p, c));
        var page = await _f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));
        Assert.NotNull(page.QuerySelector("[data-testid=turned-13]"));
        var start = _f.Factory.Time.Now;
        // 13 years minus 3 days old now: 40 days back is 37 days before the 13th birthday (rev. 2 allows 30).
        _f.Factory.Time.SetNow(start - Duration.FromDays(40));
        try
        {
            var after = await _f.Reception.PostAndFollowAsync(page, "#confirm-mobile");

            Assert.Contains("tidigast 30 dagar före 13-årsdagen", after.Problems(), StringComparison.Ordinal);
            Assert.Null((await _f.SettingAsync(patient)).ConfirmedMobile);
        }
        finally
        {
            _f.Factory.Time.SetNow(start);
        }
    }
}
