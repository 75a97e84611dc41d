using Reminders.Domain.Audit;
using Reminders.Domain.Reminders;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Audit;

/// <summary>R55: an audit row says who, from which unit, when, about which patient, what, how, and whether it was refused.</summary>
public class AuditTests
{
    [Fact]
    public void R55_the_product_itself_acts_as_system_through_the_automatic_channel()
    {
        Assert.Equal("system", Actor.System.Id);
        Assert.Equal(ChangeChannel.Automatic, Actor.System.Channel);
        Assert.Null(Actor.System.Role);
        Assert.Null(Actor.System.Unit);
    }

    [Fact]
    public void R55_an_audit_row_keeps_every_field_it_was_created_with()
    {
        var at = Local(2025, 6, 2, 9, 30);

        var row = AuditEvent.Create(at, "user-17", "Receptionist", UnitId.Value, 42, "Block", "CheckIn", "{\"unit\":\"x\"}", succeeded: false);

        Assert.Equal(at, row.At);
        Assert.Equal("user-17", row.Actor);
        Assert.Equal("Receptionist", row.Role);
        Assert.Equal(UnitId.Value, row.Unit);
        Assert.Equal(42, row.PatientId);
        Assert.Equal("Block", row.Action);
        Assert.Equal("CheckIn", row.Channel);
        Assert.Equal("{\"unit\":\"x\"}", row.Details);
        Assert.False(row.Succeeded);
        Assert.True(AuditEvent.Create(at, "system", null, null, null, "RemoveGuardianNumbersAt13", "Automatic", null).Succeeded);
    }
}
