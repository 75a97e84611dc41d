using System.Reflection;
using System.Text.RegularExpressions;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Texts;

/// <summary>
/// R24: the product says exactly why not, naming each rule that stopped it. Every reason in the catalogue
/// (<see cref="Reasons"/>) carries the rule ID of the rule book, a stable code, and its own Swedish explanation.
/// </summary>
public partial class ReasonCatalogueTests
{
    private static readonly Reason[] Catalogue =
    [
        .. typeof(Reasons).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(Reason))
            .Select(p => (Reason)p.GetValue(null)!),
    ];

    [GeneratedRegex("^R[1-9][0-9]?b?$")]
    private static partial Regex RuleId();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]+$")]
    private static partial Regex StableCode();

    [Fact]
    public void R24_every_reason_names_its_rule_a_stable_code_and_a_Swedish_explanation()
    {
        Assert.True(Catalogue.Length >= 40, $"only {Catalogue.Length} reasons found");
        Assert.All(Catalogue, reason =>
        {
            Assert.Matches(RuleId(), reason.Rule);
            Assert.Matches(StableCode(), reason.Code);
            Assert.True(reason.Text.Length >= 15, $"{reason.Rule} {reason.Code}: the explanation is missing or too short");
            Assert.EndsWith(".", reason.Text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void R24_no_two_reasons_share_their_rule_and_code_or_their_explanation()
    {
        Assert.Empty(Catalogue.GroupBy(r => (r.Rule, r.Code)).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(Catalogue.GroupBy(r => r.Text).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public void R30_R31_R32_R34_R35_R45_R61_the_migration_e_service_and_outcome_reasons_name_their_rules()
    {
        Assert.Equal(
            [
                "R31 MigrationActivated", "R31 NoConsent", "R32 BlocksCarried", "R34 ProtectedIdentity", "R35 GuardianNumbersNotMigrated",
                "R6 AlreadyActivated", "R15 MobileFrom1177Only", "R45 AlreadyHandled", "R45 AnswerText", "R61 Cancelled", "R61 NotStarted",
            ],
            Codes(
            [
                Reasons.MigrationActivated, Reasons.MigrationNoConsent, Reasons.MigrationBlocksCarried, Reasons.MigrationProtectedIdentity,
                Reasons.MigrationGuardianNumbersAfter12, Reasons.DeclineWhileActivated, Reasons.MobileFrom1177Only, Reasons.RequestAlreadyHandled,
                Reasons.AnswerText, Reasons.OutcomeOfCancelledBooking, Reasons.OutcomeBeforeStart,
            ]));
        Assert.Equal("RPA-migrerat 2025-03-29", Reasons.MigrationComment(new NodaTime.LocalDate(2025, 3, 29)));
        Assert.StartsWith(Reasons.MigrationCommentPrefix, Reasons.MigrationComment(new NodaTime.LocalDate(2025, 3, 29)), StringComparison.Ordinal);
    }

    [Fact]
    public void R24_a_refused_value_read_by_mistake_names_every_reason_it_was_refused_for()
    {
        var refused = Result.Failure<int>(Reasons.NoMobile, Reasons.UnitBlocked);

        var error = Assert.Throws<InvalidOperationException>(() => refused.Value);

        Assert.Contains($"{Reasons.NoMobile}; {Reasons.UnitBlocked}", error.Message, StringComparison.Ordinal);
    }
}
