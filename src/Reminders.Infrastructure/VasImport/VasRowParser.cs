using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain;
using Reminders.Domain.Identity;
using Reminders.Domain.Migration;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// Turns one CSV record of the VAS file into a <see cref="VasRow"/>, or the first reason it is bad (R36).
/// Reason texts name the column, never its value: reports are read by people who must not see patient data
/// where it is not needed.
/// </summary>
internal static class VasRowParser
{
    /// <summary>The contract's header row.</summary>
    public static readonly string[] Header =
        ["personnummer", "sms_consent", "mobile", "mobile_updated", "blocked_units", "guardian_numbers", "protected_identity"];

    private const string Rule = "R36";

    public static Result<VasRow> Parse(List<string> fields, bool malformed, LocalDate today)
    {
        if (malformed)
        {
            return Refuse("Quotes", "Raden har fel citattecken (RFC 4180).");
        }

        if (fields.Count != Header.Length)
        {
            return Refuse("ColumnCount", string.Create(CultureInfo.InvariantCulture, $"Raden har {fields.Count} kolumner; filen ska ha {Header.Length}."));
        }

        var id = PersonalIdentityNumber.Parse(fields[0], today);
        if (!id.Succeeded)
        {
            return Column("personnummer", id.Reasons[0]);
        }

        if (!YesNo(fields[1], out var consent))
        {
            return Refuse("YesNo", "sms_consent ska vara J eller N.");
        }

        PhoneNumber? mobile = null;
        if (!string.IsNullOrWhiteSpace(fields[2]))
        {
            var parsed = PhoneNumber.ParseMobile(fields[2]);
            if (!parsed.Succeeded)
            {
                return Column("mobile", parsed.Reasons[0]);
            }

            mobile = parsed.Value;
        }

        LocalDate? mobileUpdated = null;
        if (!string.IsNullOrWhiteSpace(fields[3]))
        {
            var parsed = LocalDatePattern.Iso.Parse(fields[3].Trim());
            if (!parsed.Success)
            {
                return Refuse("Date", "mobile_updated ska vara ett datum som ÅÅÅÅ-MM-DD.");
            }

            if (parsed.Value > today)
            {
                return Refuse("FutureDate", "mobile_updated ligger i framtiden.");
            }

            mobileUpdated = parsed.Value;
        }

        var blocked = new List<HsaId>();
        foreach (var part in Split(fields[4]))
        {
            var parsed = HsaId.Parse(part);
            if (!parsed.Succeeded)
            {
                return Column("blocked_units", parsed.Reasons[0]);
            }

            if (!blocked.Contains(parsed.Value))
            {
                blocked.Add(parsed.Value);
            }
        }

        var guardians = new List<PhoneNumber>();
        foreach (var part in Split(fields[5]))
        {
            var parsed = PhoneNumber.ParseMobile(part);
            if (!parsed.Succeeded)
            {
                return Column("guardian_numbers", parsed.Reasons[0]);
            }

            if (!guardians.Contains(parsed.Value))
            {
                guardians.Add(parsed.Value);
            }
        }

        if (guardians.Count > ReminderSetting.MaxGuardianNumbers)
        {
            return Column("guardian_numbers", Reasons.TooManyGuardianNumbers);
        }

        if (!YesNo(fields[6], out var protectedIdentity))
        {
            return Refuse("YesNo", "protected_identity ska vara J eller N.");
        }

        return Result.Success(new VasRow(id.Value, consent, mobile, mobileUpdated, blocked, guardians, protectedIdentity));
    }

    /// <summary>A record over the reader's caps: reported by its line, never held whole.</summary>
    public static Reason TooLong() =>
        new(Rule, "TooLong", string.Create(CultureInfo.InvariantCulture,
            $"Raden är för lång (högst {VasCsvRecords.MaxFieldLength} tecken per fält och {VasCsvRecords.MaxRecordLength} per rad); raden hoppades över."));

    public static Reason Duplicate(int firstLine) =>
        new(Rule, "Duplicate", string.Create(CultureInfo.InvariantCulture, $"Personnumret finns redan på rad {firstLine}; raden hoppades över."));

    private static bool YesNo(string field, out bool value)
    {
        var text = field.AsSpan().Trim();
        value = text is "J";
        return value || text is "N";
    }

    private static string[] Split(string field) =>
        string.IsNullOrWhiteSpace(field)
            ? []
            : field.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static Result<VasRow> Column(string column, Reason reason) =>
        Result.Failure<VasRow>(reason with { Text = $"{column}: {reason.Text}" });

    private static Result<VasRow> Refuse(string code, string text) => Result.Failure<VasRow>(new Reason(Rule, code, text));
}
