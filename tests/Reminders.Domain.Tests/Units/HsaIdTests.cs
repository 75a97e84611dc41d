using Reminders.Domain.Units;

namespace Reminders.Domain.Tests.Units;

public class HsaIdTests
{
    private static Reason SingleReason(Result result)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Reasons);
    }

    [Theory]
    [InlineData("SE2321000115-O39423", "SE2321000115-O39423")]
    [InlineData("  SE2321000115-O39423 ", "SE2321000115-O39423")]
    [InlineData("SE2321000115-o39423", "SE2321000115-o39423")] // case kept
    [InlineData("SE2321000115-1", "SE2321000115-1")] // one character after '-'
    [InlineData("SE2321000115-E", "SE2321000115-E")]
    [InlineData("SE0000000000-abcXYZ123", "SE0000000000-abcXYZ123")]
    [InlineData("SE2321000115-ABCDEFGHIJ12345678", "SE2321000115-ABCDEFGHIJ12345678")] // 31 characters
    public void R51_accepts_well_formed_ids(string input, string expected)
    {
        var result = HsaId.Parse(input);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(expected, result.Value.Value);
        Assert.Equal(expected, result.Value.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void R51_rejects_empty_input(string? input)
    {
        Assert.Equal(new Reason("R51", "Empty", "Ange ett HSA-id."), SingleReason(HsaId.Parse(input)));
    }

    [Theory]
    [InlineData("SE2321000115-ABCDEFGHIJ123456789")] // 32 characters
    [InlineData("SE2321000115-O39423O39423O39423O39423")]
    public void R51_rejects_more_than_31_characters(string input)
    {
        Assert.Equal(new Reason("R51", "TooLong", "Ett HSA-id får vara högst 31 tecken."), SingleReason(HsaId.Parse(input)));
    }

    [Theory]
    [InlineData("SE2321000115")] // nothing after the organisation number
    [InlineData("SE2321000115-")]
    [InlineData("se2321000115-O39423")] // prefix must be upper-case SE
    [InlineData("Se2321000115-O39423")]
    [InlineData("NO2321000115-O39423")]
    [InlineData("2321000115-O39423")]
    [InlineData("SE232100011-O39423")] // 9 digits
    [InlineData("SE23210001155-O39423")] // 11 digits
    [InlineData("SE232100011A-O39423")]
    [InlineData("SE2321000115O39423")] // no hyphen
    [InlineData("SE2321000115_O39423")]
    [InlineData("SE2321000115--O39423")]
    [InlineData("SE2321000115-O39-423")]
    [InlineData("SE2321000115-O39 423")]
    [InlineData("SE 2321000115-O39423")]
    [InlineData("SE2321000115-Ö39423")] // not ASCII
    [InlineData("SE2321000115-O3942é")]
    [InlineData("SE2321000115-O39423!")]
    [InlineData("SE２３２１０００１１５-O39423")] // full-width digits
    public void R51_rejects_malformed_ids(string input)
    {
        var reason = SingleReason(HsaId.Parse(input));

        Assert.Equal("R51", reason.Rule);
        Assert.Equal("Format", reason.Code);
        Assert.Equal(
            "Ange HSA-id som SE, tio siffror, bindestreck och bokstäver eller siffror, t.ex. SE2321000115-O39423.",
            reason.Text);
    }

    [Fact]
    public void R51_equality_is_ordinal_and_case_sensitive()
    {
        var upper = HsaId.Parse("SE2321000115-O39423").Value;

        Assert.Equal(upper, HsaId.Parse(" SE2321000115-O39423").Value);
        Assert.NotEqual(upper, HsaId.Parse("SE2321000115-o39423").Value);
        Assert.Equal(upper, HsaId.FromTrusted("SE2321000115-O39423"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" SE2321000115-O39423")] // trusted values are not trimmed
    [InlineData("se2321000115-O39423")]
    [InlineData("SE2321000115-")]
    [InlineData("SE2321000115-ABCDEFGHIJ123456789")]
    public void R51_from_trusted_throws_for_a_broken_invariant(string value)
    {
        Assert.Throws<ArgumentException>(() => HsaId.FromTrusted(value));
    }

    [Theory]
    [InlineData("SE2321000016-15RX")]
    [InlineData("SE2321000016-1234")]
    [InlineData("SE5565594230-AB12CD34EF56GH78IJ")] // 31 characters, the longest
    public void R51_a_persons_HSA_id_from_the_SITHS_card_has_the_same_shape(string value)
    {
        var parsed = HsaId.Parse(value);

        Assert.True(parsed.Succeeded);
        Assert.Equal(value, parsed.Value.Value);
    }

    [Theory]
    [InlineData("SE232100001615RX", "Format")] // no hyphen
    [InlineData("SE2321000016-15 RX", "Format")]
    [InlineData("SE5565594230-AB12CD34EF56GH78IJK", "TooLong")] // 32 characters
    public void R51_a_malformed_persons_HSA_id_is_refused(string value, string code)
    {
        var reason = Assert.Single(HsaId.Parse(value).Reasons);

        Assert.Equal("R51", reason.Rule);
        Assert.Equal(code, reason.Code);
    }
}
