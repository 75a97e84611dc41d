using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Patients;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;

namespace Reminders.Web.Tests.Foundation;

public sealed class UniqueViolationTests
{
    [Fact]
    public async Task A_second_patient_with_the_same_identity_number_is_recognised_as_a_unique_violation()
    {
        using var factory = new RemindersFactory();
        var id = Fiction.TaxAgencyTestNumber;
        await using (var first = factory.NewDbContext())
        {
            first.Patients.Add(Patient.Create(id, "Först"));
            await first.SaveChangesAsync();
        }

        await using var second = factory.NewDbContext();
        second.Patients.Add(Patient.Create(id, "Sedan"));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.True(UniqueViolation.Is(error));
    }

    [Fact]
    public async Task A_foreign_key_violation_is_not_taken_for_a_unique_violation()
    {
        using var factory = new RemindersFactory();
        await using var db = factory.NewDbContext();
        db.ReminderSettings.Add(Domain.Reminders.ReminderSetting.CreateFor(patientId: 999_999));

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.False(UniqueViolation.Is(error));
    }
}
