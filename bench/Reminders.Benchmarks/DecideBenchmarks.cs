using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;

namespace Reminders.Benchmarks;

/// <summary>
/// <see cref="ReminderDecider.Decide"/> on representative bookings (issue #9: at least 1 000 000 decisions/s).
/// In process (no generated project to restore), operations per second and the median in the summary.
/// </summary>
public class DecideBenchmarks
{
    private static readonly Instant Now = Instant.FromUtc(2025, 3, 27, 8, 0);

    private readonly SmsPolicy _policy = Workload.Policy;
    private CareUnit _unit = null!;
    private Booking _booking = null!;
    private Patient _adult = null!;
    private ReminderSetting _adultSetting = null!;
    private Patient _child = null!;
    private ReminderSetting _childSetting = null!;
    private Patient _notActivated = null!;
    private ReminderSetting _notActivatedSetting = null!;

    /// <summary>Builds the three patients with the domain's own methods, as the product does.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _unit = CareUnit.Create(HsaId.FromTrusted("SE2321000115-B00001"), "Vårdcentralen Bänkby", "Bänkby", usesSmsReminders: true, offersSelfCheckIn: true);
        _booking = Booking.Create("bench-1", 1, _unit.HsaId, Instant.FromUtc(2025, 4, 10, 8, 30), Now - Duration.FromDays(10));
        var context = new ChangeContext(Now - Duration.FromDays(30), _unit.HsaId, ChangeChannel.CheckIn);

        // Activated adult, mobile delivered by 1177 as an adult: a reminder and a self check-in SMS.
        _adult = Patient.Create(PersonalIdentityNumber.Create(new LocalDate(1980, 5, 17), 238), "Bänk Vuxen");
        _adult.UpdateFromRegister("Bänk Vuxen", false, Fiction.NthMobile(0), Now - Duration.FromDays(400), consentIn1177: true);
        _adultSetting = ReminderSetting.CreateFor(1);
        Require(_adultSetting.Activate(_adult, context));

        // Activated child with two guardian numbers: two SMS of each kind.
        _child = Patient.Create(PersonalIdentityNumber.Create(new LocalDate(2018, 9, 3), 127), "Bänk Barn");
        _childSetting = ReminderSetting.CreateFor(2);
        Require(_childSetting.Activate(_child, context));
        Require(_childSetting.SetGuardianNumbers(_child, [Fiction.NthMobile(1), Fiction.NthMobile(2)], context));

        // Not activated and blocking the unit: nothing sent, every reason for both kinds.
        _notActivated = Patient.Create(PersonalIdentityNumber.Create(new LocalDate(1962, 1, 30), 415), "Bänk Ej Aktiverad");
        _notActivated.UpdateFromRegister("Bänk Ej Aktiverad", false, Fiction.NthMobile(3), Now - Duration.FromDays(400), consentIn1177: false);
        _notActivatedSetting = ReminderSetting.CreateFor(3);
        Require(_notActivatedSetting.Block(_unit.HsaId, context));

        Check(Decide(_adult, _adultSetting), messages: 2);
        Check(Decide(_child, _childSetting), messages: 4);
        Check(Decide(_notActivated, _notActivatedSetting), messages: 0);
    }

    /// <summary>An activated adult with a mobile of their own: both SMS planned.</summary>
    [Benchmark(Baseline = true)]
    public Decision ActivatedAdultBothSms() => Decide(_adult, _adultSetting);

    /// <summary>A child with two guardian numbers: four SMS planned.</summary>
    [Benchmark]
    public Decision ChildTwoGuardians() => Decide(_child, _childSetting);

    /// <summary>Not activated and the unit blocked: no SMS, the reasons for each kind.</summary>
    [Benchmark]
    public Decision NotActivatedAndBlocked() => Decide(_notActivated, _notActivatedSetting);

    /// <summary>
    /// Runs each case (or only <c>--case Name</c>) <c>--calls</c> times (default 1 000 000) in a plain loop and prints
    /// the elapsed time: a steady process for a sampling profiler or callgrind, without BenchmarkDotNet's own work
    /// in the profile. Under callgrind, the difference between two call counts divided by the difference in calls is
    /// the instructions per decision.
    /// </summary>
    public static int Loop(string[] args)
    {
        var index = Array.IndexOf(args, "--calls");
        var calls = index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        index = Array.IndexOf(args, "--case");
        var only = index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        var benchmarks = new DecideBenchmarks();
        benchmarks.Setup();
        var count = 0L;
        foreach (var (name, run) in new (string, Func<Decision>)[]
        {
            (nameof(ActivatedAdultBothSms), benchmarks.ActivatedAdultBothSms),
            (nameof(ChildTwoGuardians), benchmarks.ChildTwoGuardians),
            (nameof(NotActivatedAndBlocked), benchmarks.NotActivatedAndBlocked),
        })
        {
            if (only is not null && only != name)
            {
                continue;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                count += run().Messages.Count;
            }

            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}: {calls} calls in {watch.Elapsed.TotalMilliseconds:F0} ms, {calls / watch.Elapsed.TotalSeconds:F0} decisions/s"));
        }

        return count > 0 || only == nameof(NotActivatedAndBlocked) ? 0 : 1;
    }

    private Decision Decide(Patient patient, ReminderSetting setting) =>
        ReminderDecider.Decide(patient, setting, _unit, _booking, Now, _policy);

    private static void Require(Reminders.Domain.Result result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The benchmark's setup was refused by the domain.");
        }
    }

    private static void Check(Decision decision, int messages)
    {
        if (decision.Messages.Count != messages || (messages == 0 && decision.NotSent.Count != 2))
        {
            throw new InvalidOperationException($"Unexpected decision in the benchmark's setup: {decision.Messages.Count} SMS.");
        }
    }

    /// <summary>
    /// In process, allocations measured. The short job (3 warm-ups, 10 measured iterations, ~30 s) by default; with
    /// <paramref name="medium"/> BenchmarkDotNet's medium job (2 launches of 10 warm-ups and 15 measured
    /// iterations, ~2 min), for figures worth quoting on a shared machine.
    /// </summary>
    public static IConfig Config(bool medium)
    {
        var job = medium ? Job.MediumRun : Job.ShortRun.WithWarmupCount(3).WithIterationCount(10);
        return ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
    }
}
