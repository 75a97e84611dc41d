using NodaTime;
using Reminders.Domain.EService;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.EService;

/// <summary>
/// R45: a 1177 e-service request lands open in the inbox of the unit where it was submitted, is taken in hand and
/// closed there once (applied or rejected with a standard answer); a handled request is refused with R45's reason.
/// </summary>
public class EServiceRequestTests
{
    private static readonly Instant ReceivedAt = Local(2025, 6, 2, 8, 15);
    private static readonly Instant HandledAt = Local(2025, 6, 2, 10, 30);

    private static EServiceRequest Block() =>
        EServiceRequest.Receive(ReceptionUnitId, 42, EServiceKind.Block, UnitId, null, ReceivedAt);

    [Fact]
    public void R45_a_request_lands_open_where_it_was_submitted_whichever_unit_it_concerns()
    {
        var request = Block();

        Assert.Equal(ReceptionUnitId, request.ReceivedAtUnit);
        Assert.Equal(UnitId, request.ConcernsUnit);
        Assert.Equal(42, request.PatientId);
        Assert.Equal(EServiceKind.Block, request.Kind);
        Assert.Equal(ReceivedAt, request.ReceivedAt);
        Assert.Equal(EServiceStatus.Open, request.Status);
        Assert.Equal(0, request.Version);
        Assert.Null(request.HandledAt);
        Assert.Null(request.HandledBy);
        Assert.Null(request.Answer);
    }

    [Fact]
    public void R45_R16_a_guardian_number_is_kept_as_typed_without_surrounding_spaces_for_validation_when_applied()
    {
        var request = EServiceRequest.Receive(UnitId, 7, EServiceKind.GuardianNumber, null, "  070-174 06 05 ", ReceivedAt);

        Assert.Equal("070-174 06 05", request.Number);
        Assert.Null(request.ConcernsUnit);
        Assert.Null(EServiceRequest.Receive(UnitId, 7, EServiceKind.Activate, null, null, ReceivedAt).Number);
    }

    [Fact]
    public void R45_taking_an_open_request_in_hand_moves_its_token_and_leaves_it_open()
    {
        var request = Block();

        Assert.True(request.TakeInHand().Succeeded);
        Assert.Equal(1, request.Version);
        Assert.Equal(EServiceStatus.Open, request.Status);

        // Still open: a second member of staff may take it in hand, and the token moves on again.
        Assert.True(request.TakeInHand().Succeeded);
        Assert.Equal(2, request.Version);
        Assert.Null(request.HandledAt);
    }

    [Theory]
    [InlineData(true, EServiceStatus.Applied)]
    [InlineData(false, EServiceStatus.Rejected)]
    public void R45_closing_records_applied_or_rejected_with_who_when_and_the_standard_answer(bool applied, EServiceStatus expected)
    {
        var request = Block();
        Assert.True(request.TakeInHand().Succeeded);

        Assert.True(request.Close(applied, "user-17", "Vi har registrerat din begäran.", HandledAt).Succeeded);

        Assert.Equal(expected, request.Status);
        Assert.Equal("user-17", request.HandledBy);
        Assert.Equal("Vi har registrerat din begäran.", request.Answer);
        Assert.Equal(HandledAt, request.HandledAt);
        Assert.Equal(2, request.Version);
    }

    [Fact]
    public void R45_a_handled_request_is_refused_with_AlreadyHandled_and_keeps_its_first_answer()
    {
        var request = Block();
        Assert.True(request.Close(false, "user-17", "Första svaret.", HandledAt).Succeeded);
        Assert.Equal(1, request.Version);

        var takeAgain = request.TakeInHand();
        var closeAgain = request.Close(true, "user-99", "Andra svaret.", HandledAt + Duration.FromHours(1));

        Assert.False(takeAgain.Succeeded);
        Assert.Equal(["R45 AlreadyHandled"], Codes(takeAgain.Reasons));
        Assert.False(closeAgain.Succeeded);
        Assert.Equal(["R45 AlreadyHandled"], Codes(closeAgain.Reasons));
        Assert.Equal(EServiceStatus.Rejected, request.Status);
        Assert.Equal("user-17", request.HandledBy);
        Assert.Equal("Första svaret.", request.Answer);
        Assert.Equal(HandledAt, request.HandledAt);
        Assert.Equal(1, request.Version);
    }
}
