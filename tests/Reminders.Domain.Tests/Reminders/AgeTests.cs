using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;

namespace Reminders.Domain.Tests.Reminders;

/// <summary>The age of majority as a birth-date bound (R12, R60b), and the birth date a patient keeps (R50).</summary>
public class AgeTests
{
    [Theory]
    [InlineData("2025-03-27", "2007-03-27")]
    [InlineData("2026-02-28", "2008-02-29")] // born 29 February 2008: 18 on 28 February 2026, as PlusYears counts
    [InlineData("2028-02-29", "2010-02-28")]
    [InlineData("2027-03-01", "2009-03-01")]
    public void R60b_the_last_adult_birth_date_is_the_day_18_years_are_reached(string today, string lastBirthDate)
    {
        var date = NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value;
        Assert.Equal(lastBirthDate, NodaTime.Text.LocalDatePattern.Iso.Format(Age.LastAdultBirthDateOn(date)));
    }

    [Fact]
    public void R60b_a_birth_date_is_on_or_before_the_bound_exactly_when_IsAdultOn_says_adult()
    {
        // Four years of days (two leap days) and the birth dates around each day's bound.
        for (var date = new LocalDate(2026, 1, 1); date < new LocalDate(2030, 1, 1); date = date.PlusDays(1))
        {
            var bound = Age.LastAdultBirthDateOn(date);
            for (var offset = -3; offset <= 3; offset++)
            {
                var born = bound.PlusDays(offset);
                Assert.True(Age.IsAdultOn(born, date) == (born <= bound), $"born {born}, on {date}, bound {bound}");
            }
        }
    }

    [Fact]
    public void R50_a_patient_keeps_the_birth_date_of_the_identity_number_also_for_a_samordningsnummer()
    {
        var born = new LocalDate(2011, 9, 30);
        Assert.Equal(born, Patient.Create(PersonalIdentityNumber.Create(born, 42), "Test Testsson").BirthDate);
        var coordination = PersonalIdentityNumber.Create(born, 42, coordination: true);
        Assert.StartsWith("20110990", coordination.Value, StringComparison.Ordinal);
        Assert.Equal(born, Patient.Create(coordination, "Test Testsson").BirthDate);
    }
}
