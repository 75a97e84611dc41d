using NodaTime;
using Reminders.Domain.Identity;

namespace Reminders.Domain.Tests.Identity;

/// <summary>
/// R50. Test data: the tax agency's published test number 201701012393 and otherwise numbers
/// generated with a valid Luhn digit (birth numbers 238/001), never a real person's data.
/// </summary>
public class PersonalIdentityNumberTests
{
    private static readonly LocalDate Today = new(2025, 6, 15);

    private static Reason SingleReason(Result result)
    {
        Assert.False(result.Succeeded);
        return Assert.Single(result.Reasons);
    }

    [Theory]
    [InlineData("20170101-2393", "201701012393")]
    [InlineData("201701012393", "201701012393")]
    [InlineData("170101-2393", "201701012393")]
    [InlineData("1701012393", "201701012393")]
    [InlineData("  170101-2393\t", "201701012393")]
    [InlineData(" 20170101-2393 ", "201701012393")]
    [InlineData("170101+2393", "191701012393")]
    [InlineData("19900115-2389", "199001152389")]
    [InlineData("9001152389", "199001152389")]
    [InlineData("900115-2389", "199001152389")]
    [InlineData("991231-2387", "199912312387")]
    [InlineData("000101-2384", "200001012384")]
    [InlineData("250615-2384", "202506152384")] // born today
    public void R50_accepts_every_documented_form(string input, string expected)
    {
        var result = PersonalIdentityNumber.Parse(input, Today);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(expected, result.Value.Value);
        Assert.False(result.Value.IsCoordinationNumber);
    }

    [Fact]
    public void R50_exposes_birth_date_and_display_form()
    {
        var number = PersonalIdentityNumber.Parse("1701012393", Today).Value;

        Assert.Equal(new LocalDate(2017, 1, 1), number.BirthDate);
        Assert.Equal("20170101-2393", number.ToString());
        Assert.Equal("201701012393", number.Value);
    }

