using Reminders.Domain.Phones;

namespace Reminders.Domain.Tests.Phones;

public class PhoneNumberTests
{
    private static Reason SingleReason(Result result)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Reasons);
    }

    [Theory]
    [InlineData("070-123 45 67")]
    [InlineData("0701234567")]
    [InlineData("070 123 45 67")]
    [InlineData("070-1234567")]
    [InlineData("070.123.45.67")]
    [InlineData("(070) 123 45 67")]
    [InlineData("(0)70-123 45 67")]
    [InlineData("  070-123 45 67\t")]
    [InlineData("070\u00A0123\u00A045\u00A067")] // non-breaking spaces, as pasted from documents
    [InlineData("+46 70 123 45 67")]
    [InlineData("+46701234567")]
    [InlineData("+46-70-1234567")]
    [InlineData("+46 (0)70 123 45 67")]
    [InlineData("+46(0)701234567")]
    [InlineData("+46 070-123 45 67")] // trunk 0 written after the country code
    [InlineData("0046701234567")]
    [InlineData("0046 70 123 45 67")]
    [InlineData("0046 (0)70-123 45 67")]
    public void R16_accepts_every_form_of_a_swedish_mobile_and_normalises_to_e164(string input)
    {
        var result = PhoneNumber.Parse(input);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal("+46701234567", result.Value.Value);
        Assert.Equal("+46701234567", result.Value.ToString());
        Assert.True(result.Value.IsMobile);
    }

    [Theory]
    [InlineData("070-123 45 67", "+46701234567")]
    [InlineData("072-123 45 67", "+46721234567")]
    [InlineData("073-123 45 67", "+46731234567")]
    [InlineData("076-123 45 67", "+46761234567")]
    [InlineData("079-123 45 67", "+46791234567")]
    [InlineData("+47 912 34 567", "+4791234567")] // Norway, 9…
    [InlineData("+47 412 34 567", "+4741234567")] // Norway, 4…
    [InlineData("0047 41234567", "+4741234567")]
    [InlineData("+45 20 12 34 56", "+4520123456")] // Denmark: every 8-digit number
    [InlineData("+45 32 12 34 56", "+4532123456")]
    [InlineData("+358 40 123 4567", "+358401234567")] // Finland 04x
    [InlineData("+358 45 123 456", "+35845123456")]
    [InlineData("+358 50 123 4567", "+358501234567")] // Finland 050
    [InlineData("+44 7700 900123", "+447700900123")] // other countries: accepted as mobile
    [InlineData("+1 (202) 555-0123", "+12025550123")]
    [InlineData("+49 151 12345678", "+4915112345678")]
    [InlineData("+12345678", "+12345678")] // 8 digits, the shortest E.164 accepted
    [InlineData("+123456789012345", "+123456789012345")] // 15 digits, the longest
    public void R16_accepts_mobile_numbers(string input, string expected)
    {
        var result = PhoneNumber.ParseMobile(input);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(expected, result.Value.Value);
        Assert.True(result.Value.IsMobile);
    }

    [Theory]
    [InlineData("08-123 456 78", "+46812345678")] // Stockholm
    [InlineData("08-12 34 56", "+468123456")]
    [InlineData("031-123 45 67", "+46311234567")] // Göteborg
    [InlineData("0980-123 45", "+46980123 45")]
    [InlineData("010-123 45 67", "+46101234567")] // 010 business numbers
    [InlineData("0771-123 456", "+46771123456")] // 0771 service numbers
    [InlineData("020-123 456", "+4620123456")]
    [InlineData("071-123 45 67", "+46711234567")] // M2M
    [InlineData("074-123 45 67", "+46741234567")] // 074 and 075 are not mobile prefixes in R16
    [InlineData("075-123 45 67", "+46751234567")]
    [InlineData("077-123 45 67", "+46771234567")]
    [InlineData("078-123 45 67", "+46781234567")]
    [InlineData("+47 22 12 34 56", "+4722123456")] // Oslo
    [InlineData("+47 912 34 5678", "+47912345678")] // Norway with 9 digits
    [InlineData("+45 2012345", "+452012345")] // Denmark with 7 digits
    [InlineData("+358 9 123 4567", "+35891234567")] // Helsinki
    [InlineData("+358 40 12345678 9", "+3584012345678" + "9")] // Finland, 11 digits after 358
    public void R16_landline_is_refused_as_not_mobile(string input, string e164)
    {
        var parsed = PhoneNumber.Parse(input);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Reasons));
        Assert.Equal(e164.Replace(" ", "", StringComparison.Ordinal), parsed.Value.Value);
        Assert.False(parsed.Value.IsMobile);

        var reason = SingleReason(PhoneNumber.ParseMobile(input));

        Assert.Equal(new Reason("R16", "NotMobile", "Numret är inte ett mobilnummer."), reason);
    }

    [Theory]
    [InlineData("070-123 45 6")] // 9 digits with 0
    [InlineData("+46 70 123 456")]
    [InlineData("+46 70 12 34 5")]
    [InlineData("076-12 34 56")]
    public void R16_swedish_mobile_prefix_with_wrong_length_is_refused(string input)
    {
        var reason = SingleReason(PhoneNumber.ParseMobile(input));

        Assert.Equal(new Reason("R16", "MobileLength", "Ett svenskt mobilnummer har 10 siffror, t.ex. 070-123 45 67."), reason);
    }

    [Theory]
    [InlineData("070-123 45 678")] // 11 digits with 0
    [InlineData("+46 70 123 45 678")]
    [InlineData("+4670123456789")]
    [InlineData("08-123 45")] // 6 digits after 0
    [InlineData("0")]
    [InlineData("0 7")]
    [InlineData("+46")]
    [InlineData("+46 12345")]
    [InlineData("+46 00 70 123 45 67")]
    public void R16_swedish_number_with_implausible_length_is_refused(string input)
    {
        var reason = SingleReason(PhoneNumber.Parse(input));

        Assert.Equal("R16", reason.Rule);
        Assert.Equal("SwedishLength", reason.Code);
        Assert.Equal("Ett svenskt nummer har 8–10 siffror med inledande 0 (t.ex. 070-123 45 67 eller 08-123 456 78).", reason.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void R16_rejects_empty_input(string? input)
    {
        Assert.Equal(new Reason("R16", "Empty", "Ange ett telefonnummer."), SingleReason(PhoneNumber.Parse(input)));
        Assert.Equal(new Reason("R16", "Empty", "Ange ett telefonnummer."), SingleReason(PhoneNumber.ParseMobile(input)));
    }

    [Theory]
    [InlineData("070-123 45 6x")]
    [InlineData("O70-123 45 67")] // letter O
    [InlineData("abc")]
    [InlineData("tel:0701234567")]
    [InlineData("070/123 45 67")]
    [InlineData("070-123 45 67 ankn. 12")]
    [InlineData("+46 70 123 45 67#")]
    [InlineData("+46 70 123 45 67*")]
    [InlineData("０７０１２３４５６７")] // full-width digits
    public void R16_rejects_letters_and_other_characters(string input)
    {
        var reason = SingleReason(PhoneNumber.Parse(input));

        Assert.Equal("R16", reason.Rule);
        Assert.Equal("Characters", reason.Code);
        Assert.Equal("Numret får bara innehålla siffror, plustecken först, mellanslag, bindestreck, punkt och parenteser.", reason.Text);
    }

    [Theory]
    [InlineData("701234567")]
    [InlineData("70-123 45 67")]
    [InlineData("46701234567")]
    [InlineData("123 45 67")]
    [InlineData("(46) 70 123 45 67")]
    public void R16_rejects_digits_without_plus_or_0_prefix(string input)
    {
        var reason = SingleReason(PhoneNumber.Parse(input));

        Assert.Equal("R16", reason.Rule);
        Assert.Equal("NoPrefix", reason.Code);
        Assert.Equal("Ange numret med inledande 0 (t.ex. 070-123 45 67) eller med landsnummer (t.ex. +46 70 123 45 67).", reason.Text);
    }

    [Theory]
    [InlineData("070+1234567", "Plustecken får bara stå först i numret.")]
    [InlineData("++46701234567", "Plustecken får bara stå först i numret.")]
    [InlineData("0046+701234567", "Plustecken får bara stå först i numret.")]
    [InlineData("46+701234567", "Plustecken får bara stå först i numret.")]
    [InlineData("+0701234567", "Landsnumret kan inte börja med 0.")]
    [InlineData("000701234567", "Landsnumret kan inte börja med 0.")]
    [InlineData("+ 0 46 70 123 45 67", "Landsnumret kan inte börja med 0.")]
    public void R16_rejects_a_misplaced_plus_or_a_country_code_starting_with_0(string input, string text)
    {
        Assert.Equal(new Reason("R16", "Format", text), SingleReason(PhoneNumber.Parse(input)));
    }

    [Theory]
    [InlineData("+")]
    [InlineData("00")]
    [InlineData("+1")]
    [InlineData("+4712345")] // 7 digits
    [InlineData("+47 123 45")]
    [InlineData("0047 12345")]
    public void R16_rejects_too_short(string input)
    {
        Assert.Equal(
            new Reason("R16", "TooShort", "Numret är för kort: minst 8 siffror inklusive landsnummer."),
            SingleReason(PhoneNumber.Parse(input)));
    }

    [Theory]
    [InlineData("+1234567890123456")] // 16 digits
    [InlineData("+47 912 34 567 912 34 567")]
    [InlineData("0047 1234 5678 9012 3456")]
    public void R16_rejects_too_long(string input)
    {
        Assert.Equal(
            new Reason("R16", "TooLong", "Numret är för långt: högst 15 siffror inklusive landsnummer."),
            SingleReason(PhoneNumber.Parse(input)));
    }

    [Theory]
    [InlineData("+46701234567", "070-123 45 67")]
    [InlineData("+46761234567", "076-123 45 67")]
    [InlineData("+46799876543", "079-987 65 43")]
    [InlineData("+46812345678", "+46 812345678")]
    [InlineData("+46741234567", "+46 741234567")]
    [InlineData("+4791234567", "+47 91234567")]
    [InlineData("+4520123456", "+45 20123456")]
    [InlineData("+358401234567", "+358 401234567")]
    [InlineData("+447700900123", "+447700900123")]
    public void R16_display_form(string e164, string expected)
    {
        Assert.Equal(expected, PhoneNumber.FromTrusted(e164).ToDisplayString());
    }

    [Fact]
    public void R16_numbers_are_equal_by_their_e164_value()
    {
        Assert.Equal(PhoneNumber.Parse("070-123 45 67").Value, PhoneNumber.Parse("+46 (0)70 123 45 67").Value);
        Assert.Equal(PhoneNumber.Parse("0046701234567").Value, PhoneNumber.FromTrusted("+46701234567"));
        Assert.NotEqual(PhoneNumber.Parse("070-123 45 67").Value, PhoneNumber.Parse("070-123 45 68").Value);
    }

    [Theory]
    [InlineData("+46701234567", true)]
    [InlineData("+46812345678", false)]
    [InlineData("+4791234567", true)]
    public void R16_from_trusted_recreates_a_stored_number(string e164, bool mobile)
    {
        var number = PhoneNumber.FromTrusted(e164);

        Assert.Equal(e164, number.Value);
        Assert.Equal(mobile, number.IsMobile);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0701234567")] // not E.164
    [InlineData("46701234567")]
    [InlineData("0046701234567")]
    [InlineData("+46 70 123 45 67")] // not normalised
    [InlineData("+460701234567")]
    [InlineData(" +46701234567")]
    [InlineData("+4670")]
    [InlineData("+1234567890123456")]
    [InlineData("+46701234567x")]
    public void R16_from_trusted_throws_for_a_broken_invariant(string value)
    {
        Assert.Throws<ArgumentException>(() => PhoneNumber.FromTrusted(value));
    }
}
