using Reminders.Domain.Units;
using Reminders.Web.Features.Units;

namespace Reminders.Web.Tests.CheckIn;

/// <summary>The block form's unit list, encoded once per unit list: the same HTML as rendering it per view.</summary>
public sealed class UnitOptionsHtmlTests
{
    private static readonly HsaId A = HsaId.FromTrusted("SE2321000115-T1000A");
    private static readonly HsaId B = HsaId.FromTrusted("SE2321000115-T2000B");
    private static readonly HsaId C = HsaId.FromTrusted("SE2321000115-T3000C");

    private static readonly IReadOnlyList<CareUnit> Units =
    [
        CareUnit.Create(C, "Barn & unga <mottagning>", "Andra \"kliniken\"", usesSmsReminders: true, offersSelfCheckIn: false),
        CareUnit.Create(A, "Testmottagning A", "Testkliniken", usesSmsReminders: true, offersSelfCheckIn: false),
        CareUnit.Create(B, "Testmottagning B", "Testkliniken", usesSmsReminders: true, offersSelfCheckIn: false),
    ];

    private static string Html(IReadOnlyList<CareUnit> units, Func<HsaId, bool> isBlocked, string? selected)
    {
        using var writer = new StringWriter();
        UnitOptionsHtml.Render(units, isBlocked, selected).WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }

    [Fact]
    public void Every_unit_by_clinic_with_names_and_labels_encoded()
    {
        var html = Html(Units, _ => false, null);

        Assert.Equal(
            "<optgroup label=\"Andra &quot;kliniken&quot;\"><option value=\"SE2321000115-T3000C\">Barn &amp; unga &lt;mottagning&gt;</option></optgroup>"
            + "<optgroup label=\"Testkliniken\"><option value=\"SE2321000115-T1000A\">Testmottagning A</option><option value=\"SE2321000115-T2000B\">Testmottagning B</option></optgroup>",
            html);
    }

    [Fact]
    public void R3_blocked_units_are_not_offered_and_a_clinic_with_none_left_is_left_out()
    {
        var html = Html(Units, u => u == C || u == A, null);

        Assert.Equal("<optgroup label=\"Testkliniken\"><option value=\"SE2321000115-T2000B\">Testmottagning B</option></optgroup>", html);
    }

    [Fact]
    public void The_unit_chosen_in_a_refused_post_stays_selected()
    {
        var html = Html(Units, _ => false, B.Value);

        Assert.Contains("<option value=\"SE2321000115-T2000B\" selected=\"selected\">Testmottagning B</option>", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, " selected="));
    }

    [Fact]
    public void A_new_unit_list_is_rendered_anew()
    {
        var before = Html(Units, _ => false, null);
        var renamed = Units.Select(u => u.HsaId == A ? CareUnit.Create(A, "Nytt namn", u.Clinic, true, false) : u).ToList();

        var after = Html(renamed, _ => false, null);

        Assert.Contains("Testmottagning A", before, StringComparison.Ordinal);
        Assert.Contains("Nytt namn", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Testmottagning A", after, StringComparison.Ordinal);
    }
}
