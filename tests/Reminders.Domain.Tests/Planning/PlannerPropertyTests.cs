using NodaTime;
using Reminders.Domain.Messages;
using static Reminders.Domain.Tests.TestData;

// Seeded System.Random on purpose: the sequences must be reproducible, nothing here is security-relevant.
#pragma warning disable CA5394

namespace Reminders.Domain.Tests.Planning;

/// <summary>
/// Random sequences of changes to one booking (moves, cancellations, blocks, activation, protected identity,
/// number changes, sending), each followed by Reconcile as the planner does, checked against R22/R23.
/// </summary>
public class PlannerPropertyTests
{
    private const int Sequences = 1_000;
    private const int Steps = 12;

    private static readonly LocalDate Birth = new(2012, 6, 15); // 13 on 2025-06-15
    private static readonly Instant[] Starts =
    [
        Local(2025, 6, 13, 10), Local(2025, 6, 15, 7, 30), Local(2025, 6, 16, 14), Local(2025, 6, 20, 21, 15),
    ];

    private static void CheckInvariants(PlanningWorld world, Instant now, int seed, int step)
    {
        var where = $"seed {seed}, step {step}";
        var decision = world.Decide(now);

        // R22: never two attempts for the same booking, kind, recipient, number and start.
        var attempted = world.Messages.Where(m => m.WasAttempted).Select(m => (m.Kind, m.Recipient, m.To, m.BookingStart)).ToList();
        Assert.True(attempted.Count == attempted.Distinct().Count(), $"{where}: an SMS was attempted twice");

        // One pending SMS per kind, recipient and number, each for the current start and wanted by the decision.
        var pending = world.Messages.Where(m => m.IsPending).ToList();
        Assert.True(pending.Count == pending.Select(m => (m.Kind, m.Recipient, m.To)).Distinct().Count(), $"{where}: duplicate pending SMS");
        foreach (var sms in pending)
        {
            Assert.True(sms.BookingStart == world.Booking.Start, $"{where}: pending SMS for an old start");
            var wanted = decision.Messages.FirstOrDefault(sms.Matches);
            Assert.True(wanted is not null, $"{where}: pending {sms.Kind} to {sms.Recipient} the decision no longer wants");
            Assert.True(wanted.Text == sms.Text, $"{where}: pending text differs from the decision");
            Assert.True(sms.DueAt == wanted.DueAt || (sms.DueAt <= now && wanted.DueAt <= now), $"{where}: pending due time differs from the decision");
        }

        // Each SMS the decision wants is pending, or was already attempted for this start.
        foreach (var wanted in decision.Messages)
        {
            Assert.True(
                pending.Exists(m => m.Matches(wanted)) || world.Messages.Exists(m => m.WasAttempted && m.Matches(wanted) && m.BookingStart == world.Booking.Start),
                $"{where}: wanted {wanted.Kind} to {wanted.Recipient} is neither pending nor sent");
        }

        // Every stopped SMS says why.
        Assert.All(world.Messages.Where(m => m.Status is SmsStatus.Cancelled or SmsStatus.Suppressed), m => Assert.NotEmpty(m.Reasons));
    }

    [Fact]
    public void R22_R23_random_change_sequences_never_send_twice_and_keep_pending_SMS_equal_to_the_decision()
    {
        var sends = 0;
        for (var seed = 0; seed < Sequences; seed++)
        {
            var rng = new Random(seed);
            var youth = rng.Next(2) == 0;
            var patient = youth ? Child(Birth, Mobile(20), Local(2025, 6, 15, 8)) : Patient();
            var setting = youth ? Setting(patient, activated: true, Mobile(10), Mobile(11)) : Setting(patient);
            var world = new PlanningWorld(patient, setting, Unit(selfCheckIn: rng.Next(2) == 0), Booking(Starts[rng.Next(Starts.Length)], Local(2025, 6, 1, 10)));
            var now = Local(2025, 6, 10, 10);
            world.Reconcile(now);

            for (var step = 0; step < Steps; step++)
            {
                now += Duration.FromMinutes(rng.Next(0, 12 * 60));
                switch (rng.Next(14))
                {
                    case 0:
                        world.Setting.Block(UnitId, Ctx(now));
                        break;
                    case 1:
                        world.Setting.Unblock(UnitId);
                        break;
                    case 2:
                        world.Setting.Deactivate(Ctx(now));
                        break;
                    case 3:
                        world.Setting.Activate(world.Patient, Ctx(now));
                        break;
                    case 4:
                        world.Patient.UpdateFromRegister(world.Patient.Name, rng.Next(3) == 0, world.Patient.Mobile, world.Patient.MobileUpdatedAt, false);
                        break;
                    case 5:
                        world.Booking.Reschedule(0, UnitId, Starts[rng.Next(Starts.Length)], now);
                        break;
                    case 6:
                        world.Booking.Cancel(now);
                        break;
                    case 7:
                        world.Setting.SetGuardianNumbers(world.Patient, [Mobile(rng.Next(10, 13))], Ctx(Local(2025, 6, 1, 10)));
                        break;
                    case 8:
                        world.Patient.UpdateFromRegister(world.Patient.Name, world.Patient.ProtectedIdentity, Mobile(rng.Next(20, 23)), now, false);
                        break;
                    default:
                        // Time passes; nothing changes.
                        break;
                }

                world.Reconcile(now);
                CheckInvariants(world, now, seed, step);

                // The dispatcher: decide again, send what is due (R23).
                foreach (var sms in world.Messages.Where(m => m.IsPending && m.NotBefore <= now).ToList())
                {
                    if (world.AtSendTime(sms, now).Verdict == SendVerdict.Send)
                    {
                        PlanningWorld.Send(sms, now);
                        sends++;
                    }
                }

                CheckInvariants(world, now, seed, step);
            }
        }

        Assert.True(sends > Sequences / 10, $"only {sends} SMS were sent: the sequences are too tame");
    }
}
