namespace Reminders.Domain.Tests.Texts;

/// <summary>A reason is known by its rule and code together: codes repeat across rules (R20/R21, R22/R61, R14/R34).</summary>
public class ReasonTests
{
    [Fact]
    public void R20_R21_the_same_code_under_two_rules_is_two_reasons()
    {
        Assert.Equal(Reasons.ReminderAtOnce.Code, Reasons.SelfCheckInAtOnce.Code);
        Assert.False(Reasons.ReminderAtOnce.Is(Reasons.SelfCheckInAtOnce));
        Assert.False(Reasons.BookingCancelled.Is(Reasons.OutcomeOfCancelledBooking));
        Assert.False(Reasons.ProtectedIdentity.Is(Reasons.MigrationProtectedIdentity));
    }

    [Fact]
    public void R14_a_reason_is_itself_whatever_its_text_and_never_null()
    {
        Assert.True(Reasons.ProtectedIdentity.Is(Reasons.ProtectedIdentity));
        Assert.True(Reasons.ProtectedIdentity.Is(Reasons.ProtectedIdentity with { Text = "Annan formulering." }));
        Assert.False(Reasons.ProtectedIdentity.Is(Reasons.ProtectedIdentity with { Rule = "R15" }));
        Assert.False(Reasons.ProtectedIdentity.Is(null!));
    }

    [Fact]
    public void R12_IsAnyOf_finds_the_reason_among_several_and_not_among_others()
    {
        Assert.True(Reasons.MobileDateUnknown.IsAnyOf(Reasons.MobileRegisteredBefore13, Reasons.MobileDateUnknown));
        Assert.True(Reasons.MobileRegisteredBefore13.IsAnyOf(Reasons.MobileRegisteredBefore13, Reasons.MobileDateUnknown));
        Assert.False(Reasons.NoMobile.IsAnyOf(Reasons.MobileRegisteredBefore13, Reasons.MobileDateUnknown));
        Assert.False(Reasons.NoMobile.IsAnyOf());
    }

    [Fact]
    public void A_refusal_always_has_a_reason_and_a_refused_value_cannot_be_read()
    {
        Assert.Throws<ArgumentException>(() => Result.Refused([]));
        Assert.Throws<ArgumentException>(() => Result.Failure<int>());
        var refused = Result.Failure<int>(Reasons.NoMobile);
        Assert.False(refused.Succeeded);
        var error = Assert.Throws<InvalidOperationException>(() => refused.Value);
        Assert.Contains("R10 NoMobile", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, Result.Success(7).Value);
    }
}
