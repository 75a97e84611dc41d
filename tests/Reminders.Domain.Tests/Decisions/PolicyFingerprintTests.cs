using NodaTime;
using Reminders.Domain.Messages;

namespace Reminders.Domain.Tests.Decisions;

/// <summary>
/// The policy fingerprint is stored after a replanning, so that a change of quiet hours (R28) or of the self check-in
/// link (R26) is noticed and the pending SMS are replanned; the quiet-hours part comes first, up to <c>;link=</c>.
/// </summary>
public class PolicyFingerprintTests
{
    [Fact]
    public void R28_R26_the_fingerprint_spells_out_quiet_hours_and_the_link()
    {
        Assert.Equal("quiet=off;21:00-07:00;link=", SmsPolicy.Default.Fingerprint);
        Assert.Equal(
            "quiet=on;22:30-06:15;link=https://www.1177.se/incheckning",
            new SmsPolicy(new QuietHours(true, new LocalTime(22, 30), new LocalTime(6, 15)), "https://www.1177.se/incheckning").Fingerprint);
    }

    [Fact]
    public void R28_switching_quiet_hours_on_changes_the_fingerprint_and_equal_policies_share_it()
    {
        var off = new SmsPolicy(QuietHours.Off, "https://www.1177.se/incheckning");
        var on = off with { QuietHours = QuietHours.Night };

        Assert.NotEqual(off.Fingerprint, on.Fingerprint);
        Assert.Equal(on.Fingerprint, new SmsPolicy(new QuietHours(true, new LocalTime(21, 0), new LocalTime(7, 0)), "https://www.1177.se/incheckning").Fingerprint);
    }
}