    [Fact]
    public void R50_every_form_of_one_number_is_the_same_value()
    {
        var a = PersonalIdentityNumber.Parse("170101-2393", Today).Value;
        var b = PersonalIdentityNumber.Parse("201701012393", Today).Value;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, PersonalIdentityNumber.Parse("170101+2393", Today).Value);
    }

    [Theory]
    [InlineData("19900161-2382", "199001612382", 1990, 1, 1)] // day 61 = the 1st
    [InlineData("900191-2386", "199001912386", 1990, 1, 31)] // day 91 = the 31st
    [InlineData("9001912386", "199001912386", 1990, 1, 31)]
    [InlineData("000289-2388", "200002892388", 2000, 2, 29)] // 29 Feb in a leap year
    public void R50_accepts_samordningsnummer_with_day_plus_60(string input, string expected, int year, int month, int day)
    {
        var result = PersonalIdentityNumber.Parse(input, Today);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(expected, result.Value.Value);
        Assert.True(result.Value.IsCoordinationNumber);
        Assert.Equal(new LocalDate(year, month, day), result.Value.BirthDate);
    }

    [Theory]
    [InlineData("19900192-0000")] // day 92 = 32 January
    [InlineData("19900160-0000")] // day 60 = day 0
    [InlineData("900199-0000")]
    [InlineData("19000289-0000")] // 29 Feb 1900 (not a leap year)
    [InlineData("19900289-0000")]
    [InlineData("19900291-0000")] // 31 Feb
    public void R50_rejects_samordningsnummer_whose_day_minus_60_does_not_exist(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal(new Reason("R50", "Date", "Datumet finns inte."), reason);
    }

    [Theory]
    [InlineData("240229-2383", 2024)]
    [InlineData("20000229-0013", 2000)]
    public void R50_accepts_29_february_in_a_leap_year(string input, int year)
    {
        var result = PersonalIdentityNumber.Parse(input, Today);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(new LocalDate(year, 2, 29), result.Value.BirthDate);
    }

    [Theory]
    [InlineData("230229-2380")] // 2023 not a leap year
    [InlineData("19000229-2380")] // century, not a leap year
    [InlineData("21000229-2380")]
    [InlineData("19900231-2380")] // 31 February
    [InlineData("19900230-2380")]
    [InlineData("19900431-2380")] // 31 April
    [InlineData("19900001-2380")] // month 00
    [InlineData("19901301-2380")] // month 13
    [InlineData("19909901-2380")]
    [InlineData("19900100-2380")] // day 00
    [InlineData("19900132-2380")] // day 32
    [InlineData("19900150-2380")]
    [InlineData("900132-2380")]
    [InlineData("9013012380")]
    public void R50_rejects_a_date_that_does_not_exist(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal("R50", reason.Rule);
        Assert.Equal("Date", reason.Code);
        Assert.Equal("Datumet finns inte.", reason.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void R50_rejects_empty_input(string? input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal(new Reason("R50", "Empty", "Ange ett personnummer."), reason);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ÅÅMMDD-NNNN")]
    [InlineData("17010l-2393")] // letter l for digit 1
    [InlineData("170101-239O")] // letter O for zero
    [InlineData("170101-239")] // 9 digits
    [InlineData("17010123")]
    [InlineData("170101-23933")] // 11 digits
    [InlineData("2017010123933")] // 13 digits
    [InlineData("20170101-23933")]
    [InlineData("1")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("17010-12393")] // separator at the wrong place (10 digits)
    [InlineData("1701012-393")]
    [InlineData("2017010-12393")] // separator at the wrong place (12 digits)
    [InlineData("201701012-393")]
    [InlineData("-1701012393")]
    [InlineData("1701012393-")]
    [InlineData("+1701012393")]
    [InlineData("170101--2393")] // two separators
    [InlineData("170101-+2393")]
    [InlineData("17-0101-2393")]
    [InlineData("170101 2393")] // space is not a separator
    [InlineData("170101/2393")]
    [InlineData("170101_2393")]
    [InlineData("170101.2393")]
    [InlineData("170101–2393")] // en dash
    [InlineData("170101−2393")] // minus sign U+2212
    [InlineData("１７０１０１-２３９３")] // full-width digits
    [InlineData("2017-01-01-2393")]
    public void R50_rejects_malformed_input(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal(new Reason("R50", "Format", "Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN."), reason);
    }

    [Theory]
    [InlineData("20170101+2393")]
    [InlineData("19170101+2393")]
    public void R50_rejects_plus_with_12_digits(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal("R50", reason.Rule);
        Assert.Equal("PlusWith12Digits", reason.Code);
        Assert.Contains("ÅÅÅÅMMDD-NNNN", reason.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("19900115-0001")]
    [InlineData("900115-0001")]
    [InlineData("900115+0001")]
    [InlineData("19900161-0008")]
    public void R50_rejects_birth_number_000(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal("R50", reason.Rule);
        Assert.Equal("BirthNumber", reason.Code);
        Assert.Equal("Födelsenumret (siffrorna efter datumet) kan inte vara 000.", reason.Text);
    }

    [Theory]
    [InlineData("170101-2390")]
    [InlineData("170101-2391")]
    [InlineData("170101-2392")]
    [InlineData("170101-2394")]
    [InlineData("170101-2395")]
    [InlineData("170101-2396")]
    [InlineData("170101-2397")]
    [InlineData("170101-2398")]
    [InlineData("170101-2399")]
    [InlineData("201701012394")]
    [InlineData("170101+2394")]
    [InlineData("19900161-2383")] // samordningsnummer
    public void R50_rejects_wrong_check_digit(string input)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, Today));

        Assert.Equal(new Reason("R50", "CheckDigit", "Kontrollsiffran stämmer inte."), reason);
    }

    public static TheoryData<int, char> SingleDigitChanges()
    {
        var data = new TheoryData<int, char>();
        const string valid = "9001152389";
        for (var position = 0; position < valid.Length; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit != valid[position])
                {
                    data.Add(position, digit);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SingleDigitChanges))]
    public void R50_rejects_every_single_digit_change_in_every_position(int position, char digit)
    {
        var chars = "9001152389".ToCharArray();
        chars[position] = digit;

        var reason = SingleReason(PersonalIdentityNumber.Parse("19" + new string(chars), Today));

        Assert.Equal("R50", reason.Rule);
        if (position is >= 2 and <= 5)
        {
            // month and day: the change may make the date impossible, which is reported first
            Assert.Contains(reason.Code, new[] { "CheckDigit", "Date" });
        }
        else
        {
            Assert.Equal("CheckDigit", reason.Code);
        }
    }

    [Theory]
    [InlineData("20250616-2383", "2025-06-15")] // tomorrow
    [InlineData("250616-2383", "2025-06-15")]
    [InlineData("20300101-2388", "2025-06-15")]
    [InlineData("251231-2386", "2025-01-01")] // '-' in 2025 means 2025, not 1925
    public void R50_rejects_a_birth_date_after_today(string input, string today)
    {
        var reason = SingleReason(PersonalIdentityNumber.Parse(input, NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value));

        Assert.Equal("R50", reason.Rule);
        Assert.Equal("FutureDate", reason.Code);
        Assert.Equal("Födelsedatumet ligger i framtiden.", reason.Text);
    }

    [Theory]
    // born 1925: written with '+' from 1 January 2025, the year of the 100th birthday
    [InlineData("250101+2385", "2025-01-01", "192501012385")]
    [InlineData("251231+2386", "2025-01-01", "192512312386")]
    [InlineData("251231+2386", "2025-12-31", "192512312386")]
    [InlineData("251231-2386", "2024-12-31", "192512312386")]
    // born 1926: still '-' in 2025; with '+' in 2025 it can only mean 1826
    [InlineData("260101-2384", "2025-12-31", "192601012384")]
    [InlineData("260101+2384", "2025-12-31", "182601012384")]
    [InlineData("251231+2386", "2024-12-31", "182512312386")]
    // the oldest and youngest 10-digit readings
    [InlineData("260101+2384", "2125-12-31", "192601012384")]
    [InlineData("250101+2385", "2124-12-31", "192501012385")]
    [InlineData("1701012393", "2116-12-31", "201701012393")]
    [InlineData("1701012393", "2117-01-01", "211701012393")]
    public void R50_century_of_ten_digit_numbers_follows_the_separator_and_today(string input, string today, string expected)
    {
        var result = PersonalIdentityNumber.Parse(input, NodaTime.Text.LocalDatePattern.Iso.Parse(today).Value);

        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        Assert.Equal(expected, result.Value.Value);
    }

    [Fact]
    public void R50_a_person_born_1926_is_not_written_with_plus_in_2025()
    {
        var result = PersonalIdentityNumber.Parse("260101+2384", new LocalDate(2025, 12, 31));

        Assert.NotEqual(1926, result.Value.BirthDate.Year);
        Assert.Equal(1826, result.Value.BirthDate.Year);
    }

    [Fact]
    public void R50_from_normalised_recreates_a_stored_number()
    {
        var number = PersonalIdentityNumber.FromNormalised("199001612382");

        Assert.Equal("199001612382", number.Value);
        Assert.Equal(new LocalDate(1990, 1, 1), number.BirthDate);
        Assert.True(number.IsCoordinationNumber);
        Assert.Equal(PersonalIdentityNumber.Parse("900161-2382", Today).Value, number);
    }

    [Fact]
    public void R50_from_normalised_does_not_check_the_clock()
    {
        Assert.Equal(new LocalDate(2030, 1, 1), PersonalIdentityNumber.FromNormalised("203001012388").BirthDate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1701012393")]
    [InlineData("20170101-2393")]
    [InlineData(" 201701012393")]
    [InlineData("201701012394")] // check digit
    [InlineData("199002312380")] // date
    [InlineData("199001150001")] // birth number
    [InlineData("20170101239X")]
    public void R50_from_normalised_throws_for_a_broken_invariant(string value)
    {
        Assert.Throws<ArgumentException>(() => PersonalIdentityNumber.FromNormalised(value));
    }

    [Theory]
    [InlineData("170101239", 3)]
    [InlineData("900115238", 9)]
    [InlineData("900161238", 2)]
    [InlineData("000000000", 0)]
    [InlineData("999999999", 9)]
    public void R50_computes_the_luhn_check_digit(string nineDigits, int expected)
    {
        Assert.Equal(expected, PersonalIdentityNumber.ComputeCheckDigit(nineDigits));
    }

    [Theory]
    [InlineData("")]
    [InlineData("17010123")]
    [InlineData("1701012393")]
    [InlineData("17010123a")]
    [InlineData("170101-23")]
    public void R50_check_digit_needs_exactly_nine_digits(string value)
    {
        Assert.Throws<ArgumentException>(() => PersonalIdentityNumber.ComputeCheckDigit(value));
    }

    [Fact]
    public void R50_create_builds_the_tax_agency_test_number()
    {
        var number = PersonalIdentityNumber.Create(new LocalDate(2017, 1, 1), 239);

        Assert.Equal("201701012393", number.Value);
        Assert.Equal(new LocalDate(2017, 1, 1), number.BirthDate);
        Assert.False(number.IsCoordinationNumber);
    }

    [Fact]
    public void R50_create_builds_a_samordningsnummer_with_day_plus_60()
    {
        var number = PersonalIdentityNumber.Create(new LocalDate(1990, 1, 31), 238, coordination: true);

        Assert.Equal("199001912386", number.Value);
        Assert.Equal(new LocalDate(1990, 1, 31), number.BirthDate);
        Assert.True(number.IsCoordinationNumber);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000)]
    public void R50_create_refuses_a_birth_number_outside_001_999(int birthNumber)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdentityNumber.Create(new LocalDate(1990, 1, 1), birthNumber));
    }

    [Fact]
    public void R50_ten_thousand_generated_numbers_parse_back_to_themselves_in_every_form()
    {
        var random = new Random(20_250_615);
        var earliest = new LocalDate(Today.Year - 199, 1, 1); // the oldest a 10-digit '+' number can express
        var span = Period.Between(earliest, Today, PeriodUnits.Days).Days;
        for (var i = 0; i < 10_000; i++)
        {
            var birthDate = earliest.PlusDays(random.Next(span + 1));
            var number = PersonalIdentityNumber.Create(birthDate, random.Next(1, 1000), random.Next(5) == 0);
            var separator = Today.Year - birthDate.Year >= 100 ? "+" : "-";
            var tenDigits = number.Value[2..8] + separator + number.Value[8..];

            foreach (var form in new[] { number.Value, number.ToString(), tenDigits, $" {tenDigits.Replace("-", "", StringComparison.Ordinal)} " })
            {
                if (form.Trim().Length == 10 && separator == "+")
                {
                    continue; // without separator a 10-digit number is read as under 100
                }

                var parsed = PersonalIdentityNumber.Parse(form, Today);
                Assert.True(parsed.Succeeded, $"{form}: {string.Join("; ", parsed.Reasons)}");
                Assert.Equal(number, parsed.Value);
                Assert.Equal(birthDate, parsed.Value.BirthDate);
            }

            Assert.Equal(number, PersonalIdentityNumber.FromNormalised(number.Value));
        }
    }

    [Fact]
    public void R50_changing_any_one_luhn_covered_digit_of_a_generated_number_is_refused()
    {
        // Luhn covers the last 10 digits only: a changed century (digits 1-2 of 12) is another valid
        // number or a future date, so those two digits are not part of this property.
        var random = new Random(4_711);
        var earliest = new LocalDate(1900, 1, 1);
        var span = Period.Between(earliest, Today, PeriodUnits.Days).Days;
        var refusals = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var number = PersonalIdentityNumber.Create(
                earliest.PlusDays(random.Next(span + 1)), random.Next(1, 1000), random.Next(5) == 0);
            for (var position = 2; position < 12; position++)
            {
                var chars = number.Value.ToCharArray();
                chars[position] = (char)('0' + ((chars[position] - '0' + random.Next(1, 10)) % 10));
                var changed = new string(chars);
                Assert.NotEqual(number.Value, changed);

                var result = PersonalIdentityNumber.Parse(changed, Today);

                Assert.False(result.Succeeded, $"{number.Value} -> {changed} was accepted");
                Assert.Contains(Assert.Single(result.Reasons).Code, new[] { "CheckDigit", "Date", "BirthNumber" });
                refusals++;
            }
        }

        Assert.Equal(100_000, refusals);
    }
}
