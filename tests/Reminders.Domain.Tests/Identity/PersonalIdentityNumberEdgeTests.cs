using NodaTime;
using Reminders.Domain.Identity;

namespace Reminders.Domain.Tests.Identity;

/// <summary>R50 at its edges: where the separator may stand, corrupt stored values, and the four-digit year.</summary>
public class PersonalIdentityNumberEdgeTests
{
    private static readonly LocalDate Today = new(2025, 6, 15);

    [Theory]
    [InlineData("-201701012393")]
    [InlineData("+201701012393")]
    [InlineData("-1701012393")]
    public void R50_a_separator_in_front_of_the_digits_is_refused_as_format(string input)
    {
        var result = PersonalIdentityNumber.Parse(input, Today);

        Assert.False(result.Succeeded);
        Assert.Equal(["R50 Format"], TestData.Codes(result.Reasons));
    }

    [Theory]
    [InlineData("2017O1012393")] // letter O in the month
    [InlineData("20170101239 ")]
    [InlineData("2017-1012393")]
    public void R50_a_stored_value_with_any_non_digit_is_a_broken_invariant(string value)
    {
        Assert.Throws<ArgumentException>(() => PersonalIdentityNumber.FromNormalised(value));
    }

    [Fact]
    public void R50_create_takes_every_four_digit_year_and_nothing_else()
    {
        Assert.Equal("00010101", PersonalIdentityNumber.Create(new LocalDate(1, 1, 1), 239).Value[..8]);
        Assert.Equal("00000101", PersonalIdentityNumber.Create(new LocalDate(0, 1, 1), 239).Value[..8]);
        Assert.Equal("99991231", PersonalIdentityNumber.Create(new LocalDate(9999, 12, 31), 239).Value[..8]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdentityNumber.Create(new LocalDate(-1, 1, 1), 239));
        Assert.Equal("birthDate", error.ParamName);
    }
}
