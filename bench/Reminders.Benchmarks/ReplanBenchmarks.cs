using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Reminders.Domain.Units;

namespace Reminders.Benchmarks;

/// <summary>
/// Issue #9's BenchmarkDotNet benchmark for replanning a unit's bookings after a change (target: 100 000 bookings in
/// under 10 s). One long operation per iteration (monitoring strategy, one invocation, one warm-up and five measured
/// iterations), each on a fresh copy of a SQLite file built once: the product (<see cref="ReplanBenchmark.ProductAsync"/>:
/// rename through <c>ReminderPlanner.PlanUnitAsync</c> + the write primitive's save, as the units handler does it) against the
/// raw Microsoft.Data.Sqlite loop as baseline, so the summary prints the ratio. About 3–5 minutes at 100 000 bookings
/// on a loaded 2-core machine; <c>--bookings</c> makes it smaller.
/// </summary>
[Config(typeof(Config))]
public class ReplanBenchmarks
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "reminders-replan-bdn-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

    private CareUnit _unit = null!;
    private string _template = null!;
    private string _file = null!;
    private int _iteration;

    /// <summary>Bookings at the unit (two pending SMS each); set by Program from <c>--bookings</c>.</summary>
    public static int Bookings { get; set; } = 100_000;

    /// <summary>Patients the bookings are spread over; set by Program from <c>--patients</c>.</summary>
    public static int Patients { get; set; } = 10_000;

    /// <summary>Builds the file once per process (the global setup runs once per benchmark case).</summary>
    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(Folder);
        _template = Path.Combine(Folder, Invariant($"template-{Bookings}-{Patients}.db"));
        _unit = File.Exists(_template) ? ReplanBenchmark.BenchUnit() : ReplanBenchmark.BuildAsync(_template, Patients, Bookings).GetAwaiter().GetResult();
    }

    /// <summary>A fresh copy for every iteration: each one replans the same 100 000 bookings from the same state.</summary>
    [IterationSetup]
    public void Copy() => _file = ReplanBenchmark.Copy(_template, Folder, Invariant($"run-{++_iteration}.db"));

    /// <summary>Deletes the iteration's copy and checks the product's result (every SMS renamed, still pending).</summary>
    [IterationCleanup]
    public void Check()
    {
        ReplanBenchmark.VerifyAsync(_file, NewName(), Bookings * 2).GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Benchmark(Baseline = true, Description = "raw Microsoft.Data.Sqlite loop")]
    public double Raw() => ReplanBenchmark.RawAsync(_file, _unit, NewName()).GetAwaiter().GetResult();

    [Benchmark(Description = "product: PlanUnitAsync + ChangeWriter save")]
    public double Product()
    {
        var (plan, save) = ReplanBenchmark.ProductAsync(_file, _unit, NewName()).GetAwaiter().GetResult();
        return plan + save;
    }

    /// <summary>Runs both cases with the sizes given (the built file is shared by the two cases, then removed).</summary>
    public static int Run(string[] args)
    {
        Bookings = ReplanBenchmark.Argument(args, "--bookings", Bookings);
        Patients = ReplanBenchmark.Argument(args, "--patients", Patients);
        try
        {
            BenchmarkDotNet.Running.BenchmarkRunner.Run<ReplanBenchmarks>();
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }
    }

    private string NewName() => "Vårdcentralen Nytt Namn " + _iteration.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(5)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithToolchain(InProcessEmitToolchain.Instance));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
            WithOption(ConfigOptions.DisableLogFile, true);
            WithOption(ConfigOptions.JoinSummary, true);
        }
    }
}
